"""A validated world for plan tests: OWN-01 with staff, an assigned mentor, a manager, and OTH-01's staff.

Levels as in the visibility worlds: self-assessment 1 everywhere, mentor assessment 4, agreed assessment 2
(validated), so every indicator differs by 3 between the two independent tracks.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.plans import services
from capacity.plans.models import DevelopmentPlan
from capacity.rounds.models import AssessmentRound
from tests.assessments.helpers import QUESTIONNAIRE, RATED, RUBRIC, client_for, in_english, text  # noqa: F401

URL = "/organisations/OWN-01/plans/baseline"
EMAILS = {"staff": "staff@own.example.org", "mentor": "mentor@example.org", "manager": "manager@example.org",
          "admin": "admin@example.org", "other_staff": "staff@other.example.org",
          "other_mentor": "other-mentor@example.org"}


def _track(actor, org, round_, track: Track, level: str) -> None:
    assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
    for indicator in RATED:
        answering.save_answer(actor, assessment, QUESTIONNAIRE, indicator.code,
                              answering.AnswerInput(level, revision=0))
    db.session.flush()
    db.session.expire_all()
    answering.submit(actor, answering.get_assessment(org, round_, track), QUESTIONNAIRE)
    db.session.flush()


def objects():
    org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
    return org, round_


def user(role: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == EMAILS[role]))


def validate(app, *, up_to: str = "consensus") -> None:
    """Answer and submit the self-assessment, then the mentor assessment, then validate the agreed one."""
    with app.app_context():
        org, round_ = objects()
        _track(user("staff"), org, round_, Track.SELF, "1")
        if up_to in ("mentor", "consensus"):
            _track(user("mentor"), org, round_, Track.MENTOR, "4")
        if up_to == "consensus":
            _track(user("mentor"), org, round_, Track.CONSENSUS, "2")
        db.session.commit()


def start(app) -> int:
    with app.app_context():
        org, round_ = objects()
        plan = services.start_plan(user("staff"), org, round_)
        db.session.commit()
        return plan.id


def plan_row(app, plan_id: int) -> DevelopmentPlan:
    return db.session.get(DevelopmentPlan, plan_id)


@pytest.fixture
def world(factory):
    own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
    factory.user("cso", org=own, email=EMAILS["staff"])
    factory.user("cso", org=other, email=EMAILS["other_staff"])
    factory.user("mentor", email=EMAILS["mentor"])
    factory.user("mentor", email=EMAILS["other_mentor"])
    factory.user("manager", email=EMAILS["manager"])
    factory.user("admin", email=EMAILS["admin"])
    factory.assign(EMAILS["mentor"], own)
    factory.assign(EMAILS["other_mentor"], other)
    factory.round("baseline")
    return EMAILS
