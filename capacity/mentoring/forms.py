"""The session form: built at runtime from the rounds, the chosen round's questionnaire and its plan's actions.

The fields are text on purpose: this form reads what was typed (a date, hours with a decimal comma or point,
whole numbers of people) and says exactly what it could not read; the rules about the values (limits, totals,
round, plan) are the service's (``capacity.mentoring.services.check``), so they hold whoever saves a session.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import get_group_symbol
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField

from capacity import labels
from capacity.forms import FlaskForm, MultiCheckboxField
from capacity.labels import lang_attribute
from capacity.mentoring import services
from capacity.mentoring.models import MentoringSession, SessionMode
from capacity.parsing import ascii_int, locale_number
from capacity.plans.models import PlanAction, split_codes
from capacity.questionnaires.model import Questionnaire
from capacity.rounds.models import AssessmentRound

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z", re.ASCII)
HOURS = re.compile(r"(\d{1,4})(?:[.,](\d{1,4}))?\Z", re.ASCII)
NEGATIVE = re.compile(r"-\s*(\d{1,9})\Z", re.ASCII)
MAX_CHOSEN = 500  # more checkboxes than any questionnaire has: the rest of a forged list is not read

# Form field (or fields) where a service problem about a SessionInput field is shown.
SHOWN_AT = {"round_code": ("round_code",), "held_on": ("held_on",), "duration_minutes": ("hours", "minutes"),
            "mode": ("mode",), "participants_total": ("participants_total",),
            "participants_female": ("participants_female",),
            "participants_male": ("participants_male",),
            "participants_with_disability": ("participants_with_disability",),
            "indicators": ("indicators",), "action_ids": ("action_ids",), "notes": ("notes",),
            "follow_ups": ("follow_ups",)}

COUNT_LABELS = {
    "participants_total": _l("Participants in total"),
    "participants_female": _l("Women"),
    "participants_male": _l("Men"),
    "participants_with_disability": _l("Persons with disability"),
}


class SessionForm(FlaskForm):
    round_code = SelectField(_l("Round whose plan the session supports"), validate_choice=False)
    held_on = StringField(_l("Date of the session"), render_kw={"type": "date"},
                          description=_l("Year-month-day, e.g. 2026-03-15."))
    hours = StringField(_l("Hours"), render_kw={"inputmode": "decimal", "autocomplete": "off"},
                        description=_l("Whole hours (add the minutes below), or hours with a decimal, e.g. 1.5. "
                                       "At most 12 hours."))
    minutes = StringField(_l("Minutes"), render_kw={"inputmode": "numeric", "autocomplete": "off"})
    mode = SelectField(_l("How the session was held"), validate_choice=False)
    participants_total = StringField(COUNT_LABELS["participants_total"], render_kw={"inputmode": "numeric"})
    participants_female = StringField(COUNT_LABELS["participants_female"], render_kw={"inputmode": "numeric"})
    participants_male = StringField(COUNT_LABELS["participants_male"], render_kw={"inputmode": "numeric"})
    participants_with_disability = StringField(COUNT_LABELS["participants_with_disability"],
                                               render_kw={"inputmode": "numeric"})
    indicators = MultiCheckboxField(_l("Indicators worked on"), validate_choice=False)
    action_ids = MultiCheckboxField(_l("Plan actions worked on"), validate_choice=False)
    notes = TextAreaField(_l("Notes"), render_kw={"rows": 6},
                          description=_l("What was worked on and agreed. At most %(max)s characters.",
                                         max=services.MAX_NOTES))
    follow_ups = TextAreaField(_l("Follow-ups"), render_kw={"rows": 4},
                               description=_l("One per line: what the staff or the mentor will do next. "
                                              "A follow-up can later become an action of the plan."))
    revision = HiddenField()
    submit = SubmitField(_l("Save the session"))
    # Re-draws the form for the round chosen above (its indicators and plan actions), saving nothing.
    reload = SubmitField(_l("Show this round's indicators and plan actions"))

    def set_choices(self, rounds: list[AssessmentRound], round_: AssessmentRound | None,
                    questionnaire: Questionnaire | None, actions: list[PlanAction], language: str) -> None:
        """The selects and checkboxes: every round; the indicators of ``round_``'s questionnaire by domain; its plan's actions."""
        self.round_code.choices = [SelectChoice(r.code, r.name(language)) for r in rounds]
        self.mode.choices = [SelectChoice("", str(_l("Choose…")))] + [
            SelectChoice(mode.value, str(label)) for mode, label in labels.SESSION_MODES.items()]
        self.questionnaire = questionnaire
        self.indicators.choices = [] if questionnaire is None else [
            SelectChoice(i.code, f"{i.code} {i.title(language)}", render_kw=lang_attribute(i.title(language), language))
            for i in questionnaire.indicators]
        self.action_ids.choices = [SelectChoice(str(a.id), a.description) for a in actions]
        self.round = round_

    def fill_from(self, session: MentoringSession) -> None:
        """The stored session in the fields (an edit page's first view)."""
        self.round_code.data = session.round.code
        self.held_on.data = session.held_on.isoformat()
        hours, minutes = divmod(session.duration_minutes, 60)
        self.hours.data, self.minutes.data = str(hours), str(minutes)
        self.mode.data = session.mode.value
        for name in COUNT_LABELS:
            getattr(self, name).data = str(getattr(session, name))
        self.indicators.data = split_codes(session.indicators_raw)
        self.action_ids.data = [str(a.id) for a in session.actions]
        self.notes.data = session.notes
        self.follow_ups.data = "\n".join(f.text for f in session.follow_ups)
        self.revision.data = str(session.revision)

    # ------------------------------------------------------------------------------------------ reading

    def _error(self, name: str, message) -> None:
        field = getattr(self, name)
        field.errors = list(field.errors) + [str(message)]

    def _text(self, name: str) -> str:
        value = getattr(self, name).data
        return value.strip() if isinstance(value, str) else ""

    def _date(self) -> date | None:
        text = self._text("held_on")
        if not text:
            return None
        if ISO_DATE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self._error("held_on", _l("“%(text)s” is not a date: write it as year-month-day, e.g. 2026-03-15.",
                                  text=text[:40]))
        return None

    def _duration(self) -> int | None:
        hours_text, minutes_text = self._text("hours"), self._text("minutes")
        if not hours_text and not minutes_text:
            return None
        total, readable = Decimal(0), True
        if hours_text:
            match = HOURS.match(hours_text)
            if match is None:
                readable = False
                self._error("hours", _l("Hours: write a number such as 2, or with a decimal such as 1.5 (not "
                                        "“%(text)s”).", text=hours_text[:40]))
            else:
                whole, fraction = match.groups()
                total += Decimal(f"{whole}.{fraction or 0}") * 60
        if minutes_text:
            minutes = ascii_int(minutes_text, max_digits=5)
            if minutes is None:
                readable = False
                self._error("minutes", _l("Minutes: write a whole number such as 30 (not “%(text)s”).",
                                          text=minutes_text[:40]))
            else:
                total += minutes
        return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP)) if readable else None

    def _count(self, name: str) -> int | None:
        text = self._text(name)
        if not text:
            return None if name == "participants_total" else 0
        plain = locale_number(text, "", get_group_symbol(get_locale()))
        if plain is not None and (number := ascii_int(plain)) is not None:
            return number
        if (negative := NEGATIVE.match(text)) is not None:
            return -int(negative.group(1))  # the service names the rule: not negative
        self._error(name, _l("%(field)s: write a whole number of people, e.g. 3 (not “%(text)s”).",
                             field=COUNT_LABELS[name], text=text[:40]))
        return None

    def _action_ids(self) -> tuple[int, ...]:
        ids, junk = [], False
        for value in (self.action_ids.data or [])[:MAX_CHOSEN]:
            number = ascii_int(value) if isinstance(value, str) else None
            if number is None:
                junk = True
            else:
                ids.append(number)
        if junk:
            self._error("action_ids", _l("Choose the plan actions from the list: something else was sent."))
        return tuple(ids)

    def read(self) -> services.SessionInput:
        """What was sent, as a SessionInput; what could not be read is None here and an error on its field."""
        round_code = self.round_code.data if isinstance(self.round_code.data, str) else ""
        return services.SessionInput(
            round_code=round_code,
            held_on=self._date(),
            duration_minutes=self._duration(),
            mode=self.mode.data if isinstance(self.mode.data, str) else "",
            participants_total=self._count("participants_total"),
            participants_female=self._count("participants_female"),
            participants_male=self._count("participants_male"),
            participants_with_disability=self._count("participants_with_disability"),
            indicators=tuple(str(c) for c in (self.indicators.data or [])[:MAX_CHOSEN]),
            action_ids=self._action_ids(),
            notes=self.notes.data if isinstance(self.notes.data, str) else "",
            follow_ups=services.follow_up_lines(self.follow_ups.data if isinstance(self.follow_ups.data, str) else ""),
        )

    def show(self, problems: dict[str, list]) -> None:
        """The service's problems on the fields they concern, except where the text itself could not be read."""
        for name, messages in problems.items():
            shown_at = SHOWN_AT.get(name, ("notes",))
            if any(getattr(self, f).errors for f in shown_at):
                continue
            for message in messages:
                self._error(shown_at[0], message)

    @property
    def has_errors(self) -> bool:
        return any(field.errors for field in self)


class RemoveForm(FlaskForm):
    """The button that removes a session recorded by mistake (with its CSRF token and the revision the page showed:
    a removal from a page older than someone's correction is refused, like a save)."""

    revision = HiddenField()
    submit = SubmitField(_l("Remove this session"))


def mode_label(mode: SessionMode | str) -> str:
    try:
        return str(labels.SESSION_MODES[SessionMode(mode)])
    except ValueError:
        return str(mode)
