"""Reading PDFs in tests: their text (pdftotext), page count (pdfinfo) and the characters the shipped fonts cover."""
from __future__ import annotations

import functools
import re
import subprocess
from html import unescape
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


def words_of(path: Path, page: int) -> list[dict]:
    """The words of one page with their boxes (pdftotext -bbox: points from the top left)."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [{"text": unescape(text), "yMin": float(y_min), "yMax": float(y_max)}
            for y_min, y_max, text in re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>', html)]
