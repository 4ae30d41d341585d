"""What needs a mentor now: organisations to score, agreements to reach, agreements to validate.

Nothing here decides who may do what: ``access.sights`` does, as on every page.
A mentor scores blind (the mentor assessment, while the round is open), records
the agreed levels once their own assessment is submitted, and validates the
agreement themselves (the agreed assessment goes from draft straight to
validated when its mentor validates it: ``assessments.answering.submit``).
The answers are counted by ``assessments.services.track_states``, the same count
as the home page, the organisation page and the progress grid.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from capacity import access
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.assessments.services import TrackState, rated_indicator_codes, track_states
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import programme_today

DONE = (Status.SUBMITTED, Status.VALIDATED)


@dataclass(frozen=True)
class Task:
    """One organisation waiting for the mentor in one round."""

    organisation: Organisation
    round: AssessmentRound
    track: Track  # the track whose page the task opens
    answered: int  # answers on that track so far
    rated: int | None  # indicators people rate in the round's questionnaire; None when it is missing
    differences: int | None = None  # to agree: indicators where the self-assessment and mentor assessment differ


@dataclass
class ToDo:
    score: list[Task] = field(default_factory=list)  # the mentor assessment is not started or still a draft
    agree: list[Task] = field(default_factory=list)  # both submitted: the agreed levels are still to be recorded
    validate: list[Task] = field(default_factory=list)  # every agreed level recorded: only validation is left
    open_rounds: int = 0
    overdue: list = field(default_factory=list)  # PlanActions of the organisations' plans past their due date

    @property
    def total(self) -> int:
        return len(self.score) + len(self.agree) + len(self.validate)


def _value(level: int | None, not_applicable: bool) -> str:
    return "na" if not_applicable else "" if level is None else str(level)


def differences(round_: AssessmentRound, organisation_ids: list[int], rated_codes: list[str] | None) -> dict[int, int]:
    """Per organisation: rated indicators whose self-assessment and mentor assessment answers differ (one query).

    The same comparison as the agreed-assessment page: an answer on one side only is a difference too.
    Call it only for organisations whose viewer may see both tracks.
    """
    found: dict[int, int] = {org_id: 0 for org_id in organisation_ids}
    if not organisation_ids:
        return found
    query = (sa.select(Assessment.organisation_id, Assessment.track, Answer.indicator_code, Answer.level,
                       Answer.not_applicable)
             .join(Answer, Answer.assessment_id == Assessment.id)
             .where(Assessment.round_id == round_.id, Assessment.organisation_id.in_(organisation_ids),
                    Assessment.track.in_([Track.SELF, Track.MENTOR])))
    if rated_codes is not None:
        query = query.where(Answer.indicator_code.in_(rated_codes))
    sides: dict[tuple[int, str], dict[Track, str]] = {}
    for org_id, track, code, level, na in db.session.execute(query):
        sides.setdefault((org_id, code), {})[Track(track)] = _value(level, na)
    for (org_id, _code), values in sides.items():
        found[org_id] += values.get(Track.SELF, "") != values.get(Track.MENTOR, "")
    return found


def mentor_todo(user: User, organisations: list[Organisation], rounds: list[AssessmentRound]) -> ToDo:
    """What ``user`` (a mentor) has to do for ``organisations`` (subjects of any kind) in the open ones of ``rounds``,
    newest round first: each round for the subjects of the kind it assesses."""
    todo = ToDo()
    active = [org for org in organisations if org.active]
    for round_ in rounds:
        if not round_.is_open:
            continue
        todo.open_rounds += 1
        # A round assesses subjects of one kind: a service is not scored in an organisation round.
        covered = [org for org in active if org.kind == round_.subject_kind]
        if not covered:
            continue
        sights = access.sights(user, covered, round_)
        rated_codes = rated_indicator_codes(round_)
        rated = len(rated_codes) if rated_codes is not None else None
        states = track_states([org.id for org in covered], round_, rated_codes)
        to_agree = []
        for org in covered:
            sight = sights[org.id]
            if sight.may_edit(Track.MENTOR):
                state = states.get((org.id, Track.MENTOR)) or TrackState(None, 0)
                todo.score.append(Task(org, round_, Track.MENTOR, state.answered, rated))
            elif sight.may_edit(Track.CONSENSUS) and sight.status(Track.SELF) in DONE:
                state = states.get((org.id, Track.CONSENSUS)) or TrackState(None, 0)
                complete = state.status == Status.DRAFT and rated is not None and state.answered >= rated
                if complete:
                    todo.validate.append(Task(org, round_, Track.CONSENSUS, state.answered, rated))
                elif sight.sees(Track.SELF) and sight.sees(Track.MENTOR):
                    to_agree.append((org, state))
        counts = differences(round_, [org.id for org, _ in to_agree], rated_codes)
        todo.agree.extend(Task(org, round_, Track.CONSENSUS, state.answered, rated, counts[org.id])
                          for org, state in to_agree)
    todo.overdue = overdue_plan_actions([org.id for org in active])
    return todo


def overdue_plan_actions(organisation_ids: list[int], today: date | None = None) -> list:
    """Planned or in-progress actions of these organisations' development plans (any round) past their due date.

    Past the programme's calendar day (Tbilisi), not the server's: the plan page counts the same.
    """
    from capacity.plans.models import DevelopmentPlan
    from capacity.plans.queries import overdue_actions

    if not organisation_ids:
        return []
    plans = db.session.scalars(sa.select(DevelopmentPlan).where(DevelopmentPlan.organisation_id.in_(organisation_ids))
                               .options(selectinload(DevelopmentPlan.actions), selectinload(DevelopmentPlan.organisation),
                                        selectinload(DevelopmentPlan.round)))
    return overdue_actions(plans, today or programme_today())
