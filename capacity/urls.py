"""URL helpers shared by views."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import url_for
from werkzeug.routing import IntegerConverter


class RowIdConverter(IntegerConverter):
    """``<id:name>``: a database row id, 1 to 9 digits; a longer number is no address here (404), never an overflow."""

    regex = r"[1-9][0-9]{0,8}"


def safe_next(target: str | None) -> str:
    """Return ``target`` if it is a path on this site, else the home page (no open redirects).

    An address urlsplit cannot even read ("//[", "http://[::1": an unclosed IPv6 host) is no path here either.
    """
    if target:
        try:
            parts = urlsplit(target)
        except ValueError:
            return url_for("home.index")
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.index")
