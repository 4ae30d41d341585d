"""Time helpers: the database stores UTC; Babel shows Tbilisi time."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

PROGRAMME_TIMEZONE = "Asia/Tbilisi"


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def programme_today() -> date:
    """Today in the programme's time zone (CAPACITY_TIMEZONE, Tbilisi by default), whatever the server's clock says.

    Every "today" of the programme's calendar (overdue actions, notes and sessions "not in the future", the date a
    report states) is this one: on a UTC server, between 20:00 and midnight, server and programme are a day apart.
    """
    name = current_app.config.get("BABEL_DEFAULT_TIMEZONE", PROGRAMME_TIMEZONE) if has_app_context() else PROGRAMME_TIMEZONE
    return datetime.now(ZoneInfo(name)).date()
