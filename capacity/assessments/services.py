"""Rounds and assessment status: what the dashboards and organisation pages show."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status, Track

from capacity.extensions import db


@dataclass(frozen=True)
class TrackState:
    status: Status | None  # None: not started
    answered: int


def track_states(organisation_ids: list[int], round_id: int) -> dict[tuple[int, Track], TrackState]:
    """Status and number of answers per (organisation, track) in one round, in one query."""
    if not organisation_ids:
        return {}
    rows = db.session.execute(
        sa.select(Assessment.organisation_id, Assessment.track, Assessment.status, sa.func.count(Answer.id))
        .outerjoin(Answer, Answer.assessment_id == Assessment.id)
        .where(Assessment.round_id == round_id, Assessment.organisation_id.in_(organisation_ids))
        .group_by(Assessment.organisation_id, Assessment.track, Assessment.status)
    )
    return {(org_id, track): TrackState(status, answered) for org_id, track, status, answered in rows}
