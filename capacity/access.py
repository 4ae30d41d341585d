"""Who may see and change which organisation: the one place that decides.

Every view asks here. A user who may not see an organisation gets 404, so a
CSO user who edits a URL learns nothing about other organisations, not even
whether they exist.
"""
from __future__ import annotations

from functools import wraps
from typing import Callable

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation

ALL_ORGANISATIONS = (Role.ADMIN, Role.MANAGER)


def is_assigned(user: User, organisation: Organisation) -> bool:
    return db.session.scalar(
        sa.select(sa.func.count(MentorAssignment.id)).where(
            MentorAssignment.mentor_id == user.id, MentorAssignment.organisation_id == organisation.id
        )
    ) > 0


def can_view_organisation(user: User, organisation: Organisation) -> bool:
    """Admins and managers see all; mentors their assigned ones; CSO users their own."""
    if not user.is_authenticated or not user.active:
        return False
    if user.role in ALL_ORGANISATIONS:
        return True
    if user.role == Role.MENTOR:
        return is_assigned(user, organisation)
    return user.role == Role.CSO and user.organisation_id == organisation.id


def can_manage_organisations(user: User) -> bool:
    """Adding and editing organisations' records is an administrator's task."""
    return user.is_authenticated and user.role == Role.ADMIN


def visible_organisations(user: User) -> sa.Select:
    """A select() of the organisations ``user`` may see, by code."""
    query = sa.select(Organisation).order_by(Organisation.code)
    if user.role in ALL_ORGANISATIONS:
        return query
    if user.role == Role.MENTOR:
        return query.join(MentorAssignment).where(MentorAssignment.mentor_id == user.id)
    return query.where(Organisation.id == user.organisation_id)


def organisation_or_404(code: str) -> Organisation:
    """The organisation with this code, if the current user may see it; else 404."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
    if organisation is None or not can_view_organisation(current_user, organisation):
        abort(404)
    return organisation


def roles_required(*roles: Role) -> Callable:
    """Allow the view only to logged-in users with one of ``roles`` (else 403)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator
