"""Every status on the home page is a link to that track's page, where the user may open it, and says its state."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.assessments.models import Assessment, Status, Track
from capacity.extensions import db
from tests.conftest import login
from tests.rounds.helpers import add_assessment, client_as, rated_codes, row

TRACK = "/organisations/TEL-01/assessments/endline"


def world(app, factory) -> str:
    factory.round("endline")
    org = factory.org("TEL-01")
    mentor = factory.user("mentor", language="en")
    factory.assign(mentor, org)
    add_assessment(app, org, "endline", Track.SELF, Status.SUBMITTED, [(c, 2, False) for c in rated_codes()])
    add_assessment(app, org, "endline", Track.MENTOR, Status.DRAFT, [(rated_codes()[0], 3, False)])
    return mentor


def test_a_manager_s_home_links_every_status_to_its_track(app, factory):
    world(app, factory)
    home = row(client_as(app, factory, "manager").get("/").get_data(as_text=True), "TEL-01")
    assert f'<a class="state-link" href="{TRACK}/self/"><span class="badge badge--submitted">Submitted</span>' in home
    assert f'<a class="state-link" href="{TRACK}/mentor/"><span class="badge badge--draft">Draft</span>' in home
    assert f'<a class="state-link" href="{TRACK}/consensus"><span class="badge badge--none">Not started</span>' in home
    assert 'class="state state--submitted" data-label="Self-assessment"' in home
    assert '<span class="visually-hidden"> — Self-assessment, Organisation TEL-01</span>' in home


def test_a_mentor_s_home_does_not_link_the_self_assessment_before_their_own_is_submitted(app, factory):
    mentor = world(app, factory)
    client = app.test_client()
    login(client, mentor)
    home = row(client.get("/").get_data(as_text=True), "TEL-01")
    # They may know how far the organisation has got, never open its answers: a status without a link.
    assert '<span class="badge badge--submitted">Submitted</span>' in home
    assert f'href="{TRACK}/self/"' not in home
    assert f'href="{TRACK}/mentor/"' in home and f'href="{TRACK}/consensus"' in home
    assert client.get(f"{TRACK}/self/").status_code == 404
    factory.org("TEL-02")  # an organisation this mentor does not support: not on their home at all
    with app.app_context():  # the mentor submits their own assessment
        db.session.execute(sa.update(Assessment).where(Assessment.track == Track.MENTOR).values(status=Status.SUBMITTED))
        db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert f'href="{TRACK}/self/"' in row(page, "TEL-01")  # submitted: the self-assessment opens now
    assert "TEL-02" not in page
