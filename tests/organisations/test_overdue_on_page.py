"""An organisation's page names its development plan's overdue actions to whoever may see the organisation."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.plans.models import ActionStatus, DevelopmentPlan, PlanAction
from capacity.rounds.models import AssessmentRound
from tests.conftest import login


def _plan_with_actions(app, code: str) -> None:
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
        plan = DevelopmentPlan(organisation_id=org.id, round_id=round_.id)
        late = date.today() - timedelta(days=30)  # a month late in any time zone
        plan.actions = [
            PlanAction(indicators_raw="GOV.01", description="Adopt the safeguarding policy", due_on=late),
            PlanAction(indicators_raw="HR.01", description="Hire a finance officer", due_on=late,
                       status=ActionStatus.DONE, completed_on=late),
            PlanAction(indicators_raw="FIN.01", description="Open a second account", due_on=date.today() + timedelta(days=30)),
        ]
        db.session.add(plan)
        db.session.commit()


def _english(app, email):
    client = app.test_client()
    assert login(client, email).status_code == 302
    assert client.post("/language", data={"language": "en"}).status_code == 302
    return client


def test_staff_mentor_and_manager_see_the_overdue_action_and_only_it(app, factory):
    own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
    staff, mentor, manager = factory.user("cso", org=own), factory.user("mentor"), factory.user("manager")
    other_staff = factory.user("cso", org=other)
    factory.assign(mentor, own)
    factory.round("baseline")
    _plan_with_actions(app, own)
    for email in (staff, mentor, manager):
        page = _english(app, email).get(f"/organisations/{own}").get_data(as_text=True)
        assert "Overdue actions (1)" in page, email
        assert "Adopt the safeguarding policy" in page and "/plans/baseline#action-" in page
        # Done, or not due yet: not overdue.
        assert "Hire a finance officer" not in page and "Open a second account" not in page
    assert _english(app, other_staff).get(f"/organisations/{own}").status_code == 404
    # Another organisation's page says nothing of OWN-01's plan.
    assert "Overdue actions" not in _english(app, other_staff).get(f"/organisations/{other}").get_data(as_text=True)
