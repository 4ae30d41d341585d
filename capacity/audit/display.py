"""The audit trail as people read it: every action, field and value named in the page's language.

``describe`` turns audit events into rows for the history page: "Evidence added: GOV.01 —
report.pdf (125 KB)", "Status: Draft → Submitted", a mentor by name, a level by its level name,
sizes and numbers in the locale's format. Every action and field that ``audit.record`` is called
with has a label here (tests/audit/test_display.py checks the list against the code); a key
recorded by a later version, or by hand, is still shown readably, never as a crash.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Iterable

import sqlalchemy as sa
from babel.dates import format_date
from flask_babel import format_decimal, format_percent, gettext, ngettext
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Status
from capacity.audit.vocabulary import ACTIONS, CATEGORIES, FIELDS, FIELDS_OF, SYSTEM_ACTIONS, TWO_SIDED, ordered
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.i18n.scripts import lang_to_mark
from capacity.labels import LANGUAGE_NAMES, ROLES, ROUND_KINDS, STATUSES, file_size
from capacity.organisations.geography import MUNICIPALITIES, SERVICE_AREAS
from capacity.organisations.models import Organisation
from capacity.subjects.lookup import kind_of
from capacity.labels import ACTION_STATUSES, PRIORITY_STATUSES, SESSION_MODES
from capacity.mentoring.models import SessionMode
from capacity.mentoring.services import hours_and_minutes
from capacity.plans.models import ActionStatus, PlanAction, PriorityStatus
from capacity.questionnaires.model import DEFAULT_SUPPORT_TYPES, Questionnaire
from capacity.questionnaires.values import decode, display
from capacity.rounds.models import AssessmentRound, RoundKind

NOTHING = "—"


@dataclass(frozen=True)
class Shown:
    """One piece of text on the page: ``lang`` when it is not in the page's language, ``code`` for codes."""

    text: str
    lang: str | None = None
    code: bool = False


@dataclass(frozen=True)
class Change:
    """One line of the "Change" column: "field: before → after", or "field: value" when ``before`` is None."""

    field: Shown | None
    before: Shown | None
    after: Shown


@dataclass(frozen=True)
class Row:
    at: datetime
    who: Shown
    action: str
    subject: Shown | None
    changes: list[Change]


class _Names:
    """The people, organisations and rounds the events mention, each kind read in one query."""

    def __init__(self, events: list[Any]):
        def collect(key: str, kind: type) -> set:
            # Only values of the column's type: a hand-made event with a number for a code must not break the query.
            return {side[key] for event in events for side in (event.before, event.after)
                    if isinstance(side, dict) and type(side.get(key)) is kind}

        user_ids = {e.actor_id for e in events if e.actor_id} | {
            _int(e.object_id) for e in events if e.object_type == "user" and _int(e.object_id) is not None}
        emails = collect("mentor", str) | collect("email", str)
        users = list(db.session.scalars(sa.select(User).where(sa.or_(User.id.in_(user_ids), User.email.in_(emails))))) \
            if user_ids or emails else []
        self.users = {u.id: u for u in users}
        self.users_by_email = {u.email: u for u in users}
        org_ids = {e.organisation_id for e in events if e.organisation_id} | collect("organisation_id", int)
        org_codes = (collect("organisation", str) | collect("parent", str)
                     | {e.object_id for e in events if e.object_type == "organisation"})
        orgs = list(db.session.scalars(sa.select(Organisation).where(
            sa.or_(Organisation.id.in_(org_ids), Organisation.code.in_(org_codes))))) if org_ids or org_codes else []
        self.orgs = {o.id: o for o in orgs}
        self.orgs_by_code = {o.code: o for o in orgs}
        round_codes = collect("round", str) | {e.object_id for e in events if e.object_type == "round"}
        self.rounds = {r.code: r for r in db.session.scalars(
            sa.select(AssessmentRound).where(AssessmentRound.code.in_(round_codes)))} if round_codes else {}
        # A plan action's event ("plan id/action id") is named by what the action does.
        action_ids = {_int(str(e.object_id).partition("/")[2]) for e in events if e.object_type == "plan_action"} - {None}
        self.actions = dict(db.session.execute(sa.select(PlanAction.id, PlanAction.description)
                                               .where(PlanAction.id.in_(action_ids))).all()) if action_ids else {}


