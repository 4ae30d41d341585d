"""Administrators manage accounts without an e-mail server."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment
from tests.conftest import login


def admin_client(app, factory):
    client = app.test_client()
    login(client, factory.user("admin", email="admin@example.org"))
    return client


def test_admin_creates_a_cso_user_who_can_then_log_in(app, factory):
    factory.org("TEL-01")
    client = admin_client(app, factory)
    response = client.post("/admin/users/new", data={
        "email": "staff@tel01.example.org", "display_name": "ეკა", "role": "cso", "organisation": "TEL-01",
        "language": "ka", "password": "first password",
    })
    assert response.status_code == 302
    fresh = app.test_client()
    assert login(fresh, "staff@tel01.example.org", "first password").status_code == 302
    assert fresh.get("/").location == "/organisations/TEL-01"


def test_cso_account_without_organisation_is_refused_with_a_message(app, factory):
    client = admin_client(app, factory)
    page = client.post("/admin/users/new", data={
        "email": "x@example.org", "display_name": "X", "role": "cso", "organisation": "", "language": "ka",
        "password": "long password",
    }).get_data(as_text=True)
    assert 'id="organisation-error"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == "x@example.org")) is None


def test_duplicate_email_is_refused(app, factory):
    factory.user("manager", email="taken@example.org")
    client = admin_client(app, factory)
    page = client.post("/admin/users/new", data={
        "email": "Taken@example.org", "display_name": "Y", "role": "manager", "language": "en", "password": "long password",
    }).get_data(as_text=True)
    assert 'id="email-error"' in page


def test_mentor_assignments_are_set_on_the_account_page_and_audited(app, factory):
    factory.org("TEL-01")
    factory.org("BAT-01", municipality="batumi")
    mentor = factory.user("mentor", email="m@example.org")
    client = admin_client(app, factory)
    with app.app_context():
        org_ids = dict(db.session.execute(sa.text("SELECT code, id FROM organisations")).all())
    response = client.post(f"/admin/users/{factory.user_id(mentor)}/edit", data={
        "email": mentor, "display_name": "Mentor", "role": "mentor", "organisation": "", "language": "ka",
        "mentor_organisations": [str(org_ids["BAT-01"])],
    })
    assert response.status_code == 302
    mentor_client = app.test_client()
    login(mentor_client, mentor)
    assert mentor_client.get("/organisations/BAT-01").status_code == 200
    assert mentor_client.get("/organisations/TEL-01").status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MentorAssignment.id))) == 1
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assignment.create")) is not None


def test_deactivated_user_cannot_log_in_and_can_be_reactivated(app, factory):
    email = factory.user("mentor")
    user_id = factory.user_id(email)
    client = admin_client(app, factory)
    assert client.post(f"/admin/users/{user_id}/active", data={"active": "0"}).status_code == 302
    assert login(app.test_client(), email).status_code == 200  # refused: the form again
    client.post(f"/admin/users/{user_id}/active", data={"active": "1"})
    assert login(app.test_client(), email).status_code == 302


def test_a_logged_in_user_who_is_deactivated_loses_access(app, factory):
    email = factory.user("manager")
    session = app.test_client()
    login(session, email)
    admin_client(app, factory).post(f"/admin/users/{factory.user_id(email)}/active", data={"active": "0"})
    assert session.get("/").status_code == 302


def test_admin_cannot_deactivate_themselves(app, factory):
    client = admin_client(app, factory)
    client.post(f"/admin/users/{factory.user_id('admin@example.org')}/active", data={"active": "0"})
    with app.app_context():
        assert db.session.scalar(sa.select(User.active).where(User.email == "admin@example.org")) is True


def test_admin_sets_a_new_password(app, factory):
    email = factory.user("mentor")
    client = admin_client(app, factory)
    url = f"/admin/users/{factory.user_id(email)}/password"
    short = client.post(url, data={"password": "short", "confirm": "short"})
    assert short.status_code == 200 and 'id="password-error"' in short.get_data(as_text=True)
    mismatch = client.post(url, data={"password": "new password 1", "confirm": "new password 2"})
    assert 'id="confirm-error"' in mismatch.get_data(as_text=True)
    assert client.post(url, data={"password": "new password 1", "confirm": "new password 1"}).status_code == 302
    assert login(app.test_client(), email, "new password 1").status_code == 302
    assert login(app.test_client(), email, factory.PASSWORD).status_code == 200
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.password"))
        assert event.before is None and event.after is None  # the password never enters the audit trail
        assert db.session.scalar(sa.select(User.role).where(User.email == email)) == Role.MENTOR
