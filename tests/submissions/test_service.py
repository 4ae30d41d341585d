"""Importing submissions through the service: clean files, bad files refused whole, every reason named."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import force_locale

from capacity.assessments.models import Assessment, Status, Track
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.rounds.queries import by_code
from capacity.submissions.services import import_submissions
from tests.submissions import kobo
from tests.submissions.conftest import FULL, SHORT, stored


def run(app, world, data: bytes, track="self", *, apply=True, filename="kobo.xlsx"):
    with app.app_context(), force_locale("en"):
        report = import_submissions(None, by_code(world["round"]), track, filename, data, apply=apply)
        db.session.commit()
        return report


def test_a_clean_kobo_xlsx_imports_every_answer_on_the_chosen_track(app, world):
    q = world["questionnaire"]
    data = kobo.xlsx(kobo.rows(q, [("ORG-A", FULL), ("ORG-B", SHORT)]))
    report = run(app, world, data, "mentor")
    assert report.ok and report.applied, report.lines()
    assert [(m.code, m.row, m.answers, m.replaced) for m in report.organisations] == [("ORG-A", 2, 10, 0),
                                                                                        ("ORG-B", 3, 6, 0)]
    assert report.unknown_columns == [] and report.metadata_columns == 15
    a = stored(app, "ORG-A", "kobo", "mentor")
    assert a["GOV.1"][0] == 3 and a["GOV.2"][1] == "yes" and a["GOV.3"][1] == '["women", "youth"]'
    assert a["SRV.1"][1] == "120" and a["SRV.2"][2] is True and a["SRV.4"][1] == "Ramps at the entrance"
    assert stored(app, "ORG-B", "kobo", "mentor")["GOV.4"][1] == "never"
    assert stored(app, "ORG-A", "kobo", "self") == {} and stored(app, "ORG-C", "kobo", "mentor") == {}
    with app.app_context():
        statuses = set(db.session.scalars(sa.select(Assessment.status)))
        assert statuses == {Status.DRAFT}  # imported assessments stay drafts
    assert "stay drafts" in report.lines()[-1]


def test_a_semicolon_csv_with_odk_paths_imports_too(app, world):
    q = world["questionnaire"]
    data = kobo.csv_bytes(kobo.rows(q, [("ORG-C", FULL)], joiner="-"), ";")
    report = run(app, world, data, filename="kobo.csv")
    assert report.ok and report.applied, report.lines()
    assert stored(app, "ORG-C", "kobo", "self")["GOV.5"][0] == 2


def test_bare_names_and_a_comma_csv_without_bom(app, world):
    q = world["questionnaire"]
    data = kobo.csv_bytes(kobo.rows(q, [("ORG-A", SHORT)], bare=True), ",", bom=False)
    report = run(app, world, data, filename="odk.csv")
    assert report.ok, report.lines()
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][0] == 1


def test_one_bad_value_refuses_the_whole_file_and_names_row_column_value(app, world):
    q = world["questionnaire"]
    bad = dict(SHORT, **{"GOV.5": "7"})
    data = kobo.xlsx(kobo.rows(q, [("ORG-A", FULL), ("ORG-B", bad), ("ORG-C", SHORT)]))
    report = run(app, world, data)
    assert not report.ok and not report.applied
    assert [(p.row, p.column, p.value) for p in report.problems] == [(3, "GOV/GOV.B/GOV.5", "7")]
    assert "1–4" in report.problems[0].message
    assert "reload" not in report.problems[0].message
    for org in ("ORG-A", "ORG-B", "ORG-C"):
        assert stored(app, org, "kobo", "self") == {}
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 0


def test_every_kind_of_bad_answer_is_reported_with_its_reason(app, world):
    q = world["questionnaire"]
    rows = [("ORG-A", dict(FULL, **{"GOV.1": "na", "GOV.3": "women martians", "GOV.4": "weekly", "SRV.1": "many"})),
            ("ORG-B", dict(SHORT, **{"SRV.1": "-3", "GOV.2": "maybe"})),
            ("ORG-C", dict(SHORT, **{"SRV.3": "3"}))]  # SRV.3 is not asked when SRV.1 is 0
    report = run(app, world, kobo.xlsx(kobo.rows(q, rows)))
    found = {(p.row, p.column.rsplit("/", 1)[-1], p.value): p.message for p in report.problems}
    assert "not allowed" in found[(2, "GOV.1", "na")]
    assert "options" in found[(2, "GOV.3", "women martians")]
    assert "options" in found[(2, "GOV.4", "weekly")]
    assert "digits" in found[(2, "SRV.1", "many")]
    assert "0" in found[(3, "SRV.1", "-3")]
    assert "Yes" in found[(3, "GOV.2", "maybe")]
    assert "SRV.1" in found[(4, "SRV.3", "3")]
    assert not report.applied and stored(app, "ORG-C", "kobo", "self") == {}


def test_unknown_and_duplicate_organisations_are_named_with_their_rows(app, world):
    q = world["questionnaire"]
    report = run(app, world, kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT), ("ORG-ZZ", SHORT), ("ORG-A", FULL),
                                                     ("", SHORT)])))
    assert [(p.row, p.value) for p in report.unknown_organisations] == [(3, "ORG-ZZ")]
    dup = [p for p in report.problems if p.value == "ORG-A"]
    assert len(dup) == 1 and dup[0].row == 4 and "row 2" in dup[0].message
    assert any(p.row == 5 and "does not say whose answers they are" in p.message for p in report.problems)
    assert not report.applied and stored(app, "ORG-A", "kobo", "self") == {}


def test_a_submitted_assessment_is_refused_and_a_draft_is_replaced_counting_what_changes(app, world):
    q = world["questionnaire"]
    run(app, world, kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT), ("ORG-B", SHORT)])))
    with app.app_context():
        b = db.session.scalar(sa.select(Assessment).join(Assessment.organisation).where(
            Assessment.track == Track.SELF, Assessment.organisation.has(code="ORG-B")))
        b.status = Status.SUBMITTED
        db.session.commit()
    report = run(app, world, kobo.xlsx(kobo.rows(q, [("ORG-A", FULL), ("ORG-B", FULL)])))
    assert [(p.row, p.value) for p in report.problems] == [(3, "ORG-B")]
    assert "submitted" in report.problems[0].message
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][0] == 1  # nothing saved
    report = run(app, world, kobo.xlsx(kobo.rows(q, [("ORG-A", FULL)])), apply=False)
    # SHORT and FULL differ on GOV.1, GOV.2, GOV.4, GOV.5, SRV.1, SRV.2; the other four are new.
    assert report.ok and not report.applied and report.organisations[0].replaced == 6
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][0] == 1  # a dry run saves nothing
    report = run(app, world, kobo.xlsx(kobo.rows(q, [("ORG-A", FULL)])))
    assert report.applied and stored(app, "ORG-A", "kobo", "self")["GOV.1"][0] == 3


def test_the_import_is_audited_once_and_each_answer_like_a_web_save(app, world):
    q = world["questionnaire"]
    data = kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT)]))
    report = run(app, world, data, "mentor", filename="round1.xlsx")
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submissions.import",
                                                              AuditEvent.object_type == "round"))
        assert event.after["file"] == "round1.xlsx" and event.after["sha256"] == report.sha256
        assert event.after["track"] == "mentor" and event.after["organisations"] == ["ORG-A"]
        assert event.after["rows"] == 1 and event.after["round"] == "kobo"
        saves = db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "answer.save"))
        assert saves == len(SHORT)
        # Once for the round, and once on each assessment it filled (its history page shows where answers came from).
        kinds = db.session.execute(sa.select(AuditEvent.object_type, sa.func.count()).where(
            AuditEvent.action == "submissions.import").group_by(AuditEvent.object_type)).all()
        assert sorted(kinds) == [("assessment", 1), ("round", 1)]


def test_consensus_and_a_closed_round_are_refused(app, world):
    q = world["questionnaire"]
    data = kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT)]))
    report = run(app, world, data, "consensus")
    assert report.file_problem and "agreed" in report.file_problem
    with app.app_context():
        by_code(world["round"]).is_open = False
        db.session.commit()
    report = run(app, world, data)
    assert report.file_problem and "closed" in report.file_problem
    assert stored(app, "ORG-A", "kobo", "self") == {}


def test_unknown_and_profile_columns_are_listed_but_do_not_block(app, world):
    q = world["questionnaire"]
    table = kobo.rows(q, [("ORG-A", SHORT)])
    table[0] += ["capacity_profile/staff_total", "interviewer_notes"]
    table[1] += ["12", "met the director"]
    report = run(app, world, kobo.xlsx(table))
    assert report.ok and report.applied
    assert report.unknown_columns == ["interviewer_notes"] and report.profile_columns == 1
    assert any("interviewer_notes" in line for line in report.lines())


def test_a_file_of_another_questionnaire_is_refused_as_a_whole(app, world):
    data = "capacity_organisation;GOV/GOV.01;GOV/GOV.02\r\nORG-A;3;2\r\n".encode()
    report = run(app, world, data, filename="gesi.csv")
    assert report.file_problem and "collection form" in report.file_problem
    assert report.unknown_columns == ["GOV/GOV.01", "GOV/GOV.02"]