def describe(events: Iterable[Any], language: str, questionnaire: Questionnaire | None = None) -> list[Row]:
    """Rows for ``events`` (audit events, in the order given), in ``language`` (the current locale's).

    ``questionnaire`` names the levels, indicators and profile questions of an assessment's events.
    """
    events = list(events)
    names = _Names(events)
    return [_row(event, language, questionnaire, names) for event in events]


def _row(event: Any, language: str, questionnaire: Questionnaire | None, names: _Names) -> Row:
    before = event.before if isinstance(event.before, dict) else {}
    after = event.after if isinstance(event.after, dict) else {}
    value = _Values(language, questionnaire, names, event)
    if event.action in ("evidence.upload", "evidence.delete", "action.file_upload", "action.file_delete"):
        changes = _evidence(after or before, value)
    elif event.action in TWO_SIDED or (before and after):
        changes = [Change(value.field(key), value(key, before.get(key)), value(key, after.get(key)))
                   for key in ordered(set(before) | set(after))]
    else:
        changes = [Change(value.field(key), None, value(key, side.get(key)))
                   for side in (after or before,) for key in ordered(side)]
    if event.action in ACTIONS:
        action = str(ACTIONS[event.action])
    else:  # recorded by a later version, or by hand: say so, and show the key as recorded
        action = gettext("Other change")
        changes.insert(0, Change(Shown(gettext("Recorded as")), None, Shown(str(event.action), lang="en", code=True)))
    return Row(at=event.at, who=_who(event, language, names), action=action,
               subject=_subject(event, language, names), changes=changes)


def _who(event: Any, language: str, names: _Names) -> Shown:
    user = names.users.get(event.actor_id) if event.actor_id else None
    if user is not None:
        return _text(user.display_name or user.email, language)
    if event.actor_id:  # the account was deleted from the database since
        return Shown(gettext("a deleted account"))
    return Shown(str(_l("the system") if event.action in SYSTEM_ACTIONS else _l("command line")))


def _subject(event: Any, language: str, names: _Names) -> Shown | None:
    """What the event is about, beyond the page's own assessment: an indicator, a person, an organisation, a round."""
    kind, key = event.object_type, str(event.object_id)
    if kind == "answer":
        return Shown(key.split("/", 1)[-1], code=True)
    if kind == "user":
        user = names.users.get(_int(key))
        return _text(user.display_name, language) if user else None
    if kind == "organisation":
        org = names.orgs_by_code.get(key)
        return _org(org, language) if org else Shown(key, code=True)
    if kind == "round":
        round_ = names.rounds.get(key)
        return _text(round_.name(language), language) if round_ else Shown(key, code=True)
    if kind == "login":
        return Shown(key)
    if kind == "plan_action":
        description = names.actions.get(_int(key.partition("/")[2]))
        return _limit_text(description, language) if description else None
    if kind == "plan":
        side = event.after if isinstance(event.after, dict) else event.before if isinstance(event.before, dict) else {}
        return Shown(str(side["indicator"]), code=True) if side.get("indicator") else None
    return None


def _limit_text(text: str, language: str, length: int = 80) -> Shown:
    return _text(text if len(text) <= length else text[:length - 1] + "…", language)


def _evidence(side: dict, value: "_Values") -> list[Change]:
    """"report.pdf (125 KB)": the file's name and size on one line, as people say it."""
    name = str(side.get("file") or NOTHING)
    size = side.get("size")
    text = gettext("%(file)s (%(size)s)", file=name, size=file_size(size)) if isinstance(size, int) else name
    return [Change(None, None, Shown(text))]


