"""Reading PDFs in tests: their text (pdftotext), page count (pdfinfo) and the characters the shipped fonts cover."""
from __future__ import annotations

import functools
import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

from capacity.reporting.pdf import REPORTS_DIR

FONTS = sorted((REPORTS_DIR / "fonts").glob("*.ttf"))


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@functools.cache
def covered() -> frozenset[int]:
    codes: set[int] = set()
    for font in FONTS:
        codes |= set(TTFont(font).getBestCmap())
    return frozenset(codes)


def pages_of(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
