"""Reading a learning-resources file into a validated ``ResourceSet`` (checked against its questionnaire)."""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from capacity.learning.model import RESOURCE_KINDS, LearningResource, ResourceSet
from capacity.questionnaires.checker import Checker, suggestion
from capacity.questionnaires.model import GESI_TAGS, Questionnaire
from capacity.questionnaires.yamlpos import PosDict

TOP_KEYS = ("id", "version", "title", "questionnaire", "resources")
RESOURCE_KEYS = ("code", "title", "kind", "description", "link", "file", "indicators", "gesi")
FILES_FOLDER = "resources"  # files of resources live in questionnaires/resources/


def read_resources(data: PosDict, check: Checker, questionnaires: dict[str, Questionnaire],
                   broken: frozenset[str] = frozenset()) -> ResourceSet | None:
    """Validate a resources file: every indicator code it names must be in its questionnaire."""
    check.keys(data, TOP_KEYS, ("id", "version", "title", "questionnaire", "resources"), "the resources file")
    rid = check.code(data, "id", "the resources file")
    version = check.string(data, "version", "the resources file")
    title = check.text(data, "title", "the resources file")
    questionnaire = _questionnaire(data, check, questionnaires, broken)
    items = check.sequence(data.get("resources"), data.value_at("resources"), "'resources'") if "resources" in data else []
    resources: list[LearningResource] = []
    for index, raw in enumerate(items or []):
        item = check.mapping(raw, items.at(index), "a resource")
        if item is None:
            continue
        resource = _resource(item, check, questionnaire, Path(check.path).parent)
        if resource is None:
            continue
        if any(r.code == resource.code for r in resources):
            check.problem(item.value_at("code"), f"resource code '{resource.code}' is used twice; give each resource its own")
        resources.append(resource)
    if check.problems or questionnaire is None:
        return None
    return ResourceSet(id=rid, version=version, title=title, questionnaire_id=questionnaire.id,
                       questionnaire_version=questionnaire.version, resources=tuple(resources), path=check.path)


def _questionnaire(data: PosDict, check: Checker, questionnaires: dict[str, Questionnaire],
                   broken: frozenset[str]) -> Questionnaire | None:
    if "questionnaire" not in data:
        return None
    ref = check.mapping(data["questionnaire"], data.value_at("questionnaire"), "'questionnaire'")
    if ref is None:
        return None
    check.keys(ref, ("id", "version"), ("id", "version"), "'questionnaire'")
    qid, version = check.string(ref, "id", "'questionnaire'"), check.string(ref, "version", "'questionnaire'")
    found = questionnaires.get(f"{qid}@{version}")
    if found is None and qid and version and f"{qid}@{version}" not in broken:
        known = sorted(questionnaires) or ["none found"]
        check.problem(data.value_at("questionnaire"), f"the resources are for questionnaire {qid} version {version}, which "
                                                      f"does not exist{suggestion(f'{qid}@{version}', known)}; known: "
                                                      f"{', '.join(known)}")
    return found


def _resource(item: PosDict, check: Checker, questionnaire: Questionnaire | None, folder: Path) -> LearningResource | None:
    check.keys(item, RESOURCE_KEYS, ("code", "title", "kind"), "a resource")
    code = check.code(item, "code", "a resource")
    what = f"resource {code}"
    title = check.text(item, "title", what)
    description = check.text(item, "description", what, required=False)
    kind = item.get("kind")
    if "kind" in item and kind not in RESOURCE_KINDS:
        check.problem(item.value_at("kind"), f"unknown kind '{kind}' of {what}{suggestion(str(kind), RESOURCE_KINDS)}; "
                                             f"use one of {', '.join(RESOURCE_KINDS)}")
    link = check.string(item, "link", what, required=False)
    file = check.string(item, "file", what, required=False)
    if bool(link) == bool(file):
        check.problem(item.pos, f"{what} needs either a 'link' or a 'file' (one of them, not both)")
    if link and (urlsplit(link).scheme not in ("http", "https") or not urlsplit(link).netloc):
        check.problem(item.value_at("link"), f"the link of {what} must start with http:// or https://, not '{link}'")
    if file:
        relative = PurePosixPath(file)
        if relative.is_absolute() or ".." in relative.parts or relative.parts[:1] != (FILES_FOLDER,):
            check.problem(item.value_at("file"), f"the file of {what} must be inside {FILES_FOLDER}/ next to this file, "
                                                 f"e.g. '{FILES_FOLDER}/guide.pdf', not '{file}'")
        elif not (folder / relative).is_file():
            check.problem(item.value_at("file"), f"the file of {what}, '{file}', does not exist in {folder}")
    indicators = _indicator_codes(item, check, questionnaire, what)
    gesi = check.tags(item, "gesi", GESI_TAGS, what)
    if not indicators and not gesi and "indicators" in item:
        check.problem(item.value_at("indicators"), f"{what} serves no indicator and no GESI tag; name at least one")
    if check.problems:
        return None
    return LearningResource(code=code, title=title, kind=str(kind), description=description, url=link, file=file,
                            indicators=indicators, gesi=gesi)


def _indicator_codes(item: PosDict, check: Checker, questionnaire: Questionnaire | None, what: str) -> tuple[str, ...]:
    if "indicators" not in item:
        return ()
    values = check.sequence(item["indicators"], item.value_at("indicators"), f"'indicators' of {what}", allow_empty=True)
    known = [i.code for i in questionnaire.indicators] if questionnaire else []
    codes: list[str] = []
    for index, code in enumerate(values or []):
        if questionnaire is not None and questionnaire.indicator(str(code)) is None:
            check.problem(values.at(index), f"{what} names indicator '{code}', which is not in questionnaire "
                                            f"{questionnaire.key}{suggestion(str(code), known)}")
        elif str(code) not in codes:
            codes.append(str(code))
    return tuple(codes)
