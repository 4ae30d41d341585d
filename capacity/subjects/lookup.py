"""The configured subject kinds, for pages, reports and access checks."""
from __future__ import annotations

from capacity.subjects.kinds import DEFAULT_KIND, SubjectKind


def all_kinds() -> dict[str, SubjectKind]:
    """The kinds of the questionnaires folder (the shipped ones while a questionnaire file there is broken:
    a broken file must not open, or close, every subject)."""
    from capacity.questionnaires.checker import DefinitionError
    from capacity.questionnaires.library import load_directory, shipped_kinds
    try:
        return load_directory().kinds
    except DefinitionError:
        return shipped_kinds()


def kind_of(subject_or_code) -> SubjectKind | None:
    """The kind of a subject (an Organisation row) or of a kind code; None for a kind no longer configured."""
    code = subject_or_code if isinstance(subject_or_code, str) else getattr(subject_or_code, "kind", DEFAULT_KIND)
    return all_kinds().get(code)
