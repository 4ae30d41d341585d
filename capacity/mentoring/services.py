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
from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from capacity.audit import services as audit
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.mentoring.models import MAX_MINUTES, FollowUp, MentoringSession, SessionMode
from capacity.organisations.models import Organisation
from capacity.plans.models import DevelopmentPlan, PlanAction, join_codes, split_codes
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import by_code, rounds_newest_first
from capacity.timeutil import programme_today
from capacity.templating import current_language

MAX_NOTES = 5000
MAX_FOLLOW_UP = 500
MAX_FOLLOW_UPS = 30
MAX_PARTICIPANTS = 10_000
INDICATORS_ROOM = 400  # the column's length: the ';'-joined codes must fit
OBJECT_TYPE = "mentoring_session"

NUL = _l("The text contains an invisible control character (NUL) that cannot be stored. "
         "Please remove it or type the text again.")


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


@dataclass(frozen=True)
class SessionInput:
    """What a mentor sent for one session. ``None`` where a value is missing; ``follow_ups`` one text per line."""

    round_code: str
    held_on: date | None
    duration_minutes: int | None
    mode: str
    participants_total: int | None
    participants_female: int | None = 0
    participants_male: int | None = 0
    participants_with_disability: int | None = 0
    indicators: tuple[str, ...] = ()
    action_ids: tuple[int, ...] = ()
    notes: str = ""
    follow_ups: tuple[str, ...] = ()


@dataclass
class Saved:
    """A saved session and the follow-ups kept although their line was removed (they became plan actions)."""

    session: MentoringSession
    kept: list[str] = field(default_factory=list)


def follow_up_lines(text: str) -> tuple[str, ...]:
    """One follow-up per non-empty line of a textarea, trimmed."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def today() -> date:
    """Today in the programme's time zone (Tbilisi): a session held this evening is not "in the future"."""
    return programme_today()


def hours_and_minutes(minutes: int) -> str:
    """A duration as people read it, in the UI language: "1 h 30 min", "45 min", "2 h"."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return str(_l("%(h)s h %(m)s min", h=format_decimal(hours), m=format_decimal(rest)))
    if hours:
        return str(_l("%(h)s h", h=format_decimal(hours)))
    return str(_l("%(m)s min", m=format_decimal(rest)))


def default_round(organisation: Organisation) -> AssessmentRound | None:
    """The round a new session supports unless the mentor picks another: the newest with a plan, else the newest."""
    rounds = rounds_newest_first()
    planned = set(db.session.scalars(sa.select(DevelopmentPlan.round_id)
                                     .where(DevelopmentPlan.organisation_id == organisation.id)))
    return next((r for r in rounds if r.id in planned), rounds[0] if rounds else None)


def plan_actions(organisation: Organisation, round_: AssessmentRound) -> list[PlanAction]:
    """The actions of the organisation's plan for the round (none without a plan)."""
    return list(db.session.scalars(
        sa.select(PlanAction).join(DevelopmentPlan)
        .where(DevelopmentPlan.organisation_id == organisation.id, DevelopmentPlan.round_id == round_.id)
        .order_by(PlanAction.id)))


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


# ---------------------------------------------------------------------------------------------- checking

def _count_problems(given: SessionInput) -> dict[str, list[Any]]:
    problems: dict[str, list[Any]] = {}
    names = {"participants_total": _l("Participants in total"), "participants_female": _l("Women"),
             "participants_male": _l("Men"), "participants_with_disability": _l("Persons with disability")}
    for name, label in names.items():
        value = getattr(given, name)
        if value is None:
            if name == "participants_total":
                problems[name] = [_l("Enter how many people took part in the session.")]
            continue
        if value < 0:
            problems[name] = [_l("%(field)s: a number of people cannot be negative (%(n)s).", field=label,
                                 n=format_decimal(value))]
        elif value > MAX_PARTICIPANTS:
            problems[name] = [_l("%(field)s: at most %(max)s people.", field=label, max=format_decimal(MAX_PARTICIPANTS))]
        elif name == "participants_total" and value == 0:
            problems[name] = [_l("At least one person took part in a session: enter how many.")]
    if problems:
        return problems  # the comparisons below need every count readable
    total = given.participants_total
    female, male = given.participants_female or 0, given.participants_male or 0
    if female + male > total:
        problems["participants_female"] = [_l(
            "Women and men together (%(together)s) are more than the total number of participants (%(total)s).",
            together=format_decimal(female + male), total=format_decimal(total))]
    disability = given.participants_with_disability or 0
    if disability > total:
        problems["participants_with_disability"] = [_l(
            "Persons with disability (%(n)s) are more than the total number of participants (%(total)s).",
            n=format_decimal(disability), total=format_decimal(total))]
    return problems


def _shortened(values, limit: int = 5) -> str:
    shown = [str(v)[:40] for v in list(values)[:limit]]
    return ", ".join(shown) + (" …" if len(values) > limit else "")


