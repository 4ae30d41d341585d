"""The rules for a new password: long, not a well-known one, not the e-mail address.

The list of common passwords is the one zxcvbn ships (MIT licence): the 30,000 most
frequent passwords of leaked password sets, lower-case. No composition rules (digits,
symbols): a passphrase of several ordinary words is a good password.
"""
from __future__ import annotations

import functools
from typing import Any

from flask_babel import lazy_gettext as _l

MIN_PASSWORD_LENGTH = 12


@functools.cache
def common_passwords() -> frozenset[str]:
    # Imported on first use: the module is large and only password changes need it.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, email: str | None = None) -> Any | None:
    """What is wrong with ``password`` as a new password (a lazy message), or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("The password must have at least %(n)d characters. A few words in a row make a good one.",
                  n=MIN_PASSWORD_LENGTH)
    folded = password.strip().casefold()
    if folded in common_passwords():
        return _l("This password is one of the most common passwords, which attackers try first. Choose another one.")
    if email:
        address = email.strip().casefold()
        if folded in {address, address.split("@", 1)[0]}:
            return _l("The password must not be the e-mail address or its part before the @.")
    return None