class _Values:
    """Field labels and values of one event in the page's language."""

    def __init__(self, language: str, questionnaire: Questionnaire | None, names: _Names, event: Any):
        self.language, self.questionnaire, self.names, self.event = language, questionnaire, names, event

    def field(self, key: str) -> Shown:
        if (self.event.object_type, key) in FIELDS_OF:
            return Shown(str(FIELDS_OF[self.event.object_type, key]))
        if key in FIELDS:
            return Shown(str(FIELDS[key]))
        question, category = self._profile_question(key)
        if question is not None:
            label = _UNIT_IN_LABEL.sub("", question.label.get(self.language))  # the value carries its unit
            if category and category != "total":
                label = f"{label} — {CATEGORIES[category]}" if category in CATEGORIES else f"{label} — {category}"
            return Shown(label)
        # A field this version does not know: its key, words apart, marked as the (English) key it is.
        return Shown(key.replace("_", " ").replace(".", " — "), lang=None if self.language == "en" else "en")

    def __call__(self, key: str, value: Any) -> Shown:
        try:
            return self._value(key, value)
        except (TypeError, ValueError, KeyError, AttributeError):
            return self._plain(value)

    def _value(self, key: str, value: Any) -> Shown:
        if value is None or value == "" or value == []:
            return Shown(NOTHING)
        language, names = self.language, self.names
        if key == "level":
            name = self.questionnaire.level_name(int(value)) if self.questionnaire else None
            return Shown(f"{int(value)} — {name.get(language)}" if name else format_decimal(int(value)))
        if key == "value":
            return self._answer(value)
        if key in ("na", "active", "is_open"):
            meaning = "na" if self.event.object_type == "organisation" else key  # an organisation's "active": yes/no
            return Shown(str(_BOOLEANS[meaning][bool(value)]))
        if key == "status" and self.event.object_type == "plan_action":
            return Shown(str(ACTION_STATUSES[ActionStatus(value)]))
        if key == "status":
            return Shown(str(STATUSES[Status(value)]))
        if key == "priority":
            return Shown(str(PRIORITY_STATUSES[PriorityStatus(value)]))
        if key == "duration_minutes":
            return Shown(hours_and_minutes(int(value)))
        if key == "mode":
            return Shown(str(SESSION_MODES[SessionMode(value)]))
        if key == "actions":
            return Shown(", ".join(f"#{v}" for v in value) if isinstance(value, list) else str(value), code=True)
        if key in ("notes", "follow_ups"):
            return _text("; ".join(value) if isinstance(value, list) else str(value), language)
        if key in ("due_on", "completed_on", "noted_on", "held_on"):
            return Shown(format_date(date.fromisoformat(value), "long", locale=language))
        if key == "target_level":
            return self._value("level", value)
        if key in ("indicators", "priorities", "indicator"):
            return Shown("; ".join(value) if isinstance(value, list) else str(value), code=True)
        if key == "support_type":
            support = next((s for s in DEFAULT_SUPPORT_TYPES if s.code == value), None)
            return Shown(support.name.get(language)) if support else Shown(str(value), code=True)
        if key in ("description", "responsible", "dropped_reason", "note"):
            return _text(str(value), language)
        if key == "role":
            return Shown(str(ROLES[Role(value)]))
        if key == "kind" and self.event.object_type == "organisation":  # a subject's kind (subjects.yaml)
            kind = kind_of(str(value))
            return Shown(kind.name.get(language)) if kind else Shown(str(value), code=True)
        if key == "kind":
            return Shown(str(ROUND_KINDS[RoundKind(value)]))
        if key == "language":
            return Shown(LANGUAGE_NAMES[value], lang=value if value != language else None)
        if key == "municipalities":
            codes = value if isinstance(value, list) else [value]
            return Shown(", ".join(MUNICIPALITIES[c].label(language) if c in MUNICIPALITIES else str(c) for c in codes))
        if key == "parent":
            key = "organisation"  # a service's organisation, named by its code
        if key in ("organisation", "organisation_id"):
            org = names.orgs.get(value) if key == "organisation_id" else names.orgs_by_code.get(value)
            return _org(org, language) if org else Shown(str(value), code=True)
        if key == "mentor":
            user = names.users_by_email.get(value)
            return _text(user.display_name, language) if user else Shown(str(value))
        if key == "round":
            round_ = names.rounds.get(value)
            return _text(round_.name(language), language) if round_ else Shown(str(value), code=True)
        if key in ("starts_on", "ends_on"):
            return Shown(format_date(date.fromisoformat(value), "long", locale=language))
        if key == "municipality":
            return Shown(MUNICIPALITIES[value].label(language))
        if key == "service_areas":
            return Shown(", ".join(SERVICE_AREAS[code].label(language) if code in SERVICE_AREAS else code
                                   for code in value))
        if key in ("evidence_url", "email", "contact_email", "contact_phone", "address", "file", "questionnaire", "rubric"):
            return Shown(str(value))  # addresses, numbers and file names: in no language
        if key in ("name_ka", "name_en", "display_name", "contact_name", "comment"):
            return _text(str(value), language)
        if key == "size":
            return Shown(file_size(int(value)))
        if key == "by":
            return Shown(str(_LOCKED_BY.get(value, value)))
        if key == "limit":
            return _limit(str(value))
        if key in ("questionnaire_hash", "rubric_hash"):
            hashes = value if isinstance(value, list) else [value]
            return Shown(", ".join(str(h)[:12] if h else NOTHING for h in hashes), code=True)
        if key == "assessments":
            return Shown(format_decimal(int(value)))
        if key in ("code", "questionnaire_id", "rubric_id", "questionnaire_version", "rubric_version"):
            return Shown(str(value), code=True)
        question, _category = self._profile_question(key)
        if question is not None:
            return Shown(_profile_value(question.kind, float(value)))
        return self._plain(value)

    def _answer(self, value: Any) -> Shown:
        """A stored answer that is not a level, read as the questionnaire words it (values.display); as stored
        where the indicator is not known (another questionnaire's event, a code since removed)."""
        code = str(self.event.object_id).split("/", 1)[-1] if self.event.object_type == "answer" else ""
        indicator = self.questionnaire.indicator(code) if self.questionnaire and code else None
        raw = decode(indicator, None, str(value)) if indicator is not None else None
        if raw is None:
            return _text(str(value), self.language)
        if indicator.type == "yes_no":  # as the answer form and the profile word it
            return Shown(gettext("Yes") if raw == "yes" else gettext("No"))
        if indicator.type == "text":  # typed by people: in no declared language, judged by its letters
            return _text(str(raw), self.language)
        # Options and units are the questionnaire's words: in the page's language where it has them, else in the
        # language it falls back to, marked so (an Armenian option on a Georgian page).
        content = self.questionnaire.content_language(self.language)
        shown = display(indicator, raw, content)
        return Shown(shown, lang=None if content == self.language else content) if shown else Shown(NOTHING)

    def _plain(self, value: Any) -> Shown:
        if value is None or value == "":
            return Shown(NOTHING)
        if isinstance(value, bool):
            return Shown(str(_l("yes") if value else _l("no")))
        if isinstance(value, (int, float)):
            return Shown(format_decimal(value))
        if isinstance(value, list):
            return _text(", ".join(str(v) for v in value), self.language)
        return _text(str(value), self.language)

    def _profile_question(self, key: str):
        """The profile question of a profile event's "code.category" key, with the category."""
        if self.event.action != "profile.save" or self.questionnaire is None:
            return None, None
        code, _dot, category = key.partition(".")
        question = next((q for q in self.questionnaire.profile if q.code == code), None)
        return question, category


