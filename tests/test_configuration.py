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
from tests.conftest import login


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
