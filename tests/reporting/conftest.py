"""One demo database for all reporting tests: rendering is slow, so it is built once for the package."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.assessments.models import Answer, Assessment, Track
from capacity.rounds.models import AssessmentRound
from capacity.demo.services import build_demo
from capacity.extensions import db
from capacity.organisations.models import Organisation

HOSTILE = '<img src="file:///etc/passwd"> http://127.0.0.1:9/steal.png'


@pytest.fixture(scope="package")
def demo_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder))
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}"})
    with app.app_context():
        db.create_all()
        build_demo()
        # A rationale typed by a user, full of things a renderer might try to fetch.
        # The first organisation whose agreed assessment explains a gap: its profile prints that rationale.
        answer = db.session.scalar(sa.select(Answer).join(Assessment).join(Organisation).join(AssessmentRound).where(
            AssessmentRound.code == "endline", Assessment.track == Track.CONSENSUS, Answer.comment != "")
            .order_by(Organisation.code, Answer.indicator_code).limit(1))
        answer.comment = HOSTILE
        app.config["PROFILE_ORG"] = answer.assessment.organisation.code
        app.config["PROFILE_NAMES"] = (answer.assessment.organisation.name_ka, answer.assessment.organisation.name_en)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()
