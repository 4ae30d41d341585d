"""What a mentoring session must be to be saved: every rule, checked before anything is written.

``check`` answers {field: [messages]} in the user's language (empty: it can be saved) and touches no row; the
services call it first, so a session is never half-saved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l

from capacity.extensions import db
from capacity.mentoring.models import MAX_MINUTES, SessionMode
from capacity.organisations.models import Organisation
from capacity.plans.models import DevelopmentPlan, PlanAction, join_codes
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import by_code
from capacity.subjects.lookup import kind_of
from capacity.templating import current_language
from capacity.timeutil import programme_today

MAX_NOTES = 5000
MAX_FOLLOW_UP = 500
MAX_FOLLOW_UPS = 30
MAX_PARTICIPANTS = 10_000
INDICATORS_ROOM = 400  # the column's length: the ';'-joined codes must fit
NUL = _l("The text contains an invisible control character (NUL) that cannot be stored. "
         "Please remove it or type the text again.")


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


def follow_up_lines(text: str) -> tuple[str, ...]:
    """One follow-up per non-empty line of a textarea, trimmed."""
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def hours_and_minutes(minutes: int) -> str:
    """A duration as people read it, in the UI language: "1 h 30 min", "45 min", "2 h"."""
    hours, rest = divmod(int(minutes), 60)
    if hours and rest:
        return str(_l("%(h)s h %(m)s min", h=format_decimal(hours), m=format_decimal(rest)))
    if hours:
        return str(_l("%(h)s h", h=format_decimal(hours)))
    return str(_l("%(m)s min", m=format_decimal(rest)))


def plan_actions(organisation: Organisation, round_: AssessmentRound) -> list[PlanAction]:
    """The actions of the subject's plan for the round (none without a plan)."""
    return list(db.session.scalars(
        sa.select(PlanAction).join(DevelopmentPlan)
        .where(DevelopmentPlan.organisation_id == organisation.id, DevelopmentPlan.round_id == round_.id)
        .order_by(PlanAction.id)))


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
    if round_ is not None and round_.subject_kind != organisation.kind:
        # A round of another kind of subject (an organisation round for a service's session): not in the list either.
        other = kind_of(round_.subject_kind)
        add("round_code", _l("The round “%(round)s” is not for this kind of subject (it assesses: %(kind)s). Choose "
                             "one of the rounds in the list: the round whose plan this session supports.",
                             round=round_.name(current_language()),
                             kind=other.plural.get(current_language()) if other else round_.subject_kind))
        round_ = None
    elif round_ is None:
        add("round_code", _l("Choose one of the rounds in the list: the round whose plan this session supports."))
    now = now or programme_today()
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
        add("action_ids", _l("There is no plan with actions in the round “%(round)s”, so no plan action can be "
                             "chosen.", round=name))
        return
    unknown = [a for a in wanted if a not in known]
    if unknown:
        add("action_ids", _l("Not actions of the plan for the round “%(round)s”: %(ids)s.", round=name,
                             ids=_shortened(unknown)))
