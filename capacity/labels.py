"""Translatable names of the fixed vocabularies (roles, tracks, statuses, round kinds).

Programme terminology: the three tracks keep the same label everywhere, in every language.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Status, Track

from capacity.rounds.models import RoundKind
from capacity.auth.models import Role

ROLES = {
    Role.ADMIN: _l("Administrator"),
    Role.MANAGER: _l("Programme manager"),
    Role.MENTOR: _l("Mentor"),
    Role.CSO: _l("Organisation staff"),
}

TRACKS = {
    Track.SELF: _l("Self-assessment"),
    Track.MENTOR: _l("Mentor assessment"),
    Track.CONSENSUS: _l("Agreed assessment"),
}

STATUSES = {
    Status.DRAFT: _l("Draft"),
    Status.SUBMITTED: _l("Submitted"),
    Status.VALIDATED: _l("Validated"),
    None: _l("Not started"),
}

ROUND_KINDS = {
    RoundKind.BASELINE: _l("Baseline"),
    RoundKind.MIDLINE: _l("Midline"),
    RoundKind.ENDLINE: _l("Endline"),
}

LANGUAGE_NAMES = {"ka": "ქართული", "en": "English"}
