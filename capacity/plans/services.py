"""Writing a development plan: opening it, its priorities, its actions, their progress notes.

Plain data in, specific exceptions out, one audit event per change (with the
organisation, so the plan's history reads like an assessment's). Views commit.
Who may write is decided by ``capacity.access.may_edit_plan`` before these are
called; these decide what may be written:

- a plan opens once the organisation's result for the round is final (normally
  the validated agreed assessment), and its priorities are suggested from it
  (``capacity.plans.seeding``); every write to it goes through ``require_open``,
  so a plan whose assessment was reopened is read only until it is validated again;
- a decision or a save made from an older page is refused (StalePlan,
  StaleAction) with what is stored now, never silently applied;
- bad input is refused with the field and the reason (InvalidPlanInput), and
  nothing of the request is saved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from capacity import access
from capacity.assessments.results import DefinitionChanged, pinned_definitions
from capacity.audit import services as audit
from capacity.auth.models import User
from capacity.extensions import db
from capacity.mentoring.models import FollowUp, MentoringSession
from capacity.organisations.models import Organisation
from capacity.plans.checks import (MAX_TEXT, ActionInput, action_values, follow_up_of, parse_date,  # noqa: F401
                                   revision_of, text_of)
from capacity.plans.errors import RELOAD, InvalidPlanInput, PlanNotOpen  # noqa: F401  (callers catch them here)
from capacity.plans.models import (ActionNote, ActionStatus, DevelopmentPlan, PlanAction, PlanPriority,
                                   PriorityReason, PriorityStatus, join_codes, split_codes)
from capacity.plans.queries import plan_of
from capacity.rounds.definitions import DefinitionMissing, RoundDefinitions
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import programme_today, utcnow

REOPENED = _l("The assessment was reopened: the plan can be changed again once it is validated.")


class StalePlan(RuntimeError):
    """The plan's priorities changed since the page was loaded; ``plan`` is what is there now."""

    def __init__(self, plan: DevelopmentPlan):
        super().__init__(plan.id)
        self.plan, self.revision = plan, plan.revision
        self.message = _l("Someone changed the priorities since you opened this page: here they are as they are now. "
                          "Nothing was saved; please decide again.")


class StaleAction(RuntimeError):
    """Someone saved the action since the page was loaded: ``theirs`` (a snapshot) and ``who`` are read when raised."""

    def __init__(self, action: PlanAction):
        super().__init__(action.id)
        self.action, self.theirs = action, snapshot(action)
        who = db.session.get(User, action.updated_by_id) if action.updated_by_id else None
        self.who = (who.display_name or who.email) if who else ""
        self.message = _l("Someone else saved this action since you opened the page. Nothing of yours was saved: "
                          "compare the two versions below and save again.")


@dataclass(frozen=True)
class Opening:
    """An open plan's source: the final track and the round's questionnaire and rubric."""

    track: str
    definitions: RoundDefinitions


def definitions_of(round_: AssessmentRound) -> RoundDefinitions:
    """The round's pinned questionnaire and rubric; PlanNotOpen (with a message) when they cannot be read."""
    try:
        return pinned_definitions(round_)
    except (DefinitionMissing, DefinitionChanged):
        raise PlanNotOpen(_l("The round's questionnaire or rubric file is missing or has changed: "
                             "please ask the programme manager.")) from None


def _rated(organisation: Organisation, round_: AssessmentRound, definitions: RoundDefinitions):
    """The organisation's rated answers (computed indicators included) with a level or N/A, all tracks."""
    from capacity.assessments.scores import round_answers  # loads pandas: only pages that need it import it

    frame = round_answers(round_, definitions, [organisation.id])
    return frame.loc[frame["level"].notna() | frame["na"]]


def plan_opening(organisation: Organisation, round_: AssessmentRound) -> Opening:
    """Which track the plan is written from; PlanNotOpen until the organisation's result for the round is final."""
    definitions = definitions_of(round_)
    rated = _rated(organisation, round_, definitions)
    sight = access.sight(None, organisation, round_)
    choice = access.result_choice(sight, definitions.rubric.official_track, set(rated["track"]))
    if not choice.final or choice.track is None:
        raise PlanNotOpen(_l("The plan opens once the assessment is validated."), not_final=True)
    return Opening(choice.track, definitions)


def require_open(plan: DevelopmentPlan) -> Opening:
    """The guard every write to an existing plan goes through: PlanNotOpen while the round's result is not final.

    A manager may reopen a validated agreed assessment: until it is validated again the
    plan is read only, so nothing is decided on levels that are about to change.
    """
    try:
        return plan_opening(plan.organisation, plan.round)
    except PlanNotOpen as closed:
        if closed.not_final:
            raise PlanNotOpen(REOPENED, not_final=True) from None
        raise


