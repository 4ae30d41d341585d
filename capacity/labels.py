"""Translatable names of the fixed vocabularies (roles, tracks, statuses, round kinds), file sizes, and the header's
name and role.

Programme terminology: the three tracks keep the same label everywhere, in every language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import force_locale, format_decimal, get_locale, gettext, ngettext
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Status, Track

from capacity.rounds.models import RoundKind
from capacity.auth.models import Role
from capacity.mentoring.models import SessionMode
from capacity.plans.models import ActionStatus, PriorityStatus
from capacity.plans.queries import PlanState
from capacity.i18n.scripts import lang_to_mark, mark_other_script

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

# Development plans: a priority's decision and an action's status.
PRIORITY_STATUSES = {
    PriorityStatus.SUGGESTED: _l("Suggested"),
    PriorityStatus.ACCEPTED: _l("Accepted"),
    PriorityStatus.DROPPED: _l("Set aside"),
}

ACTION_STATUSES = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.DROPPED: _l("Dropped"),
}

# Where a development plan stands (the plan-status grid, the portfolio).
PLAN_STATES = {
    PlanState.NO_PLAN: _l("No plan yet"),
    PlanState.ON_TRACK: _l("On track"),
    PlanState.OVERDUE: _l("Overdue"),
    PlanState.COMPLETE: _l("Complete"),
}

# How a mentoring session was held.
SESSION_MODES = {
    SessionMode.ON_SITE: _l("On site"),
    SessionMode.ONLINE: _l("Online"),
    SessionMode.PHONE: _l("Phone"),
}

LANGUAGE_NAMES = {"ka": "ქართული", "en": "English"}


def marked(text: str):
    """Text mostly in the page's language with a few words of the other (a questionnaire's „დაცვის პოლიტიკა
    (safeguarding)“), as HTML with those words in a ``lang`` span, so screen readers say them right (WCAG 3.1.2).
    In templates: ``{{ labels.marked(domain.title.get(lang)) }}``; not inside <title> or attributes, which
    cannot hold markup."""
    return mark_other_script(text, str(get_locale() or "ka"))


def lang_attribute(text: str, page_language: str) -> dict[str, str] | None:
    """``{"lang": …}`` for an element (a choice's <option>) whose whole text is in the other script, else None."""
    language = lang_to_mark(text, page_language)
    return {"lang": language} if language else None


# An English gloss in brackets („დაცვის პოლიტიკა (safeguarding)“): an <option> cannot mark its language, and
# the Georgian term alone says it.
ENGLISH_GLOSS = re.compile(r"\s*\([A-Za-z][A-Za-z \-]*\)")


def option_text(text: str, language: str | None = None) -> str:
    """``text`` for an <option> or another place that cannot hold a ``lang`` span: a Georgian text without its
    bracketed English gloss (``language`` defaults to the page's)."""
    language = language or str(get_locale() or "ka")
    return ENGLISH_GLOSS.sub("", text) if language == "ka" else text


def typed_lang(text: str) -> str | None:
    """The ``lang`` a form field holding ``text`` needs on the current page (Georgian notes on an English page), or None."""
    return lang_to_mark(text, str(get_locale() or "ka"))


def file_size(size: int) -> str:
    """A file's size for people in the current locale: "812 bytes", "125 KB", "2.4 MB" (Georgian "2,4 მბ")."""
    if size < 1024:
        return ngettext("%(n)s byte", "%(n)s bytes", size, n=format_decimal(size))
    if size < 1024 * 1024:
        return gettext("%(n)s KB", n=format_decimal(max(1, round(size / 1024))))
    return gettext("%(n)s MB", n=format_decimal(round(size / (1024 * 1024), 1), format="#,##0.#"))


@dataclass(frozen=True)
class Identity:
    """How the header names the signed-in person: name (with its language, if not the page's) and role."""

    name: str | None  # None: the name is only the role's name (the demo's "ადმინისტრატორი")
    name_lang: str | None
    role: str


def identity(user: Any, page_language: str) -> Identity:
    """The header's "name · role" for ``user``: the role in the page's language, said once.

    A name that is just the role's name, in any of the app's languages, is not repeated
    (on English pages the demo administrator is "Administrator", not „ადმინისტრატორი · Administrator“).
    """
    role = str(ROLES[user.role])
    name = (user.display_name or "").strip()
    if not name or name.casefold() in _role_names(user.role):
        return Identity(None, None, role)
    return Identity(name, lang_to_mark(name, page_language), role)


_ROLE_NAMES: dict[tuple[Role, tuple[str, ...]], set[str]] = {}


def _role_names(role: Role) -> set[str]:
    """The role's name in every language of the app, case-folded (the catalogues do not change while running)."""
    key = (role, tuple(current_app.config["LANGUAGES"]))
    if key not in _ROLE_NAMES:
        names = set()
        for language in key[1]:
            with force_locale(language):
                names.add(str(ROLES[role]).casefold())
        _ROLE_NAMES[key] = names
    return _ROLE_NAMES[key]
