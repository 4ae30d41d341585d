"""The Alembic migrations build exactly the schema the models describe, on every backend."""
from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from capacity.extensions import db


def test_upgrade_from_empty_matches_the_models(migrated):
    app = migrated  # upgraded from an empty database
    with app.app_context():
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
            if connection.dialect.name == "sqlite":
                differences = _without_inline_reference(connection, differences)
        assert differences == []
        downgrade(revision="base")
        remaining = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        upgrade()



def _without_inline_reference(connection, differences: list) -> list:
    """Migration 0013 adds organisations.parent_id with its reference in one SQLite ALTER (no table rebuild);
    SQLAlchemy reads such a column-level reference without its name and ON DELETE, so Alembic reports it
    removed and added again. Check it with SQLite itself instead, then leave that pair out."""
    rows = connection.exec_driver_sql("PRAGMA foreign_key_list(organisations)").all()
    assert [(r[2], r[3], r[4], r[6]) for r in rows if r[3] == "parent_id"] == [
        ("organisations", "parent_id", "id", "RESTRICT")]

    def is_parent_reference(diff) -> bool:
        return diff[0] in ("remove_fk", "add_fk") and [c.name for c in diff[1].columns] == ["parent_id"]

    assert sorted(d[0] for d in differences if is_parent_reference(d)) == ["add_fk", "remove_fk"]
    return [d for d in differences if not is_parent_reference(d)]


def test_evidence_files_and_zips_move_between_the_instance_folder_and_the_database(migrated, factory):
    """Migration 0008 copies the instance folder's files into their rows; its downgrade writes them back."""
    import io
    from pathlib import Path

    from capacity.assessments import answering, evidence
    from capacity.assessments.models import Answer, EvidenceFile, Track
    from capacity.jobs.models import ReportJob
    from capacity.organisations.models import Organisation
    from capacity.questionnaires.library import load_directory
    from capacity.rounds.models import AssessmentRound

    app = migrated
    factory.org("OWN-01")
    factory.round("baseline")
    library = load_directory()
    questionnaire, rubric = library.questionnaire("gesi-oca", "1.0"), library.rubric("gesi-oca-default", "1.0")
    instance = Path(app.instance_path)
    with app.app_context():
        org, round_ = db.session.scalar(sa.select(Organisation)), db.session.scalar(sa.select(AssessmentRound))
        assessment = answering.get_or_create_assessment(org, round_, Track.SELF, questionnaire, rubric)
        answering.insert_answer_row(assessment.id, "GOV.01", revision=0, answered_by_id=None)
        answer = db.session.scalar(sa.select(Answer))
        names = {name: evidence.store(None, answer, f"{name}.pdf", io.BytesIO(b"%PDF-" + name.encode())).storage_name
                 for name in ("kept", "lost")}
        db.session.add(ReportJob(id="job1", round_id=round_.id, language="en", status="done", archive=b"PK-zip",
                                 archive_size=6))
        db.session.commit()
        db.session.remove()

        downgrade(revision="5e1b7c0a9d42")  # 0007: the files lived in the instance folder
        assert (instance / "evidence" / names["kept"]).read_bytes() == b"%PDF-kept"
        assert (instance / "jobs" / "job1.zip").read_bytes() == b"PK-zip"
        (instance / "evidence" / names["lost"]).unlink()  # a file lost from the disk before the upgrade

        upgrade()
        moved = {row.filename: row.content for row in db.session.scalars(sa.select(EvidenceFile))}
        job = db.session.get(ReportJob, "job1")
        assert moved == {"kept.pdf": b"%PDF-kept", "lost.pdf": None}
        assert (job.archive, job.archive_size) == (b"PK-zip", 6)


