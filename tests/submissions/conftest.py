"""A round on the every-type instrument with three organisations, and the people around them."""
from __future__ import annotations

from datetime import date

import pytest

from capacity.extensions import db
from capacity.questionnaires.library import load_directory
from tests.questionnaire_fixtures import make_round, questionnaire_dir  # noqa: F401 (a fixture)


@pytest.fixture
def world(app, factory, questionnaire_dir):  # noqa: F811 (the fixture above)
    round_code = make_round(app, "kobo", "every-type", "1.0", "every-type-default", "1.0", date(2026, 4, 1))
    orgs = [factory.org(code) for code in ("ORG-A", "ORG-B", "ORG-C")]
    mentor = factory.user("mentor", email="mentor@example.org")
    factory.assign(mentor, "ORG-A")
    return {
        "round": round_code, "orgs": orgs, "mentor": mentor,
        "manager": factory.user("manager", email="manager@example.org"),
        "admin": factory.user("admin", email="admin@example.org"),
        "cso": factory.user("cso", org="ORG-A", email="cso@example.org"),
        "questionnaire": load_directory().questionnaire("every-type", "1.0"),
    }


# A complete, valid answer set of the every-type instrument (GOV.3 asked because GOV.2 is yes, SRV.3 because
# SRV.1 ≥ 1, SRV.4 because SRV.3 ≥ 3, SRV.5 because GOV.4 is yearly).
FULL = {"GOV.1": "3", "GOV.2": "yes", "GOV.3": "women youth", "GOV.4": "yearly", "GOV.5": "2", "SRV.1": "120",
        "SRV.2": "na", "SRV.3": "4", "SRV.4": "Ramps at the entrance", "SRV.5": "no"}
SHORT = {"GOV.1": "1", "GOV.2": "no", "GOV.4": "never", "GOV.5": "4", "SRV.1": "0", "SRV.2": "2"}


def stored(app, org_code: str, round_code: str, track: str) -> dict[str, tuple]:
    """{indicator: (level, value, not applicable, comment)} stored for one organisation's track."""
    from capacity.assessments.models import Answer, Assessment
    from capacity.organisations.models import Organisation
    from capacity.rounds.models import AssessmentRound

    with app.app_context():
        rows = db.session.execute(
            db.select(Answer.indicator_code, Answer.level, Answer.value, Answer.not_applicable, Answer.comment)
            .join(Assessment).join(Organisation).join(AssessmentRound)
            .where(Organisation.code == org_code, AssessmentRound.code == round_code, Assessment.track == track))
        return {code: (level, value, na, comment) for code, level, value, na, comment in rows}
