"""Removing cached PDFs and print-all ZIPs older than a given age.

Both are rebuilt on demand: a pruned PDF is rendered again when next asked for,
and a pruned ZIP's job page says the file is gone and offers to print again.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

DEFAULT_AGE = timedelta(days=7)
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_DURATION = re.compile(r"(\d{1,6})([dhms])")


class BadDuration(ValueError):
    """A duration that is not a whole number followed by d, h, m or s."""


def parse_duration(text: str) -> timedelta:
    """``7d``, ``12h``, ``30m``, ``45s`` (also combined: ``1d12h``) as a timedelta."""
    compact = (text or "").strip().lower().replace(" ", "")
    parts = _DURATION.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise BadDuration(f"'{text}' is not a duration: write a whole number and a unit, e.g. 7d, 12h, 30m or 45s")
    return sum((timedelta(**{_UNITS[unit]: int(number)}) for number, unit in parts), timedelta())


@dataclass(frozen=True)
class Pruned:
    pdfs: int
    zips: int
    bytes: int


def prune(instance_path: str, older_than: timedelta, now: float | None = None) -> Pruned:
    """Delete cached report PDFs and job ZIPs last written more than ``older_than`` ago."""
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    counts = {"pdf": 0, "zip": 0}
    freed = 0
    root = Path(instance_path)
    for kind, folder in (("pdf", root / "cache" / "reports"), ("zip", root / "jobs")):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            # Half-written files of a crashed writer (``*.tmp``) go too once old enough.
            if path.suffix not in (f".{kind}", ".tmp") or not path.is_file():
                continue
            try:
                stat = path.stat()
                if stat.st_mtime >= cutoff:
                    continue
                path.unlink()
            except FileNotFoundError:  # another process pruned it first
                continue
            counts[kind] += 1
            freed += stat.st_size
    return Pruned(pdfs=counts["pdf"], zips=counts["zip"], bytes=freed)