def test_the_migrations_can_be_written_as_sql_for_a_database_administrator(tmp_path):
    """`capacity db upgrade --sql`: the SQL of every migration, files moved by 0008 included, without a database."""
    from tests.test_configuration import run_cli

    result = run_cli("db", "upgrade", "--sql", CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(tmp_path))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "ALTER TABLE evidence_files ADD COLUMN content" in result.stdout
    assert "CREATE TABLE organisations" in result.stdout
    assert not (tmp_path / "capacity.db").exists() or (tmp_path / "capacity.db").stat().st_size == 0



def test_assessments_pinned_to_gesi_oca_before_its_comment_was_reworded_still_score(migrated, factory):
    """Migrations 0009 (a reworded comment) and 0011 (a draft Russian translation) move pins from the file's old bytes
    to the shipped ones; the round then scores without a re-pin."""
    import importlib

    from capacity.assessments import answering
    from capacity.assessments.models import Assessment, Track
    from capacity.assessments.results import pinned_definitions
    from capacity.organisations.models import Organisation
    from capacity.questionnaires.library import load_directory
    from capacity.rounds.models import AssessmentRound

    reworded = importlib.import_module("capacity.migrations.versions.0009_gesi_oca_comment_reworded")
    translated = importlib.import_module("capacity.migrations.versions.0011_question_types")
    assert translated.QUESTIONNAIRE_BEFORE == reworded.AFTER  # one chain of pins
    app = migrated
    factory.org("OWN-01")
    factory.round("baseline")
    library = load_directory()
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    assert questionnaire.content_hash == translated.QUESTIONNAIRE_AFTER  # the shipped file is the one pinned to last
    with app.app_context():
        org, round_ = db.session.scalar(sa.select(Organisation)), db.session.scalar(sa.select(AssessmentRound))
        answering.get_or_create_assessment(org, round_, Track.SELF, questionnaire,
                                           library.rubric("gesi-oca-default", "1.0"))
        db.session.execute(sa.update(Assessment).values(questionnaire_hash=reworded.BEFORE))  # pinned before
        db.session.commit()
        downgrade(revision="8c3f2a6d1e90")
        upgrade()
        assert db.session.scalars(sa.select(Assessment.questionnaire_hash)).all() == [translated.QUESTIONNAIRE_AFTER]
        assert pinned_definitions(db.session.get(AssessmentRound, round_.id)).questionnaire.content_hash \
            == translated.QUESTIONNAIRE_AFTER


def test_migration_0012_keeps_checked_submissions_uploads_in_the_database(migrated, factory):
    """0012's pending_imports: a token is unique, its row goes with its round or user; the downgrade drops it."""
    from sqlalchemy.exc import IntegrityError

    from capacity.rounds.models import AssessmentRound
    from capacity.submissions.models import PendingImport

    app = migrated
    factory.round("baseline")
    user_id = factory.user_id(factory.user("manager", email="importer@example.org"))
    with app.app_context():
        round_id = db.session.scalar(sa.select(AssessmentRound.id))
        row = dict(user_id=user_id, round_id=round_id, track="self", filename="kobo.xlsx", sha256="0" * 64, data=b"PK")
        db.session.add(PendingImport(token="t" * 43, **row))
        db.session.commit()
        db.session.add(PendingImport(token="t" * 43, **row))
        try:
            db.session.commit()
            raise AssertionError("a second row with the same token was accepted")
        except IntegrityError:
            db.session.rollback()
        db.session.execute(sa.delete(AssessmentRound))
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 0  # gone with its round
        db.session.remove()
        downgrade(revision="b7c8d9e0f1a2")
        assert "pending_imports" not in sa.inspect(db.engine).get_table_names()
        upgrade()
        assert "pending_imports" in sa.inspect(db.engine).get_table_names()


