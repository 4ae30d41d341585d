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
