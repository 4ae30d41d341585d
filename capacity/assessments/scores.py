"""From the database to scores: load answers and profile data as DataFrames and score them.

The only place where the pure scoring functions meet the database. It imports
pandas: pages and commands import it inside the functions that score, so that
starting the app or the command line does not load it (see README, "For developers").
"""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment
from capacity.assessments.results import pinned_definitions
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.library import Library
from capacity.rounds.definitions import RoundDefinitions
from capacity.rounds.models import AssessmentRound
from capacity.scoring.computed import computed_answers
from capacity.scoring.frames import check_answers
from capacity.scoring.rollup import Scores, official_answers, score


def answers_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    """All answers of these rounds as (org, round, track, indicator, level, na, value) rows (value: answers that
    are not levels, read by capacity.scoring.typed)."""
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), Assessment.track,
                  Answer.indicator_code.label("indicator"), Answer.level, Answer.not_applicable.label("na"),
                  Assessment.status, Answer.value)
        .join(Assessment, Answer.assessment_id == Assessment.id)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .join(AssessmentRound, Assessment.round_id == AssessmentRound.id)
        .where(Assessment.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(Assessment.organisation_id.in_(organisation_ids))
    rows = db.session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["org", "round", "track", "indicator", "level", "na", "status", "value"])
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
    """Scores of one round: one track ("self", "mentor", "consensus") or the rubric's official choice.

    Raises DefinitionChanged when the round's files changed since its answers were given.
    """
    definitions = pinned_definitions(round_, library)
    answers = round_answers(round_, definitions, organisation_ids)
    if track == "official":
        answers = official_answers(answers, definitions.rubric.official_track)
    else:
        answers = answers.loc[answers["track"] == track]
    return score(answers, definitions.spec), definitions
