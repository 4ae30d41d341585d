"""Loading questionnaire and rubric files: all valid, or a list of every problem.

A rubric is checked against the questionnaire version it names, and a
crosswalk against the earlier version it maps from, so files are read as a set.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import g, has_request_context

from capacity import resources
from capacity.learning.model import ResourceSet
from capacity.learning.resource_file import read_resources
from capacity.questionnaires.checker import Checker, DefinitionError, Problem
from capacity.questionnaires.model import Questionnaire, Rubric
from capacity.questionnaires.questionnaire_file import read_questionnaire
from capacity.questionnaires.rubric_file import read_rubric
from capacity.questionnaires.yamlpos import PosDict, YamlProblem, load
from capacity.subjects import kinds as subject_kinds

DEFAULT_DIRECTORY = resources.questionnaires_dir()  # questionnaires/ of the checkout, or its copy in the wheel


@dataclass
class Library:
    questionnaires: dict[str, Questionnaire] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    resources: dict[str, ResourceSet] = field(default_factory=dict)
    # What questionnaires can assess (subjects.yaml); a folder without one uses the shipped file's.
    kinds: dict[str, subject_kinds.SubjectKind] = field(default_factory=dict)

    def kind(self, code: str) -> subject_kinds.SubjectKind | None:
        return self.kinds.get(code)

    def questionnaire(self, qid: str, version: str) -> Questionnaire | None:
        return self.questionnaires.get(f"{qid}@{version}")

    def rubric(self, rid: str, version: str) -> Rubric | None:
        return self.rubrics.get(f"{rid}@{version}")

    def resources_for(self, questionnaire: Questionnaire) -> list[ResourceSet]:
        """The learning-resource sets written for this questionnaire version."""
        return [r for r in self.resources.values() if r.questionnaire_key == questionnaire.key]

    def latest(self, qid: str) -> Questionnaire | None:
        versions = [q for q in self.questionnaires.values() if q.id == qid]
        return max(versions, key=lambda q: _version_key(q.version)) if versions else None


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in version.replace("-", ".").split("."))


def _parse(path: Path, problems: list[Problem]) -> tuple[PosDict, str, str] | None:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except OSError as error:
        problems.append(Problem(str(path), 1, 1, f"cannot read the file: {error.strerror}"))
        return None
    except UnicodeDecodeError as error:
        problems.append(Problem(str(path), 1, 1, f"not UTF-8 text (byte {error.start}); save the file as UTF-8"))
        return None
    try:
        data = load(text)
    except YamlProblem as error:
        problems.append(Problem(str(path), error.line, error.column, error.message))
        return None
    if not isinstance(data, PosDict):
        problems.append(Problem(str(path), 1, 1, "the file must be a mapping of 'key: value' lines"))
        return None
    return data, hashlib.sha256(raw).hexdigest(), text


def load_files(paths: list[Path], known: Library | None = None) -> tuple[Library, list[Problem]]:
    """Read and validate ``paths`` (rubrics may refer to questionnaires in ``known`` too)."""
    problems: list[Problem] = []
    parsed = [(path, result) for path in paths if (result := _parse(path, problems))]
    library = Library()
    rubric_files, resource_files = [], []
    broken: set[str] = set()
    for path, (data, digest, source) in parsed:
        if subject_kinds.is_kinds_file(path, data):
            check = Checker(str(path), source)
            library.kinds = subject_kinds.read_kinds(data, check)
            problems.extend(check.problems)
        elif "domains" in data:
            check = Checker(str(path), source)
            questionnaire = read_questionnaire(data, check, digest)
            problems.extend(check.problems)
            if questionnaire:
                _add(library.questionnaires, questionnaire, path, data, problems)
            else:
                broken.add(f"{data.get('id')}@{data.get('version')}")
        elif "resources" in data:
            resource_files.append((path, data))
        elif "questionnaire" in data:
            rubric_files.append((path, data, digest, source))
        else:
            problems.append(Problem(str(path), 1, 1, "cannot tell what this file is: a questionnaire needs 'domains', "
                                                     "a rubric needs 'questionnaire', learning resources need 'resources'"))
    everything = {**(known.questionnaires if known else {}), **library.questionnaires}
    for path, data, digest, source in rubric_files:
        check = Checker(str(path), source)
        rubric = read_rubric(data, check, digest, everything, frozenset(broken))
        problems.extend(check.problems)
        if rubric:
            _add(library.rubrics, rubric, path, data, problems)
    for path, data in resource_files:
        check = Checker(str(path))
        resource_set = read_resources(data, check, everything, frozenset(broken))
        problems.extend(check.problems)
        if resource_set:
            _add(library.resources, resource_set, path, data, problems)
    for questionnaire in library.questionnaires.values():
        problems.extend(_check_crosswalk(questionnaire, everything))
    if not library.kinds:
        library.kinds = dict(known.kinds) if known and known.kinds else shipped_kinds()
    if library.kinds:
        problems.extend(subject_kinds.subject_problems(library.questionnaires.values(), library.kinds))
    return library, problems


def shipped_kinds() -> dict[str, subject_kinds.SubjectKind]:
    """The subject kinds of the shipped questionnaires/subjects.yaml (for a folder that has none)."""
    path = Path(DEFAULT_DIRECTORY) / subject_kinds.FILE_NAME
    parsed = _parse(path, []) if path.is_file() else None
    if parsed is None:
        return {}
    data, _, source = parsed
    return subject_kinds.read_kinds(data, Checker(str(path), source))


def _add(table: dict, item, path: Path, data: PosDict, problems: list[Problem]) -> None:
    if item.key in table:
        line, column = data.value_at("version")
        problems.append(Problem(str(path), line, column, f"{item.key} is also defined in {table[item.key].path}; "
                                                         "give this file a new version"))
    else:
        table[item.key] = item


def _check_crosswalk(questionnaire: Questionnaire, everything: dict[str, Questionnaire]) -> list[Problem]:
    crosswalk = questionnaire.crosswalk
    if crosswalk is None:
        return []
    earlier = everything.get(f"{questionnaire.id}@{crosswalk.from_version}")
    if earlier is None:
        return [Problem(questionnaire.path, 1, 1, f"the crosswalk maps from version {crosswalk.from_version} of "
                                                  f"{questionnaire.id}, which does not exist")]
    return [Problem(questionnaire.path, 1, 1, f"the crosswalk maps '{old}', which is not an indicator of "
                                              f"{questionnaire.id} version {crosswalk.from_version}")
            for old in crosswalk.mapping if earlier.indicator(old) is None]


def yaml_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yaml") if p.is_file())


_cache: dict[tuple, Library] = {}


def load_directory(directory: Path | None = None) -> Library:
    """The library of ``directory`` (default: the shipped questionnaires/), cached until a file changes.

    Raises DefinitionError listing every problem when any file is invalid.
    """
    directory = Path(directory or os.environ.get("CAPACITY_QUESTIONNAIRES") or DEFAULT_DIRECTORY)
    # Within one request the files are looked at once: a page asks for the library several times
    # (its round's definitions, the baseline's, the form), and each look lists and stats every file.
    seen = g.setdefault("capacity_libraries", {}) if has_request_context() else None
    if seen is not None and str(directory) in seen:
        return seen[str(directory)]
    library = _load_directory(directory)
    if seen is not None:
        seen[str(directory)] = library
    return library


def _load_directory(directory: Path) -> Library:
    files = yaml_files(directory)
    signature = (str(directory), tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    if signature not in _cache:
        library, problems = load_files(files)
        if problems:
            raise DefinitionError(problems)
        _cache.clear()
        _cache[signature] = library
    return _cache[signature]