def check(organisation: Organisation, given: SessionInput, *, now: date | None = None) -> dict[str, list[Any]]:
    """Every rule a session obeys, as {field: [messages]} (empty: it can be saved). Touches no row."""
    problems: dict[str, list[Any]] = {}

    def add(name: str, message: Any) -> None:
        problems.setdefault(name, []).append(message)

    round_ = by_code(given.round_code) if isinstance(given.round_code, str) and len(given.round_code) <= 32 else None
    if round_ is None:
        add("round_code", _l("Choose one of the rounds in the list: the round whose development plan this session supports."))
    now = now or today()
    if given.held_on is None:
        add("held_on", _l("Enter the date of the session."))
    elif given.held_on > now:
        add("held_on", _l("The date of the session (%(date)s) is in the future: enter the day it was held.",
                          date=format_date(given.held_on, "long")))
    elif round_ is not None and round_.starts_on and given.held_on < round_.starts_on:
        add("held_on", _l("The session (%(date)s) is before the round “%(round)s” started (%(start)s): check the date, "
                          "or choose the round whose plan it supports.", date=format_date(given.held_on, "long"),
                          round=round_.name(current_language()),
                          start=format_date(round_.starts_on, "long")))
    minutes = given.duration_minutes
    if minutes is None:
        add("duration_minutes", _l("Enter how long the session lasted: hours and minutes (e.g. 1 and 30), "
                                   "or hours with a decimal (e.g. 1.5)."))
    elif minutes < 1:
        add("duration_minutes", _l("A session lasts at least 1 minute: the hours and minutes entered add up to 0."))
    elif minutes > MAX_MINUTES:
        add("duration_minutes", _l("A session lasts at most 12 hours: the hours and minutes entered add up to "
                                   "%(duration)s.", duration=hours_and_minutes(minutes)))
    if given.mode not in SessionMode._value2member_map_:
        add("mode", _l("Choose how the session was held: on site, online or by phone."))
    for name, messages in _count_problems(given).items():
        for message in messages:
            add(name, message)
    _check_texts(given, add)
    if round_ is not None:
        _check_indicators(round_, given, add)
        _check_actions(organisation, round_, given, add)
    return problems


def _check_texts(given: SessionInput, add) -> None:
    notes = given.notes or ""
    if "\x00" in notes:  # PostgreSQL cannot store NUL in text
        add("notes", NUL)
    elif len(notes.strip()) > MAX_NOTES:
        add("notes", _l("The notes are too long: %(n)s characters, at most %(max)s.",
                        n=format_decimal(len(notes.strip())), max=format_decimal(MAX_NOTES)))
    lines = given.follow_ups
    if any("\x00" in line for line in lines):
        add("follow_ups", NUL)
    elif len(lines) > MAX_FOLLOW_UPS:
        add("follow_ups", _l("At most %(max)s follow-ups per session (one per line); there are %(n)s.",
                             max=format_decimal(MAX_FOLLOW_UPS), n=format_decimal(len(lines))))
    else:
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_FOLLOW_UP:
                add("follow_ups", _l("Follow-up %(number)s is too long: %(n)s characters, at most %(max)s.",
                                     number=format_decimal(number), n=format_decimal(len(line)),
                                     max=format_decimal(MAX_FOLLOW_UP)))


def _check_indicators(round_: AssessmentRound, given: SessionInput, add) -> None:
    codes = [c for c in dict.fromkeys(given.indicators) if isinstance(c, str)]
    if not codes:
        return
    try:
        questionnaire = definitions_for(round_).questionnaire
    except DefinitionMissing:
        questionnaire = None
    unknown = [c for c in codes if questionnaire is None or questionnaire.indicator(c) is None]
    name = round_.name(current_language())
    if unknown:
        add("indicators", _l("Not indicators of the questionnaire of the round “%(round)s”: %(codes)s.",
                             round=name, codes=_shortened(unknown)))
    elif len(join_codes(codes)) > INDICATORS_ROOM:
        longest = max(len(i.code) for i in questionnaire.indicators)
        add("indicators", _l("Too many indicators for one session: choose at most %(max)s (%(n)s are chosen).",
                             max=format_decimal(INDICATORS_ROOM // (longest + 1)), n=format_decimal(len(codes))))


def _check_actions(organisation: Organisation, round_: AssessmentRound, given: SessionInput, add) -> None:
    wanted = list(dict.fromkeys(given.action_ids))
    if not wanted:
        return
    known = {a.id for a in plan_actions(organisation, round_)}
    name = round_.name(current_language())
    if not known:
        add("action_ids", _l("There is no development plan with actions for this organisation in the round "
                             "“%(round)s”, so no plan action can be chosen.", round=name))
        return
    unknown = [a for a in wanted if a not in known]
    if unknown:
        add("action_ids", _l("Not actions of this organisation's development plan for the round “%(round)s”: "
                             "%(ids)s.", round=name, ids=_shortened(unknown)))


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
