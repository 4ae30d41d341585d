"""Reading plans for pages, the plan-status grid, reports and exports: one query per kind of row.

Nothing here decides who may see a plan (``capacity.plans.access`` does); these
only load and summarise. Completion counts actions that are done among those not
dropped: a dropped action (with its reason) leaves the plan, it is not a failure.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from typing import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from capacity.plans.models import ActionStatus, DevelopmentPlan, PlanAction


class PlanState(str, enum.Enum):
    NO_PLAN = "no_plan"      # no plan started for the organisation in this round
    ON_TRACK = "on_track"    # a plan with no overdue action
    OVERDUE = "overdue"      # at least one planned or in-progress action is past its due date
    COMPLETE = "complete"    # every action that was not dropped is done (and there is at least one)


@dataclass(frozen=True)
class Completion:
    done: int
    counted: int  # actions not dropped
    overdue: int
    by_status: dict[ActionStatus, int]

    @property
    def share(self) -> float | None:
        return self.done / self.counted if self.counted else None


def plan_of(organisation_id: int, round_id: int) -> DevelopmentPlan | None:
    """The organisation's plan for a round, with priorities, actions, notes and files' rows loaded."""
    return db.session.scalar(
        sa.select(DevelopmentPlan).where(DevelopmentPlan.organisation_id == organisation_id,
                                         DevelopmentPlan.round_id == round_id)
        .options(selectinload(DevelopmentPlan.priorities),
                 selectinload(DevelopmentPlan.actions).selectinload(PlanAction.notes),
                 selectinload(DevelopmentPlan.actions).selectinload(PlanAction.evidence_files)))


def plans_of_round(round_id: int, organisation_ids: Iterable[int] | None = None) -> dict[int, DevelopmentPlan]:
    """Every plan of a round (optionally of these organisations only) by organisation id, actions loaded."""
    query = (sa.select(DevelopmentPlan).where(DevelopmentPlan.round_id == round_id)
             .options(selectinload(DevelopmentPlan.priorities), selectinload(DevelopmentPlan.actions)))
    if organisation_ids is not None:
        query = query.where(DevelopmentPlan.organisation_id.in_(list(organisation_ids)))
    return {plan.organisation_id: plan for plan in db.session.scalars(query)}


def completion(actions: Iterable[PlanAction], today: date) -> Completion:
    actions = list(actions)
    by_status = {status: sum(a.status == status for a in actions) for status in ActionStatus}
    return Completion(done=by_status[ActionStatus.DONE], counted=len(actions) - by_status[ActionStatus.DROPPED],
                      overdue=sum(a.is_overdue(today) for a in actions), by_status=by_status)


def plan_state(plan: DevelopmentPlan | None, today: date) -> PlanState:
    if plan is None:
        return PlanState.NO_PLAN
    summary = completion(plan.actions, today)
    if summary.overdue:
        return PlanState.OVERDUE
    if summary.counted and summary.done == summary.counted:
        return PlanState.COMPLETE
    return PlanState.ON_TRACK


def overdue_actions(plans: Iterable[DevelopmentPlan], today: date) -> list[PlanAction]:
    """Planned or in-progress actions past their due date, the longest overdue first."""
    found = [a for plan in plans for a in plan.actions if a.is_overdue(today)]
    return sorted(found, key=lambda a: (a.due_on, a.id))


def sessions_of_round(round_id: int, organisation_ids: Iterable[int] | None = None) -> list[MentoringSession]:
    """Mentoring sessions supporting a round's plans (optionally of these organisations), oldest first."""
    query = (sa.select(MentoringSession).where(MentoringSession.round_id == round_id)
             .options(selectinload(MentoringSession.actions), selectinload(MentoringSession.follow_ups))
             .order_by(MentoringSession.held_on, MentoringSession.id))
    if organisation_ids is not None:
        query = query.where(MentoringSession.organisation_id.in_(list(organisation_ids)))
    return list(db.session.scalars(query))
