"""One progress count: home page, organisation page and progress grid agree, and a comment alone is not an answer."""
from __future__ import annotations

import re

from capacity.assessments.models import Status, Track
from capacity.assessments.services import track_states
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds import services
from capacity.rounds.queries import by_code
from tests.rounds.helpers import RATED, add_assessment, client_as, computed_codes, rated_codes, row


def test_comment_only_and_computed_answers_count_nowhere_and_the_three_pages_agree(app, factory):
    factory.round("baseline")
    org = factory.org("TEL-01")
    codes = rated_codes()
    # 10 levels + 1 N/A = 11 answered; a comment without a level and a computed indicator are not counted.
    add_assessment(app, org, "baseline", Track.SELF, Status.DRAFT,
                   [(code, 2, False) for code in codes[:10]] + [(codes[10], None, True), (codes[11], None, False),
                                                                (computed_codes()[0], 3, False)])
    with app.app_context():
        organisation = db.session.scalar(db.select(Organisation).where(Organisation.code == org))
        round_ = by_code("baseline")
        assert track_states([organisation.id], round_)[(organisation.id, Track.SELF)].answered == 11
        grid = services.progress(round_, [organisation])
        assert grid.rows[0].cells[Track.SELF].answered == 11 and grid.rated == RATED

    manager = client_as(app, factory, "manager")
    home = row(manager.get("/").get_data(as_text=True), org)
    detail = manager.get(f"/organisations/{org}").get_data(as_text=True)
    progress = row(manager.get("/rounds/baseline/progress").get_data(as_text=True), org)
    assert "11 answers" in home and "12 answers" not in home and "13 answers" not in home
    assert re.findall(r"(\d+) answers?\b", detail) == ["11"]
    assert "20% answered" in progress  # 11 of 55 rated indicators
