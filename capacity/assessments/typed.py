"""Reading what a page sent for a question that is not a scale (yes/no, choices, a number, a text).

One function, ``parse_value``, turns the posted values into what is stored: the value encoded by
``capacity.questionnaires.values`` (or None: not answered) and whether the answer is "not
applicable". Whatever arrives — a forged option, two answers for one, a NUL byte, "NaN",
10^400 — is refused with a message that says what is wrong (``InvalidAnswer``), never stored and
never a server error. ``capacity.assessments.answering`` calls it for every save.
"""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from capacity.questionnaires.forms import NONE_OF_THESE, NOT_APPLICABLE, read_number
from capacity.questionnaires.model import MAX_COMMENT, Indicator
from capacity.questionnaires.values import encode_choices, encode_number

RELOAD = _l("Please reload the page: nothing was saved for this answer.")
NUL_MESSAGE = _l("The text contains an invisible control character (NUL) that cannot be stored. "
                 "Please remove it or type the text again.")
# No question offers more choices than this: a longer list posted is junk, refused before it is looked at.
MAX_POSTED_VALUES = 200


class InvalidAnswer(ValueError):
    def __init__(self, field: str, message: Any):
        super().__init__(message)
        self.field, self.message = field, message


def _refuse(message: Any) -> InvalidAnswer:
    return InvalidAnswer("value", message)


def _one(values: tuple[str, ...]) -> str:
    """The single value a yes/no, single, number or text question may send ("" for none)."""
    given = [v for v in values if v != ""]
    if len(given) > 1:
        raise _refuse(_l("This answer was sent more than once. %(reload)s", reload=RELOAD))
    return given[0] if given else ""


def _not_applicable(indicator: Indicator) -> tuple[None, bool]:
    if not indicator.allow_na:
        raise _refuse(_l("“Not applicable” is not allowed for this indicator."))
    return None, True


def _choice(indicator: Indicator, values: tuple[str, ...], na: bool) -> tuple[str | None, bool]:
    """yes/no and single choice: one of its values, "not applicable", or nothing."""
    chosen = _one(values).strip()
    if na or chosen == NOT_APPLICABLE:
        if chosen not in ("", NOT_APPLICABLE):
            raise _refuse(_l("Give either an answer or “not applicable”, not both."))
        return _not_applicable(indicator)
    if chosen == "":
        return None, False
    if indicator.type == "yes_no":
        if chosen not in ("yes", "no"):
            raise _refuse(_l("Choose “Yes” or “No”."))
        return chosen, False
    if indicator.option(chosen) is None:
        raise _refuse(_l("The answer sent is not one of this question's options. %(reload)s", reload=RELOAD))
    return chosen, False


def _choices(indicator: Indicator, values: tuple[str, ...], na: bool) -> tuple[str | None, bool]:
    """Multiple choice: the ticked options, "none of these", "not applicable", or nothing ticked (not answered)."""
    ticked = [v.strip() for v in values if v.strip() != ""]
    if len(set(ticked)) != len(ticked):
        raise _refuse(_l("An option was sent more than once. %(reload)s", reload=RELOAD))
    if na or NOT_APPLICABLE in ticked:
        if [t for t in ticked if t != NOT_APPLICABLE]:
            raise _refuse(_l("“Not applicable” cannot be ticked together with an option."))
        return _not_applicable(indicator)
    if NONE_OF_THESE in ticked:
        if len(ticked) > 1:
            raise _refuse(_l("“None of these” cannot be ticked together with an option."))
        return encode_choices(indicator, []), False
    if any(indicator.option(code) is None for code in ticked):
        raise _refuse(_l("An option sent is not one of this question's options. %(reload)s", reload=RELOAD))
    return (encode_choices(indicator, ticked), False) if ticked else (None, False)


def _number(indicator: Indicator, values: tuple[str, ...], na: bool) -> tuple[str | None, bool]:
    typed = _one(values).strip()
    if na:
        if typed:
            raise _refuse(_l("Give either a number or “not applicable”, not both."))
        return _not_applicable(indicator)
    if typed == "":
        return None, False
    try:
        return encode_number(read_number(typed, indicator.number)), False
    except ValueError as problem:
        raise _refuse(problem.args[0]) from None


def _text(indicator: Indicator, values: tuple[str, ...], na: bool) -> tuple[str | None, bool]:
    written = _one(values).strip()
    if na:
        if written:
            raise _refuse(_l("Give either an answer or “not applicable”, not both."))
        return _not_applicable(indicator)
    if len(written) > MAX_COMMENT:
        raise _refuse(_l("The answer is too long: at most %(n)d characters.", n=MAX_COMMENT))
    return (written or None), False


PARSERS = {"yes_no": _choice, "single": _choice, "multiple": _choices, "number": _number, "text": _text}


def parse_value(indicator: Indicator, values: tuple[str, ...], na: bool, choice: str = "") -> tuple[str | None, bool]:
    """(stored value, not applicable) for a question that is not a scale; InvalidAnswer for anything else.

    ``values``: everything posted under the answer's name; ``na``: the "not applicable" box; ``choice``: the
    level field, which such a question does not have ("na" is read as "not applicable", for callers that
    give an answer the way a scale question takes it).
    """
    if len(values) > MAX_POSTED_VALUES:
        raise _refuse(_l("Too many answers were sent. %(reload)s", reload=RELOAD))
    if any("\x00" in v for v in values):  # PostgreSQL cannot store NUL in text
        raise _refuse(NUL_MESSAGE)
    choice = (choice or "").strip()
    if choice == "na":
        na = True
    elif choice:
        raise InvalidAnswer("level", _l("This question is not answered with a level. %(reload)s", reload=RELOAD))
    return PARSERS[indicator.type](indicator, values, na)