def track_levels(organisation: Organisation, round_: AssessmentRound, definitions: RoundDefinitions):
    """{track: DataFrame(indicator, level)} of levels given (N/A and unanswered left out)."""
    rated = _rated(organisation, round_, definitions)
    rated = rated.loc[rated["level"].notna() & ~rated["na"]]
    return {track: rows[["indicator", "level"]].assign(level=rows["level"].astype(int)).reset_index(drop=True)
            for track, rows in rated.groupby("track")}


def _empty_levels():
    import pandas as pd

    return pd.DataFrame(columns=["indicator", "level"])


def start_plan(actor: Any, organisation: Organisation, round_: AssessmentRound) -> DevelopmentPlan:
    """The organisation's plan for the round, created with its suggested priorities on first use (audited).

    Two starts at once both find none: each inserts inside a savepoint, and the one
    that loses the unique (organisation, round) constraint returns the other's plan.
    """
    from capacity.plans.seeding import suggest_priorities

    existing = plan_of(organisation.id, round_.id)
    opening = require_open(existing) if existing is not None else plan_opening(organisation, round_)
    if existing is not None:
        return existing
    levels = track_levels(organisation, round_, opening.definitions)
    empty = _empty_levels()
    suggested = suggest_priorities(levels.get(opening.track, empty), levels.get("self", empty),
                                   levels.get("mentor", empty), opening.definitions.questionnaire,
                                   opening.definitions.rubric.plan)
    try:
        with db.session.begin_nested():
            plan = DevelopmentPlan(organisation_id=organisation.id, round_id=round_.id, seeded_from=opening.track,
                                   created_by_id=getattr(actor, "id", None))
            plan.priorities = [PlanPriority(indicator_code=row["indicator"], level=row["level"],
                                            reasons_raw=join_codes([r.value for r in row["reasons"]]))
                               for row in suggested.to_dict("records")]
            db.session.add(plan)
    except IntegrityError:
        return plan_of(organisation.id, round_.id)
    audit.record(actor, "plan.start", "plan", plan.id, organisation_id=organisation.id,
                 after={"round": round_.code, "priorities": list(suggested["indicator"])})
    return plan


