"""Programme managers choose an organisation's mentors; each change is audited; links appear for them only."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.organisations import services
from capacity.organisations.models import MentorAssignment, Organisation
from tests.conftest import login
from tests.rounds.helpers import client_as


def assigned(app, org_code: str) -> set[int]:
    with app.app_context():
        return set(db.session.scalars(
            sa.select(MentorAssignment.mentor_id).join(Organisation).where(Organisation.code == org_code)))


def test_page_lists_mentors_as_checkboxes_with_the_assigned_ones_ticked(app, factory):
    org = factory.org("TEL-01")
    nino = factory.user("mentor", display_name="Nino")
    factory.user("mentor", display_name="Levan")
    factory.user("mentor", display_name="Gone", active=False)
    factory.user("manager", display_name="Not a mentor")
    factory.assign(nino, org)
    page = client_as(app, factory, "manager").get("/organisations/TEL-01/mentors").get_data(as_text=True)
    assert "<fieldset" in page and "<legend>Mentors of this organisation</legend>" in page
    assert re.search(f'<input checked id="mentors-\\d" name="mentors" type="checkbox" value="{factory.user_id(nino)}"> Nino', page)
    assert re.search(r'<input id="mentors-\d" name="mentors" type="checkbox" value="\d+"> Levan', page)
    assert "Gone" not in page and "Not a mentor" not in page  # inactive, unassigned; not a mentor


def test_saving_adds_and_removes_mentors_and_audits_each_change(app, factory):
    org = factory.org("TEL-01")
    nino, levan = factory.user("mentor", email="nino@example.org"), factory.user("mentor", email="levan@example.org")
    factory.assign(nino, org)
    client = client_as(app, factory, "manager")
    response = client.post("/organisations/TEL-01/mentors", data={"mentors": [str(factory.user_id(levan))]},
                           follow_redirects=True)
    assert "The mentors of this organisation have been saved." in response.get_data(as_text=True)
    assert assigned(app, "TEL-01") == {factory.user_id(levan)}
    with app.app_context():
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "TEL-01"))
        trail = [(e.action, e.object_id, e.organisation_id, e.before, e.after) for e in db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action.like("assignment.%")).order_by(AuditEvent.id))]
    assert trail == [
        ("assignment.create", str(factory.user_id(levan)), org_id, None, {"mentor": "levan@example.org"}),
        ("assignment.delete", str(factory.user_id(nino)), org_id, {"mentor": "nino@example.org"}, None),
    ]
    page = client.get("/organisations/TEL-01").get_data(as_text=True)
    assert "levan" in page and "nino" not in page


def test_a_non_mentor_cannot_be_assigned(app, factory):
    org = factory.org("TEL-01")
    staff = factory.user("cso", org=org)
    factory.user("mentor")
    client = client_as(app, factory, "admin")
    page = client.post("/organisations/TEL-01/mentors", data={"mentors": [str(factory.user_id(staff))]})
    assert page.status_code == 200 and 'id="mentors-error"' in page.get_data(as_text=True)
    assert assigned(app, "TEL-01") == set()


def test_the_service_refuses_an_account_that_is_not_a_mentor(app, factory):
    org = factory.org("TEL-01")
    # Looked up first: the factory opens its own session, which must not wait for this test's transaction.
    manager_id = factory.user_id(factory.user("manager"))
    with app.app_context():
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.code == org))
        with pytest.raises(ValueError):
            services.set_organisation_mentors(None, organisation, {manager_id})


def test_links_to_rounds_and_mentor_assignment_are_for_managers_and_admins(app, factory):
    org = factory.org("TEL-01")
    mentor = factory.user("mentor", language="en")
    factory.assign(mentor, org)
    for role in ("manager", "admin"):
        page = client_as(app, factory, role).get("/organisations/TEL-01").get_data(as_text=True)
        assert 'href="/organisations/TEL-01/mentors"' in page and "Assign mentors" in page
        assert 'href="/rounds/"' in page and ">Rounds</a>" in page
    for email in (mentor, factory.user("cso", org=org, language="en")):
        client = app.test_client()
        login(client, email)
        page = client.get("/organisations/TEL-01").get_data(as_text=True)
        assert "/mentors" not in page and 'href="/rounds/"' not in page
