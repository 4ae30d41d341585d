"""The plan-status grid: where the plan of each active subject of a round stands (the round's kind only).

One row per subject, built from a few queries for the whole grid (the plans with their
actions, the mentors, the latest mentoring session per subject), never one per row. A
subject's mentors are those of its kind's access rule (``capacity.rounds.services.mentor_names``:
a service's are its organisation's, a municipality's the mentors assigned to it). The state
and completion come from ``capacity.plans.queries``, as on the plan page, so both say the
same. Overdue plans come first: they are what a manager acts on.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from capacity.organisations.geography import MUNICIPALITIES
from capacity.organisations.models import Organisation
from capacity.labels import PLAN_STATES
from capacity.plans.models import OPEN_STATUSES, DevelopmentPlan
from capacity.plans.queries import PlanState, completion, plan_state, plans_of_round
from capacity.rounds.models import AssessmentRound
from capacity.rounds.services import mentor_names

# The order of the grid and of the counts above it: what needs attention first.
STATE_ORDER = (PlanState.OVERDUE, PlanState.NO_PLAN, PlanState.ON_TRACK, PlanState.COMPLETE)
STATE_LABELS = PLAN_STATES


@dataclass(frozen=True)
class PlanRow:
    organisation: Organisation
    mentors: list[str]
    state: PlanState
    done: int = 0
    counted: int = 0       # actions not dropped
    overdue: int = 0
    next_due: date | None = None   # the earliest due date of a planned or in-progress action
    last_session: date | None = None

    @property
    def share(self) -> float | None:
        return self.done / self.counted if self.counted else None


def active_organisations(query: sa.Select) -> sa.Select:
    """Only subjects still in the programme: an inactive one has no plan to follow."""
    return query.where(Organisation.active.is_(True))


def of_round(query: sa.Select, round_: AssessmentRound) -> sa.Select:
    """Only the active subjects of the round's kind (a service has no plan in an organisation round)."""
    return active_organisations(query).where(Organisation.kind == round_.subject_kind)


def in_region(query: sa.Select, region: str | None) -> sa.Select:
    if not region:
        return query
    return query.where(Organisation.municipality.in_([code for code, place in MUNICIPALITIES.items()
                                                      if place.region == region]))


def latest_sessions(round_: AssessmentRound, organisation_ids: list[int]) -> dict[int, date]:
    """The date of the latest mentoring session for the round's plan, per organisation (one query)."""
    if not organisation_ids:
        return {}
    rows = db.session.execute(
        sa.select(MentoringSession.organisation_id, sa.func.max(MentoringSession.held_on))
        .where(MentoringSession.round_id == round_.id, MentoringSession.organisation_id.in_(organisation_ids))
        .group_by(MentoringSession.organisation_id))
    return {org_id: held_on for org_id, held_on in rows}


def _row(organisation: Organisation, plan: DevelopmentPlan | None, mentors: list[str], last: date | None,
         today: date) -> PlanRow:
    if plan is None:
        return PlanRow(organisation, mentors, PlanState.NO_PLAN, last_session=last)
    summary = completion(plan.actions, today)
    due = [a.due_on for a in plan.actions if a.status in OPEN_STATUSES and a.due_on is not None]
    return PlanRow(organisation, mentors, plan_state(plan, today), done=summary.done, counted=summary.counted,
                   overdue=summary.overdue, next_due=min(due) if due else None, last_session=last)


def rows(round_: AssessmentRound, organisations: list[Organisation], today: date) -> list[PlanRow]:
    """The grid's rows for these subjects (the caller chose them), in the grid's order."""
    ids = [o.id for o in organisations]
    plans = plans_of_round(round_.id, ids)
    mentors = mentor_names(organisations)
    sessions = latest_sessions(round_, ids)
    found = [_row(o, plans.get(o.id), mentors.get(o.id, []), sessions.get(o.id), today) for o in organisations]
    return sort_rows(found)


def sort_rows(found: list[PlanRow]) -> list[PlanRow]:
    """Overdue first (the most overdue actions first), then no plan, on track, complete; by code within each."""
    return sorted(found, key=lambda row: (STATE_ORDER.index(row.state), -row.overdue, row.organisation.code))


def counts(found: list[PlanRow]) -> dict[PlanState, int]:
    """How many subjects are in each state, in the grid's order (zeros included)."""
    return {state: sum(row.state == state for row in found) for state in STATE_ORDER}
