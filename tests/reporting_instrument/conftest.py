"""One database for the reports of the every-type test instrument: rendering is slow, so it is built once.

The every-type questionnaire (tests/fixtures/questionnaires/every-type.yaml): two domains (GOV with sub-areas
GOV.A and GOV.B, SRV without), every question type, conditions, no profile questions, Armenian as a third
content language. ORG-A answered it in two rounds on the percent rubric (self, mentor and the validated
agreement, the same answers on each track), and in a third on the points rubric with a self-assessment only
(no mentor assessment anywhere in that round). A GESI-instrument round beside them shows the GESI report is as it was.

What ORG-A answered (ANSWERS): the baseline said no to consulting service users (so GOV.3 was not asked), reports
less than once a year (SRV.5 not asked) and collects feedback only verbally (SRV.4 not asked); the endline
answers every question, with a free text and the unscored yes/no.
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
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound, RoundKind
from tests.questionnaire_fixtures import copy_questionnaires

ORG = "ORG-A"
MANAGER = "manager@example.org"
PASSWORD = "correct horse battery"
FREE_TEXT = "We now open on Saturdays, as parents asked."
# (choice, values) per indicator: a level (or "na") for scale questions, the posted values for the others.
ANSWERS = {
    "et-base": {"GOV.1": ("2", ()), "GOV.2": ("", ("no",)), "GOV.4": ("", ("rarely",)), "GOV.5": ("3", ()),
                "SRV.1": ("", ("1234",)), "SRV.2": ("na", ()), "SRV.3": ("2", ())},
    "et-end": {"GOV.1": ("4", ()), "GOV.2": ("", ("yes",)), "GOV.3": ("", ("women", "disability")),
               "GOV.4": ("", ("yearly",)), "GOV.5": ("4", ()), "SRV.1": ("", ("1234",)), "SRV.2": ("3", ()),
               "SRV.3": ("4", ()), "SRV.4": ("", (FREE_TEXT,)), "SRV.5": ("", ("yes",))},
}
ANSWERS["et-points"] = ANSWERS["et-end"]
ROUNDS = {  # code: (questionnaire, rubric, starts on, tracks answered)
    "et-base": ("every-type", "every-type-default", date(2025, 1, 1), (Track.SELF, Track.MENTOR, Track.CONSENSUS)),
    "et-end": ("every-type", "every-type-default", date(2026, 1, 1), (Track.SELF, Track.MENTOR, Track.CONSENSUS)),
    "et-points": ("every-type", "every-type-points", date(2026, 6, 1), (Track.SELF,)),
    "oca": ("gesi-oca", "gesi-oca-default", date(2026, 9, 1), (Track.SELF, Track.MENTOR, Track.CONSENSUS)),
}


def _round(code: str, questionnaire: str, rubric: str, starts_on: date) -> None:
    db.session.add(AssessmentRound(
        code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE, starts_on=starts_on,
        ends_on=starts_on + timedelta(days=60), is_open=False, questionnaire_id=questionnaire,
        questionnaire_version="1.0", rubric_id=rubric, rubric_version="1.0"))


def _answer_round(org: Organisation, round_: AssessmentRound, tracks) -> None:
    library = load_directory()
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = library.rubric(round_.rubric_id, round_.rubric_version)
    answers = ANSWERS.get(round_.code) or {i.code: ("3", ()) for i in questionnaire.indicators if i.computed is None}
    for track in tracks:
        assessment = answering.get_or_create_assessment(org, round_, track, questionnaire, rubric)
        for code, (choice, values) in answers.items():
            answering.save_answer(None, assessment, questionnaire, code,
                                  answering.AnswerInput(choice, revision=0, values=values))
        answering.submit(None, assessment, questionnaire)


@pytest.fixture(scope="package")
def instrument_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("instrument")
    questionnaires = copy_questionnaires(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder / "instance"))
        mp.setenv("CAPACITY_QUESTIONNAIRES", str(questionnaires))  # read whenever the library loads: kept set
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}"})
        with app.app_context():
            db.create_all()
            db.session.add(Organisation(code=ORG, name_ka="ორგანიზაცია ა", name_en="Organisation A",
                                        municipality="telavi"))
            manager = User(email=MANAGER, display_name="Manager", role=Role.MANAGER)
            manager.set_password(PASSWORD)
            db.session.add(manager)
            for code, (questionnaire, rubric, starts_on, _tracks) in ROUNDS.items():
                _round(code, questionnaire, rubric, starts_on)
            db.session.commit()
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == ORG))
            for code, (_questionnaire, _rubric, _starts_on, tracks) in ROUNDS.items():
                _answer_round(org, db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code)),
                              tracks)
            db.session.commit()
        yield app
        with app.app_context():
            db.engine.dispose()