def test_migration_0013_keeps_every_row_an_organisation_and_lets_a_municipal_staff_account_have_no_organisation(
        migrated):
    """0013 on a database already in use: the organisations, rounds and staff accounts made under 0012 keep their
    data, become organisations and organisation rounds, and (SQLite: by editing the stored CHECK, no table rebuild,
    so nothing pointing at users or organisations is touched) a staff account may now belong to no organisation,
    while a manager still may not belong to one. The downgrade refuses while such an account exists."""
    from sqlalchemy.exc import IntegrityError

    from capacity.auth.models import Role, User
    from capacity.organisations.models import MentorAssignment, Organisation
    from capacity.rounds.models import AssessmentRound

    app = migrated
    with app.app_context():
        db.session.remove()
        downgrade(revision="f398d902d61f")  # 0012
        try:
            _rows_of_0012()
            db.session.remove()
            upgrade()
            org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "TEL-01"))
            assert db.session.scalar(sa.select(Organisation.kind).where(Organisation.id == org_id)) == "organisation"
            assert db.session.scalar(sa.select(AssessmentRound.subject_kind)) == "organisation"
            assert db.session.scalar(sa.select(User.organisation_id).where(User.email == "staff@example.org")) == org_id
            assert db.session.scalar(sa.select(sa.func.count(MentorAssignment.id))) == 1  # nothing cascaded away
            db.session.add(User(email="lela@example.org", display_name="Lela", role=Role.CSO, password_hash="x"))
            db.session.commit()
            db.session.add(User(email="boss@example.org", display_name="Boss", role=Role.MANAGER, password_hash="x",
                                organisation_id=org_id))
            try:
                db.session.commit()
                raise AssertionError("a manager was allowed to belong to an organisation")
            except IntegrityError:
                db.session.rollback()
            db.session.remove()
            try:
                downgrade(revision="f398d902d61f")
                raise AssertionError("the downgrade dropped the rule with a staff account that has no organisation")
            except (RuntimeError, SystemExit):
                db.session.remove()
            db.session.execute(sa.delete(User).where(User.email == "lela@example.org"))
            db.session.commit()
            db.session.remove()
            downgrade(revision="f398d902d61f")
            assert "municipality_assignments" not in sa.inspect(db.engine).get_table_names()
        finally:
            db.session.remove()
            upgrade()


def _rows_of_0012() -> None:
    """An organisation, its staff account and mentor, and a round, written as 0012's tables hold them."""
    run = db.session.execute
    run(sa.text("INSERT INTO organisations (code, name_ka, name_en, municipality, service_areas, contact_name, "
                "contact_email, contact_phone, active, is_demo, created_at) VALUES ('TEL-01', 'ორგანიზაცია', "
                "'Organisation', 'telavi', '', '', '', '', :t, :f, CURRENT_TIMESTAMP)"), {"t": True, "f": False})
    org_id = db.session.scalar(sa.text("SELECT id FROM organisations WHERE code = 'TEL-01'"))
    for email, role, org in (("staff@example.org", "cso", org_id), ("mentor@example.org", "mentor", None)):
        run(sa.text("INSERT INTO users (email, display_name, password_hash, role, organisation_id, language, active, "
                    "is_demo, created_at, session_generation) VALUES (:e, :e, 'x', :r, :o, 'ka', :t, :f, "
                    "CURRENT_TIMESTAMP, 0)"), {"e": email, "r": role, "o": org, "t": True, "f": False})
    mentor_id = db.session.scalar(sa.text("SELECT id FROM users WHERE email = 'mentor@example.org'"))
    run(sa.text("INSERT INTO mentor_assignments (mentor_id, organisation_id, created_at) "
                "VALUES (:m, :o, CURRENT_TIMESTAMP)"), {"m": mentor_id, "o": org_id})
    run(sa.text("INSERT INTO assessment_rounds (code, name_ka, name_en, kind, is_open, questionnaire_id, "
                "questionnaire_version, rubric_id, rubric_version, created_at) VALUES ('baseline', 'საბაზისო', "
                "'Baseline', 'baseline', :t, 'gesi-oca', '1.0', 'gesi-oca-default', '1.0', CURRENT_TIMESTAMP)"),
        {"t": True})
    db.session.commit()
