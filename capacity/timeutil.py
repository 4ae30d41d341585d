"""Time helpers: the database stores UTC; Babel shows Tbilisi time."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
