"""WTForms classes built at runtime from a questionnaire: a new version needs no code.

A registry maps each kind of question to a field builder; a domain page and the
profile page are assembled from it, with labels in the user's language.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable

from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import DecimalField, HiddenField, IntegerField, RadioField, SelectChoice, TextAreaField, URLField
from wtforms.fields import Field
from wtforms.validators import Length, NumberRange, Optional, StopValidation

from capacity.parsing import written_in_ascii
from capacity.questionnaires.model import MAX_COMMENT, MAX_URL, BREAKDOWNS, Domain, Indicator, ProfileQuestion, Questionnaire

NA = "na"
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


def _indicator_fields(indicator: Indicator, questionnaire: Questionnaire, language: str) -> dict[str, Field]:
    choices = [SelectChoice(str(level), text.get(language)) for level, text in sorted(indicator.levels.items())]
    if indicator.allow_na:
        choices.append(SelectChoice(NA, str(_l("Not applicable"))))
    return {
        field_name("level", indicator.code): RadioField(indicator.text.get(language), choices=choices,
                                                        validators=[Optional()], validate_choice=True),
        field_name("comment", indicator.code): TextAreaField(_l("Comment"), validators=[Optional(), Length(max=MAX_COMMENT)]),
        field_name("evidence_url", indicator.code): URLField(_l("Link to evidence"), validators=[Optional(), Length(max=MAX_URL)]),
        field_name("revision", indicator.code): HiddenField(),
    }


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


__all__ = ["NA", "breakdown_problems", "domain_form_class", "field_name", "profile_form_class"]
