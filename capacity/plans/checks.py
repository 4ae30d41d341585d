"""Reading what a plan form sent: each value checked at the edge, refused with the field and the reason.

Nothing here writes; ``capacity.plans.services`` calls these before it changes a row,
so a refused request leaves nothing half-saved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from flask_babel import format_date
from flask_babel import lazy_gettext as _l

from capacity.parsing import ascii_int
from capacity.plans.errors import RELOAD, InvalidPlanInput
from capacity.plans.models import join_codes
from capacity.questionnaires.model import MAX_COMMENT, MAX_URL
from capacity.rounds.definitions import RoundDefinitions
from capacity.rounds.models import AssessmentRound

MAX_TEXT = MAX_COMMENT  # a description, a reason, a note
MAX_RESPONSIBLE = 120
MAX_INDICATORS = 400  # the column's length, codes joined with ';'
MAX_ROW_ID = 2**31 - 1  # a row id beyond this is no row (and beyond what every database compares)


@dataclass(frozen=True)
class ActionInput:
    """What the action form sent, as text. ``revision``: what the page showed (ignored for a new action);
    ``follow_up``: the id of the mentoring follow-up the action is made from, as posted ("" for none)."""

    indicators: str
    description: str
    target_level: str = ""
    responsible: str = ""
    due_on: str = ""
    support_type: str = ""
    evidence_url: str = ""
    follow_up: str = ""
    revision: object = ""


def revision_of(value: object) -> int:
    """The revision a form carried; InvalidPlanInput when the page sent none or something that is not one."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise InvalidPlanInput("revision", _l("The page did not say which version it showed. %(reload)s",
                                              reload=RELOAD))
    revision = ascii_int(text)
    if revision is None:
        raise InvalidPlanInput("revision", _l("The version the page showed is not a valid number. %(reload)s",
                                              reload=RELOAD))
    return revision


def follow_up_of(value: object) -> int | None:
    """The follow-up id an action form carried (None when it carried none); junk is refused, never dropped."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    found = ascii_int(text)
    if found is None or not 0 < found <= MAX_ROW_ID:
        raise InvalidPlanInput("follow_up", _l("The follow-up this action is made from is not a valid number. "
                                               "%(reload)s", reload=RELOAD))
    return found


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


def text_of(field: str, text: str, label: Any, limit: int, required: bool = False) -> str:
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


def action_values(round_: AssessmentRound, definitions: RoundDefinitions, given: ActionInput) -> dict[str, Any]:
    """The action's values from ``given``, or InvalidPlanInput naming the first field that is wrong."""
    questionnaire = definitions.questionnaire
    raw = text_of("indicators", given.indicators.replace(",", ";"), _l("Indicators"), MAX_INDICATORS)
    codes = [c.strip().upper() for c in raw.split(";") if c.strip()]
    if not codes:
        raise InvalidPlanInput("indicators", _l("Name at least one indicator the action works on."))
    unknown = [c for c in codes if questionnaire.indicator(c) is None]
    if unknown:
        raise InvalidPlanInput("indicators", _l("“%(code)s” is not an indicator of this round's questionnaire.",
                                                code=unknown[0][:40]))
    values: dict[str, Any] = {"indicators_raw": join_codes(codes)}
    values["description"] = text_of("description", given.description, _l("What will be done"), MAX_TEXT, required=True)
    target = (given.target_level or "").strip()
    level = ascii_int(target, 2) if target else None
    if target and (level is None or not questionnaire.min_level <= level <= questionnaire.max_level):
        raise InvalidPlanInput("target_level", _l("The target level must be a level of the scale, %(min)d to %(max)d.",
                                                  min=questionnaire.min_level, max=questionnaire.max_level))
    values["target_level"] = level
    values["responsible"] = text_of("responsible", given.responsible, _l("Responsible"), MAX_RESPONSIBLE)
    due = parse_date("due_on", given.due_on, _l("Due date"))
    if due is not None and round_.starts_on and due < round_.starts_on:
        raise InvalidPlanInput("due_on", _l("The due date cannot be before the round started (%(date)s).",
                                            date=format_date(round_.starts_on, "long")))
    values["due_on"] = due
    support = (given.support_type or "").strip()
    if support and definitions.rubric.plan.support_type(support) is None:
        raise InvalidPlanInput("support_type", _l("Choose a kind of support from the list."))
    values["support_type"] = support
    values["evidence_url"] = check_url(given.evidence_url)
    return values