_BOOLEANS = {
    "na": {True: _l("yes"), False: _l("no")},
    "active": {True: _l("active"), False: _l("deactivated")},
    "is_open": {True: _l("open"), False: _l("closed")},
}
_LOCKED_BY = {"account": _l("the account"), "address": _l("the network address")}
# "წლიური ბიუჯეტი (ლარი)", "Share of budget spent on GESI (%)": the unit said once, with the number.
_UNIT_IN_LABEL = re.compile(r"\s*\((?:ლარი|GEL|₾|%)\)\s*$")
_LIMIT = re.compile(r"^(\d+) per (\d+ )?(minute|hour|day)s?$")
_MINUTES = {"minute": 1, "hour": 60, "day": 24 * 60}


def _limit(text: str) -> Shown:
    """Flask-Limiter's "10 per 15 minute" as "10 failed logins in 15 minutes"."""
    found = _LIMIT.match(text)
    if not found:
        return Shown(text, lang="en")
    attempts, multiple, unit = int(found.group(1)), int(found.group(2) or 1), found.group(3)
    minutes = multiple * _MINUTES[unit]
    return Shown(ngettext("%(attempts)s failed logins in %(num)s minute", "%(attempts)s failed logins in %(num)s minutes",
                          minutes, attempts=format_decimal(attempts)))


def _profile_value(kind: str, value: float) -> str:
    if kind == "money":
        return format_decimal(value, format="#,##0.##") + "\xa0₾"  # after the number in both languages, never wrapped
    if kind == "percent":
        return format_percent(value / 100, format="#,##0.#%")
    return format_decimal(value, format="#,##0.##")


def _text(text: str, language: str) -> Shown:
    return Shown(text, lang=lang_to_mark(text, language))


def _org(org: Organisation, language: str) -> Shown:
    name = org.name(language) or org.code
    return Shown(name, lang=lang_to_mark(name, language))


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int) or (isinstance(value, str) and value.isascii() and value.isdigit()) else None

