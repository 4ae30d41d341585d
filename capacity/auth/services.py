"""Authentication rules."""
from __future__ import annotations

import enum
import functools

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from capacity.auth.models import User
from capacity.extensions import db
from capacity.timeutil import utcnow


@functools.cache
def _dummy_hash() -> str:
    """Checked against when the e-mail is unknown, so that a wrong e-mail takes as
    long as a wrong password and response times do not reveal who has an account.

    Made on first use, not at import: scrypt takes a tenth of a second, which every
    command and every web worker paid when starting.
    """
    return generate_password_hash("not a password", method="scrypt")


class LoginRefused(enum.Enum):
    BAD_CREDENTIALS = "bad_credentials"
    DEACTIVATED = "deactivated"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | LoginRefused:
    """Return the user whose e-mail and password these are, or why not.

    An unknown e-mail and a wrong password give the same answer on purpose.
    On success, records the time of login (the caller commits).
    """
    dummy = _dummy_hash()  # before the look-up: the first login of a process is slower whoever logs in
    user = user_by_email(email)
    if user is None:
        check_password_hash(dummy, password)
        return LoginRefused.BAD_CREDENTIALS
    if not user.check_password(password):
        return LoginRefused.BAD_CREDENTIALS
    if not user.active:
        return LoginRefused.DEACTIVATED
    user.last_login_at = utcnow()
    return user
