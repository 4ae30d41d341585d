"""The CSV import takes services and municipalities too: optional columns ``kind`` and ``parent``.

A file without them imports organisations as before (tests/cli/test_commands.py); a bad kind or parent is
reported with its line number, and nothing is imported.
"""
from __future__ import annotations

import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.cli import cli
from capacity.extensions import db
from capacity.organisations.models import Organisation
from tests.subjects_admin.rows import assessment, round_of, service, subject

HEADER = "code,kind,parent,name_ka,name_en,municipality\n"


def run(runner, tmp_path, text: str, *options: str):
    path = tmp_path / "subjects.csv"
    path.write_text(text, encoding="utf-8")
    return path, runner.invoke(cli, ["org", "import", *options, str(path)])


def kinds(app) -> dict[str, tuple[str, str | None]]:
    with app.app_context():
        return {o.code: (o.kind, o.parent.code if o.parent else None) for o in db.session.scalars(sa.select(Organisation))}


def test_services_and_municipalities_are_imported_beside_organisations(app, runner, tmp_path, factory):
    factory.org("TEL-01")
    # The service of an organisation in the same file comes before it: the import takes it in any order.
    _path, result = run(runner, tmp_path, HEADER + (
        "SVC-02,service,BAT-01,დღის ცენტრი,Day centre,batumi\n"
        "BAT-01,,,ორგანიზაცია,Organisation,batumi\n"
        "SVC-01,service,TEL-01,მომსახურება,Family support,akhmeta\n"
        "MUN-DMANISI,municipality,,დმანისის მუნიციპალიტეტი,Dmanisi Municipality,Dmanisi\n"))
    assert result.exit_code == 0, result.output
    assert "Imported 4 new" in result.output
    assert kinds(app) == {"TEL-01": ("organisation", None), "BAT-01": ("organisation", None),
                          "SVC-01": ("service", "TEL-01"), "SVC-02": ("service", "BAT-01"),
                          "MUN-DMANISI": ("municipality", None)}
    assert subject(app, "SVC-01").municipality == "akhmeta"  # its own, not its organisation's
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_id == "SVC-01"))
        assert event.after["kind"] == "service" and event.after["parent"] == "TEL-01"


def test_every_bad_kind_and_parent_is_listed_with_its_line_and_nothing_is_imported(app, runner, tmp_path, factory):
    factory.org("TEL-01")
    path, result = run(runner, tmp_path, HEADER + (
        "SVC-01,servise,TEL-01,ა,A,telavi\n"            # line 2: unknown kind
        "SVC-02,service,,ა,A,telavi\n"                  # line 3: a service needs its organisation
        "SVC-03,service,NOPE-1,ა,A,telavi\n"            # line 4: no such subject
        "MUN-BATUMI,municipality,,ა,A,batumi\n"
        "SVC-04,service,MUN-BATUMI,ა,A,batumi\n"        # line 6: a municipality runs no service
        "ORG-02,organisation,TEL-01,ა,A,telavi\n"       # line 7: an organisation belongs to nothing
        "SVC-05,service,SVC-05,ა,A,telavi\n"))          # line 8: itself
    assert result.exit_code == 1
    out = result.output
    assert f"{path}:2: kind: 'servise' is not a subject kind (use organisation, service, municipality)" in out
    assert f"{path}:3: parent: required for kind 'service': the code of the 'organisation' it belongs to" in out
    assert f"{path}:4: parent: there is no subject 'NOPE-1' (in the database or in this file)" in out
    assert f"{path}:6: parent: 'MUN-BATUMI' is of kind 'municipality', not 'organisation'" in out
    assert f"{path}:7: parent: a subject of kind 'organisation' belongs to no other; leave the column empty" in out
    assert f"{path}:8: parent: 'SVC-05' is the row's own code; a subject cannot belong to itself" in out
    assert ":5:" not in out  # the good line is not blamed
    assert "Nothing was imported" in out
    assert set(kinds(app)) == {"TEL-01"}


def test_an_update_keeps_kinds_the_file_does_not_name_and_refuses_a_kind_change_after_assessments(
        app, runner, tmp_path, factory):
    factory.org("TEL-01")
    service(app, "SVC-01", "TEL-01")
    # The old columns only: the service stays a service of its organisation.
    _path, result = run(runner, tmp_path, "code,name_ka,name_en,municipality\nSVC-01,ახალი,Renamed,telavi\n", "--update")
    assert result.exit_code == 0, result.output
    assert kinds(app)["SVC-01"] == ("service", "TEL-01") and subject(app, "SVC-01").name_en == "Renamed"
    round_of(app, "svc-2026", "service")
    assessment(app, "SVC-01", "svc-2026")
    path, result = run(runner, tmp_path, HEADER + "SVC-01,municipality,,ა,A,telavi\n", "--update")
    assert result.exit_code == 1
    assert f"{path}:2: kind: 'SVC-01' already has assessments (kind 'service'); its kind cannot change" in result.output
    assert kinds(app)["SVC-01"] == ("service", "TEL-01")
