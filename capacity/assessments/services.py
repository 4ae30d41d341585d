"""Rounds and assessment status: what the dashboards, organisation pages and the progress grid show.

One count of progress for every page: per (organisation, track), the indicators
answered with a level or "not applicable" that people rate (not the computed
ones) in the round's questionnaire. A comment or an evidence file without a
level is not an answer yet, so it is not counted anywhere.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.extensions import db
from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.library import Library, load_directory
from capacity.rounds.models import AssessmentRound


@dataclass(frozen=True)
class TrackState:
    status: Status | None  # None: not started
    answered: int  # rated indicators answered with a level or N/A
    updated_at: datetime | None = None


def rated_indicator_codes(round_: AssessmentRound, library: Library | None = None) -> list[str] | None:
    """Codes of the indicators people rate (not computed) in the round's questionnaire.

    None when the questionnaire is not in the folder, or the folder has invalid
    files: a status page still shows what it can (the count then covers every
    answered indicator), while scoring pages report the problem.
    """
    try:
        library = library or load_directory()
    except DefinitionError:
        return None
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    if questionnaire is None:
        return None
    return [indicator.code for indicator in questionnaire.indicators if indicator.computed is None]


def track_states(organisation_ids: list[int], round_: AssessmentRound, rated_codes: list[str] | None = None,
                 library: Library | None = None) -> dict[tuple[int, Track], TrackState]:
    """Status, answered count and last change per (organisation, track) in one round, in one aggregate query.

    ``rated_codes``: the round's rated indicator codes when the caller has them
    (else read from the questionnaire, see ``rated_indicator_codes``).
    """
    if not organisation_ids:
        return {}
    if rated_codes is None:
        rated_codes = rated_indicator_codes(round_, library)
    answered = sa.or_(Answer.level.is_not(None), Answer.not_applicable.is_(True))
    if rated_codes is not None:
        answered = sa.and_(answered, Answer.indicator_code.in_(rated_codes))
    rows = db.session.execute(
        sa.select(Assessment.organisation_id, Assessment.track, Assessment.status, Assessment.updated_at,
                  sa.func.count(Answer.id))
        .outerjoin(Answer, sa.and_(Answer.assessment_id == Assessment.id, answered))
        .where(Assessment.round_id == round_.id, Assessment.organisation_id.in_(organisation_ids))
        .group_by(Assessment.id, Assessment.organisation_id, Assessment.track, Assessment.status, Assessment.updated_at)
    )
    return {(org_id, track): TrackState(status, count, updated)
            for org_id, track, status, updated, count in rows}
