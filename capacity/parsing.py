"""Numbers as users (or forged requests) write them: ASCII digits only, of bounded length.

Python reads more than a form should accept: "²".isdigit() and "٣".isdigit() are True, int("٣") is 3,
int("1_000") and Decimal("1_000") are 1000, and int() of more than 4,300 digits raises ValueError. So
neither str.isdigit() nor int() alone decides what a user sent: these do, wherever such a value enters.
"""
from __future__ import annotations


def ascii_int(text: object, max_digits: int = 9) -> int | None:
    """The number ``text`` writes with 1 to ``max_digits`` ASCII digits and nothing else (no sign, space or "_"), else None.

    Nine digits (the default) always fit a database integer.
    """
    if isinstance(text, str) and 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None


def written_in_ascii(text: str) -> bool:
    """Whether a number's text keeps to ASCII and has no "_" (int() and Decimal() also read "٣.٥" and "1_000")."""
    return text.isascii() and "_" not in text


# Spaces people (and Babel: "363 300" in ka) put between groups of three digits.
GROUP_SPACES = (" ", "\u00a0", "\u202f")


def locale_number(text: object, decimal: str, group: str, units: tuple[str, ...] = ()) -> str | None:
    """A number written in a locale's format, as ASCII digits and "." ("363 300,5" with decimal "," → "363300.5").

    For a form that shows numbers the locale's way and must take them back as typed. Digits are
    the ASCII 0–9 only; groups of exactly three digits may be separated by ``group`` (the locale's
    group sign) or a space; ``decimal`` is the locale's decimal sign; one of ``units`` (e.g. "₾",
    "%") may follow the number. Anything else, a sign included, gives None: the caller then leaves
    the text as it was typed, for the field's own checks and messages.
    """
    if not isinstance(text, str) or len(text) > 64:
        return None
    text = text.strip()
    for unit in units:
        if unit and text.endswith(unit):
            text = text[: -len(unit)].rstrip()
            break
    whole, sign, fraction = text.partition(decimal) if decimal else (text, "", "")
    if sign and not (fraction and fraction.isascii() and fraction.isdigit()):
        return None
    separators = {group, *GROUP_SPACES} - {"", decimal}
    parts = [whole]
    for separator in separators:
        parts = [piece for part in parts for piece in part.split(separator)]
    if not all(part.isascii() and part.isdigit() for part in parts):
        return None
    if len(parts) > 1 and not (1 <= len(parts[0]) <= 3 and all(len(part) == 3 for part in parts[1:])):
        return None  # "12 34": not groups of three, so not a number this locale writes
    return "".join(parts) + (f".{fraction}" if sign else "")
