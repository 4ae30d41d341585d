"""A round on the every-type instrument (tests/fixtures/questionnaires/every-type.yaml, percent rubric), with
answers stored as the database keeps them: a level for scale questions, a value for every other type.

OWN-01 (staff, an assigned mentor) and OTH-01 (its own mentor) in round "baseline"; OWN-01 and round are named
as in tests/visibility, so its export readers apply. Each track's free text (SRV.4) carries a marker: the self-
assessment's is a formula (SELF-TEXT inside =HYPERLINK), the mentor's MENTOR-TEXT, the agreement's AGREED-TEXT,
OTH-01's OTHER-TEXT. ``typed_world(state)`` builds one state of the visibility tests: S2 self submitted and
mentor draft, S3 mentor submitted and agreement draft, S4 agreement validated.

Answers are written with the models (the answer form's handling of types is another part's work); the
assessments are pinned to the files' hashes as the answering service pins them.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Answer, Status, Track
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from tests.questionnaire_fixtures import make_round, questionnaire_dir  # noqa: F401  (a fixture)

FORMULA = '=HYPERLINK("http://evil.example/","SELF-TEXT")'
SELF = {"GOV.1": 4, "GOV.2": "yes", "GOV.3": ["women", "youth"], "GOV.4": "yearly", "GOV.5": 2,
        "SRV.1": "60", "SRV.2": "na", "SRV.3": 4, "SRV.4": FORMULA, "SRV.5": "yes"}
# The mentor says no consultations: GOV.3 is no longer asked (a stale answer to it stays, marked so).
MENTOR = {"GOV.1": 3, "GOV.2": "no", "GOV.3": ["women"], "GOV.4": "never", "GOV.5": 1,
          "SRV.1": "5", "SRV.2": 2, "SRV.3": 3, "SRV.4": "MENTOR-TEXT", "SRV.5": None}
AGREED = {"GOV.1": 3, "GOV.2": "yes", "GOV.3": ["women"], "GOV.4": "more_often", "GOV.5": 2,
          "SRV.1": "12", "SRV.2": 3, "SRV.3": 3, "SRV.4": "AGREED-TEXT", "SRV.5": "no"}
OTHER = {"GOV.1": 1, "GOV.2": "no", "GOV.4": "rarely", "GOV.5": 1, "SRV.1": "0", "SRV.2": 1,
         "SRV.4": "OTHER-TEXT"}
SCALE = ("GOV.1", "GOV.5", "SRV.2", "SRV.3")
MARKERS = {"self": "SELF-TEXT", "mentor": "MENTOR-TEXT", "consensus": "AGREED-TEXT"}


def store(org: Organisation, round_: AssessmentRound, track: Track, answers: dict, status: Status) -> None:
    library = load_directory()
    questionnaire, rubric = library.questionnaire("every-type", "1.0"), library.rubric("every-type-default", "1.0")
    assessment = answering.get_or_create_assessment(org, round_, track, questionnaire, rubric)
    for code, given in answers.items():
        if given is None:
            continue
        scale, na = code in SCALE, given == "na"
        value = json.dumps(given) if isinstance(given, list) else given
        db.session.add(Answer(assessment=assessment, indicator_code=code, level=given if scale and not na else None,
                              value=None if scale or na else str(value), not_applicable=na,
                              comment=f"{track.value} comment on {code}", evidence_url=""))
    assessment.status = status
    db.session.flush()


@pytest.fixture
def typed_world(app, factory, questionnaire_dir):  # noqa: F811  (the fixture imported above)
    """``build(state)`` → {"users": role → e-mail}; see the module's docstring."""
    def build(state: str = "S4") -> dict:
        factory.org("OWN-01")
        factory.org("OTH-01", municipality="batumi")
        users = {"staff": factory.user("cso", org="OWN-01"), "mentor": factory.user("mentor"),
                 "other_mentor": factory.user("mentor"), "manager": factory.user("manager")}
        factory.assign(users["mentor"], "OWN-01")
        factory.assign(users["other_mentor"], "OTH-01")
        make_round(app, "baseline", "every-type", "1.0", "every-type-default", "1.0", date(2026, 1, 1))
        level = int(state[1])
        with app.app_context():
            orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
            round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
            own = orgs["OWN-01"]
            store(own, round_, Track.SELF, SELF, Status.SUBMITTED)
            store(own, round_, Track.MENTOR, MENTOR, Status.SUBMITTED if level >= 3 else Status.DRAFT)
            if level >= 3:
                store(own, round_, Track.CONSENSUS, AGREED, Status.VALIDATED if level >= 4 else Status.DRAFT)
            store(orgs["OTH-01"], round_, Track.SELF, OTHER, Status.SUBMITTED)
            db.session.commit()
        return {"users": users}

    return build
