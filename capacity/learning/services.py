"""The learning-resource library: which resources to list, how to filter them, and where a shipped file is.

Resources are data of the questionnaires folder (no database): the library lists the
sets written for the newest version of each questionnaire, as the programme works with it now.
"""
from __future__ import annotations

import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask_babel import lazy_gettext as _l
from werkzeug.utils import secure_filename

from capacity.labels import option_text
from capacity.learning.model import RESOURCE_KINDS, LearningResource, ResourceSet
from capacity.learning.resource_file import FILES_FOLDER
from capacity.questionnaires.library import Library
from capacity.questionnaires.model import GESI_TAGS, Indicator, Questionnaire

KIND_LABELS = {
    "module": _l("Training module"),
    "competency_package": _l("Competency package"),
    "guide": _l("Guide"),
    "video": _l("Video"),
}
GESI_TAG_LABELS = {
    "gender": _l("Gender equality"),
    "disability": _l("Disability inclusion"),
    "safeguarding": _l("Safeguarding"),
    "accessibility": _l("Accessibility"),
    "budget": _l("GESI budget"),
    "participation": _l("Participation"),
    "data": _l("Disaggregated data"),
    "inclusion": _l("Social inclusion"),
}
assert set(KIND_LABELS) == set(RESOURCE_KINDS) and set(GESI_TAG_LABELS) == set(GESI_TAGS)
DOMAIN_PREFIX = "domain:"  # a filter value naming a whole domain, beside single indicator codes


@dataclass(frozen=True)
class Entry:
    """One resource as the library lists it: with its set, its questionnaire and the indicators it names."""

    resource: LearningResource
    set: ResourceSet
    questionnaire: Questionnaire
    indicators: tuple[Indicator, ...]

    @property
    def domains(self) -> set[str]:
        codes = {i.code for i in self.indicators}
        return {d.code for d in self.questionnaire.domains if any(i.code in codes for i in d.indicators)}


@dataclass(frozen=True)
class Filters:
    kind: str | None = None
    topic: str | None = None  # an indicator code, or DOMAIN_PREFIX + a domain code
    gesi: str | None = None

    @property
    def any(self) -> bool:
        return bool(self.kind or self.topic or self.gesi)


def current_questionnaires(library: Library) -> list[Questionnaire]:
    """The newest version of each questionnaire in the folder, by id."""
    ids = sorted({q.id for q in library.questionnaires.values()})
    return [q for qid in ids if (q := library.latest(qid)) is not None]


def entries(library: Library) -> list[Entry]:
    """Every resource written for a current questionnaire, in the files' order."""
    found: list[Entry] = []
    for questionnaire in current_questionnaires(library):
        for resource_set in sorted(library.resources_for(questionnaire), key=lambda s: s.key):
            for resource in resource_set.resources:
                named = tuple(i for code in resource.indicators if (i := questionnaire.indicator(code)) is not None)
                found.append(Entry(resource, resource_set, questionnaire, named))
    return found


def matches(entry: Entry, filters: Filters) -> bool:
    """Does ``entry`` pass every chosen filter? An indicator also finds resources sharing its GESI tags,
    as a development plan suggests them; a domain finds those naming one of its indicators."""
    resource = entry.resource
    if filters.kind and resource.kind != filters.kind:
        return False
    if filters.gesi and filters.gesi not in resource.gesi:
        return False
    if filters.topic:
        if filters.topic.startswith(DOMAIN_PREFIX):
            return filters.topic.removeprefix(DOMAIN_PREFIX) in entry.domains
        indicator = entry.questionnaire.indicator(filters.topic)
        return indicator is not None and resource.serves(indicator)
    return True


def filtered(found: list[Entry], filters: Filters) -> list[Entry]:
    """The entries passing ``filters``; for an indicator, those naming it come before those sharing a GESI tag."""
    kept = [entry for entry in found if matches(entry, filters)]
    if filters.topic and not filters.topic.startswith(DOMAIN_PREFIX):
        kept.sort(key=lambda entry: filters.topic not in entry.resource.indicators)  # stable: files' order otherwise
    return kept


class NoFile(LookupError):
    """No shipped file for this set and code: unknown set, unknown code, or a resource that is a link."""


@dataclass(frozen=True)
class ShippedFile:
    path: Path
    content_type: str
    download_name: str


def shipped_file(library: Library, set_id: str, code: str) -> ShippedFile:
    """The file of resource ``code`` of the current set ``set_id``; raises NoFile.

    The path was checked when the file was read, and is checked again here: whatever the
    data says, nothing outside the resources folder beside the set's file is ever served.
    """
    resource_set = next((s for s in current_sets(library) if s.id == set_id), None)
    resource = resource_set.resource(code) if resource_set else None
    if resource is None or not resource.file:
        raise NoFile(f"{set_id}/{code}")
    folder = (Path(resource_set.path).parent / FILES_FOLDER).resolve()
    path = (Path(resource_set.path).parent / resource.file).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        raise NoFile(f"{set_id}/{code}")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    name = secure_filename(f"{resource.code}-{path.name}") or f"{resource.code}{path.suffix}"
    return ShippedFile(path, content_type, name)


def current_sets(library: Library) -> list[ResourceSet]:
    return [s for q in current_questionnaires(library) for s in library.resources_for(q)]


def topic_choices(library: Library, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Domains and their indicators for the filter, grouped by questionnaire domain: (group, [(value, label)])."""
    groups = []
    for questionnaire in current_questionnaires(library):
        for domain in questionnaire.domains:
            options = [(DOMAIN_PREFIX + domain.code, str(_l("%(code)s: all indicators", code=domain.code)))]
            options += [(i.code, f"{i.code} {_short(option_text(i.title(language), language))}")
                        for i in domain.indicators]
            groups.append((f"{domain.code} {domain.title.get(language)}", options))
    return groups


def _short(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