def _claim(model: type, row: Any, revision: int) -> bool:
    """Count a save of ``row`` made from ``revision``: False when the stored row has moved on since.

    The UPDATE itself checks the revision, so of two saves from the same page at the same
    moment one claims it and the other is refused: neither is lost silently.
    Call it before changing the row's attributes (the statement flushes the session).
    """
    if revision != row.revision:
        return False
    result = db.session.execute(sa.update(model).where(model.id == row.id, model.revision == row.revision)
                                .values(revision=row.revision + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    set_committed_value(row, "revision", row.revision + 1)
    return True


def _check_revision(plan: DevelopmentPlan, revision: object) -> None:
    if not _claim(DevelopmentPlan, plan, revision_of(revision)):
        db.session.refresh(plan)
        raise StalePlan(plan)


def _check_action(action: PlanAction, revision: object) -> None:
    if not _claim(PlanAction, action, revision_of(revision)):
        db.session.refresh(action)
        raise StaleAction(action)


def decide_priority(actor: Any, plan: DevelopmentPlan, priority_id: int, decision: str, revision: object) -> PlanPriority:
    """Accept or drop (set aside) one priority; LookupError when the plan has no such priority."""
    require_open(plan)
    priority = next((p for p in plan.priorities if p.id == priority_id), None)
    if priority is None:
        raise LookupError(priority_id)
    statuses = {"accept": PriorityStatus.ACCEPTED, "drop": PriorityStatus.DROPPED}
    if decision not in statuses:
        raise InvalidPlanInput("decision", _l("Choose whether to accept the priority or set it aside. %(reload)s",
                                              reload=RELOAD))
    _check_revision(plan, revision)
    before = priority.status.value
    priority.status, priority.decided_by_id, priority.decided_at = statuses[decision], getattr(actor, "id", None), utcnow()
    audit.record(actor, "plan.priority", "plan", plan.id, organisation_id=plan.organisation_id,
                 before={"indicator": priority.indicator_code, "priority": before},
                 after={"indicator": priority.indicator_code, "priority": priority.status.value})
    return priority


def add_priority(actor: Any, plan: DevelopmentPlan, code: str, revision: object) -> PlanPriority:
    """Add an indicator of the round's questionnaire as an accepted priority (reason "added").

    An indicator already suggested (or set aside) is taken up with "added" among its reasons: so
    adding one that staff are not shown (suggested for a self/mentor gap alone) tells them nothing.
    """
    definitions = require_open(plan).definitions
    code = (code or "").strip().upper()
    indicator = definitions.questionnaire.indicator(code) if len(code) <= 32 else None
    if indicator is None:
        raise InvalidPlanInput("indicator", _l("“%(code)s” is not an indicator of this round's questionnaire.",
                                               code=code[:40]))
    _check_revision(plan, revision)
    found = next((p for p in plan.priorities if p.indicator_code == code), None)
    if found is not None and found.status == PriorityStatus.ACCEPTED:
        raise InvalidPlanInput("indicator", _l("%(code)s is already a priority of this plan.", code=code))
    if found is None:
        # The level at this moment, for the audit trail; the page shows the current final result's.
        levels = track_levels(plan.organisation, plan.round, definitions).get(plan.seeded_from)
        matching = levels.loc[levels["indicator"] == code, "level"] if levels is not None else ()
        found = PlanPriority(indicator_code=code, level=int(matching.iloc[0]) if len(matching) else None,
                             reasons_raw=PriorityReason.ADDED.value)
        plan.priorities.append(found)
    else:  # suggested, or set aside earlier: taken up now, with the reason it is there
        found.reasons_raw = join_codes(split_codes(found.reasons_raw) + [PriorityReason.ADDED.value])
    found.status, found.decided_by_id, found.decided_at = PriorityStatus.ACCEPTED, getattr(actor, "id", None), utcnow()
    db.session.flush()
    audit.record(actor, "plan.priority_add", "plan", plan.id, organisation_id=plan.organisation_id,
                 after={"indicator": code, "priority": PriorityStatus.ACCEPTED.value})
    return found


# --- actions -------------------------------------------------------------------------------------------------------

FOLLOW_UP_GONE = _l("This follow-up no longer exists. %(reload)s", reload=RELOAD)
FOLLOW_UP_TAKEN = _l("This follow-up has already become an action. %(reload)s", reload=RELOAD)


def snapshot(action: PlanAction) -> dict[str, Any]:
    """An action's fields as the audit trail and a "both versions" message show them."""
    return {"indicators": action.indicators, "description": action.description, "target_level": action.target_level,
            "responsible": action.responsible, "due_on": action.due_on.isoformat() if action.due_on else None,
            "support_type": action.support_type, "evidence_url": action.evidence_url}


def open_follow_ups(plan: DevelopmentPlan) -> list[FollowUp]:
    """Follow-ups agreed in this organisation's mentoring sessions for the round that no action was made from yet."""
    used = sa.select(PlanAction.follow_up_id).where(PlanAction.follow_up_id.is_not(None))
    return list(db.session.scalars(
        sa.select(FollowUp).join(MentoringSession)
        .where(MentoringSession.organisation_id == plan.organisation_id, MentoringSession.round_id == plan.round_id,
               FollowUp.id.not_in(used))
        .order_by(MentoringSession.held_on, FollowUp.id)))


def _follow_up_refusal(plan: DevelopmentPlan, follow_up_id: int) -> Any:
    """Why an action cannot be made from this follow-up now (None: it can).

    One of another organisation's (or round's) follow-ups is "gone" like a deleted one: the
    answer says nothing of what other organisations' sessions hold.
    """
    found = db.session.execute(
        sa.select(MentoringSession.organisation_id, MentoringSession.round_id).join(FollowUp)
        .where(FollowUp.id == follow_up_id)).first()
    if found is None or tuple(found) != (plan.organisation_id, plan.round_id):
        return FOLLOW_UP_GONE
    if db.session.scalar(sa.select(PlanAction.id).where(PlanAction.follow_up_id == follow_up_id)) is not None:
        return FOLLOW_UP_TAKEN
    return None


def add_action(actor: Any, plan: DevelopmentPlan, given: ActionInput) -> PlanAction:
    """Add an action (audited); with ``given.follow_up``, made from that mentoring follow-up of this plan.

    Two actions made from one follow-up at the same moment: the unique follow-up column lets one
    in and the other is refused with why (as is one made from a follow-up deleted meanwhile).
    """
    values = action_values(plan.round, require_open(plan).definitions, given)
    follow_up_id = follow_up_of(given.follow_up)
    if follow_up_id is not None:
        refusal = _follow_up_refusal(plan, follow_up_id)
        if refusal is not None:
            raise InvalidPlanInput("follow_up", refusal)
        values["follow_up_id"] = follow_up_id
    action = PlanAction(plan_id=plan.id, created_by_id=getattr(actor, "id", None),
                        updated_by_id=getattr(actor, "id", None), **values)
    try:
        with db.session.begin_nested():
            db.session.add(action)
            db.session.flush()
    except IntegrityError:
        if follow_up_id is None:
            raise
        raise InvalidPlanInput("follow_up", _follow_up_refusal(plan, follow_up_id) or FOLLOW_UP_TAKEN) from None
    audit.record(actor, "action.create", "plan_action", f"{plan.id}/{action.id}", organisation_id=plan.organisation_id,
                 after={k: v for k, v in snapshot(action).items() if v not in (None, "", [])})
    return action


def update_action(actor: Any, action: PlanAction, given: ActionInput) -> PlanAction:
    """Save an edited action; StaleAction when it was saved by someone since ``given.revision``."""
    values = action_values(action.plan.round, require_open(action.plan).definitions, given)
    _check_action(action, given.revision)
    before = snapshot(action)
    for key, value in values.items():
        setattr(action, key, value)
    after = snapshot(action)
    changed = [k for k in after if after[k] != before[k]]
    _touch(actor, action)
    if not changed:
        return action
    audit.record(actor, "action.update", "plan_action", f"{action.plan_id}/{action.id}",
                 organisation_id=action.plan.organisation_id,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return action


def _touch(actor: Any, action: PlanAction) -> None:
    action.updated_by_id = getattr(actor, "id", None)
    action.updated_at = utcnow()
    db.session.flush()


def _round_start(round_: AssessmentRound) -> str:
    return format_date(round_.starts_on, "long")


def set_status(actor: Any, action: PlanAction, status: str, revision: object, reason: str = "",
               completed_on: str = "", today: date | None = None) -> PlanAction:
    """Move an action to planned, in progress, done (on ``completed_on``, default today) or dropped (with a reason).

    The completion date is a day of the round's plan that has come: not before the round started,
    not after today (the programme's calendar day).
    """
    require_open(action.plan)
    today = today or programme_today()
    try:
        new = ActionStatus(status)
    except ValueError:
        raise InvalidPlanInput("status", _l("Choose a status from the list. %(reload)s", reload=RELOAD)) from None
    values: dict[str, Any] = {"status": new, "dropped_reason": "", "completed_on": None}
    if new == ActionStatus.DROPPED:
        values["dropped_reason"] = text_of("reason", reason, _l("Why it is dropped"), MAX_TEXT)
        if not values["dropped_reason"]:
            raise InvalidPlanInput("reason", _l("Say why the action is dropped: the reason stays with the plan."))
    if new == ActionStatus.DONE:
        done = parse_date("completed_on", completed_on, _l("Completed on")) or today
        starts = action.plan.round.starts_on
        if done > today:
            raise InvalidPlanInput("completed_on", _l("The completion date cannot be in the future."))
        if starts and done < starts:
            raise InvalidPlanInput("completed_on", _l("The completion date cannot be before the round started "
                                                      "(%(date)s).", date=_round_start(action.plan.round)))
        values["completed_on"] = done
    _check_action(action, revision)
    before = {"status": action.status.value, "dropped_reason": action.dropped_reason,
              "completed_on": action.completed_on.isoformat() if action.completed_on else None}
    for key, value in values.items():
        setattr(action, key, value)
    after = {"status": new.value, "dropped_reason": values["dropped_reason"],
             "completed_on": values["completed_on"].isoformat() if values["completed_on"] else None}
    changed = [k for k in after if after[k] != before[k]]
    _touch(actor, action)
    if not changed:
        return action
    audit.record(actor, "action.status", "plan_action", f"{action.plan_id}/{action.id}",
                 organisation_id=action.plan.organisation_id,
                 before={k: before[k] for k in changed}, after={k: after[k] for k in changed})
    return action


def add_note(actor: Any, action: PlanAction, noted_on: str, text: str, today: date | None = None) -> ActionNote:
    """A dated progress note (not in the future, not before the round started)."""
    require_open(action.plan)
    today = today or programme_today()
    when = parse_date("noted_on", noted_on, _l("Date"), required=True)
    starts = action.plan.round.starts_on
    if when > today:
        raise InvalidPlanInput("noted_on", _l("The note's date cannot be in the future."))
    if starts and when < starts:
        raise InvalidPlanInput("noted_on", _l("The note's date cannot be before the round started (%(date)s).",
                                              date=_round_start(action.plan.round)))
    body = text_of("text", text, _l("Progress note"), MAX_TEXT, required=True)
    note = ActionNote(action=action, noted_on=when, text=body, author_id=getattr(actor, "id", None))
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "action.note", "plan_action", f"{action.plan_id}/{action.id}",
                 organisation_id=action.plan.organisation_id, after={"noted_on": when.isoformat(), "note": body})
    return note
