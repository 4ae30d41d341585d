"""Creating and changing subjects (organisations, services, municipalities), with an audit event for each change."""
from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from capacity.audit import services as audit
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.subjects.lookup import all_kinds

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,15}\Z")  # \Z: "$" would let a trailing newline through
# Also the keys of the audit events: "kind" is the subject's kind, "parent" the code of the subject it belongs to.
FIELDS = ("kind", "parent", "name_ka", "name_en", "municipality", "service_areas", "contact_name", "contact_email",
          "contact_phone", "active")


class DuplicateCode(ValueError):
    """Another organisation already has this code."""


class SubjectProblem(ValueError):
    """The subject cannot be saved as asked; ``field`` names the culprit, ``message`` says why (a lazy string)."""

    def __init__(self, field: str, message: Any):
        super().__init__(str(message))
        self.field = field
        self.message = message


def code_problem(code: str) -> str | None:
    """Why ``code`` cannot be an organisation code, or None if it can."""
    if not CODE_PATTERN.match(code):
        return "use 2–16 capital Latin letters, digits or hyphens, e.g. TEL-01"
    return None


def by_code(code: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.code == code))


def has_assessments(org: Organisation) -> bool:
    """Whether any assessment (of any round and track) is about ``org``: its kind is then fixed."""
    from capacity.assessments.models import Assessment

    return bool(db.session.scalar(sa.select(sa.exists().where(Assessment.organisation_id == org.id))))


def parent_kinds() -> list[str]:
    """The kinds another kind belongs to (organisation): the subjects a "belongs to" choice lists."""
    kinds = all_kinds()
    return [code for code in kinds if any(k.parent == code for k in kinds.values())]


def _get(org: Organisation, key: str) -> Any:
    if key == "service_areas":
        return org.service_areas
    if key == "parent":
        return org.parent.code if org.parent is not None else None
    return getattr(org, key)


def _set(org: Organisation, key: str, value: Any, parent: Organisation | None) -> None:
    if key == "parent":
        org.parent = parent
    else:
        setattr(org, key, value)


def _checked_parent(org: Organisation | None, kind_code: str, parent_code: str | None) -> Organisation | None:
    """The subject a subject of ``kind_code`` belongs to, checked; raise SubjectProblem when it cannot be."""
    kinds = all_kinds()
    kind = kinds.get(kind_code)
    if kind is None:
        raise SubjectProblem("kind", _l("Choose one of the kinds in the list."))
    if kind.parent is None:
        if parent_code:
            raise SubjectProblem("parent", _l("A subject of this kind belongs to no other: leave “Belongs to” empty."))
        return None
    parent_kind = kinds.get(kind.parent)
    parent_name = parent_kind.name if parent_kind is not None else None
    if not parent_code:
        raise SubjectProblem("parent", _l("Choose what it belongs to: a subject of the kind “%(kind)s”.",
                                          kind=_LazyText(parent_name, kind.parent)))
    parent = by_code(parent_code)
    if parent is None:
        raise SubjectProblem("parent", _l("There is no subject with this code."))
    if org is not None and parent.id == org.id:
        raise SubjectProblem("parent", _l("A subject cannot belong to itself."))
    if parent.kind != kind.parent:
        raise SubjectProblem("parent", _l("“%(code)s” is not of the kind “%(kind)s”: choose one that is.",
                                          code=parent.code, kind=_LazyText(parent_name, kind.parent)))
    return parent


class _LazyText:
    """A kind's name (a questionnaires Text) in the language of the page that shows the message."""

    def __init__(self, text: Any, fallback: str):
        self.text, self.fallback = text, fallback

    def __str__(self) -> str:
        if self.text is None:
            return self.fallback
        from capacity.templating import current_language

        return self.text.get(current_language())


def _normalised(values: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in values.items() if k in FIELDS}
    if "parent" in values:
        values["parent"] = values["parent"] or None
    return values


def create_organisation(actor: Any, code: str, values: dict[str, Any]) -> Organisation:
    """Add a subject with ``code`` and the given fields; raise DuplicateCode if taken, SubjectProblem if its kind
    or parent is wrong.

    ``values["kind"]`` is a configured kind (default: organisation); ``values["parent"]`` the code of the subject
    it belongs to (a service's organisation), required exactly for kinds that belong to another.
    """
    if by_code(code) is not None:
        raise DuplicateCode(code)
    values = _normalised({"kind": DEFAULT_KIND, **values})
    parent = _checked_parent(None, values["kind"], values.get("parent"))
    org = Organisation(code=code)
    for key, value in values.items():
        _set(org, key, value, parent)
    db.session.add(org)
    db.session.flush()
    audit.record(actor, "organisation.create", "organisation", org.code, organisation_id=org.id,
                 after={"code": code, **{k: values[k] for k in FIELDS if k in values}})
    return org


def update_organisation(actor: Any, org: Organisation, values: dict[str, Any]) -> Organisation:
    """Change the given fields of ``org``; record what changed (old → new).

    Raises SubjectProblem for a kind change once the subject has assessments or other subjects belong to it,
    and for a parent the (new) kind does not take. A field not in ``values`` stays as it is.
    """
    values = _normalised(values)
    kind = values.get("kind", org.kind)
    if kind != org.kind:
        if has_assessments(org):
            raise SubjectProblem("kind", _l("The kind cannot change: this subject already has assessments."))
        if org.children:
            raise SubjectProblem("kind", _l("The kind cannot change: other subjects belong to this one."))
    parent = org.parent
    if "kind" in values or "parent" in values:
        parent = _checked_parent(org, kind, values.get("parent", _get(org, "parent")))
    old = {key: _get(org, key) for key in values}
    for key, value in values.items():
        _set(org, key, value, parent)
    new = {key: _get(org, key) for key in values}
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
