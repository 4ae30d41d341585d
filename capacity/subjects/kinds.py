"""Subject kinds: what an instrument can assess, read from ``questionnaires/subjects.yaml``.

A kind is data, not code: its names and report titles in each language, which
kind it belongs to (a service belongs to an organisation), and how access to a
subject of the kind is decided. Three access rules exist, and they are the only
code that differs between kinds:

- ``members``: staff whose account belongs to the subject, and the mentors
  assigned to it (organisations);
- ``parent``: whoever may see the subject's parent (a service is seen by its
  organisation's staff and mentors);
- ``municipality``: accounts assigned to the subject's municipality.

Programme managers and administrators see subjects of every kind.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from capacity.questionnaires.checker import Checker, Problem, suggestion
from capacity.questionnaires.model import Text
from capacity.questionnaires.yamlpos import PosDict, YamlProblem, load

FILE_NAME = "subjects.yaml"
ACCESS_RULES = ("members", "parent", "municipality")
DEFAULT_KIND = "organisation"
KIND_KEYS = ("code", "access", "parent", "name", "plural", "profile", "portfolio", "plan")


@dataclass(frozen=True)
class SubjectKind:
    code: str
    access: str
    parent: str | None
    name: Text       # one subject, as a column heading: "Service"
    plural: Text     # as a heading: "Services"
    profile: Text    # the title of one subject's report: "Service profile"
    portfolio: Text  # the heading of the portfolio report: "Quality of the social services"
    plan: Text       # the plan that follows an assessment: "Action plan for citizen participation"


def is_kinds_file(path: Path, data: PosDict) -> bool:
    return path.name == FILE_NAME or "kinds" in data


def read_kinds(data: PosDict, check: Checker) -> dict[str, SubjectKind]:
    """The kinds of a subjects.yaml, each checked; problems go to ``check``."""
    check.keys(data, ("kinds",), ("kinds",), "the subject kinds file")
    items = check.sequence(data.get("kinds"), data.value_at("kinds"), "'kinds'") or []
    kinds: dict[str, SubjectKind] = {}
    parents: list[tuple[str, str, tuple[int, int]]] = []
    broken: set[str] = set()
    for i, item in enumerate(items):
        entry = check.mapping(item, items.at(i), "a subject kind")
        if entry is None:
            continue
        named = entry.get("code")
        what = f"subject kind '{named}'" if isinstance(named, str) and named else f"subject kind number {i + 1}"
        # No required keys here: check.code, check.string and check.text below name a missing one, each once.
        check.keys(entry, KIND_KEYS, (), what)
        code = check.code(entry, "code", what)
        access = check.string(entry, "access", what)
        if access and access not in ACCESS_RULES:
            check.problem(entry.value_at("access"), f"unknown access rule '{access}' of {what}"
                                                    f"{suggestion(access, ACCESS_RULES)}; use one of {', '.join(ACCESS_RULES)}")
        parent = check.string(entry, "parent", what, required=False) or None
        if access == "parent" and parent is None:
            check.problem(entry.pos, f"{what} has access 'parent' but no 'parent': name the kind it belongs to")
        if parent is not None:
            parents.append((code, parent, entry.value_at("parent")))
        texts = {key: check.text(entry, key, what) for key in ("name", "plural", "profile", "portfolio", "plan")}
        if code in kinds or code in broken:
            check.problem(entry.value_at("code"), f"subject kind '{code}' is defined twice")
        elif code and all(texts.values()):
            kinds[code] = SubjectKind(code, access, parent, texts["name"], texts["plural"], texts["profile"],
                                      texts["portfolio"], texts["plan"])
        elif code:
            broken.add(code)  # its own problems are reported; a kind belonging to it is not told it does not exist
    for code, parent, where in parents:
        if parent in broken:
            continue
        if parent not in kinds:
            check.problem(where, f"subject kind '{code}' belongs to '{parent}', which is not a kind in this file"
                                 f"{suggestion(parent, list(kinds))}")
        elif parent == code:
            check.problem(where, f"subject kind '{code}' cannot belong to itself")
        elif kinds[parent].access != "members":
            # Access follows one step up, to a kind whose staff and mentors are named directly.
            check.problem(where, f"subject kind '{code}' belongs to '{parent}', whose access is "
                                 f"'{kinds[parent].access}'; a parent kind must have access 'members'")
    if DEFAULT_KIND not in kinds and not check.problems:
        check.problem(data.pos, f"the subject kinds must include '{DEFAULT_KIND}': existing rounds assess organisations")
    return kinds


def subject_problems(questionnaires, kinds: dict[str, SubjectKind]) -> list[Problem]:
    """Questionnaires whose ``subject`` is not a configured kind, at the line and column of their ``subject:``."""
    return [Problem(q.path, *_subject_position(q.path), f"'subject: {q.subject}' is not a subject kind of {FILE_NAME}"
                                                        f"{suggestion(q.subject, list(kinds))}; kinds: {', '.join(kinds)}")
            for q in questionnaires if q.subject not in kinds]


def _subject_position(path: str) -> tuple[int, int]:
    """Where a questionnaire file says ``subject:`` (the questionnaire keeps no positions; the file is read again,
    only for a questionnaire with a problem). 1:1 when the file cannot be read again."""
    try:
        data = load(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, YamlProblem):
        return 1, 1
    return data.value_at("subject") if isinstance(data, PosDict) and "subject" in data else (1, 1)
