"""Recording, correcting and removing mentoring sessions, with their follow-ups.

Services take plain data (a SessionInput), check every rule before touching the
database (so nothing is ever half-saved), record an audit event and flush; the
view commits. A correction carries the revision its page showed: one made from an
older page is refused with what is stored now (StaleSession), never applied over it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from capacity.audit import services as audit
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode
from capacity.organisations.models import Organisation
from capacity.plans.models import DevelopmentPlan, PlanAction, join_codes, split_codes
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import by_code, rounds_newest_first
from capacity.mentoring.checks import (  # noqa: F401  (views and forms read them here)
    INDICATORS_ROOM, MAX_FOLLOW_UP, MAX_FOLLOW_UPS, MAX_NOTES, MAX_PARTICIPANTS, NUL, SessionInput, check,
    follow_up_lines, hours_and_minutes, plan_actions,
)

OBJECT_TYPE = "mentoring_session"


class InvalidSession(ValueError):
    """The session cannot be saved as sent; ``problems`` maps SessionInput fields to their messages."""

    def __init__(self, problems: dict[str, list[Any]]):
        super().__init__("; ".join(str(m) for messages in problems.values() for m in messages))
        self.problems = problems


class StaleSession(RuntimeError):
    """Someone saved the session since the page was loaded: ``theirs`` is what is stored now, ``who`` saved it."""

    def __init__(self, current: MentoringSession):
        super().__init__(current.id)
        self.revision = current.revision
        self.theirs = snapshot(current)
        self.who = last_editor(current)


@dataclass
class Saved:
    """A saved session and the follow-ups kept although their line was removed (they became plan actions)."""

    session: MentoringSession
    kept: list[str] = field(default_factory=list)


def default_round(organisation: Organisation) -> AssessmentRound | None:
    """The round a new session supports unless the mentor picks another: the newest with a plan, else the newest."""
    rounds = rounds_newest_first(organisation.kind)
    planned = set(db.session.scalars(sa.select(DevelopmentPlan.round_id)
                                     .where(DevelopmentPlan.organisation_id == organisation.id)))
    return next((r for r in rounds if r.id in planned), rounds[0] if rounds else None)


def sessions_of(organisation: Organisation) -> list[MentoringSession]:
    """The organisation's sessions, newest first, with what the log shows loaded."""
    return list(db.session.scalars(
        sa.select(MentoringSession).where(MentoringSession.organisation_id == organisation.id)
        .options(selectinload(MentoringSession.actions), selectinload(MentoringSession.follow_ups),
                 selectinload(MentoringSession.mentor), selectinload(MentoringSession.round))
        .order_by(MentoringSession.held_on.desc(), MentoringSession.id.desc())))


def actions_from_follow_ups(follow_up_ids: list[int]) -> dict[int, PlanAction]:
    """The plan action each follow-up became, by follow-up id."""
    if not follow_up_ids:
        return {}
    rows = db.session.scalars(sa.select(PlanAction).options(selectinload(PlanAction.plan))
                              .where(PlanAction.follow_up_id.in_(follow_up_ids)))
    return {action.follow_up_id: action for action in rows}


def snapshot(session: MentoringSession) -> dict[str, Any]:
    """A session's values as the audit trail and a refused correction show them (JSON-friendly)."""
    return {
        "round": session.round.code if session.round else None,
        "held_on": session.held_on.isoformat() if session.held_on else None,
        "duration_minutes": session.duration_minutes,
        "mode": getattr(session.mode, "value", session.mode),
        "indicators": split_codes(session.indicators_raw),
        "actions": sorted(a.id for a in session.actions),
        "participants_total": session.participants_total,
        "participants_female": session.participants_female,
        "participants_male": session.participants_male,
        "participants_with_disability": session.participants_with_disability,
        "notes": session.notes,
        "follow_ups": [f.text for f in session.follow_ups],
    }


def last_editor(session: MentoringSession) -> str:
    """Who saved the session last: the actor of its newest audit event (the mentor who recorded it otherwise)."""
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_type == OBJECT_TYPE,
                                                          AuditEvent.object_id == str(session.id))
                              .order_by(AuditEvent.id.desc()).limit(1))
    person = event.actor if event is not None and event.actor is not None else session.mentor
    return person.display_name if person is not None else ""


# ---------------------------------------------------------------------------------------------- saving

def _values(organisation: Organisation, given: SessionInput) -> dict[str, Any]:
    round_ = by_code(given.round_code)
    return {
        "round_id": round_.id,
        "held_on": given.held_on,
        "duration_minutes": given.duration_minutes,
        "mode": SessionMode(given.mode),
        "indicators_raw": join_codes(list(given.indicators)),
        "participants_total": given.participants_total,
        "participants_female": given.participants_female or 0,
        "participants_male": given.participants_male or 0,
        "participants_with_disability": given.participants_with_disability or 0,
        "notes": (given.notes or "").strip(),
    }


def _chosen_actions(organisation: Organisation, given: SessionInput) -> list[PlanAction]:
    wanted = set(given.action_ids)
    return [a for a in plan_actions(organisation, by_code(given.round_code)) if a.id in wanted]


