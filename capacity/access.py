"""Who may see and change which organisation: the one place that decides.

Every view asks here. A user who may not see an organisation gets 404, so a
CSO user who edits a URL learns nothing about other organisations, not even
whether they exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Callable

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from capacity.assessments.models import Status, Track
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation

ALL_ORGANISATIONS = (Role.ADMIN, Role.MANAGER)
# Who runs the programme: sets up rounds and assigns mentors to organisations.
PROGRAMME_MANAGEMENT = (Role.MANAGER, Role.ADMIN)


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


def can_manage_programme(user: User) -> bool:
    """Setting up rounds and assigning mentors is for programme managers (and administrators)."""
    return user.is_authenticated and user.role in PROGRAMME_MANAGEMENT


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


@dataclass(frozen=True)
class TrackPermissions:
    view: bool
    edit: bool


NO_ACCESS = TrackPermissions(False, False)


def track_permissions(user: User, organisation: Organisation, round_is_open: bool, track: Track,
                      status: Status | None, mentor_status: Status | None, hide_self: bool) -> TrackPermissions:
    """May ``user`` see, and change, this organisation's assessment on ``track`` in a round?

    - CSO staff answer their own self-assessment and read the agreed assessment;
      they never see the mentor's independent scores.
    - Mentors score their assigned organisations on the mentor and consensus
      tracks; the self-assessment stays hidden until their own is submitted,
      when the rubric says so.
    - Managers and administrators read everything and change nothing (they reopen).
    Nothing is editable in a closed round or once submitted.
    """
    if not can_view_organisation(user, organisation):
        return NO_ACCESS
    editable_status = status in (None, Status.DRAFT) and round_is_open
    if user.role in ALL_ORGANISATIONS:
        return TrackPermissions(True, False)
    if user.role == Role.CSO:
        if track == Track.SELF:
            return TrackPermissions(True, editable_status)
        return TrackPermissions(track == Track.CONSENSUS, False)
    # A mentor assigned to the organisation.
    if track == Track.SELF:
        revealed = not hide_self or mentor_status in (Status.SUBMITTED, Status.VALIDATED)
        return TrackPermissions(revealed, False)
    if track == Track.CONSENSUS:
        ready = mentor_status in (Status.SUBMITTED, Status.VALIDATED)
        return TrackPermissions(True, editable_status and ready)
    return TrackPermissions(True, editable_status)


def can_reopen(user: User) -> bool:
    return user.is_authenticated and user.role in ALL_ORGANISATIONS
