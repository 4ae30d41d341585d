"""A programme with subjects of every kind, one round per kind, and the people who work on each.

- ORG-01, an organisation (Telavi): its staff, its mentor; ORG-02 (Batumi) with another mentor.
- SRV-01, a service of ORG-01 (a day centre in Telavi): seen by ORG-01's staff and mentor.
- MUN-BAT, the municipality of Batumi: its working group (staff) and its facilitator (a mentor), both assigned
  to Batumi; MUN-DMA, Dmanisi, assigned to nobody.
- Rounds "org-base" (gesi-oca), "svc-base" (service-quality) and "mun-base" (municipal-participation), all open.

Rows are built here directly (the shared factories are another helper's); every account's password is the
factories' test password.
"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from capacity.assessments import answering, completion
from capacity.assessments.models import Track
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound, RoundKind
from tests.conftest import login
from tests.factories import _shared_hash

EMAILS = {
    "org_staff": "staff@org01.example.org",
    "org_mentor": "mentor@org01.example.org",
    "other_mentor": "mentor@org02.example.org",
    "working_group": "group@batumi.example.org",
    "facilitator": "facilitator@batumi.example.org",
    "manager": "manager@example.org",
}
ROUNDS = {  # code: (questionnaire, rubric, subject kind)
    "org-base": ("gesi-oca", "gesi-oca-default", "organisation"),
    "svc-base": ("service-quality", "service-quality-default", "service"),
    "mun-base": ("municipal-participation", "municipal-participation-default", "municipality"),
}
SUBJECT_ROUND = {"ORG-01": "org-base", "SRV-01": "svc-base", "MUN-BAT": "mun-base"}


def _subject(code: str, kind: str, municipality: str, name_en: str, name_ka: str, parent=None) -> Organisation:
    row = Organisation(code=code, kind=kind, municipality=municipality, name_en=name_en, name_ka=name_ka,
                       parent=parent)
    db.session.add(row)
    return row


def _user(email: str, role: Role, organisation=None, name: str | None = None) -> User:
    user = User(email=email, display_name=name or email.split("@")[0], role=role, organisation=organisation)
    user.password_hash = _shared_hash()
    db.session.add(user)
    return user


@pytest.fixture
def world(app):
    with app.app_context():
        org = _subject("ORG-01", "organisation", "telavi", "Telavi Women's Centre", "თელავის ქალთა ცენტრი")
        other = _subject("ORG-02", "organisation", "batumi", "Batumi Youth Fund", "ბათუმის ახალგაზრდული ფონდი")
        _subject("SRV-01", "service", "telavi", "Telavi Day Centre", "თელავის დღის ცენტრი", parent=org)
        _subject("MUN-BAT", "municipality", "batumi", "Batumi", "ბათუმი")
        _subject("MUN-DMA", "municipality", "dmanisi", "Dmanisi", "დმანისი")
        _user(EMAILS["org_staff"], Role.CSO, org, "Nino Staff")
        mentor = _user(EMAILS["org_mentor"], Role.MENTOR, name="Maka Mentor")
        other_mentor = _user(EMAILS["other_mentor"], Role.MENTOR, name="Otar Mentor")
        group = _user(EMAILS["working_group"], Role.CSO, name="Giorgi Group")
        facilitator = _user(EMAILS["facilitator"], Role.MENTOR, name="Fatima Facilitator")
        _user(EMAILS["manager"], Role.MANAGER, name="Manana Manager")
        db.session.flush()
        db.session.add_all([MentorAssignment(mentor_id=mentor.id, organisation_id=org.id),
                            MentorAssignment(mentor_id=other_mentor.id, organisation_id=other.id),
                            MunicipalityAssignment(user_id=group.id, municipality="batumi"),
                            MunicipalityAssignment(user_id=facilitator.id, municipality="batumi")])
        for code, (questionnaire, rubric, kind) in ROUNDS.items():
            db.session.add(AssessmentRound(
                code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE,
                starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 1), is_open=True,
                questionnaire_id=questionnaire, questionnaire_version="1.0", rubric_id=rubric, rubric_version="1.0",
                subject_kind=kind))
        db.session.commit()
    return EMAILS


def client_for(app, who: str, language: str = "en"):
    """A logged-in client of ``who`` (a key of EMAILS), its pages in ``language``."""
    client = app.test_client()
    assert login(client, EMAILS[who]).status_code == 302
    client.post("/language", data={"language": language, "next": "/"})  # remembered per account: always said
    return client


def objects(subject_code: str) -> tuple[Organisation, AssessmentRound]:
    subject = db.session.scalar(sa.select(Organisation).where(Organisation.code == subject_code))
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == SUBJECT_ROUND[subject_code]))
    return subject, round_


def person(who: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == EMAILS[who]))


def _value(indicator, level: str) -> answering.AnswerInput:
    """An answer of the indicator's type: the level on a scale, yes, 1, a word."""
    if indicator.has_levels:
        return answering.AnswerInput(level, revision=0)
    if indicator.type == "yes_no":
        return answering.AnswerInput("", values=("yes",), revision=0)
    if indicator.type == "number":
        return answering.AnswerInput("", values=("1",), revision=0)
    if indicator.type in ("single", "multiple"):
        return answering.AnswerInput("", values=(indicator.options[0].code,), revision=0)
    return answering.AnswerInput("", values=("Agreed",), revision=0)


def answer_track(subject_code: str, who: str, track: Track, level: str) -> None:
    """Answer every question asked on ``track`` (within an app context) and submit it."""
    subject, round_ = objects(subject_code)
    library = load_directory()
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = library.rubric(round_.rubric_id, round_.rubric_version)
    assessment = answering.get_or_create_assessment(subject, round_, track, questionnaire, rubric)
    for _ in range(3):  # a question asked only given another's answer is answered on the next pass
        stored = completion.stored_answers(assessment.id)
        for indicator in completion.missing(questionnaire, stored):
            answering.save_answer(person(who), assessment, questionnaire, indicator.code, _value(indicator, level))
        db.session.flush()
        db.session.expire_all()
        assessment = answering.get_assessment(subject, round_, track)
    answering.submit(person(who), assessment, questionnaire)
    db.session.flush()


def validate(app, subject_code: str, staff: str, mentor: str) -> None:
    """Self-assessment 1, mentor assessment 3, agreed assessment 2, validated."""
    with app.app_context():
        answer_track(subject_code, staff, Track.SELF, "1")
        answer_track(subject_code, mentor, Track.MENTOR, "3")
        answer_track(subject_code, mentor, Track.CONSENSUS, "2")
        db.session.commit()