def record_session(actor: Any, organisation: Organisation, given: SessionInput, *,
                   now: date | None = None) -> MentoringSession:
    """Add a session recorded by ``actor`` (its mentor); InvalidSession (nothing saved) when a rule is broken."""
    problems = check(organisation, given, now=now)
    if problems:
        raise InvalidSession(problems)
    session = MentoringSession(organisation_id=organisation.id, mentor_id=getattr(actor, "id", None),
                               created_by_id=getattr(actor, "id", None), revision=1,
                               **_values(organisation, given))
    session.actions = _chosen_actions(organisation, given)
    session.follow_ups = [FollowUp(text=line) for line in dict.fromkeys(given.follow_ups)]
    db.session.add(session)
    db.session.flush()
    after = snapshot(session)
    after["mentor"] = getattr(actor, "email", None)
    audit.record(actor, "mentoring.record", OBJECT_TYPE, session.id, organisation_id=organisation.id, after=after)
    return session


def _stored(session_id: int) -> MentoringSession | None:
    """The session as committed now (refreshing any copy this database session holds)."""
    return db.session.scalar(sa.select(MentoringSession).where(MentoringSession.id == session_id)
                             .execution_options(populate_existing=True))


def update_session(actor: Any, session: MentoringSession, given: SessionInput, revision: int | None, *,
                   now: date | None = None) -> Saved:
    """Correct a session (any mentor assigned to the organisation may).

    Raises InvalidSession (nothing saved) or StaleSession when ``revision`` is not the stored one. The row is
    claimed with ``UPDATE … WHERE revision = <seen>``: of two corrections from the same page, one wins.
    Follow-ups whose text is still there keep their row; those removed go, except any that became a plan
    action (``PlanAction.follow_up_id``), which is kept and listed in ``Saved.kept``.
    """
    organisation = session.organisation
    problems = check(organisation, given, now=now)
    if problems:
        raise InvalidSession(problems)
    before = snapshot(session)
    _claim(session, revision)
    for key, value in _values(organisation, given).items():
        setattr(session, key, value)
    session.actions = _chosen_actions(organisation, given)
    kept = _replace_follow_ups(session, given.follow_ups)
    db.session.flush()
    after = snapshot(session)
    changed = [key for key in after if after[key] != before[key]]
    audit.record(actor, "mentoring.update", OBJECT_TYPE, session.id, organisation_id=organisation.id,
                 before={key: before[key] for key in changed}, after={key: after[key] for key in changed})
    return Saved(session, kept)


def _replace_follow_ups(session: MentoringSession, lines: tuple[str, ...]) -> list[str]:
    wanted = list(dict.fromkeys(lines))
    became = actions_from_follow_ups([f.id for f in session.follow_ups])
    by_text = {}
    for follow_up in session.follow_ups:
        by_text.setdefault(follow_up.text, follow_up)
    result, kept = [], []
    for text in wanted:
        result.append(by_text.pop(text, None) or FollowUp(text=text))
    for follow_up in by_text.values():
        if follow_up.id in became:
            result.append(follow_up)
            kept.append(follow_up.text)
    # Duplicate rows of one text (not made here) that became actions are kept too.
    for follow_up in session.follow_ups:
        if follow_up not in result and follow_up.id in became:
            result.append(follow_up)
            kept.append(follow_up.text)
    session.follow_ups = sorted(result, key=lambda f: (f.id is None, f.id or 0))
    return kept


def _claim(session: MentoringSession, revision: int | None) -> None:
    """Claim the session as it was at ``revision`` (``UPDATE … WHERE revision = <seen>``), or raise StaleSession.

    Of two changes made from the same page at the same moment (two corrections, a correction and a removal) only
    one goes through: the other finds the revision moved on.
    """
    if revision is None or session.revision != revision:
        raise StaleSession(_stored(session.id) or session)
    claimed = db.session.execute(sa.update(MentoringSession)
                                 .where(MentoringSession.id == session.id, MentoringSession.revision == revision)
                                 .values(revision=MentoringSession.revision + 1)
                                 .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise StaleSession(_stored(session.id) or session)
    db.session.refresh(session, ["revision"])


def remove_session(actor: Any, session: MentoringSession, revision: int | None) -> None:
    """Remove a session recorded by mistake (audited with everything it held), if it is still at ``revision``.

    Raises StaleSession when someone corrected it since (nothing removed). Plan actions made from its follow-ups
    stay in the plan; they only lose the link to the follow-up.
    """
    before = snapshot(session)
    _claim(session, revision)
    follow_up_ids = [f.id for f in session.follow_ups]
    if follow_up_ids:
        db.session.execute(sa.update(PlanAction).where(PlanAction.follow_up_id.in_(follow_up_ids))
                           .values(follow_up_id=None).execution_options(synchronize_session=False))
    audit.record(actor, "mentoring.remove", OBJECT_TYPE, session.id, organisation_id=session.organisation_id,
                 before=before)
    db.session.delete(session)
    db.session.flush()


def session_or_none(organisation: Organisation, session_id: int) -> MentoringSession | None:
    """The session with this id if it is one of ``organisation``'s (else None: the view answers 404)."""
    if not 0 < session_id < 2**31:  # a URL's id beyond any row (and beyond what the database can compare)
        return None
    return db.session.scalar(sa.select(MentoringSession).where(MentoringSession.id == session_id,
                                                               MentoringSession.organisation_id == organisation.id))


@dataclass(frozen=True)
class Totals:
    sessions: int
    minutes: int
    participants: int
    female: int
    male: int
    with_disability: int


def totals(sessions: list[MentoringSession]) -> Totals:
    return Totals(len(sessions), sum(s.duration_minutes for s in sessions),
                  sum(s.participants_total for s in sessions), sum(s.participants_female for s in sessions),
                  sum(s.participants_male for s in sessions), sum(s.participants_with_disability for s in sessions))
