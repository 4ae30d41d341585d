"""``capacity backup`` and ``capacity restore``: a restored fresh instance holds every row and every file.

Evidence files and print-all ZIPs are rows (migration 0008), so comparing every
table compares the files too; a download through the restored instance proves it
from the user's side.
"""
from __future__ import annotations

import io
import os
import sqlite3
import stat
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from capacity import create_app
from capacity.cli import cli
from capacity.extensions import db
from capacity.jobs.models import ReportJob
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import utcnow
from tests.conftest import POSTGRES_URL, login, postgres_config

PDF = b"%PDF-1.4\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"  # every byte value: nothing is re-encoded on the way


@pytest.fixture
def world(migrated, factory):
    """A portfolio with answers, an evidence file, a finished print-all job and its audit trail."""
    app = migrated
    factory.org("OWN-01")
    factory.org("OTH-01", municipality="batumi")
    factory.round("baseline")
    staff = factory.user("cso", org="OWN-01", email="staff@own.example.org")
    client = app.test_client()
    login(client, staff)
    base = "/organisations/OWN-01/assessments/baseline/self"
    assert client.post(f"{base}/answers/GOV.01", data={"level": "3", "comment": "კომენტარი", "evidence_url": "",
                                                       "revision": "0"}).status_code == 200
    uploaded = client.post(f"{base}/evidence/GOV.01", data={"file": (io.BytesIO(PDF), "policy.pdf")},
                           headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert uploaded.status_code == 200
    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound))
        db.session.add(ReportJob(id="a" * 32, round_id=round_.id, language="ka", status="done", total=2, done=2,
                                 finished_at=utcnow(), archive=b"PK\x05\x06" + bytes(18), archive_size=22))
        db.session.commit()
    return {"staff": staff, "evidence_url": uploaded.json["url"]}


def snapshot(app) -> dict[str, list[tuple]]:
    """Every row of every table (the schema version included), in primary-key order."""
    with app.app_context():
        tables = list(db.metadata.sorted_tables) + [sa.Table("alembic_version", sa.MetaData(),
                                                             sa.Column("version_num", sa.String, primary_key=True))]
        with db.engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                sa.select(table).order_by(*table.primary_key.columns))] for table in tables}


@pytest.fixture
def fresh(backend, tmp_path):
    """A second, empty instance on the same kind of database: its own folder and its own database."""
    kind, schema = backend
    config = {"TESTING": True, "SECRET_KEY": "another-secret", "WTF_CSRF_ENABLED": False,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh' / 'restored.db'}"}
    database = None
    if kind == "postgres":
        database = f"capacity_restore_{uuid.uuid4().hex[:10]}"
        _server(f"CREATE DATABASE {database}")
        config.update(postgres_config(schema))  # the same schema name, in a database where it does not exist yet
        config["SQLALCHEMY_DATABASE_URI"] = make_url(POSTGRES_URL).set(database=database).render_as_string(False)
    first_instance = os.environ["CAPACITY_INSTANCE_PATH"]  # the first app's (tests/conftest.py)
    os.environ["CAPACITY_INSTANCE_PATH"] = str(tmp_path / "fresh")
    try:
        app = create_app(config)
    finally:
        os.environ["CAPACITY_INSTANCE_PATH"] = first_instance
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if database:
        _server(f"DROP DATABASE {database} WITH (FORCE)")


def _server(statement: str) -> None:
    engine = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(statement))
    engine.dispose()


def test_a_backup_restored_into_a_fresh_instance_holds_every_row_and_every_file(app, world, fresh, tmp_path):
    before = snapshot(app)
    backup_file = tmp_path / "capacity.backup"
    made = app.test_cli_runner().invoke(cli, ["backup", "-o", str(backup_file)])
    assert made.exit_code == 0, made.output
    assert "Backed up" in made.output and backup_file.stat().st_size > len(PDF)
    assert stat.S_IMODE(backup_file.stat().st_mode) == 0o600  # it holds password hashes

    restored = fresh.test_cli_runner().invoke(cli, ["restore", str(backup_file)])
    assert restored.exit_code == 0, restored.output
    after = snapshot(fresh)
    assert after == before
    assert [row[-1] for row in after["report_jobs"]] == [22]  # the ZIP came along (archive_size)
    assert len(after["evidence_files"]) == 1 and len(after["audit_events"]) >= 2

    client = fresh.test_client()
    login(client, world["staff"])
    download = client.get(world["evidence_url"])
    assert download.status_code == 200 and download.data == PDF
    page = client.get("/organisations/OWN-01/assessments/baseline/self/GOV").get_data(as_text=True)
    assert "კომენტარი" in page and "policy.pdf" in page


