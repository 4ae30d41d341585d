"""A world for the mentoring log: two organisations, their staff and mentors, a round and OWN-01's plan."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
import sqlalchemy as sa

from capacity.auth.models import User
from capacity.extensions import db
from capacity.mentoring.models import FollowUp, MentoringSession
from capacity.organisations.models import Organisation
from capacity.plans.models import DevelopmentPlan, PlanAction
from capacity.rounds.models import AssessmentRound
from tests.conftest import login

LOG = "/organisations/OWN-01/mentoring"
VALID = {"round_code": "baseline", "held_on": "2026-02-10", "hours": "1", "minutes": "30", "mode": "on_site",
         "participants_total": "5", "participants_female": "3", "participants_male": "2",
         "participants_with_disability": "1", "notes": "Worked on the safeguarding policy.",
         "follow_ups": "Draft the complaints procedure\nShare the budget template"}


@dataclass
class MentoringWorld:
    app: object
    users: dict[str, str]
    actions: list[int]  # OWN-01's baseline plan actions

    def client(self, role: str, language: str = "en"):
        client = self.app.test_client()
        assert login(client, self.users[role]).status_code == 302
        assert client.post("/language", data={"language": language}).status_code == 302
        return client

    def sessions(self) -> list[MentoringSession]:
        with self.app.app_context():
            found = list(db.session.scalars(sa.select(MentoringSession).order_by(MentoringSession.id)))
            for s in found:
                _ = s.follow_ups, s.actions, s.mentor, s.round
            db.session.expunge_all()
            return found

    def follow_ups(self) -> list[str]:
        with self.app.app_context():
            return list(db.session.scalars(sa.select(FollowUp.text).order_by(FollowUp.id)))

    def record(self, role: str = "mentor", **changes) -> int:
        response = self.client(role).post(f"{LOG}/new", data={**VALID, **changes})
        assert response.status_code == 302, response.get_data(as_text=True)
        return self.sessions()[-1].id


@pytest.fixture
def mw(app, factory) -> MentoringWorld:
    own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
    users = {
        "staff": factory.user("cso", org=own, display_name="Staff Own"),
        "other_staff": factory.user("cso", org=other),
        "mentor": factory.user("mentor", display_name="Mentor Nino"),
        "second_mentor": factory.user("mentor", display_name="Mentor Giorgi"),
        "other_mentor": factory.user("mentor"),
        "manager": factory.user("manager"),
        "admin": factory.user("admin"),
    }
    factory.assign(users["mentor"], own)
    factory.assign(users["second_mentor"], own)
    factory.assign(users["other_mentor"], other)
    factory.round("baseline")
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == own))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
        plan = DevelopmentPlan(organisation_id=org.id, round_id=round_.id)
        plan.actions = [PlanAction(indicators_raw="GOV.01", description="Adopt a safeguarding policy"),
                        PlanAction(indicators_raw="FIN.01", description="Train the accountant")]
        db.session.add(plan)
        db.session.commit()
        actions = [a.id for a in plan.actions]
    return MentoringWorld(app, users, actions)


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def add_round(app, code: str, starts_on: date, with_plan_for: str | None = None) -> None:
    with app.app_context():
        round_ = AssessmentRound(code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind="endline",
                                 starts_on=starts_on, ends_on=None, is_open=True, questionnaire_id="gesi-oca",
                                 questionnaire_version="1.0", rubric_id="gesi-oca-default", rubric_version="1.0")
        db.session.add(round_)
        db.session.flush()
        if with_plan_for:
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == with_plan_for))
            db.session.add(DevelopmentPlan(organisation_id=org.id, round_id=round_.id))
        db.session.commit()
