"""The `capacity` command line: accounts, organisations, CSV import, demo."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.rounds.models import AssessmentRound
from capacity.audit.models import AuditEvent
from capacity.auth.models import User
from capacity.cli import cli
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation

GOOD_CSV = """code,name_ka,name_en,municipality,service_areas,contact_name,contact_email,contact_phone
TEL-11,ასოციაცია „ნაბიჯი“,Association Nabiji,Telavi,children;disability,ნინო,nino@example.org,+995 555 11 11 11
BAT-11,კავშირი „ერთად“,Union Together,ბათუმი,families,,,
"""


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_help_lists_the_commands(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("db", "demo", "org", "user", "run"):
        assert command in result.output


def test_user_create_makes_a_cso_account(runner, app, factory):
    factory.org("TEL-01")
    result = runner.invoke(cli, ["user", "create", "--email", "Eka@Example.org", "--role", "cso", "--org", "TEL-01",
                                 "--password", "a good password"])
    assert result.exit_code == 0, result.output
    assert "eka@example.org" in result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "eka@example.org"))
        assert user.organisation.code == "TEL-01" and user.check_password("a good password")


def test_user_create_explains_what_is_wrong(runner, factory):
    factory.user("manager", email="taken@example.org")
    taken = runner.invoke(cli, ["user", "create", "--email", "taken@example.org", "--role", "manager", "--password", "long enough"])
    assert taken.exit_code == 2 and "already uses this e-mail" in taken.output
    no_org = runner.invoke(cli, ["user", "create", "--email", "a@example.org", "--role", "cso", "--password", "long enough"])
    assert no_org.exit_code == 2 and "--org" in no_org.output
    unknown = runner.invoke(cli, ["user", "create", "--email", "b@example.org", "--role", "cso", "--org", "NOPE", "--password", "long enough"])
    assert unknown.exit_code == 2 and "NOPE" in unknown.output


def test_org_import_then_list(runner, app, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    result = runner.invoke(cli, ["org", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Imported 2 new" in result.output
    listing = runner.invoke(cli, ["org", "list"]).output
    assert "TEL-11" in listing and "ასოციაცია „ნაბიჯი“" in listing and "batumi" in listing
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "TEL-11"))
        assert org.service_areas == ["children", "disability"] and org.municipality == "telavi"
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 2


def test_org_import_lists_every_bad_row_and_imports_nothing(runner, app, tmp_path):
    bad = GOOD_CSV + (
        "tel 12,,Name,Telavi,,,,\n"                     # line 4: bad code, missing Georgian name
        "TEL-11,სახელი,Name,Tbilisi,,,,\n"             # line 5: duplicate code, unknown municipality
        "TEL-13,სახელი,Name,Telavi,elderly,,not-an-email,\n"  # line 6: unknown service area, bad e-mail
    )
    path = tmp_path / "bad.csv"
    path.write_text(bad, encoding="utf-8")
    result = runner.invoke(cli, ["org", "import", str(path)])
    assert result.exit_code == 1
    out = result.output
    assert f"{path}:4: code: 'tel 12' is not valid" in out
    assert f"{path}:4: name_ka: required" in out
    assert f"{path}:5: code: 'TEL-11' already appears on line 2" in out
    assert f"{path}:5: municipality: 'Tbilisi' is not a programme municipality" in out
    assert f"{path}:6: service_areas: 'elderly' is unknown" in out
    assert f"{path}:6: contact_email: 'not-an-email'" in out
    assert "Nothing was imported" in out
    assert count(app, Organisation) == 0


def test_org_import_refuses_existing_codes_unless_asked_to_update(runner, app, tmp_path, factory):
    factory.org("TEL-11", name_en="Old")
    path = tmp_path / "orgs.csv"
    path.write_text(GOOD_CSV, encoding="utf-8")
    refused = runner.invoke(cli, ["org", "import", str(path)])
    assert refused.exit_code == 1 and "--update" in refused.output and count(app, Organisation) == 1
    updated = runner.invoke(cli, ["org", "import", "--update", str(path)])
    assert updated.exit_code == 0 and "updated 1" in updated.output
    with app.app_context():
        assert db.session.scalar(sa.select(Organisation.name_en).where(Organisation.code == "TEL-11")) == "Association Nabiji"


def test_org_import_explains_a_wrong_header_and_a_wrong_encoding(runner, tmp_path):
    header = tmp_path / "header.csv"
    header.write_text("code,name,municipality\nX,Y,Z\n", encoding="utf-8")
    result = runner.invoke(cli, ["org", "import", str(header)])
    assert result.exit_code == 1
    assert "missing column(s) name_ka, name_en" in result.output and "unknown column(s) name" in result.output
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("code,name_ka,name_en,municipality\nTEL-1,é,é,Telavi\n".encode("cp1252"))
    result = runner.invoke(cli, ["org", "import", str(latin1)])
    assert result.exit_code == 1 and "not UTF-8" in result.output


def test_demo_builds_the_portfolio_once_however_often_it_runs(runner, app):
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    assert "manager@demo.example.org" in first.output and "capacity-demo" in first.output
    runner.invoke(cli, ["demo"])
    # 27 organisations' staff, 4 mentors, an administrator and a manager; 4 municipal working groups, a facilitator
    assert count(app, User) == 27 + 4 + 2 + 4 + 1
    assert count(app, MentorAssignment) == 27
    with app.app_context():
        kinds = dict(db.session.execute(sa.select(Organisation.kind, sa.func.count()).group_by(Organisation.kind)).all())
        assert kinds == {"organisation": 27, "service": 6, "municipality": 4}
        municipalities = set(db.session.scalars(sa.select(Organisation.municipality)
                                                .where(Organisation.kind == "organisation")))
        assert len(municipalities) == 9
        rounds = dict(db.session.execute(sa.select(AssessmentRound.code, AssessmentRound.subject_kind)).all())
        assert rounds == {"baseline": "organisation", "endline": "organisation",
                          "service-monitoring-2026": "service", "municipal-benchmark-2026": "municipality"}


def test_user_create_gives_a_municipal_working_group_member_a_municipality_and_no_organisation(runner, app):
    result = runner.invoke(cli, ["user", "create", "--email", "lela@example.org", "--role", "cso",
                                 "--municipality", "batumi", "--municipality", "dmanisi", "--password", "a good password"])
    assert result.exit_code == 0, result.output
    assert "working on batumi, dmanisi" in result.output
    with app.app_context():
        from capacity.organisations.models import MunicipalityAssignment
        user = db.session.scalar(sa.select(User).where(User.email == "lela@example.org"))
        assert user.organisation is None
        assert sorted(db.session.scalars(sa.select(MunicipalityAssignment.municipality)
                                         .where(MunicipalityAssignment.user_id == user.id))) == ["batumi", "dmanisi"]


def test_user_create_refuses_a_municipality_that_is_not_the_programmes_or_a_manager_with_one(runner, app):
    unknown = runner.invoke(cli, ["user", "create", "--email", "x@example.org", "--role", "cso",
                                  "--municipality", "tbilisi", "--password", "long enough"])
    assert unknown.exit_code == 2 and "--municipality" in unknown.output and "list" in unknown.output
    manager = runner.invoke(cli, ["user", "create", "--email", "y@example.org", "--role", "manager",
                                  "--municipality", "batumi", "--password", "long enough"])
    assert manager.exit_code == 2 and "--municipality" in manager.output
    assert count(app, User) == 0


def test_org_list_names_each_subjects_kind_and_a_services_organisation(runner, factory):
    factory.org("TEL-01")
    factory.service("TEL-01-DC", parent="TEL-01")
    factory.municipality("batumi", code="MUN-BATUMI")
    listing = runner.invoke(cli, ["org", "list"]).output.splitlines()
    assert [line.split()[0] for line in listing] == ["TEL-01", "MUN-BATUMI", "TEL-01-DC"]
    assert "service of TEL-01" in listing[2] and "municipality" in listing[1] and "organisation" in listing[0]
