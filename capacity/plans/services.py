"""Writing a development plan: opening it, its priorities, its actions, their progress notes.

Plain data in, specific exceptions out, one audit event per change (with the
organisation, so the plan's history reads like an assessment's). Views commit.
Who may write is decided by ``capacity.access.may_edit_plan`` before these are
called; these decide what may be written:

- a plan opens once the organisation's result for the round is final (normally
  the validated agreed assessment), and its priorities are suggested from it
  (``capacity.plans.seeding``);
- a decision or a save made from an older page is refused (StalePlan,
  StaleAction) with what is stored now, never silently applied;
- bad input is refused with the field and the reason (InvalidPlanInput), and
  nothing of the request is saved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

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
from capacity.parsing import ascii_int
from capacity.plans.models import (ActionNote, ActionStatus, DevelopmentPlan, PlanAction, PlanPriority,
                                   PriorityReason, PriorityStatus, join_codes, split_codes)
from capacity.plans.queries import plan_of
from capacity.questionnaires.model import MAX_COMMENT, MAX_URL
from capacity.rounds.definitions import DefinitionMissing, RoundDefinitions
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import utcnow

MAX_TEXT = MAX_COMMENT  # a description, a reason, a note
MAX_RESPONSIBLE = 120
MAX_INDICATORS = 400  # the column's length, codes joined with ';'
RELOAD = _l("Please reload the page: nothing was saved.")


class PlanNotOpen(RuntimeError):
    """The round's result is not final yet (or its definitions cannot be read): no plan can be written."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


class InvalidPlanInput(ValueError):
    def __init__(self, field: str, message: Any):
        super().__init__(str(message))
        self.field, self.message = field, message


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
        raise PlanNotOpen(_l("The development plan opens once the assessment is validated."))
    return Opening(choice.track, definitions)


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

    opening = plan_opening(organisation, round_)
    existing = plan_of(organisation.id, round_.id)
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


