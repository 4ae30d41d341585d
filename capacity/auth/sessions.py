"""Which sessions still count: the user's session generation and the idle timeout.

Flask-Login keeps ``User.get_id()`` -- "id:generation" -- in the session and in the
"keep me logged in" cookie. ``load_user`` accepts it only while the generation is the
user's current one, so raising the generation (``User.end_all_sessions``: logout, a new
password, a role change, deactivation) ends every other session at its next request.
"""
from __future__ import annotations

import time

from flask import current_app, session
from flask_login import current_user, logout_user

from capacity.auth.models import User
from capacity.extensions import db, login_manager
from capacity.parsing import ascii_int

LAST_SEEN = "last_seen"


@login_manager.user_loader
def load_user(identity: str) -> User | None:
    """The user of a session or remember cookie, or None once that login has been ended."""
    user_text, _, generation_text = identity.partition(":")
    user_id, generation = ascii_int(user_text), ascii_int(generation_text, max_digits=18)
    if user_id is None or generation is None:
        return None  # also a session from before generations existed: log in again
    user = db.session.get(User, user_id)
    if user is None or user.session_generation != generation:
        return None
    return user


def start(user: User) -> None:
    """Note a fresh login's time, so that the idle timeout counts from now."""
    session[LAST_SEEN] = int(time.time())


def end_idle_session() -> None:
    """Before each request: log out a session left unused longer than CAPACITY_SESSION_IDLE_MINUTES.

    Only this browser is logged out (the generation is untouched). The view then runs as
    for an anonymous visitor, so a form post meets the login page that keeps its answers.
    """
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    last_seen = session.get(LAST_SEEN)
    idle_limit = current_app.config["CAPACITY_SESSION_IDLE_MINUTES"] * 60
    if isinstance(last_seen, int) and now - last_seen > idle_limit:
        session.pop(LAST_SEEN, None)
        logout_user()  # also clears the remember cookie: an idle login does not come back
        return
    session[LAST_SEEN] = now
