"""Creating and changing user accounts (no e-mail server is assumed)."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

from flask_babel import lazy_gettext as _l

from capacity.audit import services as audit
from capacity.auth.models import Role, User
from capacity.auth.passwords import password_problem
from capacity.auth.services import normalise_email, user_by_email
from capacity.extensions import db
from capacity.organisations import services as organisation_services
from capacity.organisations.models import Organisation


class UserProblem(ValueError):
    """The account cannot be saved as asked; ``field`` names the culprit."""

    def __init__(self, field: str, message: Any):
        super().__init__(message)
        self.field = field
        self.message = message  # a lazy string: shown in the user's language


def _check(email: str, role: Role, organisation: Organisation | None, mentor_organisation_ids: Collection[int],
           *, existing: User | None = None) -> None:
    """Refuse a taken e-mail and any part of the form that does not belong to ``role``.

    The form shows only the role's own fields when scripts run; without them it shows all,
    so a value left in another role's field is refused here rather than saved or dropped unseen.
    """
    other = user_by_email(email)
    if other is not None and other is not existing:
        raise UserProblem("email", _l("Another account already uses this e-mail address."))
    if role == Role.CSO and organisation is None:
        raise UserProblem("organisation", _l("An organisation staff account needs its organisation."))
    if role != Role.CSO and organisation is not None:
        raise UserProblem("organisation", _l("Only an organisation staff account belongs to an organisation: "
                                             "choose the organisation staff role or leave the organisation empty."))
    if role != Role.MENTOR and mentor_organisation_ids:
        raise UserProblem("mentor_organisations", _l("Only a mentor account is assigned organisations: "
                                                     "choose the mentor role or untick the organisations."))


def _is_self(actor: Any, user: User) -> bool:
    # actor may be Flask-Login's current_user proxy: compare ids, not identity.
    return actor is not None and getattr(actor, "id", None) == user.id


def check_password_rules(password: str, email: str | None = None) -> None:
    """Raise UserProblem("password") for a new password that breaks capacity.auth.passwords' rules."""
    problem = password_problem(password, email)
    if problem is not None:
        raise UserProblem("password", problem)


def create_user(actor: Any, *, email: str, display_name: str, role: Role, password: str,
                organisation: Organisation | None = None, language: str = "ka", is_demo: bool = False,
                password_hash: str | None = None, mentor_organisation_ids: Collection[int] = ()) -> User:
    """Add an account; raise UserProblem for a taken e-mail, a short password or a role/organisation mismatch.

    ``password_hash``, when given, is the already computed hash of ``password``;
    ``mentor_organisation_ids`` are the organisations a mentor account is assigned to (mentors only).
    """
    email = normalise_email(email)
    _check(email, role, organisation, mentor_organisation_ids)
    check_password_rules(password, email)
    user = User(email=email, display_name=display_name.strip() or email, role=role, organisation=organisation,
                language=language, is_demo=is_demo)
    if password_hash:
        user.password_hash = password_hash
    else:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, organisation_id=user.organisation_id,
                 after={"email": email, "role": role.value, "organisation": organisation.code if organisation else None})
    if mentor_organisation_ids:
        organisation_services.set_mentor_assignments(actor, user, set(mentor_organisation_ids))
    return user


def update_user(actor: Any, user: User, *, email: str, display_name: str, role: Role,
                organisation: Organisation | None, language: str,
                mentor_organisation_ids: Collection[int] | None = None) -> User:
    """Change an account's details; the audit event keeps old → new.

    ``mentor_organisation_ids`` (mentors only) replaces the organisations a mentor is assigned to;
    None leaves them as they are. An account that stops being a mentor's loses its assignments.
    """
    email = normalise_email(email)
    _check(email, role, organisation, mentor_organisation_ids or (), existing=user)
    if _is_self(actor, user) and role != user.role:
        raise UserProblem("role", _l("You cannot change your own role."))
    values = {"email": email, "display_name": display_name.strip() or email, "role": role,
              "organisation_id": organisation.id if organisation else None, "language": language}
    before, after = audit.changes(user, values)
    if role != user.role:
        user.end_all_sessions()  # what they may do changed: their open pages must be asked for again
    for key, value in values.items():
        setattr(user, key, value)
    if before:
        audit.record(actor, "user.update", "user", user.id, organisation_id=user.organisation_id, before=before, after=after)
    if role != Role.MENTOR:
        organisation_services.set_mentor_assignments(actor, user, set())
    elif mentor_organisation_ids is not None:
        organisation_services.set_mentor_assignments(actor, user, set(mentor_organisation_ids))
    db.session.flush()
    return user


def set_password(actor: Any, user: User, password: str) -> None:
    """Give ``user`` a new password and end all their sessions (the audit event does not contain the password)."""
    check_password_rules(password, user.email)
    user.set_password(password)
    user.end_all_sessions()
    audit.record(actor, "user.password", "user", user.id, organisation_id=user.organisation_id)
    db.session.flush()


def set_active(actor: Any, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account; nobody can deactivate themselves."""
    if _is_self(actor, user) and not active:
        raise UserProblem("active", _l("You cannot deactivate your own account."))
    if user.active != active:
        audit.record(actor, "user.activate" if active else "user.deactivate", "user", user.id,
                     organisation_id=user.organisation_id, before={"active": user.active}, after={"active": active})
        user.active = active
        if not active:
            user.end_all_sessions()
        db.session.flush()
