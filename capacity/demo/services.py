"""Building the demo portfolio, idempotently: running it again adds nothing twice."""
from __future__ import annotations

import functools

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.auth.models import Role, User
from capacity.auth.services import user_by_email
from capacity.demo import data
from capacity.demo.answers import fill_answers, fill_profiles
from capacity.demo.development import fill_development
from capacity.demo.subjects import build_subjects
from capacity.extensions import db
from capacity.organisations import services as organisation_services
from capacity.organisations.geography import MUNICIPALITIES
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.users import services as user_services

DEMO_PASSWORD = "capacity-demo"


@functools.cache
def _demo_password_hash() -> str:
    # Every demo account has the same published password: hash it once, not 33 times.
    return generate_password_hash(DEMO_PASSWORD, method="scrypt")


def _user(email: str, name: str, role: Role, organisation: Organisation | None = None) -> User:
    user = user_by_email(email)
    if user is None:
        user = user_services.create_user(None, email=email, display_name=name, role=role, password=DEMO_PASSWORD,
                                         organisation=organisation, is_demo=True, password_hash=_demo_password_hash())
    return user


def build_demo() -> list[tuple[str, str]]:
    """Create (or complete) the demo organisations, users, assignments and rounds, then the services and
    municipalities with their accounts and a round of each of their instruments (capacity.demo.subjects).

    Returns the demo logins as (role, e-mail) pairs; the caller commits.
    """
    organisations: dict[str, Organisation] = {}
    for code, municipality, name_ka, name_en, areas, contact in data.ORGANISATIONS:
        org = organisation_services.by_code(code)
        if org is None:
            org = organisation_services.create_organisation(None, code, {
                "name_ka": name_ka, "name_en": name_en, "municipality": municipality,
                "service_areas": areas.split(";"), "contact_name": contact,
                "contact_email": f"{code.lower()}@{data.DOMAIN}", "contact_phone": "",
            })
            org.is_demo = True
        organisations[code] = org

    logins = [("admin", _user(f"admin@{data.DOMAIN}", "ადმინისტრატორი", Role.ADMIN).email),
              ("manager", _user(f"manager@{data.DOMAIN}", "თამარ გელაშვილი", Role.MANAGER).email)]
    for local, name, region in data.MENTORS:
        mentor = _user(f"{local}@{data.DOMAIN}", name, Role.MENTOR)
        logins.append(("mentor", mentor.email))
        assigned = set(db.session.scalars(sa.select(MentorAssignment.organisation_id).where(MentorAssignment.mentor_id == mentor.id)))
        for org in organisations.values():
            if MUNICIPALITIES[org.municipality].region == region and org.id not in assigned:
                db.session.add(MentorAssignment(mentor_id=mentor.id, organisation_id=org.id))
    contacts = {row[0]: row[5] for row in data.ORGANISATIONS}
    for code, org in organisations.items():
        user = _user(f"{code.lower()}@{data.DOMAIN}", contacts[code], Role.CSO, org)
        if code == data.ORGANISATIONS[0][0]:
            logins.append(("cso", user.email))
    logins.append(("cso", f"(one per organisation: <code>@{data.DOMAIN}, e.g. kut-01@{data.DOMAIN})"))

    for spec in data.ROUNDS:
        if db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == spec["code"])) is None:
            db.session.add(AssessmentRound(
                **{**spec, "kind": RoundKind(spec["kind"])},
                questionnaire_id=data.QUESTIONNAIRE[0], questionnaire_version=data.QUESTIONNAIRE[1],
                rubric_id=data.RUBRIC[0], rubric_version=data.RUBRIC[1],
            ))
    db.session.flush()
    rounds = {}
    for round_ in db.session.scalars(sa.select(AssessmentRound).where(AssessmentRound.code.in_([r["code"] for r in data.ROUNDS]))):
        fill_answers(round_)
        fill_profiles(round_)
        rounds[round_.code] = round_
    # The baseline's development plans and the mentoring that supported them until the endline.
    fill_development(rounds[data.ROUNDS[0]["code"]], rounds[data.ROUNDS[1]["code"]])
    # After the organisations and from generators of their own: services, municipalities, a round of each instrument.
    logins += build_subjects(organisations, DEMO_PASSWORD, _demo_password_hash())
    return logins
