"""Reading a report's tables back from its PDF: pdftotext -layout keeps each table row on one line."""
from __future__ import annotations

import subprocess

from babel.numbers import format_percent


def layout(path) -> str:
    """The PDF's text with each table row on one line (no-break spaces as spaces)."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return text.replace("\u00a0", " ")


def line(text: str, start: str) -> str:
    """The first line that begins (after indentation) with ``start``, its runs of spaces made one."""
    return next(joined for row in text.splitlines() if (joined := " ".join(row.split())).startswith(start))


def pct(value: float, locale: str = "en") -> str:
    """A percentage 0–100 as the reports print it in ``locale`` (Babel's format, as the reader's locale gives)."""
    return format_percent(value / 100, "#,##0%", locale=locale)
