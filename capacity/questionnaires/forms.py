"""WTForms classes built at runtime from a questionnaire: a new version needs no code.

Registries map each question type (``QUESTION_BUILDERS``) and each kind of profile question
(``PROFILE_BUILDERS``) to a field builder; a domain page and the profile page are assembled
from them, with the questionnaire's texts in the content language the page shows.

What a domain page posts for one indicator: ``level__<code>`` (a scale question: "1"…"n" or
"na"), or ``value__<code>`` (any other type: "yes"/"no", an option code, one entry per ticked
option, a number, a text) with the reserved tokens NOT_APPLICABLE and NONE_OF_THESE, and
``na__<code>`` ("1": a number or text question answered "not applicable"); then comment,
evidence link and revision for every type.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, Callable

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import has_request_context
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import (BooleanField, DecimalField, HiddenField, IntegerField, RadioField, SelectChoice, SelectMultipleField,
                     StringField, TextAreaField, URLField)
from wtforms.fields import Field
from wtforms.validators import Length, NumberRange, Optional, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from capacity.parsing import locale_number, written_in_ascii
from capacity.questionnaires.model import (MAX_COMMENT, MAX_URL, BREAKDOWNS, Domain, Indicator, NumberSpec, ProfileQuestion,
                                           Questionnaire)
from capacity.questionnaires.values import decode, encode_number

NA = "na"
# Reserved values posted under value__<code>: option codes start with a Latin letter, so these never are one.
NOT_APPLICABLE = "-na-"
NONE_OF_THESE = "-none-"  # a multiple-choice question answered "none of them applies" (nothing ticked: not answered)
YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}
CATEGORY_LABELS = {
    "total": _l("Total"), "female": _l("Women"), "male": _l("Men"),
    "with_disability": _l("With disability"), "without_disability": _l("Without disability"),
    "child": _l("Children (0–17)"), "adult": _l("Adults (18–64)"), "older": _l("Older people (65+)"),
}
BREAKDOWN_LABELS = {"sex": _l("By sex"), "disability": _l("By disability"), "age_band": _l("By age")}


def field_name(kind: str, code: str, category: str = "") -> str:
    """Form field names are ASCII-safe versions of the codes (dots are not allowed in WTForms names)."""
    safe = code.replace(".", "_").replace("-", "_")
    return f"{kind}__{safe}" + (f"__{category}" if category else "")


# A number answer: at most this many characters (a sign, digits, a decimal sign), which also bounds its size.
MAX_NUMBER_CHARS = 24
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _bound(value: float) -> str:
    return encode_number(Decimal(str(value)))


def read_number(text: str, spec: NumberSpec | None) -> Decimal:
    """The number a user typed for a number question, checked against its bounds; ValueError(message) otherwise.

    Digits are ASCII 0–9 only (int() and Decimal() also read "٣", "1_000", "NaN", "Infinity" and "1e400"); the
    number may be written the interface language's way ("1 250,5" in Georgian) or plainly ("1250.5").
    """
    text = text.strip()
    if len(text) > MAX_NUMBER_CHARS:
        raise ValueError(_l("The number is too long: at most %(n)d characters.", n=MAX_NUMBER_CHARS))
    plain = text
    if has_request_context() and get_locale() is not None and not _PLAIN_NUMBER.fullmatch(text):
        locale = get_locale()
        negative = text.startswith("-")
        found = locale_number(text[1:] if negative else text, get_decimal_symbol(locale), get_group_symbol(locale))
        plain = ("-" + found if negative else found) if found is not None else text
    if not _PLAIN_NUMBER.fullmatch(plain):
        raise ValueError(_l("Enter a number with the digits 0–9, such as 12 or 2.5."))
    number = Decimal(plain)
    number = Decimal(0) if number == 0 else number  # "-0" is 0
    spec = spec or NumberSpec()
    if spec.integer and number != number.to_integral_value():
        raise ValueError(_l("Enter a whole number."))
    low = Decimal(str(spec.minimum)) if spec.minimum is not None else None
    high = Decimal(str(spec.maximum)) if spec.maximum is not None else None
    if (low is not None and number < low) or (high is not None and number > high):
        if low is not None and high is not None:
            raise ValueError(_l("Enter a number from %(low)s to %(high)s.", low=_bound(spec.minimum), high=_bound(spec.maximum)))
        if low is not None:
            raise ValueError(_l("Enter a number of at least %(low)s.", low=_bound(spec.minimum)))
        raise ValueError(_l("Enter a number of at most %(high)s.", high=_bound(spec.maximum)))
    return number


def bounds_hint(spec: NumberSpec | None) -> str:
    """The bounds of a number question as the page says them before anyone types ("" when it has none)."""
    if spec is None or (spec.minimum is None and spec.maximum is None):
        return ""
    if spec.minimum is not None and spec.maximum is not None:
        return str(_l("Enter a number from %(low)s to %(high)s.", low=_bound(spec.minimum), high=_bound(spec.maximum)))
    if spec.minimum is not None:
        return str(_l("Enter a number of at least %(low)s.", low=_bound(spec.minimum)))
    return str(_l("Enter a number of at most %(high)s.", high=_bound(spec.maximum)))


class NumberAnswerField(StringField):
    """A number question's box: text (a browser's type="number" posts "" for what it cannot read, hiding the
    mistake), checked by ``read_number``, the same check a save makes."""

    def __init__(self, label=None, spec: NumberSpec | None = None, **kwargs):
        super().__init__(label, **kwargs)
        self.spec = spec

    def pre_validate(self, form):
        if self.data and self.data.strip():
            try:
                read_number(self.data, self.spec)
            except ValueError as problem:
                raise StopValidation(problem.args[0]) from None


class CheckboxesField(SelectMultipleField):
    """A multiple-choice question: one checkbox per option."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _na_choice(indicator: Indicator) -> list[SelectChoice]:
    return [SelectChoice(NOT_APPLICABLE, str(_l("Not applicable")))] if indicator.allow_na else []


