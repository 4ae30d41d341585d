"""Creating and changing organisations, with an audit event for each change."""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa

from capacity.audit import services as audit
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}\Z")  # \Z: "$" would let a trailing newline through
FIELDS = ("name_ka", "name_en", "municipality", "service_areas", "contact_name", "contact_email", "contact_phone", "active")


class DuplicateCode(ValueError):
    """Another organisation already has this code."""


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be an organisation code, or None if it can."""
    if not CODE_PATTERN.match(code):
        return "use 2–16 capital Latin letters, digits or hyphens, e.g. TEL-01"
    return None


def by_code(code: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.code == code))


def _snapshot(org: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    return {key: (org.service_areas if key == "service_areas" else getattr(org, key)) for key in values}


def create_organisation(actor: Any, code: str, values: dict[str, Any]) -> Organisation:
    """Add an organisation with ``code`` and the given fields; raise DuplicateCode if taken."""
    if by_code(code) is not None:
        raise DuplicateCode(code)
    org = Organisation(code=code)
    for key in FIELDS:
        if key in values:
            setattr(org, key, values[key])
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "organisation.create", "organisation", org.code, organisation_id=org.id,
                 after={"code": code, **{k: values[k] for k in FIELDS if k in values}})
    return org


def update_organisation(actor: Any, org: Organisation, values: dict[str, Any]) -> Organisation:
    """Change the given fields of ``org``; record what changed (old → new)."""
    values = {k: v for k, v in values.items() if k in FIELDS}
    old = _snapshot(org, values)
    for key, value in values.items():
        setattr(org, key, value)
    new = _snapshot(org, values)
    before = {k: old[k] for k in values if old[k] != new[k]}
    if before:
        audit.record(actor, "organisation.update", "organisation", org.code, organisation_id=org.id,
                     before=before, after={k: new[k] for k in before})
    db.session.flush()
    return org


def set_mentor_assignments(actor: Any, mentor: Any, organisation_ids: set[int]) -> None:
    """Make ``mentor`` assigned to exactly these organisations, auditing each change."""
    current = {a.organisation_id: a for a in db.session.scalars(
        sa.select(MentorAssignment).where(MentorAssignment.mentor_id == mentor.id))}
    for org_id in organisation_ids - current.keys():
        db.session.add(MentorAssignment(mentor_id=mentor.id, organisation_id=org_id))
        audit.record(actor, "assignment.create", "user", mentor.id, organisation_id=org_id,
                     after={"mentor": mentor.email})
    for org_id in current.keys() - organisation_ids:
        db.session.delete(current[org_id])
        audit.record(actor, "assignment.delete", "user", mentor.id, organisation_id=org_id,
                     before={"mentor": mentor.email})
    db.session.flush()


def set_organisation_mentors(actor: Any, org: Organisation, mentor_ids: set[int]) -> None:
    """Make exactly these mentor accounts assigned to ``org``, auditing each change.

    Raises ValueError if an id is not a mentor's account. The audit events are
    the same as set_mentor_assignments' (one per mentor added or removed).
    """
    mentors = {m.id: m for m in db.session.scalars(sa.select(User).where(User.id.in_(mentor_ids), User.role == Role.MENTOR))}
    if mentors.keys() != mentor_ids:
        raise ValueError(f"not mentor accounts: {sorted(mentor_ids - mentors.keys())}")
    current = {a.mentor_id: a for a in db.session.scalars(
        sa.select(MentorAssignment).where(MentorAssignment.organisation_id == org.id))}
    for mentor_id in sorted(mentor_ids - current.keys()):
        db.session.add(MentorAssignment(mentor_id=mentor_id, organisation_id=org.id))
        audit.record(actor, "assignment.create", "user", mentor_id, organisation_id=org.id,
                     after={"mentor": mentors[mentor_id].email})
    for mentor_id in sorted(current.keys() - mentor_ids):
        assignment = current[mentor_id]
        audit.record(actor, "assignment.delete", "user", mentor_id, organisation_id=org.id,
                     before={"mentor": assignment.mentor.email})
        db.session.delete(assignment)
    db.session.flush()


def mentor_candidates(org: Organisation) -> list[Any]:
    """Mentor accounts that may be assigned to ``org``: the active ones, plus any already assigned."""
    assigned = sa.select(MentorAssignment.mentor_id).where(MentorAssignment.organisation_id == org.id)
    return list(db.session.scalars(
        sa.select(User).where(User.role == Role.MENTOR, sa.or_(User.active.is_(True), User.id.in_(assigned)))
        .order_by(User.display_name, User.email)))


def mentors_of(org: Organisation) -> list[Any]:
    return sorted((a.mentor for a in org.assignments), key=lambda m: m.display_name)


def staff_of(org: Organisation) -> list[Any]:
    """The organisation staff accounts of ``org`` (active or not), by name."""
    return list(db.session.scalars(sa.select(User).where(User.organisation_id == org.id, User.role == Role.CSO)
                                   .order_by(User.display_name, User.email)))


def any_mentor_account() -> bool:
    """Whether there is an active mentor account that could be assigned to an organisation."""
    return db.session.scalar(sa.select(sa.exists().where(User.role == Role.MENTOR, User.active.is_(True)))) or False
