"""Creating and changing user accounts (no e-mail server is assumed)."""
from __future__ import annotations

from collections.abc import Collection
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from capacity.audit import services as audit
from capacity.auth.models import Role, User
from capacity.auth.passwords import password_problem
from capacity.auth.services import normalise_email, user_by_email
from capacity.extensions import db
from capacity.organisations import services as organisation_services
from capacity.organisations.geography import MUNICIPALITIES
from capacity.organisations.models import MunicipalityAssignment, Organisation

# Who works on a municipality's assessments: its working group (staff: the self-assessment) and its facilitators
# (mentors: the independent assessment). Managers and administrators see every municipality anyway.
MUNICIPAL_ROLES = (Role.CSO, Role.MENTOR)


class UserProblem(ValueError):
    """The account cannot be saved as asked; ``field`` names the culprit."""

    def __init__(self, field: str, message: Any):
        super().__init__(message)
        self.field = field
        self.message = message  # a lazy string: shown in the user's language


def _check(email: str, role: Role, organisation: Organisation | None, mentor_organisation_ids: Collection[int],
           municipalities: Collection[str] = (), *, existing: User | None = None) -> None:
    """Refuse a taken e-mail and any part of the form that does not belong to ``role``.

    The form shows only the role's own fields when scripts run; without them it shows all,
    so a value left in another role's field is refused here rather than saved or dropped unseen.
    """
    other = user_by_email(email)
    if other is not None and other is not existing:
        raise UserProblem("email", _l("Another account already uses this e-mail address."))
    if role == Role.CSO and organisation is None and not municipalities:
        # A municipal working group member has no organisation: the municipality is theirs.
        raise UserProblem("organisation", _l("A staff account needs its organisation or at least one municipality."))
    if role != Role.CSO and organisation is not None:
        raise UserProblem("organisation", _l("Only an organisation staff account belongs to an organisation: "
                                             "choose the organisation staff role or leave the organisation empty."))
    if role != Role.MENTOR and mentor_organisation_ids:
        raise UserProblem("mentor_organisations", _l("Only a mentor account is assigned organisations: "
                                                     "choose the mentor role or untick the organisations."))
    if role not in MUNICIPAL_ROLES and municipalities:
        raise UserProblem("municipalities", _l("Only staff and mentor accounts are assigned municipalities: "
                                               "choose one of those roles or untick the municipalities."))
    unknown = [code for code in municipalities if code not in MUNICIPALITIES]
    if unknown:
        raise UserProblem("municipalities", _l("Choose the municipalities from the list."))


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
                password_hash: str | None = None, mentor_organisation_ids: Collection[int] = (),
                municipalities: Collection[str] = ()) -> User:
    """Add an account; raise UserProblem for a taken e-mail, a short password or a role/organisation mismatch.

    ``password_hash``, when given, is the already computed hash of ``password``;
    ``mentor_organisation_ids`` are the organisations a mentor account is assigned to (mentors only);
    ``municipalities`` the municipality codes a staff or mentor account works on (MunicipalityAssignment).
    """
    email = normalise_email(email)
    _check(email, role, organisation, mentor_organisation_ids, municipalities)
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
    if municipalities:
        set_municipality_assignments(actor, user, municipalities)
    return user


def update_user(actor: Any, user: User, *, email: str, display_name: str, role: Role,
                organisation: Organisation | None, language: str,
                mentor_organisation_ids: Collection[int] | None = None,
                municipalities: Collection[str] | None = None) -> User:
    """Change an account's details; the audit event keeps old → new.

    ``mentor_organisation_ids`` (mentors only) replaces the organisations a mentor is assigned to;
    None leaves them as they are. An account that stops being a mentor's loses its assignments.
    ``municipalities`` (staff and mentors) replaces the municipalities the account works on; None leaves
    them as they are. An account that becomes a manager's or an administrator's loses them.
    """
    email = normalise_email(email)
    kept = municipalities if municipalities is not None else (
        municipalities_of(user) if role in MUNICIPAL_ROLES else ())
    _check(email, role, organisation, mentor_organisation_ids or (), kept, existing=user)
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
    if role not in MUNICIPAL_ROLES:
        set_municipality_assignments(actor, user, ())
    elif municipalities is not None:
        set_municipality_assignments(actor, user, municipalities)
    db.session.flush()
    return user


def municipalities_of(user: User) -> list[str]:
    """The municipality codes ``user`` is assigned to, in the programme's order (geography.MUNICIPALITIES)."""
    assigned = set(db.session.scalars(sa.select(MunicipalityAssignment.municipality)
                                      .where(MunicipalityAssignment.user_id == user.id)))
    return [code for code in MUNICIPALITIES if code in assigned] + sorted(assigned - MUNICIPALITIES.keys())


def set_municipality_assignments(actor: Any, user: User, codes: Collection[str]) -> None:
    """Make ``user`` assigned to exactly these municipalities; one audit event ("user.municipalities") with the
    list before and after, when it changes. Raises UserProblem for a code that is not a programme municipality."""
    wanted = set(codes)
    if wanted - MUNICIPALITIES.keys():
        raise UserProblem("municipalities", _l("Choose the municipalities from the list."))
    current = {a.municipality: a for a in db.session.scalars(
        sa.select(MunicipalityAssignment).where(MunicipalityAssignment.user_id == user.id))}
    if wanted == current.keys():
        return
    before = municipalities_of(user)
    for code in wanted - current.keys():
        db.session.add(MunicipalityAssignment(user_id=user.id, municipality=code))
    for code in current.keys() - wanted:
        db.session.delete(current[code])
    after = [code for code in MUNICIPALITIES if code in wanted]
    audit.record(actor, "user.municipalities", "user", user.id, organisation_id=user.organisation_id,
                 before={"municipalities": before}, after={"municipalities": after})
    db.session.flush()


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