def _claim(model: type, row: Any, revision: object) -> bool:
    """Count a save of ``row`` made from ``revision``: False when the stored row has moved on since.

    The UPDATE itself checks the revision, so of two saves from the same page at the same
    moment one claims it and the other is refused: neither is lost silently.
    Call it before changing the row's attributes (the statement flushes the session).
    """
    if ascii_int(str(revision)) != row.revision:
        return False
    result = db.session.execute(sa.update(model).where(model.id == row.id, model.revision == row.revision)
                                .values(revision=row.revision + 1).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    set_committed_value(row, "revision", row.revision + 1)
    return True


def _check_revision(plan: DevelopmentPlan, revision: object) -> None:
    if not _claim(DevelopmentPlan, plan, revision):
        db.session.refresh(plan)
        raise StalePlan(plan)


def _check_action(action: PlanAction, revision: object) -> None:
    if not _claim(PlanAction, action, revision):
        db.session.refresh(action)
        raise StaleAction(action)


def decide_priority(actor: Any, plan: DevelopmentPlan, priority_id: int, decision: str, revision: object) -> PlanPriority:
    """Accept or drop (set aside) one priority; LookupError when the plan has no such priority."""
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
    """Add an indicator of the round's questionnaire as an accepted priority (reason "added")."""
    definitions = definitions_of(plan.round)
    code = (code or "").strip().upper()
    indicator = definitions.questionnaire.indicator(code) if len(code) <= 32 else None
    if indicator is None:
        raise InvalidPlanInput("indicator", _l("“%(code)s” is not an indicator of this round's questionnaire.",
                                               code=code[:40]))
    _check_revision(plan, revision)
    found = next((p for p in plan.priorities if p.indicator_code == code), None)
    if found is not None and found.status != PriorityStatus.DROPPED:
        raise InvalidPlanInput("indicator", _l("%(code)s is already a priority of this plan.", code=code))
    levels = track_levels(plan.organisation, plan.round, definitions).get(plan.seeded_from)
    level = None
    if levels is not None:
        matching = levels.loc[levels["indicator"] == code, "level"]
        level = int(matching.iloc[0]) if len(matching) else None
    if found is None:
        found = PlanPriority(indicator_code=code, level=level, reasons_raw=PriorityReason.ADDED.value)
        plan.priorities.append(found)
    else:  # set aside earlier: taken up again, with the reason it is back
        found.reasons_raw = join_codes(split_codes(found.reasons_raw) + [PriorityReason.ADDED.value])
    found.status, found.decided_by_id, found.decided_at = PriorityStatus.ACCEPTED, getattr(actor, "id", None), utcnow()
    db.session.flush()
    audit.record(actor, "plan.priority_add", "plan", plan.id, organisation_id=plan.organisation_id,
                 after={"indicator": code, "priority": PriorityStatus.ACCEPTED.value})
    return found


# --- actions -------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActionInput:
    """What the action form sent, as text. ``revision``: what the page showed (0 for a new action)."""

    indicators: str
    description: str
    target_level: str = ""
    responsible: str = ""
    due_on: str = ""
    support_type: str = ""
    evidence_url: str = ""
    follow_up_id: int | None = None
    revision: object = 0


def snapshot(action: PlanAction) -> dict[str, Any]:
    """An action's fields as the audit trail and a "both versions" message show them."""
    return {"indicators": action.indicators, "description": action.description, "target_level": action.target_level,
            "responsible": action.responsible, "due_on": action.due_on.isoformat() if action.due_on else None,
            "support_type": action.support_type, "evidence_url": action.evidence_url}


def parse_date(field: str, text: str, label: Any, required: bool = False) -> date | None:
    text = (text or "").strip()
    if not text:
        if required:
            raise InvalidPlanInput(field, _l("“%(field)s” is required.", field=label))
        return None
    try:
        if not text.isascii() or len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidPlanInput(field, _l("“%(field)s” is not a date: write it as YYYY-MM-DD, e.g. 2026-03-31.",
                                         field=label)) from None


def _text(field: str, text: str, label: Any, limit: int, required: bool = False) -> str:
    text = (text or "").strip()
    if "\x00" in text:
        raise InvalidPlanInput(field, _l("“%(field)s” contains characters that cannot be saved.", field=label))
    if required and not text:
        raise InvalidPlanInput(field, _l("“%(field)s” is required.", field=label))
    if len(text) > limit:
        raise InvalidPlanInput(field, _l("“%(field)s” is too long: at most %(max)d characters.", field=label, max=limit))
    return text


def check_url(text: str) -> str:
    url = (text or "").strip()
    if not url:
        return ""
    if len(url) > MAX_URL:
        raise InvalidPlanInput("evidence_url", _l("The link to evidence is too long: at most %(max)d characters.",
                                                  max=MAX_URL))
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc or any(c in url for c in " \t\r\n\x00"):
        raise InvalidPlanInput("evidence_url", _l("The link to evidence must be a web address starting with http:// or https://."))
    return url


def _validate(plan: DevelopmentPlan, given: ActionInput) -> dict[str, Any]:
    """The action's values from ``given``, or InvalidPlanInput naming the first field that is wrong."""
    definitions = definitions_of(plan.round)
    questionnaire = definitions.questionnaire
    raw = _text("indicators", given.indicators.replace(",", ";"), _l("Indicators"), MAX_INDICATORS)
    codes = [c.strip().upper() for c in raw.split(";") if c.strip()]
    if not codes:
        raise InvalidPlanInput("indicators", _l("Name at least one indicator the action works on."))
    unknown = [c for c in codes if questionnaire.indicator(c) is None]
    if unknown:
        raise InvalidPlanInput("indicators", _l("“%(code)s” is not an indicator of this round's questionnaire.",
                                                code=unknown[0][:40]))
    values: dict[str, Any] = {"indicators_raw": join_codes(codes)}
    values["description"] = _text("description", given.description, _l("What will be done"), MAX_TEXT, required=True)
    target = (given.target_level or "").strip()
    level = ascii_int(target, 2) if target else None
    if target and (level is None or not questionnaire.min_level <= level <= questionnaire.max_level):
        raise InvalidPlanInput("target_level", _l("The target level must be a level of the scale, %(min)d to %(max)d.",
                                                  min=questionnaire.min_level, max=questionnaire.max_level))
    values["target_level"] = level
    values["responsible"] = _text("responsible", given.responsible, _l("Responsible"), MAX_RESPONSIBLE)
    due = parse_date("due_on", given.due_on, _l("Due date"))
    if due is not None and plan.round.starts_on and due < plan.round.starts_on:
        raise InvalidPlanInput("due_on", _l("The due date cannot be before the round started (%(date)s).",
                                            date=format_date(plan.round.starts_on, "long")))
    values["due_on"] = due
    support = (given.support_type or "").strip()
    if support and definitions.rubric.plan.support_type(support) is None:
        raise InvalidPlanInput("support_type", _l("Choose a kind of support from the list."))
    values["support_type"] = support
    values["evidence_url"] = check_url(given.evidence_url)
    return values


def open_follow_ups(plan: DevelopmentPlan) -> list[FollowUp]:
    """Follow-ups agreed in this organisation's mentoring sessions for the round that no action was made from yet."""
    used = sa.select(PlanAction.follow_up_id).where(PlanAction.follow_up_id.is_not(None))
    return list(db.session.scalars(
        sa.select(FollowUp).join(MentoringSession)
        .where(MentoringSession.organisation_id == plan.organisation_id, MentoringSession.round_id == plan.round_id,
               FollowUp.id.not_in(used))
        .order_by(MentoringSession.held_on, FollowUp.id)))


def add_action(actor: Any, plan: DevelopmentPlan, given: ActionInput) -> PlanAction:
    """Add an action (audited); with ``follow_up_id``, made from that mentoring follow-up of this plan."""
    values = _validate(plan, given)
    if given.follow_up_id is not None:
        if given.follow_up_id not in {f.id for f in open_follow_ups(plan)}:
            raise InvalidPlanInput("follow_up", _l("This follow-up is not open for this plan any more. %(reload)s",
                                                   reload=RELOAD))
        values["follow_up_id"] = given.follow_up_id
    action = PlanAction(plan=plan, created_by_id=getattr(actor, "id", None), updated_by_id=getattr(actor, "id", None),
                        **values)
    db.session.add(action)
    db.session.flush()
    audit.record(actor, "action.create", "plan_action", f"{plan.id}/{action.id}", organisation_id=plan.organisation_id,
                 after={k: v for k, v in snapshot(action).items() if v not in (None, "", [])})
    return action


def update_action(actor: Any, action: PlanAction, given: ActionInput) -> PlanAction:
    """Save an edited action; StaleAction when it was saved by someone since ``given.revision``."""
    values = _validate(action.plan, given)
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


def set_status(actor: Any, action: PlanAction, status: str, revision: object, reason: str = "",
               completed_on: str = "", today: date | None = None) -> PlanAction:
    """Move an action to planned, in progress, done (on ``completed_on``, default today) or dropped (with a reason)."""
    today = today or date.today()
    try:
        new = ActionStatus(status)
    except ValueError:
        raise InvalidPlanInput("status", _l("Choose a status from the list. %(reload)s", reload=RELOAD)) from None
    values: dict[str, Any] = {"status": new, "dropped_reason": "", "completed_on": None}
    if new == ActionStatus.DROPPED:
        values["dropped_reason"] = _text("reason", reason, _l("Why it is dropped"), MAX_TEXT)
        if not values["dropped_reason"]:
            raise InvalidPlanInput("reason", _l("Say why the action is dropped: the reason stays with the plan."))
    if new == ActionStatus.DONE:
        done = parse_date("completed_on", completed_on, _l("Completed on")) or today
        if done > today:
            raise InvalidPlanInput("completed_on", _l("The completion date cannot be in the future."))
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
    today = today or date.today()
    when = parse_date("noted_on", noted_on, _l("Date"), required=True)
    starts = action.plan.round.starts_on
    if when > today:
        raise InvalidPlanInput("noted_on", _l("The note's date cannot be in the future."))
    if starts and when < starts:
        raise InvalidPlanInput("noted_on", _l("The note's date cannot be before the round started (%(date)s).",
                                              date=format_date(starts, "long")))
    body = _text("text", text, _l("Progress note"), MAX_TEXT, required=True)
    note = ActionNote(action=action, noted_on=when, text=body, author_id=getattr(actor, "id", None))
    db.session.add(note)
    db.session.flush()
    audit.record(actor, "action.note", "plan_action", f"{action.plan_id}/{action.id}",
                 organisation_id=action.plan.organisation_id, after={"noted_on": when.isoformat(), "note": body})
    return note