def test_a_restore_over_data_asks_first_and_a_no_changes_nothing(app, world, tmp_path):
    backup_file = tmp_path / "capacity.backup"
    assert app.test_cli_runner().invoke(cli, ["backup", "-o", str(backup_file)]).exit_code == 0
    with app.app_context():
        db.session.execute(sa.update(ReportJob).values(language="en"))
        db.session.commit()
    changed = snapshot(app)
    answered_no = app.test_cli_runner().invoke(cli, ["restore", str(backup_file)], input="n\n")
    assert answered_no.exit_code == 1 and "already holds data. Replace all of it" in answered_no.output
    assert snapshot(app) == changed
    answered_yes = app.test_cli_runner().invoke(cli, ["restore", str(backup_file)], input="y\n")
    assert answered_yes.exit_code == 0, answered_yes.output
    assert [row.language for row in _jobs(app)] == ["ka"]  # back to the backup


def _jobs(app):
    with app.app_context():
        return list(db.session.scalars(sa.select(ReportJob)))


def test_files_that_are_not_backups_of_this_database_are_refused_and_nothing_changes(app, world, tmp_path):
    before = snapshot(app)
    runner = app.test_cli_runner()
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"\x00\xffnot a backup" * 100)
    empty_sqlite = tmp_path / "other.db"
    sqlite3.connect(empty_sqlite).execute("CREATE TABLE notes (x)").connection.close()
    cases = {junk: "is not a Capacity backup", empty_sqlite: "not a Capacity backup",
             tmp_path / "missing.backup": "does not exist"}
    for path, message in cases.items():
        result = runner.invoke(cli, ["restore", "--yes", str(path)])
        assert result.exit_code == 1 and message in result.output, (path, result.output)
        assert "Traceback" not in result.output
    assert snapshot(app) == before


def test_a_backup_from_a_newer_version_or_the_other_database_is_refused(app, world, backend, tmp_path):
    before = snapshot(app)
    runner = app.test_cli_runner()
    backup_file = tmp_path / "capacity.backup"
    assert runner.invoke(cli, ["backup", "-o", str(backup_file)]).exit_code == 0
    if backend[0] == "sqlite":
        with sqlite3.connect(backup_file) as connection:
            connection.execute("UPDATE alembic_version SET version_num = 'ffff00000000'")
        connection.close()
        result = runner.invoke(cli, ["restore", "--yes", str(backup_file)])
        assert result.exit_code == 1 and "made by a newer or different version of Capacity" in result.output
        assert "ffff00000000" in result.output
    else:
        other = tmp_path / "sqlite.backup"
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32))")
            connection.execute("CREATE TABLE organisations (id INTEGER)")
        connection.close()
        result = runner.invoke(cli, ["restore", "--yes", str(other)])
        assert result.exit_code == 1 and "is a backup of an SQLite database" in result.output
    assert snapshot(app) == before


def test_an_sqlite_backup_is_taken_while_a_write_is_in_progress(app, world, backend, tmp_path):
    if backend[0] != "sqlite":
        pytest.skip("SQLite's online backup API; pg_dump's snapshot is PostgreSQL's own")
    with app.app_context():
        path = make_url(db.engine.url).database
    writer = sqlite3.connect(path)
    writer.execute("BEGIN IMMEDIATE")  # a web request in the middle of a save holds the write lock
    writer.execute("UPDATE report_jobs SET language = 'en'")
    try:
        result = app.test_cli_runner().invoke(cli, ["backup", "-o", str(tmp_path / "online.backup")])
    finally:
        writer.rollback()
        writer.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "online.backup") as copy:
        assert copy.execute("SELECT language FROM report_jobs").fetchall() == [("ka",)]  # only what was committed
    copy.close()


def test_backup_problems_are_sentences(app, world, tmp_path):
    runner = app.test_cli_runner()
    missing_folder = runner.invoke(cli, ["backup", "-o", str(tmp_path / "nowhere" / "x.backup")])
    assert missing_folder.exit_code == 1 and "does not exist" in missing_folder.output
    assert not (tmp_path / "nowhere").exists()
