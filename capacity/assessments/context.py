"""Loading what every assessment page needs, with the access check, in one place."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort
from flask_login import current_user

from capacity import access
from capacity.assessments.answering import answers_by_code, get_assessment
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.rounds.models import AssessmentRound
from capacity.rounds.definitions import RoundDefinitions, definitions_for
from capacity.rounds.queries import round_or_404
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
    sight: access.Sight

    @property
    def questionnaire(self):
        return self.definitions.questionnaire

    @property
    def status(self) -> Status | None:
        return self.assessment.status if self.assessment else None

    def url_args(self) -> dict:
        return {"code": self.org.code, "round_code": self.round.code, "track": self.track.value}


def load(code: str, round_code: str, track_name: str, *, with_answers: bool = True,
         hidden_ok: bool = False) -> AssessmentContext:
    """The organisation's assessment on a track, if the current user may see it (else 404).

    ``with_answers=False`` leaves ``answers`` empty: the autosave path reads only the answer it saves.
    ``hidden_ok``: a track the user may not see (yet) is returned empty, with ``permissions.view`` False,
    instead of a 404 (the consensus page tells staff it is not validated yet); nothing of it is loaded.
    """
    org = access.organisation_or_404(code)
    round_ = round_or_404(round_code, org)
    try:
        track = Track(track_name)
    except ValueError:
        abort(404)
    definitions = definitions_for(round_)
    sight = access.sight(current_user, org, round_)
    permissions = sight.permissions(track)
    if not permissions.view:
        if not hidden_ok:
            abort(404)
        return AssessmentContext(org, round_, track, definitions, None, permissions, {}, sight)
    assessment = get_assessment(org, round_, track, with_answers=with_answers)
    answers = answers_by_code(assessment) if with_answers else {}
    return AssessmentContext(org, round_, track, definitions, assessment, permissions, answers, sight)
