"""From the database to scores: load answers and profile data as DataFrames and score them.

The only place where the pure scoring functions meet the database.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment

from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.library import Library, load_directory
from capacity.questionnaires.model import Questionnaire, Rubric
from capacity.scoring.computed import computed_answers
from capacity.scoring.frames import ScoringSpec, check_answers, scoring_spec
from capacity.scoring.rollup import Scores, official_answers, score


class DefinitionMissing(LookupError):
    """A round names a questionnaire or rubric version that is not in questionnaires/."""


@dataclass(frozen=True)
class RoundDefinitions:
    questionnaire: Questionnaire
    rubric: Rubric
    spec: ScoringSpec


def definitions_for(round_: AssessmentRound, library: Library | None = None) -> RoundDefinitions:
    """The questionnaire, rubric and scoring tables a round was set up with."""
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
    return RoundDefinitions(questionnaire, rubric, scoring_spec(questionnaire, rubric))


def answers_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    """All answers of these rounds as (org, round, track, indicator, level, na) rows."""
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), Assessment.track,
                  Answer.indicator_code.label("indicator"), Answer.level, Answer.not_applicable.label("na"),
                  Assessment.status)
        .join(Assessment, Answer.assessment_id == Assessment.id)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .join(AssessmentRound, Assessment.round_id == AssessmentRound.id)
        .where(Assessment.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(Assessment.organisation_id.in_(organisation_ids))
    rows = db.session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["org", "round", "track", "indicator", "level", "na", "status"])
    frame["track"] = frame["track"].map(lambda t: getattr(t, "value", t))
    frame["final"] = frame.pop("status").map(lambda s: getattr(s, "value", s)).isin(["submitted", "validated"])
    frame["level"] = frame["level"].astype(float)
    frame["na"] = frame["na"].astype(bool)
    return frame


def assessments_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    """Every assessment (even one without answers yet) as (org, round, track) rows."""
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), Assessment.track)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .join(AssessmentRound, Assessment.round_id == AssessmentRound.id)
        .where(Assessment.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(Assessment.organisation_id.in_(organisation_ids))
    frame = pd.DataFrame(db.session.execute(query).all(), columns=["org", "round", "track"])
    frame["track"] = frame["track"].map(lambda t: getattr(t, "value", t))
    return frame


def profile_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), ProfileValue.code,
                  ProfileValue.category, ProfileValue.value)
        .join(Organisation, ProfileValue.organisation_id == Organisation.id)
        .join(AssessmentRound, ProfileValue.round_id == AssessmentRound.id)
        .where(ProfileValue.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(ProfileValue.organisation_id.in_(organisation_ids))
    return pd.DataFrame(db.session.execute(query).all(), columns=["org", "round", "code", "category", "value"])


def round_answers(round_: AssessmentRound, definitions: RoundDefinitions, organisation_ids: list[int] | None = None,
                  profile: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rated answers plus computed indicators (from profile data) for one round, checked against the scale.

    ``profile``: this round's profile data (``profile_frame``) when the caller has it already.
    """
    rated = answers_frame([round_.id], organisation_ids)
    rated = rated.loc[~rated["indicator"].isin([i.code for i in definitions.questionnaire.indicators if i.computed])]
    check_answers(rated, definitions.spec)
    rated = rated.assign(computed=False)
    tracks = assessments_frame([round_.id], organisation_ids)
    if profile is None:
        profile = profile_frame([round_.id], organisation_ids)
    computed = computed_answers(profile, definitions.questionnaire, tracks)
    return pd.concat([rated, computed], ignore_index=True) if not computed.empty else rated


def score_round(round_: AssessmentRound, *, track: str = "official", organisation_ids: list[int] | None = None,
                library: Library | None = None) -> tuple[Scores, RoundDefinitions]:
    """Scores of one round: one track ("self", "mentor", "consensus") or the rubric's official choice."""
    definitions = definitions_for(round_, library)
    answers = round_answers(round_, definitions, organisation_ids)
    if track == "official":
        answers = official_answers(answers, definitions.rubric.official_track)
    else:
        answers = answers.loc[answers["track"] == track]
    return score(answers, definitions.spec), definitions
