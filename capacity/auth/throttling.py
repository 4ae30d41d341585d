"""Login throttling: too many failed logins lock the account and the address for a while.

Flask-Limiter counts failed logins (only failures: ``deduct_when``) per e-mail as typed
(normalised) and per client address, in Redis when CAPACITY_REDIS_URL is set (shared by
every web process), else in the memory of each process. With the moving window, a lock
lifts when the oldest of the failures that caused it is LOGIN_WINDOW old.

While locked, every login for that account or from that address is refused before the
password is even looked at, the right password included.
"""
from __future__ import annotations

import math
import time

from flask import current_app, g, jsonify, render_template, request
from flask_babel import ngettext
from flask_babel import gettext as _
from flask_limiter import Limiter, RateLimitExceeded, RequestLimit
from flask_limiter.util import get_remote_address
from limits import parse

from capacity.audit import services as audit
from capacity.auth.services import normalise_email
from capacity.extensions import db

# Only the login view has limits; storage and strategy come from the config (create_app
# initialises it with the web app's pages: commands and jobs never import Flask-Limiter).
limiter = Limiter(key_func=get_remote_address)

MAX_FAILURES = 10
LOGIN_WINDOW_MINUTES = 15
FAILED_LOGINS = f"{MAX_FAILURES} per {LOGIN_WINDOW_MINUTES} minutes"
# One audit event per lockout, not one per refused attempt (an attacker would fill the table).
_ONE_AUDIT_EVENT = parse(f"1 per {LOGIN_WINDOW_MINUTES} minutes")


def _account_key() -> str:
    # Never empty: Flask-Limiter skips a limit whose key is empty.
    return "account:" + normalise_email(request.form.get("email", ""))[:254]


def _address_key() -> str:
    return "address:" + (get_remote_address() or "unknown")


def note_failed_login() -> None:
    """Called by the login view when the e-mail or the password was wrong: that attempt counts."""
    g.capacity_login_failed = True


def _counts(_response) -> bool:
    return bool(g.get("capacity_login_failed"))


def _audit_lockout(limit: RequestLimit) -> None:
    """Record in the audit trail that an account or an address is locked (once per lockout)."""
    subject = _account_key() if "account:" in limit.key else _address_key()
    if not limiter.limiter.hit(_ONE_AUDIT_EVENT, "capacity-lockout-audit", subject):
        return
    kind, _sep, value = subject.partition(":")
    audit.record(None, "auth.lockout", "login", value[:64] or "-",
                 after={"by": kind, "address": get_remote_address(), "limit": str(limit.limit)})
    db.session.commit()


def throttled(view):
    """Decorate the login view with both limits (POST only)."""
    for key_func in (_account_key, _address_key):
        view = limiter.limit(FAILED_LOGINS, key_func=key_func, methods=["POST"], deduct_when=_counts,
                             on_breach=_audit_lockout)(view)
    return view


def minutes_left() -> int:
    """Whole minutes until the current request's breached limit lets logins through again."""
    try:
        reset_at = limiter.current_limit.reset_at if limiter.current_limit else 0
    except Exception:  # the storage went away in between: say the full window
        current_app.logger.exception("Could not read the login lock's end")
        reset_at = 0
    seconds = reset_at - time.time()
    if seconds <= 0:
        return LOGIN_WINDOW_MINUTES
    # Flask-Limiter rounds the reset time up by a second: never say more than the window.
    return min(LOGIN_WINDOW_MINUTES, max(1, math.ceil(seconds / 60)))


def too_many_attempts(_error: RateLimitExceeded):
    """The app's own 429 page (or JSON) instead of Flask-Limiter's bare one, in the user's language."""
    minutes = minutes_left()
    message = ngettext(
        "Too many failed attempts to log in. For your security, logging in is blocked for now: "
        "try again in %(num)d minute.",
        "Too many failed attempts to log in. For your security, logging in is blocked for now: "
        "try again in %(num)d minutes.",
        minutes,
    )
    if request.accept_mimetypes.best == "application/json":
        response = jsonify(error="too_many_attempts", message=message, retry_after_minutes=minutes)
    else:
        response = current_app.make_response(
            render_template("auth/locked.html", title=_("Too many failed attempts"), message=message)
        )
    response.status_code = 429
    response.headers["Retry-After"] = str(minutes * 60)
    return response
