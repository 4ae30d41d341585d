"""Configuration and failure modes: one clear line, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.audit.models import AuditEvent, AuditEventImmutable
from capacity.audit.services import record
from capacity.config import ConfigError
from capacity.extensions import db


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CAPACITY_")}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", "from capacity.cli import main; main()", *args],
                          capture_output=True, text=True, env=environment, timeout=60)


def test_production_refuses_the_default_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAPACITY_ENV", "production")
    monkeypatch.delenv("CAPACITY_SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="CAPACITY_SECRET_KEY"):
        create_app()
    monkeypatch.setenv("CAPACITY_SECRET_KEY", "a" * 64)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_cli_says_in_one_line_how_to_set_the_secret_key(tmp_path):
    result = run_cli("org", "list", CAPACITY_ENV="production", CAPACITY_INSTANCE_PATH=str(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("capacity: CAPACITY_SECRET_KEY is not set")


def test_help_without_a_secret_key_in_production_lists_the_commands_and_says_why_in_one_line(tmp_path):
    result = run_cli("--help", CAPACITY_ENV="production", CAPACITY_INSTANCE_PATH=str(tmp_path))
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == result.stderr.strip().splitlines()[0]  # one line
    assert result.stderr.startswith("capacity: CAPACITY_SECRET_KEY is not set")
    assert "backup" in result.stdout and "report" in result.stdout


def test_unreachable_database_gives_one_line(tmp_path):
    result = run_cli("org", "list", CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(tmp_path),
                     CAPACITY_DATABASE_URL="postgresql+psycopg://nobody:secret@127.0.0.1:9/none")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("capacity: cannot use the database postgresql+psycopg://nobody:***@127.0.0.1:9/none")
    assert "secret" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_database_folder_gives_one_line(tmp_path):
    result = run_cli("org", "list", CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(tmp_path),
                     CAPACITY_DATABASE_URL=f"sqlite:///{tmp_path}/no/such/folder/capacity.db")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "does not exist" in result.stderr and "CAPACITY_DATABASE_URL" in result.stderr


def test_missing_instance_folder_is_created(tmp_path):
    folder = tmp_path / "new" / "instance"
    result = run_cli("db", "upgrade", CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(folder))
    assert result.returncode == 0, result.stderr
    assert (folder / "capacity.db").exists()


def test_web_page_says_the_database_is_unavailable(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none"})
    response = app.test_client().post("/login", data={"email": "a@example.org", "password": "whatever"})
    assert response.status_code == 503
    assert "მონაცემთა ბაზა მიუწვდომელია" in response.get_data(as_text=True)


def test_audit_events_cannot_be_changed_or_deleted(app):
    with app.app_context():
        event = record(None, "test.event", "thing", 1, after={"x": 1})
        db.session.commit()
        event.action = "forged"
        with pytest.raises(AuditEventImmutable):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, event.id))
        with pytest.raises(AuditEventImmutable):
            db.session.commit()
        db.session.rollback()
        assert db.session.scalar(sa.select(AuditEvent.action)) == "test.event"


def test_sqlite_enforces_foreign_keys(app, backend, factory):
    if backend[0] != "sqlite":
        pytest.skip("checks the SQLite connection settings")
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


PUBLISHED_KEY = "capacity-development-key-do-not-use-in-production"  # the default key of earlier versions


def _forged_session_cookie(secret_key: str, user_id: str) -> str:
    from flask import Flask
    from flask.sessions import SecureCookieSessionInterface

    forger = Flask("forger")
    forger.secret_key = secret_key
    return SecureCookieSessionInterface().get_signing_serializer(forger).dumps({"_user_id": user_id, "_fresh": True})


def test_development_refuses_a_cookie_signed_with_the_published_key(monkeypatch, tmp_path):
    from capacity.auth.models import User
    from tests.factories import Factory

    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAPACITY_ENV", "development")
    app = create_app()
    with app.app_context():
        db.create_all()
        email = Factory(app).user("admin", email="admin@example.org")
        user_id = db.session.scalar(sa.select(User).where(User.email == email)).get_id()
        db.session.remove()
    client = app.test_client()
    client.set_cookie("session", _forged_session_cookie(PUBLISHED_KEY, user_id))
    response = client.get("/admin/users/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # The real key: random, private to this installation, and the same after a restart.
    key_file = tmp_path / "secret_key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert app.config["SECRET_KEY"] == key_file.read_text().strip() != PUBLISHED_KEY
    assert len(app.config["SECRET_KEY"]) >= 32
    assert create_app().config["SECRET_KEY"] == app.config["SECRET_KEY"]
    with app.app_context():
        db.engine.dispose()


def test_production_refuses_the_published_key_even_when_set(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAPACITY_ENV", "production")
    monkeypatch.setenv("CAPACITY_SECRET_KEY", PUBLISHED_KEY)
    with pytest.raises(ConfigError, match="CAPACITY_SECRET_KEY is not set"):
        create_app()
    assert not (tmp_path / "secret_key").exists()  # production never makes up a key of its own


@pytest.fixture
def dev_server_started(monkeypatch):
    """Flask's ``run`` is real up to the point where it would start serving: that call is recorded."""
    from werkzeug.serving import WSGIRequestHandler

    calls = []
    monkeypatch.setattr("flask.cli.run_simple", lambda host, port, app, **kw: calls.append((host, port)))
    # `capacity run` renames the server in the Server header: undo that for the rest of the test run.
    monkeypatch.setattr(WSGIRequestHandler, "version_string", WSGIRequestHandler.version_string)
    return calls


