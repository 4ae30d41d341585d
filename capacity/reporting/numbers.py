"""Numbers as reports and pages print them: in the reader's locale, "—" for no value."""
from __future__ import annotations

import functools
import math
from typing import Any

from babel.numbers import format_decimal as babel_decimal
from flask_babel import format_percent, get_locale

MISSING = "—"


def is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def number(value: Any, digits: int = 2) -> str:
    """``value`` with ``digits`` decimals in the current locale (1,50 in Georgian, 1.50 in English)."""
    if is_missing(value):
        return MISSING
    return _decimal(round(float(value), digits), digits, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _decimal(value: float, digits: int, locale: str) -> str:
    # A profile prints a few hundred numbers, mostly the same levels and scores: Babel's formatting adds up.
    return babel_decimal(value, format="#,##0." + "0" * digits if digits else "#,##0", locale=locale)


def signed(value: Any, digits: int = 2) -> str:
    """A change: "+0.50", "-0.25", "0.00" (``digits`` decimals)."""
    if is_missing(value):
        return MISSING
    return ("+" if value > 0 else "") + number(value, digits)


def percent(value: Any) -> str:
    """A share 0…1 as a whole percentage in the current locale."""
    if is_missing(value):
        return MISSING
    return format_percent(value, format="#,##0%")
