"""Programme managers create, edit, open and close rounds; every change is audited, bad input saves nothing."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from capacity.assessments.models import Track

from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from tests.conftest import login
from tests.rounds.helpers import add_assessment, client_as

GOOD = {
    "code": "endline-2026", "name_ka": "საბოლოო შეფასება 2026", "name_en": "Endline 2026", "kind": "endline",
    "starts_on": "2026-09-01", "ends_on": "2026-11-30", "questionnaire": "gesi-oca@1.0", "rubric": "gesi-oca-default@1.0",
}


def rounds(app) -> list[AssessmentRound]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(AssessmentRound).order_by(AssessmentRound.id)))
        db.session.expunge_all()
        return found


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))
        db.session.expunge_all()
        return found


def test_manager_creates_a_round_that_starts_closed_and_is_listed(app, factory):
    client = client_as(app, factory, "manager")
    response = client.post("/rounds/new", data=GOOD)
    assert response.status_code == 302 and response.location == "/rounds/"
    [saved] = rounds(app)
    assert (saved.code, saved.name_en, saved.kind, saved.is_open) == ("endline-2026", "Endline 2026", RoundKind.ENDLINE, False)
    assert (saved.starts_on, saved.ends_on) == (date(2026, 9, 1), date(2026, 11, 30))
    assert (saved.questionnaire_id, saved.questionnaire_version, saved.rubric_id, saved.rubric_version) == (
        "gesi-oca", "1.0", "gesi-oca-default", "1.0")
    [event] = events(app, "round.create")
    assert event.object_id == "endline-2026" and event.after["starts_on"] == "2026-09-01" and event.after["kind"] == "endline"
    page = client.get("/rounds/").get_data(as_text=True)
    assert "Endline 2026" in page and "Sep 1, 2026" in page and "Nov 30, 2026" in page
    # Names people read, not the files' keys (gesi-oca 1.0, gesi-oca-default 1.0)
    assert "GESI-sensitive organisational capacity assessment, version 1.0" in page
    assert "Organisational capacity assessment rubric (default), version 1.0" in page
    assert "gesi-oca-default" not in page and "closed" in page
    assert 'href="/rounds/endline-2026/progress"' in page


def test_the_list_shows_the_newest_round_first(app, factory):
    factory.round("baseline")  # starts on 2026-01-01
    client = client_as(app, factory, "admin")
    assert client.post("/rounds/new", data=GOOD).status_code == 302
    page = client.get("/rounds/").get_data(as_text=True)
    assert page.index("endline-2026") < page.index("baseline")


def test_the_form_offers_the_versions_in_the_questionnaires_folder(app, factory):
    page = client_as(app, factory, "manager").get("/rounds/new").get_data(as_text=True)
    # Each says what it assesses: a round of it covers the subjects of that kind.
    assert ('<option value="gesi-oca@1.0">GESI-sensitive organisational capacity assessment, version 1.0 — assesses: '
            'Organisations</option>') in page
    assert ('<option value="service-quality@1.0">Social-service quality monitoring, version 1.0 — assesses: '
            'Services</option>') in page
    assert "— assesses: Municipalities</option>" in page
    assert 'value="gesi-oca-default@1.0"' in page
    assert '<label for="starts_on">' in page and 'type="date"' in page


def test_a_bad_code_is_explained_and_nothing_is_saved(app, factory):
    client = client_as(app, factory, "manager")
    for code in ("Endline", "e", "endline 2026", "x" * 33, "ენდლაინი", "endline\n"):
        page = client.post("/rounds/new", data={**GOOD, "code": code}).get_data(as_text=True)
        assert 'id="code-error"' in page and "lower-case Latin letters" in page, code
    assert rounds(app) == []


def test_a_duplicate_code_is_refused_with_a_message(app, factory):
    factory.round("endline-2026")
    client = client_as(app, factory, "manager")
    page = client.post("/rounds/new", data={**GOOD, "name_en": "Another"}).get_data(as_text=True)
    assert 'id="code-error"' in page and "Another round already has this code." in page
    assert [r.name_en for r in rounds(app)] == ["Round endline-2026"]
    assert events(app, "round.create") == []


def test_a_code_saved_by_someone_else_a_moment_earlier_gets_the_same_message_not_an_error_page(app, factory, monkeypatch):
    from capacity.rounds import services

    factory.round("endline-2026")
    client = client_as(app, factory, "manager")
    # The other manager's round was not there yet when this request checked the code: the database refuses it.
    monkeypatch.setattr(services, "by_code", lambda code: None)
    response = client.post("/rounds/new", data={**GOOD, "name_en": "Another"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="code-error"' in page and "Another round already has this code." in page
    assert [r.name_en for r in rounds(app)] == ["Round endline-2026"]
    assert events(app, "round.create") == []


def test_an_end_before_the_start_is_refused_with_a_message(app, factory):
    client = client_as(app, factory, "manager")
    page = client.post("/rounds/new", data={**GOOD, "ends_on": "2026-08-31"}).get_data(as_text=True)
    assert 'id="ends_on-error"' in page and "The end date cannot be before the start date." in page
    assert rounds(app) == []


def test_a_rubric_of_another_questionnaire_version_is_refused(app, factory, two_versions):
    client = client_as(app, factory, "manager")
    page = client.post("/rounds/new", data={**GOOD, "rubric": "gesi-oca-default@2.0"}).get_data(as_text=True)
    assert 'id="rubric-error"' in page and "This rubric belongs to another questionnaire version." in page
    assert rounds(app) == []
    assert client.post("/rounds/new", data={**GOOD, "questionnaire": "gesi-oca@2.0",
                                            "rubric": "gesi-oca-default@2.0"}).status_code == 302
    assert [(r.questionnaire_version, r.rubric_version) for r in rounds(app)] == [("2.0", "2.0")]


def test_edit_keeps_the_code_and_records_old_and_new_values(app, factory):
    factory.round("baseline")
    client = client_as(app, factory, "manager")
    form = client.get("/rounds/baseline/edit").get_data(as_text=True)
    assert 'name="code"' not in form and "baseline" in form
    assert '<option selected value="gesi-oca@1.0">' in form
    data = {**GOOD, "code": "hacked", "name_en": "Baseline 2026", "kind": "baseline", "starts_on": "2026-01-15"}
    assert client.post("/rounds/baseline/edit", data=data).status_code == 302
    [saved] = rounds(app)
    assert (saved.code, saved.name_en, saved.starts_on) == ("baseline", "Baseline 2026", date(2026, 1, 15))
    [event] = events(app, "round.update")
    assert event.object_id == "baseline"
    assert event.before["name_en"] == "Round baseline" and event.after["name_en"] == "Baseline 2026"
    assert event.before["starts_on"] == "2026-01-01" and event.after["starts_on"] == "2026-01-15"
    assert "kind" not in event.before  # unchanged fields are not recorded


def test_edit_refuses_an_end_before_the_start(app, factory):
    factory.round("baseline")
    client = client_as(app, factory, "manager")
    page = client.post("/rounds/baseline/edit", data={**GOOD, "starts_on": "2026-05-01", "ends_on": "2026-04-01"})
    assert "The end date cannot be before the start date." in page.get_data(as_text=True)
    assert rounds(app)[0].ends_on == date(2026, 3, 1)


def test_versions_may_change_until_the_round_has_an_assessment(app, factory, two_versions):
    factory.round("baseline")
    client = client_as(app, factory, "manager")
    to_v2 = {**GOOD, "questionnaire": "gesi-oca@2.0", "rubric": "gesi-oca-default@2.0"}
    assert client.post("/rounds/baseline/edit", data=to_v2).status_code == 302
    assert rounds(app)[0].questionnaire_version == "2.0"

    add_assessment(app, factory.org("TEL-01"), "baseline", Track.SELF)
    form = client.get("/rounds/baseline/edit").get_data(as_text=True)
    assert "can no longer be changed" in form
    page = client.post("/rounds/baseline/edit", data={**GOOD, "name_en": "Renamed"}).get_data(as_text=True)
    assert 'id="questionnaire-error"' in page
    assert "This round already has assessments, so its questionnaire and rubric versions can no longer be changed." in page
    [saved] = rounds(app)
    assert (saved.questionnaire_version, saved.rubric_version, saved.name_en) == ("2.0", "2.0", "Endline 2026")
    # Other changes are still allowed.
    assert client.post("/rounds/baseline/edit", data={**to_v2, "name_en": "Renamed"}).status_code == 302
    assert rounds(app)[0].name_en == "Renamed"


def test_open_and_close_are_recorded_in_the_audit_trail(app, factory):
    factory.round("baseline", is_open=False)
    manager = factory.user("manager", language="en")
    client = app.test_client()
    login(client, manager)
    response = client.post("/rounds/baseline/open", follow_redirects=True)
    assert "The round “Round baseline” is now open." in response.get_data(as_text=True)
    assert rounds(app)[0].is_open is True
    again = client.post("/rounds/baseline/open", follow_redirects=True).get_data(as_text=True)
    assert "was already open" in again
    assert client.post("/rounds/baseline/close").status_code == 302
    assert rounds(app)[0].is_open is False
    opened, closed = events(app, "round.open"), events(app, "round.close")
    assert len(opened) == 1 and len(closed) == 1  # opening an open round records nothing
    assert opened[0].actor_id == closed[0].actor_id == factory.user_id(manager)
    assert (opened[0].object_id, opened[0].before, opened[0].after) == ("baseline", {"is_open": False}, {"is_open": True})


def test_open_and_close_need_the_form_token(app, factory):
    factory.round("baseline", is_open=False)
    client = client_as(app, factory, "manager")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/rounds/").get_data(as_text=True)
    assert 'action="/rounds/baseline/open"' in page and 'name="csrf_token"' in page
    assert client.post("/rounds/baseline/open").status_code == 400
    assert rounds(app)[0].is_open is False
    assert client.get("/rounds/baseline/open").status_code == 405


def test_unknown_round_is_not_found(app, factory):
    client = client_as(app, factory, "manager")
    assert client.get("/rounds/nope/edit").status_code == 404
    assert client.get("/rounds/nope/progress").status_code == 404
    assert client.post("/rounds/nope/open").status_code == 404


def test_a_round_whose_files_were_removed_can_still_be_renamed(app, factory):
    factory.round("old")
    with app.app_context():
        db.session.execute(sa.text("UPDATE assessment_rounds SET rubric_version = '0.9' WHERE code = 'old'"))
        db.session.commit()
    client = client_as(app, factory, "manager")
    form = client.get("/rounds/old/edit").get_data(as_text=True)
    assert "gesi-oca-default@0.9 (not in the questionnaires folder)" in form
    data = {**GOOD, "name_en": "Old round", "rubric": "gesi-oca-default@0.9"}
    assert client.post("/rounds/old/edit", data=data).status_code == 302
    assert (rounds(app)[0].name_en, rounds(app)[0].rubric_version) == ("Old round", "0.9")
