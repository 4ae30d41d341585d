"""Removing cached PDFs and print-all ZIPs older than a given age.

Both are rebuilt on demand: a pruned PDF is rendered again when next asked for,
and a pruned ZIP's job page says the file is gone and offers to print again.
The PDF cache is each server's own (files under its instance folder); the ZIPs
live in the database (``report_jobs.archive``), so a prune on any server frees
them for all. Needs an application context.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlalchemy as sa

from capacity.extensions import db
from capacity.jobs.models import ReportJob

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
    """Delete cached report PDFs and job ZIPs made more than ``older_than`` ago (the caller commits)."""
    cutoff = (time.time() if now is None else now) - older_than.total_seconds()
    counts, freed = {".pdf": 0, ".zip": 0}, 0
    root = Path(instance_path)
    # ``jobs/`` held the ZIPs before they moved into the database (migration 0008): old ones go the same way.
    for folder, suffix in ((root / "cache" / "reports", ".pdf"), (root / "jobs", ".zip")):
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            # Half-written files of a crashed writer (``*.tmp``) go too once old enough.
            if path.suffix not in (suffix, ".tmp") or not path.is_file():
                continue
            try:
                stat = path.stat()
                if stat.st_mtime >= cutoff:
                    continue
                path.unlink()
            except FileNotFoundError:  # another process pruned it first
                continue
            counts[suffix] += 1
            freed += stat.st_size
    zips, zip_bytes = _prune_archives(datetime.fromtimestamp(cutoff, timezone.utc))
    return Pruned(pdfs=counts[".pdf"], zips=counts[".zip"] + zips, bytes=freed + zip_bytes)


def _prune_archives(cutoff: datetime) -> tuple[int, int]:
    """Empty the ZIP of every job finished before ``cutoff``: (how many, bytes)."""
    old = (ReportJob.archive_size.is_not(None), ReportJob.finished_at < cutoff)
    count, size = db.session.execute(sa.select(sa.func.count(), sa.func.coalesce(sa.func.sum(ReportJob.archive_size), 0))
                                     .where(*old)).one()
    if count:
        db.session.execute(sa.update(ReportJob).where(*old).values(archive=None, archive_size=None)
                           .execution_options(synchronize_session=False))
    return int(count), int(size)
