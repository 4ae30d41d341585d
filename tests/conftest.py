"""Fixtures: an app on SQLite (always) and on PostgreSQL (when CAPACITY_TEST_POSTGRES_URL is reachable).

Every test that uses ``app`` runs once per database backend. SQLite gets a
fresh file per test; PostgreSQL gets one schema per test run, emptied after
each test.
"""
from __future__ import annotations

import os
import shutil
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.extensions import db
from capacity.jobs.services import wait_for_jobs
from tests.factories import Factory

# The tests set their own configuration: nothing from the developer's shell leaks in.
for _name in [n for n in os.environ if n.startswith("CAPACITY_") and not n.startswith("CAPACITY_TEST_")]:
    del os.environ[_name]

POSTGRES_URL = os.environ.get("CAPACITY_TEST_POSTGRES_URL", "")


def _postgres_schema_or_skip() -> tuple[str, str]:
    """A fresh schema name on the test PostgreSQL server; skip without a URL, FAIL when the URL does not answer.

    A server that is down must not turn the PostgreSQL half of the suite into quiet skips.
    """
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL tests skipped: CAPACITY_TEST_POSTGRES_URL is not set "
                    "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)")
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect():
            pass
    except Exception as exc:  # any driver or network error: the server that was asked for is not there
        pytest.fail(f"CAPACITY_TEST_POSTGRES_URL is set but {POSTGRES_URL} does not answer ({type(exc).__name__}: "
                    f"{str(exc).strip().splitlines()[0]}); start PostgreSQL or unset the variable", pytrace=False)
    finally:
        engine.dispose()
    return POSTGRES_URL, f"capacity_test_{uuid.uuid4().hex[:10]}"


def postgres_schema(action: str, schema: str) -> None:
    """CREATE or DROP (with everything in it) a schema on the test PostgreSQL server."""
    engine = sa.create_engine(POSTGRES_URL)
    statement = f'CREATE SCHEMA "{schema}"' if action == "create" else f'DROP SCHEMA "{schema}" CASCADE'
    with engine.begin() as conn:
        conn.execute(sa.text(statement))
    engine.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request):
    """Which database the test runs on: ("sqlite", None) or ("postgres", schema)."""
    if request.param == "sqlite":
        yield ("sqlite", None)
        return
    _url, schema = _postgres_schema_or_skip()
    postgres_schema("create", schema)
    yield ("postgres", schema)
    postgres_schema("drop", schema)


def postgres_config(schema: str) -> dict:
    return {
        "SQLALCHEMY_DATABASE_URI": POSTGRES_URL,
        "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"options": f"-csearch_path={schema}"}},
    }


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory) -> Path:
    """An empty SQLite database with every table, made once per test process: each test starts from a copy
    (a file copy, where create_all took a twentieth of a second per test)."""
    path = tmp_path_factory.mktemp("template") / "template.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(path.parent / "instance"))
        template = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    with template.app_context():
        db.create_all()
        db.engine.dispose()
    return path


@pytest.fixture
def app(backend, tmp_path, monkeypatch, request):
    kind, schema = backend
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path / "instance"))
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.db'}",
    }
    if kind == "postgres":
        config.update(postgres_config(schema))
    else:
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), tmp_path / "test.db")
    app = create_app(config)
    if kind == "postgres":
        with app.app_context():
            db.create_all()
    yield app
    wait_for_jobs()  # a report job started by the test finishes before its database goes away
    with app.app_context():
        if kind == "postgres":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            db.session.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
            db.session.commit()
        db.session.remove()
        db.engine.dispose()


@contextmanager
def demo_app(folder):
    """An app in development mode (plain http) on its own SQLite file, holding the demo portfolio."""
    from capacity.demo.services import build_demo

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder))
        mp.setenv("CAPACITY_ENV", "development")  # plain http: cookies without Secure, no HSTS
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}"})
    with app.app_context():
        db.create_all()
        build_demo()
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _forget_migrations() -> None:
    db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    db.session.commit()


@pytest.fixture
def migrated(app):
    """The app, its create_all() schema thrown away and built the production way: with the migrations.

    Afterwards the tables stay (the app fixture empties them) but the migration record goes:
    the PostgreSQL schema is shared by the whole run, and a later upgrade must start from nothing.
    """
    from flask_migrate import upgrade

    from capacity.migrating import init_migrate

    init_migrate(app)  # create_app leaves Flask-Migrate to the `db` commands (capacity.migrating)
    with app.app_context():
        db.drop_all()
        _forget_migrations()
        upgrade()
    yield app
    with app.app_context():
        _forget_migrations()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def factory(app) -> Factory:
    return Factory(app)


def login(client, email: str, password: str = Factory.PASSWORD):
    return client.post("/login", data={"email": email, "password": password})


@pytest.fixture
def subjects_world(factory) -> dict:
    """Organisations, their services and municipalities with their accounts: tests/access_rows.py (subject kinds)."""
    from tests.access_rows import build_subjects_world

    return build_subjects_world(factory)
