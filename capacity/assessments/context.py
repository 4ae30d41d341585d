"""Loading what every assessment page needs, with the access check, in one place."""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from capacity import access
from capacity.assessments.answering import answers_by_code, get_assessment
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.rounds.models import AssessmentRound
from capacity.assessments.results import RoundDefinitions, definitions_for
from capacity.rounds.queries import round_or_404
from capacity.auth.models import Role
from capacity.extensions import db
from capacity.organisations.models import Organisation


@dataclass
class AssessmentContext:
    org: Organisation
    round: AssessmentRound
    track: Track
    definitions: RoundDefinitions
    assessment: Assessment | None
    permissions: access.TrackPermissions
    answers: dict[str, Answer]

    @property
    def questionnaire(self):
        return self.definitions.questionnaire

    @property
    def status(self) -> Status | None:
        return self.assessment.status if self.assessment else None

    def url_args(self) -> dict:
        return {"code": self.org.code, "round_code": self.round.code, "track": self.track.value}


def track_status(org: Organisation, round_: AssessmentRound, track: Track) -> Status | None:
    return db.session.scalar(sa.select(Assessment.status).where(
        Assessment.organisation_id == org.id, Assessment.round_id == round_.id, Assessment.track == track))


def load(code: str, round_code: str, track_name: str, *, with_answers: bool = True) -> AssessmentContext:
    """The organisation's assessment on a track, if the current user may see it (else 404).

    ``with_answers=False`` leaves ``answers`` empty: the autosave path reads only the answer it saves.
    """
    org = access.organisation_or_404(code)
    round_ = round_or_404(round_code)
    try:
        track = Track(track_name)
    except ValueError:
        abort(404)
    definitions = definitions_for(round_)
    assessment = get_assessment(org, round_, track, with_answers=with_answers)
    # Only a mentor's view of the self or consensus track depends on the mentor's own status.
    needs_mentor_status = current_user.role == Role.MENTOR and track != Track.MENTOR
    mentor_status = track_status(org, round_, Track.MENTOR) if needs_mentor_status else None
    permissions = access.track_permissions(
        current_user, org, round_.is_open, track, assessment.status if assessment else None, mentor_status,
        definitions.rubric.hide_self_until_mentor_submits)
    if not permissions.view:
        abort(404)
    answers = answers_by_code(assessment) if with_answers else {}
    return AssessmentContext(org, round_, track, definitions, assessment, permissions, answers)