def _scale_field(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    choices = [SelectChoice(str(level), text.get(language)) for level, text in sorted(indicator.levels.items())]
    if indicator.allow_na:
        choices.append(SelectChoice(NA, str(_l("Not applicable"))))
    return {field_name("level", indicator.code): RadioField(indicator.text.get(language), choices=choices,
                                                            validators=[Optional()], validate_choice=True)}


def _yes_no_field(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    choices = [SelectChoice(code, str(label)) for code, label in YES_NO_LABELS.items()] + _na_choice(indicator)
    return {field_name("value", indicator.code): RadioField(indicator.text.get(language), choices=choices,
                                                            validators=[Optional()], validate_choice=True)}


def _single_field(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    choices = [SelectChoice(o.code, o.text.get(language)) for o in indicator.options] + _na_choice(indicator)
    return {field_name("value", indicator.code): RadioField(indicator.text.get(language), choices=choices,
                                                            validators=[Optional()], validate_choice=True)}


def _multiple_field(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    # "None of these" is a box of its own (the page's script unticks the others): ticking nothing is "not answered yet".
    choices = [SelectChoice(o.code, o.text.get(language)) for o in indicator.options]
    choices += [SelectChoice(NONE_OF_THESE, str(_l("None of these")))] + _na_choice(indicator)
    return {field_name("value", indicator.code): CheckboxesField(indicator.text.get(language), choices=choices,
                                                                 validators=[Optional()], validate_choice=True)}


def _na_box(indicator: Indicator) -> dict[str, Field]:
    return {field_name("na", indicator.code): BooleanField(_l("Not applicable"))} if indicator.allow_na else {}


def _number_field(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    spec = indicator.number or NumberSpec()
    return {field_name("value", indicator.code): NumberAnswerField(
        indicator.text.get(language), spec=spec, validators=[Optional()],
        render_kw={"inputmode": "numeric" if spec.integer else "decimal", "autocomplete": "off"})} | _na_box(indicator)


def _text_field(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    return {field_name("value", indicator.code): TextAreaField(indicator.text.get(language),
                                                               validators=[Optional(), Length(max=MAX_COMMENT)])
            } | _na_box(indicator)


QUESTION_BUILDERS: dict[str, Callable[[Indicator, Questionnaire, str], dict[str, Field]]] = {
    "scale": _scale_field, "yes_no": _yes_no_field, "single": _single_field, "multiple": _multiple_field,
    "number": _number_field, "text": _text_field,
}


def _indicator_fields(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    """The answer field(s) of the indicator's type, then comment, evidence link and revision (every type has them)."""
    return QUESTION_BUILDERS[indicator.type](indicator, questionnaire, language) | {
        field_name("comment", indicator.code): TextAreaField(_l("Comment"), validators=[Optional(), Length(max=MAX_COMMENT)]),
        field_name("evidence_url", indicator.code): URLField(_l("Link to evidence"), validators=[Optional(), Length(max=MAX_URL)]),
        field_name("revision", indicator.code): HiddenField(),
    }


def choice_labels(form: FlaskForm, indicator: Indicator) -> list[tuple[str, str]]:
    """(posted value, label) of each choice the form offers for a yes/no, single or multiple question."""
    field = form[field_name("value", indicator.code)]
    return [(choice.value, choice.label) for choice in field.choices]


def posted_values(indicator: Indicator, answer: Any) -> tuple[list[str], bool]:
    """What the page posts for a stored answer of a question that is not a scale: the values under
    ``value__<code>`` and whether ``na__<code>`` is ticked (so a form shows the answer as it was saved)."""
    if answer is None:
        return [], False
    na = bool(answer.not_applicable)
    if indicator.type in ("number", "text"):
        return ([] if na or answer.value is None else [answer.value]), na
    if na:
        return [NOT_APPLICABLE], False
    raw = decode(indicator, None, answer.value)
    if indicator.type == "multiple":
        return (list(raw) or [NONE_OF_THESE]) if raw is not None else [], False
    return ([raw] if raw is not None else []), False


# Profile figures are counts, percentages and amounts in lari: a trillion is beyond any organisation, and a
# bound keeps absurd input (10^400, "Infinity", "NaN") out of the database, the charts and the audit trail.
MAX_PROFILE_VALUE = 10**12


class _WrittenInAscii:
    """A number field that takes ASCII only (int() and Decimal() also read "٣" and "1_000": capacity.parsing).

    A value it cannot read gets the field's own message alone, in the user's language (WTForms' is English only),
    not followed by the range check's.
    """

    def process_formdata(self, valuelist):
        if valuelist and isinstance(valuelist[0], str) and not written_in_ascii(valuelist[0]):
            self.data = None
            raise ValueError(self.invalid_value_message)
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.process_errors and self.raw_data and str(self.raw_data[0]).strip():
            raise StopValidation()


class CountField(_WrittenInAscii, IntegerField):
    """A whole number of people, written with the digits 0–9."""


class AmountField(_WrittenInAscii, DecimalField):
    """An amount or a percentage, written with the digits 0–9 and a point."""


def finite(_form, field) -> None:
    """Refuse "Infinity" and "NaN", which DecimalField accepts as numbers (and NumberRange cannot compare)."""
    if field.data is not None and not Decimal(field.data).is_finite():
        raise StopValidation(_l("Enter a number."))


def _count_fields(question: ProfileQuestion, language: str) -> dict[str, Field]:
    count = {"validators": [Optional(), NumberRange(min=0, max=MAX_PROFILE_VALUE, message=_l("Enter a number of 0 or more."))],
             "invalid_value_message": _l("Enter a whole number.")}
    fields = {field_name("profile", question.code, "total"): CountField(question.label.get(language), **count)}
    for _breakdown, category in question.categories():
        fields[field_name("profile", question.code, category)] = CountField(CATEGORY_LABELS[category], **count)
    return fields


def _percent_fields(question: ProfileQuestion, language: str) -> dict[str, Field]:
    message = _l("Enter a percentage between 0 and 100.")
    return {field_name("profile", question.code, "total"): AmountField(
        question.label.get(language), places=None, validators=[Optional(), finite, NumberRange(min=0, max=100, message=message)],
        invalid_value_message=_l("Enter a number."))}


def _money_fields(question: ProfileQuestion, language: str) -> dict[str, Field]:
    amount = [Optional(), finite, NumberRange(min=0, max=MAX_PROFILE_VALUE, message=_l("Enter an amount of 0 or more."))]
    return {field_name("profile", question.code, "total"): AmountField(question.label.get(language), places=None,
                                                                       validators=amount, invalid_value_message=_l("Enter a number."))}


PROFILE_BUILDERS: dict[str, Callable[[ProfileQuestion, str], dict[str, Field]]] = {
    "count": _count_fields, "percent": _percent_fields, "money": _money_fields,
}


def domain_form_class(questionnaire: Questionnaire, domain: Domain, language: str) -> type[FlaskForm]:
    """A form with a level, comment, evidence link and revision field for each rated indicator of ``domain``."""
    attrs: dict[str, Field] = {}
    for indicator in domain.indicators:
        if indicator.computed is None:
            attrs.update(_indicator_fields(indicator, questionnaire, language))
    return type(f"DomainForm_{domain.code}", (FlaskForm,), attrs)


def profile_form_class(questionnaire: Questionnaire, language: str) -> type[FlaskForm]:
    attrs: dict[str, Field] = {}
    for question in questionnaire.profile:
        attrs.update(PROFILE_BUILDERS[question.kind](question, language))
    return type("ProfileForm", (FlaskForm,), attrs)


def breakdown_problems(question: ProfileQuestion, values: dict[str, float | None]) -> list[tuple[str, str]]:
    """(breakdown, category list) for each breakdown whose parts do not add up to the total."""
    total = values.get("total")
    problems = []
    for breakdown in question.breakdown:
        parts = [values.get(c) for c in BREAKDOWNS[breakdown]]
        if all(p is None for p in parts):
            continue
        if total is None or any(p is None for p in parts) or sum(parts) != total:
            problems.append((breakdown, ", ".join(BREAKDOWNS[breakdown])))
    return problems


__all__ = ["NA", "NONE_OF_THESE", "NOT_APPLICABLE", "QUESTION_BUILDERS", "YES_NO_LABELS", "bounds_hint", "breakdown_problems",
           "choice_labels", "domain_form_class", "field_name", "posted_values", "profile_form_class", "read_number"]
