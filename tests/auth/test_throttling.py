"""Too many failed logins lock the account and the address for a while, with a clear page."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.auth.throttling import MAX_FAILURES
from capacity.extensions import db

REDIS_URL = os.environ.get("CAPACITY_TEST_REDIS_URL", "")
LOCKED_EN = "Too many failed attempts to log in"


def attempt(client, email: str, password: str, address: str = "198.51.100.7", **headers):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def fail(client, email: str, times: int, address: str = "198.51.100.7") -> None:
    for _ in range(times):
        assert attempt(client, email, "wrong password", address).status_code == 200


def english(client) -> None:
    client.post("/language", data={"language": "en", "next": "/login"})


def test_ten_failures_lock_the_account_even_for_the_right_password(app, factory):
    email = factory.user("manager")
    client = app.test_client()
    english(client)
    fail(client, email, MAX_FAILURES)
    locked = attempt(client, email, factory.PASSWORD)
    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert LOCKED_EN in page and "try again in 15 minutes" in page, page[page.find("<main"):]
    assert client.get("/").status_code == 302  # not logged in
    # The lock follows the account, from any address, and is written in the audit trail once.
    assert attempt(app.test_client(), f"  {email.upper()} ", factory.PASSWORD, "203.0.113.9").status_code == 429
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "auth.lockout")))
    assert len(events) == 1 and events[0].object_id == email and events[0].after["by"] == "account"


def test_the_lockout_page_is_in_georgian_by_default(app, factory):
    email = factory.user("manager")
    client = app.test_client()
    fail(client, email, MAX_FAILURES)
    page = attempt(client, email, factory.PASSWORD).get_data(as_text=True)
    assert '<html lang="ka">' in page and "15" in page


def test_nine_failures_then_the_right_password_logs_in_and_successes_do_not_count(app, factory):
    email = factory.user("manager")
    client = app.test_client()
    fail(client, email, MAX_FAILURES - 1)
    for _ in range(3):
        assert attempt(client, email, factory.PASSWORD).status_code == 302
        client.post("/logout")
    assert attempt(client, email, factory.PASSWORD).status_code == 302


def test_failures_from_one_address_across_accounts_lock_that_address(app, factory):
    client = app.test_client()
    for n in range(MAX_FAILURES):
        attempt(client, f"guess{n}@example.org", "wrong password", "192.0.2.50")
    email = factory.user("manager")
    assert attempt(client, email, factory.PASSWORD, "192.0.2.50").status_code == 429
    assert attempt(app.test_client(), email, factory.PASSWORD, "192.0.2.51").status_code == 302


def test_a_json_client_gets_json(app, factory):
    email = factory.user("manager")
    client = app.test_client()
    fail(client, email, MAX_FAILURES)
    response = attempt(client, email, factory.PASSWORD, Accept="application/json")
    assert response.status_code == 429
    assert response.get_json()["error"] == "too_many_attempts"
    assert int(response.headers["Retry-After"]) > 0


def test_an_unreachable_redis_never_turns_a_login_into_an_error(backend, tmp_path, monkeypatch):
    from capacity import create_app

    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                      "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:1/0"})
    with app.app_context():
        db.create_all()
    try:
        response = app.test_client().post("/login", data={"email": "a@example.org", "password": "wrong password"})
        assert response.status_code == 200  # the form again, no 500
    finally:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def redis_app(app):
    """The same app, counting in the test Redis."""
    if not REDIS_URL:
        pytest.skip("Redis throttling test skipped: CAPACITY_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)")
    from redis import Redis

    Redis.from_url(REDIS_URL).ping()  # set but unreachable: fail, do not skip
    from capacity.auth.throttling import limiter

    app.config["RATELIMIT_STORAGE_URI"] = REDIS_URL
    limiter.init_app(app)
    assert "redis" in type(limiter.storage).__name__.lower()
    return app


def test_failed_logins_are_counted_in_redis_when_it_is_configured(redis_app, factory):
    email = factory.user("manager", email=f"redis-{uuid.uuid4().hex[:8]}@example.org")
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.1"
    fail(redis_app.test_client(), email, MAX_FAILURES, address)
    # Another "process" (a fresh client; same Redis) sees the lock.
    assert attempt(redis_app.test_client(), email, factory.PASSWORD, "192.0.2.99").status_code == 429
