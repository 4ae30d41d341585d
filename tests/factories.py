"""Test factories: make organisations and users, return plain values (codes, ids, e-mails)."""
from __future__ import annotations

import functools
import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation

_counter = itertools.count(1)


@functools.cache
def _shared_hash() -> str:
    # scrypt with a low work factor (N=2^10 instead of werkzeug's 2^15): every login checks it, a tenth of a second
    # at the production cost, and the suite logs in thousands of times. Passwords set through the app (and
    # user.set_password in the tests that pass a password) keep the production cost.
    return generate_password_hash(Factory.PASSWORD, method="scrypt:1024:8:1")


class Factory:
    PASSWORD = "correct horse battery"

    def __init__(self, app):
        self.app = app

    def org(self, code: str | None = None, municipality: str = "telavi", **fields) -> str:
        code = code or f"ORG-{next(_counter):02d}"
        with self.app.app_context():
            org = Organisation(code=code, name_ka=fields.pop("name_ka", f"ორგანიზაცია {code}"),
                               name_en=fields.pop("name_en", f"Organisation {code}"), municipality=municipality, **fields)
            db.session.add(org)
            db.session.commit()
        return code

    def user(self, role: Role | str, org: str | None = None, email: str | None = None, **fields) -> str:
        role = Role(role)
        email = email or f"{role.value}{next(_counter)}@example.org"
        password = fields.pop("password", None)
        with self.app.app_context():
            organisation = db.session.scalar(db.select(Organisation).where(Organisation.code == org)) if org else None
            user = User(email=email, display_name=fields.pop("display_name", email.split("@")[0]), role=role,
                        organisation=organisation, **fields)
            if password:
                user.set_password(password)
            else:  # hashing is slow on purpose: hash the shared test password once
                user.password_hash = _shared_hash()
            db.session.add(user)
            db.session.commit()
        return email

    def assign(self, mentor_email: str, org_code: str) -> None:
        with self.app.app_context():
            mentor = db.session.scalar(db.select(User).where(User.email == mentor_email))
            org = db.session.scalar(db.select(Organisation).where(Organisation.code == org_code))
            db.session.add(MentorAssignment(mentor_id=mentor.id, organisation_id=org.id))
            db.session.commit()

    def round(self, code: str = "baseline", is_open: bool = True) -> str:
        with self.app.app_context():
            db.session.add(AssessmentRound(
                code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE,
                starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 1), is_open=is_open,
                questionnaire_id="gesi-oca", questionnaire_version="1.0", rubric_id="gesi-oca-default", rubric_version="1.0",
            ))
            db.session.commit()
        return code

    def user_id(self, email: str) -> int:
        with self.app.app_context():
            return db.session.scalar(db.select(User.id).where(User.email == email))
