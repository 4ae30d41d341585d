"""One database with subjects of every kind, for the reports and programme pages of services and municipalities.

Built once for the package (rendering is slow), with the shipped questionnaires:

- organisations ORG-1 (Telavi) and ORG-2 (Kutaisi), answered in an organisation round ``oca`` (gesi-oca);
- services SRV-1, SRV-2, SRV-3 run by ORG-1 and SRV-4 run by ORG-2, in two service-quality rounds ``srv-base``
  (2025) and ``srv-end`` (2026): SRV-1, SRV-2 and SRV-4 agreed and validated in both, SRV-3 only its
  self-assessment, submitted, in ``srv-end``;
- municipalities MUN-BAT (Batumi), MUN-CHO (Chokhatauri), MUN-MAR (Marneuli) and MUN-DMA (Dmanisi) in one
  municipal-participation round ``mun-2026``: all but Dmanisi agreed and validated, Dmanisi's self-assessment
  a draft.

Accounts: a programme manager; ORG-1's staff (the services' provider: their self-assessment); the mentor assigned
to ORG-1 (its services' monitor); a mentor assigned to the municipalities Batumi and Chokhatauri.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.jobs.services import wait_for_jobs
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound, RoundKind

PASSWORD = "correct horse battery"
MANAGER = "manager@example.org"
STAFF = "staff@org-1.example.org"  # ORG-1's staff: the provider of SRV-1..3
SERVICE_MENTOR = "monitor@example.org"  # assigned to ORG-1: its services' monitor
TOWN_MENTOR = "facilitator@example.org"  # assigned to Batumi and Chokhatauri

ORGANISATIONS = {"ORG-1": ("telavi", "თელავის ქალთა ცენტრი", "Telavi Women's Centre"),
                 "ORG-2": ("kutaisi", "ქუთაისის თემი", "Kutaisi Community")}
SERVICES = {"SRV-1": ("ORG-1", "telavi", "დღის ცენტრი", "Day centre"),
            "SRV-2": ("ORG-1", "telavi", "ოჯახის მხარდაჭერა", "Family support"),
            "SRV-3": ("ORG-1", "telavi", "ადრეული განვითარება", "Early development"),
            "SRV-4": ("ORG-2", "kutaisi", "მობილური გუნდი", "Mobile team")}
MUNICIPALITIES = {"MUN-BAT": ("batumi", "ბათუმის მუნიციპალიტეტი", "Batumi Municipality"),
                  "MUN-CHO": ("chokhatauri", "ჩოხატაურის მუნიციპალიტეტი", "Chokhatauri Municipality"),
                  "MUN-MAR": ("marneuli", "მარნეულის მუნიციპალიტეტი", "Marneuli Municipality"),
                  "MUN-DMA": ("dmanisi", "დმანისის მუნიციპალიტეტი", "Dmanisi Municipality")}
ALL = (Track.SELF, Track.MENTOR, Track.CONSENSUS)
# round code: (questionnaire, rubric, subject kind, starts on, {subject code: (tracks, submitted)})
ROUNDS = {
    "oca": ("gesi-oca", "gesi-oca-default", "organisation", date(2026, 3, 1),
            {"ORG-1": (ALL, True), "ORG-2": (ALL, True)}),
    "srv-base": ("service-quality", "service-quality-default", "service", date(2025, 2, 1),
                 {"SRV-1": (ALL, True), "SRV-2": (ALL, True), "SRV-4": (ALL, True)}),
    "srv-end": ("service-quality", "service-quality-default", "service", date(2026, 2, 1),
                {"SRV-1": (ALL, True), "SRV-2": (ALL, True), "SRV-3": ((Track.SELF,), True), "SRV-4": (ALL, True)}),
    "mun-2026": ("municipal-participation", "municipal-participation-default", "municipality", date(2026, 4, 1),
                 {"MUN-BAT": (ALL, True), "MUN-CHO": (ALL, True), "MUN-MAR": (ALL, True),
                  "MUN-DMA": ((Track.SELF,), False)}),
}


def _user(email: str, name: str, role: Role, organisation: Organisation | None = None) -> User:
    user = User(email=email, display_name=name, role=role, organisation_id=organisation.id if organisation else None)
    user.set_password(PASSWORD)
    db.session.add(user)
    return user


def _level(subject: int, indicator: int, track: Track, round_code: str) -> int:
    """A level that differs between subjects, indicators, tracks and rounds (the later round a little higher)."""
    later = 1 if round_code.endswith("end") else 0
    return min(4, 1 + (subject * 5 + indicator * 3 + list(Track).index(track) + later) % 4 + later)


def _answer(indicator, level: int) -> answering.AnswerInput:
    if indicator.type == "scale":
        return answering.AnswerInput(str(level), revision=0)
    if indicator.type == "yes_no":
        return answering.AnswerInput("", revision=0, values=("yes" if level > 2 else "no",))
    if indicator.type == "number":
        spec = indicator.number
        low = spec.minimum if spec and spec.minimum is not None else 0
        high = spec.maximum if spec and spec.maximum is not None else low + 12
        return answering.AnswerInput("", revision=0, values=(str(int(low + (high - low) * level / 4)),))
    if indicator.type == "single":
        return answering.AnswerInput("", revision=0, values=(indicator.options[level % len(indicator.options)].code,))
    if indicator.type == "multiple":
        return answering.AnswerInput("", revision=0, values=(indicator.options[0].code,))
    return answering.AnswerInput("", revision=0, values=("ორივე ენაზე: bilingual.",))


def _answer_round(round_: AssessmentRound, subjects: dict[str, Organisation], plan: dict) -> None:
    library = load_directory()
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = library.rubric(round_.rubric_id, round_.rubric_version)
    for position, (code, (tracks, submitted)) in enumerate(sorted(plan.items())):
        for track in tracks:
            assessment = answering.get_or_create_assessment(subjects[code], round_, track, questionnaire, rubric)
            for number, indicator in enumerate(questionnaire.indicators):
                if indicator.computed is None:
                    answering.save_answer(None, assessment, questionnaire, indicator.code,
                                          _answer(indicator, _level(position, number, track, round_.code)))
            if submitted:
                answering.submit(None, assessment, questionnaire)


@pytest.fixture(scope="package")
def subjects_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("subjects")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}"})
    with app.app_context():
        db.create_all()
        subjects: dict[str, Organisation] = {}
        for code, (municipality, name_ka, name_en) in ORGANISATIONS.items():
            subjects[code] = Organisation(code=code, name_ka=name_ka, name_en=name_en, municipality=municipality)
        for code, (municipality, name_ka, name_en) in MUNICIPALITIES.items():
            subjects[code] = Organisation(code=code, kind="municipality", name_ka=name_ka, name_en=name_en,
                                          municipality=municipality)
        db.session.add_all(subjects.values())
        db.session.flush()
        for code, (parent, municipality, name_ka, name_en) in SERVICES.items():
            subjects[code] = Organisation(code=code, kind="service", parent_id=subjects[parent].id, name_ka=name_ka,
                                          name_en=name_en, municipality=municipality, service_areas=["disability"])
            db.session.add(subjects[code])
        _user(MANAGER, "Manager", Role.MANAGER)
        _user(STAFF, "ნინო ბერიძე", Role.CSO, subjects["ORG-1"])
        monitor = _user(SERVICE_MENTOR, "Monitor Mentor", Role.MENTOR)
        facilitator = _user(TOWN_MENTOR, "ლევან ცეცხლაძე", Role.MENTOR)
        db.session.flush()
        db.session.add(MentorAssignment(mentor_id=monitor.id, organisation_id=subjects["ORG-1"].id))
        db.session.add_all([MunicipalityAssignment(user_id=facilitator.id, municipality=town)
                            for town in ("batumi", "chokhatauri")])
        for code, (questionnaire, rubric, kind, starts_on, _plan) in ROUNDS.items():
            db.session.add(AssessmentRound(
                code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE,
                starts_on=starts_on, ends_on=starts_on + timedelta(days=60), is_open=True, questionnaire_id=questionnaire,
                questionnaire_version="1.0", rubric_id=rubric, rubric_version="1.0", subject_kind=kind))
        db.session.commit()
        for code, (_questionnaire, _rubric, _kind, _starts_on, plan) in ROUNDS.items():
            _answer_round(db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code)), subjects,
                          plan)
        db.session.commit()
    yield app
    wait_for_jobs()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def subject(code: str) -> Organisation:
    return db.session.scalar(sa.select(Organisation).where(Organisation.code == code))


def round_(code: str) -> AssessmentRound:
    return db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))


def client_for(app, email: str, language: str = "ka"):
    client = app.test_client()
    response = client.post("/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    client.post("/language", data={"language": language, "next": "/"})  # also the account's language from now on
    return client
