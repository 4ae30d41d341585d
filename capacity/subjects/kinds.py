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
from capacity.questionnaires.yamlpos import PosDict

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
    for i, item in enumerate(items):
        entry = check.mapping(item, items.at(i), "a subject kind")
        if entry is None:
            continue
        what = f"subject kind '{entry.get('code', i + 1)}'"
        check.keys(entry, KIND_KEYS, ("code", "access", "name", "plural", "profile", "portfolio", "plan"), what)
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
        if code in kinds:
            check.problem(entry.value_at("code"), f"subject kind '{code}' is defined twice")
        elif code and all(texts.values()):
            kinds[code] = SubjectKind(code, access, parent, texts["name"], texts["plural"], texts["profile"],
                                      texts["portfolio"], texts["plan"])
    for code, parent, where in parents:
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
    """Questionnaires whose ``subject`` is not a configured kind."""
    return [Problem(q.path, 1, 1, f"'subject: {q.subject}' is not a subject kind of {FILE_NAME}"
                                  f"{suggestion(q.subject, list(kinds))}; kinds: {', '.join(kinds)}")
            for q in questionnaires if q.subject not in kinds]
