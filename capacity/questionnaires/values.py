"""The stored form of answers that are not levels, and reading them back: one encoding for pages, scoring, exports.

``answers.value`` holds, by question type: yes/no ``"yes"`` or ``"no"``; single choice the option's code;
multiple choice a JSON list of option codes in the questionnaire's order (``[]`` when none applies); a number
in plain decimal notation (``"12"``, ``"2.5"``); a text as written. A scale question keeps its level in
``answers.level`` and no value.
"""
from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation

from capacity.questionnaires.model import Indicator

Raw = int | float | str | tuple[str, ...] | None


def encode_number(number: Decimal) -> str:
    """Plain decimal notation without exponent or trailing zeros ("1E+1" → "10", "2.50" → "2.5")."""
    text = format(number.normalize(), "f")
    return text if "." not in text else text.rstrip("0").rstrip(".")


def encode_choices(indicator: Indicator, codes: list[str] | tuple[str, ...]) -> str:
    """The ticked options of a multiple-choice question, in the questionnaire's order (so equal sets compare equal)."""
    ticked = set(codes)
    return json.dumps([o.code for o in indicator.options if o.code in ticked])


def decode(indicator: Indicator, level: int | None, value: str | None) -> Raw:
    """The answer as conditions and scoring read it; None when unanswered or unreadable (a question changed type)."""
    if indicator.type == "scale":
        return level
    if value is None:
        return None
    if indicator.type == "multiple":
        try:
            codes = json.loads(value)
        except ValueError:
            return None
        return tuple(c for c in codes if isinstance(c, str) and indicator.option(c)) if isinstance(codes, list) else None
    if indicator.type == "number":
        try:
            number = Decimal(value)
        except InvalidOperation:
            return None
        return float(number) if number.is_finite() else None
    if indicator.type == "yes_no":
        return value if value in ("yes", "no") else None
    if indicator.type == "single":
        return value if indicator.option(value) else None
    return value


def shown(indicator: Indicator, answers: dict[str, Raw], by_code) -> bool:
    """Whether ``indicator`` is asked, given the raw answers so far (``by_code(code)`` finds an indicator).

    A condition on an item that is itself hidden is not met: hiding cascades.
    """
    condition = indicator.show_if
    if condition is None:
        return True
    source = by_code(condition.code)
    if source is None or not shown(source, answers, by_code):
        return False
    return condition.met(answers.get(condition.code))


def display(indicator: Indicator, raw: Raw, language: str, *, yes: str = "Yes", no: str = "No") -> str:
    """The answer as a reader sees it in ``language`` (level names are the caller's: they need the scale)."""
    if raw is None:
        return ""
    if indicator.type == "yes_no":
        return yes if raw == "yes" else no
    if indicator.type == "single":
        option = indicator.option(raw)
        return option.text.get(language) if option else ""
    if indicator.type == "multiple":
        return "; ".join(o.text.get(language) for o in indicator.options if o.code in raw)
    if indicator.type == "number":
        number = encode_number(Decimal(str(raw)))
        unit = indicator.number.unit.get(language) if indicator.number and indicator.number.unit else ""
        return f"{number} {unit}".strip()
    return str(raw)
