"""The questionnaire and rubric a round was set up with, and the scoring tables built from them.

Every page asks this module about a round (access checks read the rubric), so it
does not import pandas: the scoring tables are built, and pandas loaded, the first
time something scores (``RoundDefinitions.spec``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from flask_babel import gettext as _

from capacity.questionnaires.library import Library, load_directory
from capacity.questionnaires.model import Questionnaire, Rubric
from capacity.rounds.models import AssessmentRound

if TYPE_CHECKING:
    from capacity.scoring.frames import ScoringSpec


class DefinitionMissing(LookupError):
    """A round names a questionnaire or rubric version that is not in questionnaires/."""


@dataclass(frozen=True)
class RoundDefinitions:
    questionnaire: Questionnaire
    rubric: Rubric

    @functools.cached_property
    def spec(self) -> ScoringSpec:
        """The scoring tables (pandas), built on first use and kept: instances are cached per version below."""
        from capacity.scoring.frames import scoring_spec  # imports pandas: see the module's docstring
        return scoring_spec(self.questionnaire, self.rubric)


def definitions_for(round_: AssessmentRound, library: Library | None = None) -> RoundDefinitions:
    """The questionnaire, rubric and scoring tables a round was set up with (raises DefinitionMissing).

    This does not check that the files are still those the round's answers were given
    against: anything that scores, reports or exports uses
    ``capacity.assessments.results.pinned_definitions`` instead.
    """
    library = library or load_directory()
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = library.rubric(round_.rubric_id, round_.rubric_version)
    if questionnaire is None:
        raise DefinitionMissing(f"round {round_.code} uses questionnaire {round_.questionnaire_id} version "
                                f"{round_.questionnaire_version}, which is not in questionnaires/")
    if rubric is None:
        raise DefinitionMissing(f"round {round_.code} uses rubric {round_.rubric_id} version {round_.rubric_version}, "
                                "which is not in questionnaires/")
    return _definitions(questionnaire, rubric)


@functools.lru_cache(maxsize=32)
def _definitions(questionnaire: Questionnaire, rubric: Rubric) -> RoundDefinitions:
    # Both are immutable and hashed by content, so the scoring tables are built once per version.
    return RoundDefinitions(questionnaire, rubric)


@dataclass(frozen=True)
class VersionTitles:
    """What people read for a round's questionnaire and rubric: titles and versions, never the files' keys."""

    questionnaire: str
    rubric: str


def version_titles(round_: AssessmentRound, library: Library, language: str) -> VersionTitles:
    """The titles of ``round_``'s questionnaire and rubric versions in ``language``, as the round form names them."""
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = library.rubric(round_.rubric_id, round_.rubric_version)

    def title(found, identifier: str, version: str) -> str:
        if found is None:
            key = f"{identifier} {version}"
            return _("%(key)s (not in the questionnaires folder)", key=key)
        return _("%(title)s, version %(version)s", title=found.title.get(language), version=found.version)

    return VersionTitles(title(questionnaire, round_.questionnaire_id, round_.questionnaire_version),
                         title(rubric, round_.rubric_id, round_.rubric_version))