def _dev_app(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAPACITY_ENV", "development")
    return create_app()


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.168.1.20", "capacity.example.org"])
def test_development_server_refuses_a_host_other_machines_can_reach(monkeypatch, tmp_path, dev_server_started, host):
    from capacity.cli import cli

    result = _dev_app(monkeypatch, tmp_path).test_cli_runner().invoke(cli, ["run", "--host", host, "--port", "5999"])
    assert result.exit_code == 2
    assert dev_server_started == []
    message = result.output.strip()
    assert len(message.splitlines()) == 1
    assert message.startswith(f"capacity: the development server will not listen on {host}")
    assert "--allow-public" in message and "gunicorn" in message


def test_development_server_listens_on_loopback_or_when_told_it_is_public(monkeypatch, tmp_path, dev_server_started):
    from capacity.cli import cli

    runner = _dev_app(monkeypatch, tmp_path).test_cli_runner()
    assert runner.invoke(cli, ["run", "--port", "5999"]).exit_code == 0
    assert runner.invoke(cli, ["run", "--host", "localhost", "--port", "5999"]).exit_code == 0
    assert runner.invoke(cli, ["run", "--host", "0.0.0.0", "--port", "5999", "--allow-public"]).exit_code == 0
    monkeypatch.setenv("CAPACITY_ALLOW_PUBLIC_DEV", "1")
    assert runner.invoke(cli, ["run", "--host", "0.0.0.0", "--port", "5999"]).exit_code == 0
    assert dev_server_started == [("127.0.0.1", 5999), ("localhost", 5999), ("0.0.0.0", 5999), ("0.0.0.0", 5999)]


def test_demo_is_refused_in_production_unless_asked_for_a_demo_server(monkeypatch, tmp_path):
    from capacity.cli import cli

    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAPACITY_ENV", "production")
    monkeypatch.setenv("CAPACITY_SECRET_KEY", "k" * 64)
    built = []
    monkeypatch.setattr("capacity.demo.services.build_demo", lambda: built.append(True) or [])
    runner = create_app().test_cli_runner()
    refused = runner.invoke(cli, ["demo"])
    assert refused.exit_code == 2 and built == []
    assert len(refused.output.strip().splitlines()) == 1
    assert refused.output.startswith("capacity: the demo is not loaded in production")
    assert "--allow-in-production" in refused.output
    allowed = runner.invoke(cli, ["demo", "--allow-in-production"])
    assert allowed.exit_code == 0 and built == [True]
