"""Test factories: make subjects (organisations, services, municipalities), users and rounds; return plain values
(codes, ids, e-mails)."""
from __future__ import annotations

import functools
import itertools
from datetime import date

from werkzeug.security import generate_password_hash

from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.geography import MUNICIPALITIES
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
from capacity.questionnaires.library import load_directory

_counter = itertools.count(1)


def instrument(kind: str = "organisation") -> tuple[str, str, str, str]:
    """(questionnaire id, version, rubric id, version) of the shipped instrument that assesses subjects of ``kind``.

    Found by the questionnaire's ``subject:``, not by a file name, so a renamed or re-versioned instrument keeps
    the tests' rounds pointing at it. The organisation kind keeps gesi-oca 1.0 (the suite's figures are its).
    """
    if kind == "organisation":
        return "gesi-oca", "1.0", "gesi-oca-default", "1.0"
    library = load_directory()
    for questionnaire in sorted(library.questionnaires.values(), key=lambda q: q.key):
        if questionnaire.subject != kind:
            continue
        rubric = next((r for r in sorted(library.rubrics.values(), key=lambda r: r.key)
                       if (r.questionnaire_id, r.questionnaire_version) == (questionnaire.id, questionnaire.version)), None)
        if rubric is not None:
            return questionnaire.id, questionnaire.version, rubric.id, rubric.version
    raise LookupError(f"no questionnaire in questionnaires/ says 'subject: {kind}' and has a rubric")


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

    def service(self, code: str | None = None, parent: str | None = None, municipality: str = "telavi",
                **fields) -> str:
        """A service (kind "service") run by the organisation ``parent`` (a code; made when None)."""
        code = code or f"SVC-{next(_counter):02d}"
        parent = parent or self.org()
        with self.app.app_context():
            owner = db.session.scalar(db.select(Organisation).where(Organisation.code == parent))
            db.session.add(Organisation(
                code=code, kind="service", parent_id=owner.id, name_ka=fields.pop("name_ka", f"მომსახურება {code}"),
                name_en=fields.pop("name_en", f"Service {code}"), municipality=municipality, **fields))
            db.session.commit()
        return code

    def municipality(self, municipality: str, code: str | None = None, **fields) -> str:
        """A municipality as a subject of assessment (kind "municipality"), named as geography names it."""
        place = MUNICIPALITIES[municipality]
        code = code or f"MUN-{municipality.upper()}"[:16]
        with self.app.app_context():
            db.session.add(Organisation(code=code, kind="municipality", name_ka=fields.pop("name_ka", place.ka),
                                        name_en=fields.pop("name_en", place.en), municipality=municipality, **fields))
            db.session.commit()
        return code

    def assign_municipality(self, email: str, municipality: str) -> None:
        """The account works on ``municipality``'s assessments (its role decides the track)."""
        with self.app.app_context():
            user = db.session.scalar(db.select(User).where(User.email == email))
            db.session.add(MunicipalityAssignment(user_id=user.id, municipality=municipality))
            db.session.commit()

    def round(self, code: str = "baseline", is_open: bool = True, subject: str = "organisation") -> str:
        """A baseline round of the shipped instrument for subjects of kind ``subject`` (see ``instrument``)."""
        questionnaire_id, questionnaire_version, rubric_id, rubric_version = instrument(subject)
        with self.app.app_context():
            db.session.add(AssessmentRound(
                code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE,
                starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 1), is_open=is_open, subject_kind=subject,
                questionnaire_id=questionnaire_id, questionnaire_version=questionnaire_version, rubric_id=rubric_id,
                rubric_version=rubric_version,
            ))
            db.session.commit()
        return code

    def user_id(self, email: str) -> int:
        with self.app.app_context():
            return db.session.scalar(db.select(User.id).where(User.email == email))
