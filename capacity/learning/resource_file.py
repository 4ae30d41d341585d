"""Reading a learning-resources file into a validated ``ResourceSet`` (checked against its questionnaire).

Every problem is reported like those of the other definition files (``file:line:column: …``),
in English and then in Georgian (see ``capacity.learning.bilingual``).
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from capacity.learning.bilingual import BilingualChecks, Said, suggested
from capacity.learning.model import RESOURCE_KINDS, LearningResource, ResourceSet
from capacity.questionnaires.checker import Checker
from capacity.questionnaires.model import GESI_TAGS, Questionnaire
from capacity.questionnaires.yamlpos import PosDict

TOP_KEYS = ("id", "version", "title", "questionnaire", "resources")
RESOURCE_KEYS = ("code", "title", "kind", "description", "link", "file", "indicators", "gesi")
FILES_FOLDER = "resources"  # files of resources live in questionnaires/resources/

THE_FILE = Said("the resources file", "რესურსების ფაილი")


def read_resources(data: PosDict, check: Checker, questionnaires: dict[str, Questionnaire],
                   broken: frozenset[str] = frozenset()) -> ResourceSet | None:
    """Validate a resources file: every indicator code it names must be in its questionnaire."""
    said = BilingualChecks(check)
    said.keys(data, TOP_KEYS, TOP_KEYS, THE_FILE)
    rid = said.code(data, "id", THE_FILE)
    version = said.string(data, "version", THE_FILE)
    title = said.text(data, "title", THE_FILE)
    questionnaire = _questionnaire(data, said, questionnaires, broken)
    items = said.sequence(data["resources"], data.value_at("resources"), Said("'resources'", "ველი 'resources'")) \
        if "resources" in data else []
    resources: list[LearningResource] = []
    folder = Path(check.path).parent
    for index, raw in enumerate(items or []):
        item = said.mapping(raw, items.at(index), Said("a resource", "რესურსი"))
        if item is None:
            continue
        resource = _resource(item, said, questionnaire, folder)
        if resource is None:
            continue
        if any(r.code == resource.code for r in resources):
            said.say(item.value_at("code"), f"resource code '{resource.code}' is used twice; give each resource its own",
                     f"რესურსის კოდი '{resource.code}' ორჯერ გვხვდება; თითოეულ რესურსს საკუთარი კოდი მიანიჭეთ")
            continue
        resources.append(resource)
    if check.problems or questionnaire is None:
        return None
    return ResourceSet(id=rid, version=version, title=title, questionnaire_id=questionnaire.id,
                       questionnaire_version=questionnaire.version, resources=tuple(resources), path=check.path)


def _questionnaire(data: PosDict, said: BilingualChecks, questionnaires: dict[str, Questionnaire],
                   broken: frozenset[str]) -> Questionnaire | None:
    if "questionnaire" not in data:
        return None
    what = Said("'questionnaire'", "ველი 'questionnaire'")
    ref = said.mapping(data["questionnaire"], data.value_at("questionnaire"), what)
    if ref is None:
        return None
    said.keys(ref, ("id", "version"), ("id", "version"), what)
    qid, version = said.string(ref, "id", what), said.string(ref, "version", what)
    key = f"{qid}@{version}"
    found = questionnaires.get(key)
    # A questionnaire that exists but has problems of its own is reported there, not again here.
    if found is None and qid and version and key not in broken:
        known = sorted(questionnaires) or ["none found"]
        hint = suggested(key, known)
        said.say(data.value_at("questionnaire"),
                 f"the resources are for questionnaire {qid} version {version}, which does not exist{hint.en}; "
                 f"known: {', '.join(known)}",
                 f"რესურსები განკუთვნილია კითხვარისთვის {qid}, ვერსია {version}, რომელიც არ არსებობს{hint.ka}; "
                 f"ცნობილი კითხვარებია: {', '.join(known)}")
    return found


def _resource(item: PosDict, said: BilingualChecks, questionnaire: Questionnaire | None,
              folder: Path) -> LearningResource | None:
    said.keys(item, RESOURCE_KEYS, ("code", "title", "kind"), Said("a resource", "რესურსი"))
    code = said.code(item, "code", Said("a resource", "რესურსი"))
    what = Said(f"resource {code}", f"რესურსი {code}")
    before = len(said.problems)
    title = said.text(item, "title", what)
    description = said.text(item, "description", what, required=False)
    kind = item.get("kind")
    if "kind" in item and kind not in RESOURCE_KINDS:
        hint = suggested(kind, RESOURCE_KINDS)
        said.say(item.value_at("kind"), f"unknown kind '{kind}' of {what.en}{hint.en}; use one of {', '.join(RESOURCE_KINDS)}",
                 f"{what.ka}: უცნობი სახეობა '{kind}'{hint.ka}; გამოიყენეთ ერთ-ერთი: {', '.join(RESOURCE_KINDS)}")
    link = said.string(item, "link", what, required=False)
    file = said.string(item, "file", what, required=False)
    if ("link" in item) == ("file" in item):  # neither, or both (an empty one is reported above)
        said.say(item.pos, f"{what.en} needs either a 'link' or a 'file' (one of them, not both)",
                 f"{what.ka}: საჭიროა ან 'link', ან 'file' (ერთ-ერთი და არა ორივე)")
    if link and (urlsplit(link).scheme not in ("http", "https") or not urlsplit(link).netloc):
        said.say(item.value_at("link"), f"the link of {what.en} must start with http:// or https://, not '{link}'",
                 f"{what.ka}: ბმული უნდა იწყებოდეს შემდეგით: http:// ან https://; ახლა წერია '{link}'")
    if file:
        _check_file(item, said, what, file, folder)
    indicators = _indicator_codes(item, said, questionnaire, what)
    gesi = said.tags(item, "gesi", GESI_TAGS, what)
    if not indicators and not gesi and len(said.problems) == before:
        said.say(item.value_at("indicators") if "indicators" in item else item.pos,
                 f"{what.en} serves no indicator and no GESI tag; name at least one",
                 f"{what.ka}: არ არის მითითებული არც ინდიკატორი და არც GESI ტეგი; მიუთითეთ ერთი მაინც")
    if len(said.problems) > before or not code:
        return None
    return LearningResource(code=code, title=title, kind=str(kind), description=description, url=link, file=file,
                            indicators=indicators, gesi=gesi)


def _check_file(item: PosDict, said: BilingualChecks, what: Said, file: str, folder: Path) -> None:
    """The file must be a plain relative path inside resources/ beside the resources file, and exist there."""
    relative = PurePosixPath(file)
    inside = (not relative.is_absolute() and ".." not in relative.parts and "\\" not in file
              and len(relative.parts) >= 2 and relative.parts[0] == FILES_FOLDER)
    if not inside:
        said.say(item.value_at("file"), f"the file of {what.en} must be inside {FILES_FOLDER}/ next to this file, "
                                        f"e.g. '{FILES_FOLDER}/guide.pdf', not '{file}'",
                 f"{what.ka}: ფაილი უნდა იდოს საქაღალდეში {FILES_FOLDER}/ ამ ფაილის გვერდით, მაგ. "
                 f"'{FILES_FOLDER}/guide.pdf'; ახლა მითითებულია '{file}'")
    elif not (folder / relative).is_file():
        said.say(item.value_at("file"), f"the file of {what.en}, '{file}', does not exist in {folder}",
                 f"{what.ka}: ფაილი '{file}' საქაღალდეში {folder} არ არსებობს")


def _indicator_codes(item: PosDict, said: BilingualChecks, questionnaire: Questionnaire | None,
                     what: Said) -> tuple[str, ...]:
    if "indicators" not in item:
        return ()
    values = said.sequence(item["indicators"], item.value_at("indicators"),
                           Said(f"'indicators' of {what.en}", f"{what.ka}, ველი 'indicators'"), allow_empty=True)
    known = [i.code for i in questionnaire.indicators] if questionnaire else []
    codes: list[str] = []
    for index, code in enumerate(values or []):
        if questionnaire is not None and questionnaire.indicator(str(code)) is None:
            hint = suggested(code, known)
            said.say(values.at(index), f"{what.en} names indicator '{code}', which is not in questionnaire "
                                       f"{questionnaire.key}{hint.en}",
                     f"{what.ka} მიუთითებს ინდიკატორზე '{code}', რომელიც კითხვარში {questionnaire.key} არ არის{hint.ka}")
        elif str(code) not in codes:
            codes.append(str(code))
    return tuple(codes)
