"""Rows for the subject administration tests, made directly: services, municipalities, rounds of a kind."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from capacity.assessments.models import Assessment, Status, Track
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.geography import MUNICIPALITIES
from capacity.organisations.models import MunicipalityAssignment, Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound, RoundKind
from tests.conftest import login


def subject(app, code: str) -> Organisation:
    """The row with ``code``, detached (its plain columns readable after the app context ends)."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
        if org is not None:
            db.session.expunge(org)
        return org


def service(app, code: str, parent: str, municipality: str = "telavi", **fields) -> str:
    """A service run by the organisation ``parent``."""
    with app.app_context():
        owner = db.session.scalar(sa.select(Organisation).where(Organisation.code == parent))
        db.session.add(Organisation(code=code, kind="service", parent_id=owner.id, municipality=municipality,
                                    name_ka=fields.pop("name_ka", f"მომსახურება {code}"),
                                    name_en=fields.pop("name_en", f"Service {code}"), **fields))
        db.session.commit()
    return code


def municipality(app, place: str, code: str | None = None) -> str:
    """A municipality as a subject of assessment, named as the programme's geography names it."""
    code = code or f"MUN-{place.upper()}"[:16]
    with app.app_context():
        db.session.add(Organisation(code=code, kind="municipality", municipality=place,
                                    name_ka=MUNICIPALITIES[place].ka, name_en=MUNICIPALITIES[place].en))
        db.session.commit()
    return code


def assign_municipality(app, email: str, place: str) -> None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        db.session.add(MunicipalityAssignment(user_id=user.id, municipality=place))
        db.session.commit()


def staff_of_municipality(app, place: str) -> str:
    """A staff account of ``place``'s working group: no organisation, the municipality assigned."""
    from tests.factories import Factory

    email = f"staff.{place}@example.org"
    with app.app_context():
        user = User(email=email, display_name=f"Staff {place}", role=Role.CSO, language="en")
        user.set_password(Factory.PASSWORD)
        db.session.add(user)
        db.session.flush()
        db.session.add(MunicipalityAssignment(user_id=user.id, municipality=place))
        db.session.commit()
    return email


def instrument(kind: str) -> tuple[str, str, str, str]:
    """(questionnaire, version, rubric, version) of a shipped instrument for subjects of ``kind``."""
    library = load_directory()
    for q in sorted(library.questionnaires.values(), key=lambda q: (q.id != "gesi-oca", q.id, q.version)):
        rubric = next((r for r in library.rubrics.values()
                       if (r.questionnaire_id, r.questionnaire_version) == (q.id, q.version)), None)
        if q.subject == kind and rubric is not None:
            return q.id, q.version, rubric.id, rubric.version
    raise LookupError(kind)


def round_of(app, code: str, kind: str = "organisation", *, is_open: bool = True,
             starts_on: date = date(2026, 1, 1)) -> str:
    """A round of the shipped instrument for ``kind``, named "Round <code>"."""
    questionnaire, version, rubric, rubric_version = instrument(kind)
    with app.app_context():
        db.session.add(AssessmentRound(
            code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE,
            starts_on=starts_on, ends_on=date(2026, 12, 1), is_open=is_open, subject_kind=kind,
            questionnaire_id=questionnaire, questionnaire_version=version, rubric_id=rubric,
            rubric_version=rubric_version))
        db.session.commit()
    return code


def assessment(app, code: str, round_code: str, track: Track = Track.SELF, status: Status = Status.DRAFT) -> None:
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        db.session.add(Assessment(organisation_id=org.id, round_id=round_.id, track=track, status=status))
        db.session.commit()


def client_for(app, email: str, language: str = "en", password: str | None = None):
    """A test client logged in as ``email``, reading pages in ``language``."""
    client = app.test_client()
    assert (login(client, email, password) if password else login(client, email)).status_code == 302
    if language != "ka":
        client.post("/language", data={"language": language, "next": "/"})
    return client


def facts(page) -> dict[str, str]:
    """The subject page's facts (its <dl>): term → description, as read."""
    dl = page.one("dl")
    terms, details = dl.all("dt"), dl.all("dd")
    return {t.text: d.text for t, d in zip(terms, details)}
