"""The development plan, as each role uses it: opening, priorities, actions, notes, evidence, history, overdue."""
from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings, strategies as st

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode
from capacity.plans import services
from capacity.plans.models import ActionNote, ActionStatus, DevelopmentPlan, PlanAction, PlanPriority, PriorityStatus
from capacity.timeutil import programme_today
from tests.plans.helpers import EMAILS, URL, client_for, in_english, objects, start, text, user, validate, world  # noqa: F401

PAST = "2026-02-01"  # after the round's start (2026-01-01), before today


def _client(app, role: str):
    return in_english(client_for(app, EMAILS[role]))


def _plan(app) -> DevelopmentPlan:
    org, round_ = objects()
    return db.session.scalar(sa.select(DevelopmentPlan).where(DevelopmentPlan.organisation_id == org.id))


def _action(client, **fields):
    data = {"indicators": "GOV.01", "description": "Write a gender policy", "target_level": "3", "responsible": "Nino",
            "due_on": PAST, "support_type": "training", "evidence_url": "", "revision": "0", **fields}
    return client.post(URL + "/actions", data=data)


def _counts(app):
    with app.app_context():
        return (db.session.scalar(sa.select(sa.func.count(PlanAction.id))),
                db.session.scalar(sa.select(sa.func.count(ActionNote.id))),
                db.session.scalar(sa.select(sa.func.count(AuditEvent.id))))


# --- opening -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("up_to", [None, "self", "mentor"])
def test_before_validation_staff_get_the_same_words_whatever_the_mentor_has_done(app, world, up_to):
    if up_to:
        validate(app, up_to=up_to)
    page = text(_client(app, "staff").get(URL))
    assert "The plan opens once the assessment is validated." in page
    assert "Start the plan" not in page and "Mentor" not in page.split("Log out")[1]
    response = _client(app, "staff").post(URL + "/start", follow_redirects=True)
    assert "opens once the assessment is validated" in text(response)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(DevelopmentPlan.id))) == 0


def test_staff_start_the_plan_with_suggested_priorities(app, world):
    validate(app)
    client = _client(app, "staff")
    assert "Start the plan" in text(client.get(URL))
    page = text(client.post(URL + "/start", follow_redirects=True))
    assert "The plan has been started" in page
    # Every level is 2 (< 3): the five lowest in questionnaire order; the three widest gaps (all 3) likewise.
    with app.app_context():
        plan = _plan(app)
        codes = [p.indicator_code for p in plan.priorities]
        assert codes[:3] == ["GOV.01", "GOV.02", "GOV.03"] and plan.seeded_from == "consensus"
        assert all(p.level == 2 for p in plan.priorities)
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "plan.start")).organisation_id == plan.organisation_id


def test_two_starts_at_once_make_one_plan(app, world, monkeypatch):
    validate(app)
    first = start(app)
    with app.app_context():
        org, round_ = objects()
        # The second request looked before the first committed: it found no plan, so it inserts and loses.
        monkeypatch.setattr(services, "plan_of", lambda *args: None if not calls.append(1) and len(calls) == 1
                            else real(*args))
        calls: list = []
        from capacity.plans.queries import plan_of as real
        second = services.start_plan(user("mentor"), org, round_)
        db.session.commit()
        assert second.id == first
        assert db.session.scalar(sa.select(sa.func.count(DevelopmentPlan.id))) == 1


# --- what each role sees -------------------------------------------------------------------------------------------

def test_staff_see_their_level_and_the_agreed_one_never_the_mentors(app, world):
    validate(app)
    start(app)
    page = _client(app, "staff").get(URL).get_data(as_text=True)
    # Everything above the new-action form (whose target-level list names every level of the scale).
    flat = " ".join(page.split('id="new-action"')[0].split())
    assert "Self-assessment: 1 — Emerging" in flat and "agreed level: 2 — Developing" in flat
    for leak in ("4 — Mature", "Mentor assessment", "Indicators where the two differ", "gap of", "Difference of"):
        assert leak not in flat, leak
    mentor = " ".join(_client(app, "mentor").get(URL).get_data(as_text=True).split())
    assert "mentor's level: 4 — Mature; gap of 3 levels" in mentor


def test_each_priority_suggests_the_resources_named_for_its_indicator_and_links_the_library_for_more(app, world):
    validate(app)
    start(app)
    page = _client(app, "staff").get(URL).get_data(as_text=True)
    row = page[page.index("GOV.01"):page.index("GOV.02")]  # the first priority's row (all levels are 2)
    # Named for GOV.01 in questionnaires/gesi-oca.resources.yaml: the Charity Governance Code comes before resources
    # that only share one of its GESI tags, and no more than three are listed.
    assert "Charity Governance Code" in row
    assert row.count("<a href=") <= 4
    assert "more in the library" in row and "/resources/?topic=GOV.01" in row


def test_managers_read_without_controls_and_their_posts_are_refused(app, world):
    validate(app)
    start(app)
    client = _client(app, "manager")
    page = client.get(URL).get_data(as_text=True)
    assert "GOV.01" in page and "You can read this plan" in page
    for control in ("Add an action", "Accept", "Set it aside", "Add a priority", "Start the plan"):
        assert control not in text(client.get(URL)), control
    assert _action(client).status_code == 403
    assert client.post(URL + "/priorities", data={"indicator": "HR.01", "revision": "1"}).status_code == 403
    assert _counts(app)[0] == 0


def test_other_organisations_staff_and_mentor_get_not_found(app, world):
    validate(app)
    start(app)
    for role in ("other_staff", "other_mentor"):
        client = _client(app, role)
        assert client.get(URL).status_code == 404
        assert client.get(URL + "/history").status_code == 404
        assert _action(client).status_code == 404


# --- priorities ----------------------------------------------------------------------------------------------------

def test_priorities_accept_drop_add_and_a_stale_decision_is_refused(app, world):
    validate(app)
    start(app)
    client = _client(app, "mentor")
    with app.app_context():
        plan = _plan(app)
        first, revision = plan.priorities[0].id, plan.revision
    assert client.post(f"{URL}/priorities/{first}", data={"decision": "drop", "revision": revision}).status_code == 302
    # The same page again (older revision): refused, nothing changes.
    page = text(client.post(f"{URL}/priorities/{first}", data={"decision": "accept", "revision": revision},
                            follow_redirects=True))
    assert "Someone changed the priorities since you opened this page" in page
    response = client.post(URL + "/priorities", data={"indicator": "ZZ.99", "revision": revision + 1},
                           follow_redirects=True)
    assert "“ZZ.99” is not an indicator of this round's questionnaire." in text(response)
    client.post(URL + "/priorities", data={"indicator": "hr.01", "revision": revision + 1})
    with app.app_context():
        plan = _plan(app)
        by_code = {p.indicator_code: p for p in plan.priorities}
        assert by_code["GOV.01"].status == PriorityStatus.DROPPED
        assert by_code["HR.01"].status == PriorityStatus.ACCEPTED and by_code["HR.01"].reasons_raw == "added"
        assert by_code["HR.01"].level == 2
        assert plan.revision == revision + 2


# --- actions -------------------------------------------------------------------------------------------------------

def test_add_edit_and_a_stale_edit_shows_both_versions(app, world):
    validate(app)
    start(app)
    staff, mentor = _client(app, "staff"), _client(app, "mentor")
    assert _action(staff).status_code == 302
    with app.app_context():
        action = db.session.scalar(sa.select(PlanAction))
        action_id, revision = action.id, action.revision
        assert (action.indicators, action.target_level, action.support_type) == (["GOV.01"], 3, "training")
    edit = {"indicators": "GOV.01; GOV.02", "description": "Mentor's version", "target_level": "3", "responsible": "",
            "due_on": PAST, "support_type": "", "evidence_url": "https://example.org/policy", "revision": revision}
    assert mentor.post(f"{URL}/actions/{action_id}", data=edit).status_code == 302
    response = staff.post(f"{URL}/actions/{action_id}", data={**edit, "description": "Staff's version"})
    page = text(response)
    assert response.status_code == 409
    assert "Someone else saved this action since you opened the page" in page
    assert "Saved meanwhile by" in page and "Mentor's version" in page and "Staff's version" in page
    with app.app_context():
        action = db.session.get(PlanAction, action_id)
        assert action.description == "Mentor's version" and action.indicators == ["GOV.01", "GOV.02"]
        assert action.evidence_url == "https://example.org/policy" and action.revision == revision + 1
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "action.update")) == 1


BAD_INPUTS = [
    ({"indicators": ""}, "indicators", "Name at least one indicator the action works on."),
    ({"indicators": "GOV.01; XX.42"}, "indicators", "“XX.42” is not an indicator of this round's questionnaire."),
    ({"due_on": "2025-12-31"}, "due_on", "The due date cannot be before the round started (January 1, 2026)."),
    ({"due_on": "31/12/2026"}, "due_on", "“Due date” is not a date: write it as YYYY-MM-DD"),
    ({"target_level": "7"}, "target_level", "The target level must be a level of the scale, 1 to 4."),
    ({"target_level": "٣"}, "target_level", "The target level must be a level of the scale, 1 to 4."),
    ({"support_type": "bribery"}, "support_type", "Choose a kind of support from the list."),
    ({"description": "x" * 5001}, "description", "“What will be done” is too long: at most 5000 characters."),
    ({"description": "  "}, "description", "“What will be done” is required."),
    ({"responsible": "y" * 121}, "responsible", "“Responsible” is too long: at most 120 characters."),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "must be a web address starting with http:// or https://"),
    ({"evidence_url": "https://e.org/" + "a" * 1000}, "evidence_url", "at most 1000 characters"),
]


@pytest.mark.parametrize("fields,field,message", BAD_INPUTS, ids=[b[1] + str(n) for n, b in enumerate(BAD_INPUTS)])
def test_bad_action_input_is_refused_with_a_message_and_nothing_saved(app, world, fields, field, message):
    validate(app)
    start(app)
    before = _counts(app)
    response = _action(_client(app, "staff"), **fields)
    assert response.status_code == 400
    assert message in text(response)
    assert _counts(app) == before


def test_a_message_in_georgian(app, world):
    validate(app)
    start(app)
    client = client_for(app, EMAILS["staff"])  # the default language: Georgian
    response = _action(client, indicators="")
    assert "მიუთითეთ მინიმუმ ერთი ინდიკატორი" in text(response)


def test_status_changes_dropped_needs_a_reason_done_sets_the_date(app, world):
    validate(app)
    start(app)
    client = _client(app, "staff")
    _action(client)
    with app.app_context():
        action_id = db.session.scalar(sa.select(PlanAction.id))
    response = client.post(f"{URL}/actions/{action_id}/status", data={"status": "dropped", "revision": "1", "reason": ""})
    assert response.status_code == 400 and "Say why the action is dropped" in text(response)
    client.post(f"{URL}/actions/{action_id}/status", data={"status": "in_progress", "revision": "1"})
    client.post(f"{URL}/actions/{action_id}/status", data={"status": "done", "revision": "2", "completed_on": ""})
    with app.app_context():
        action = db.session.get(PlanAction, action_id)
        assert action.status == ActionStatus.DONE and action.completed_on == programme_today()
    client.post(f"{URL}/actions/{action_id}/status", data={"status": "dropped", "revision": "3", "reason": "Funding ended"})
    page = text(client.get(URL))
    assert "Dropped (1)" in page and "Funding ended" in page
    with app.app_context():
        action = db.session.get(PlanAction, action_id)
        assert action.status == ActionStatus.DROPPED and action.completed_on is None
    stale = client.post(f"{URL}/actions/{action_id}/status", data={"status": "planned", "revision": "1"})
    assert stale.status_code == 409 and "Someone else saved this action" in text(stale)


def test_notes_are_dated_not_in_the_future_nor_before_the_round(app, world):
    validate(app)
    start(app)
    client = _client(app, "mentor")
    _action(client)
    with app.app_context():
        action_id = db.session.scalar(sa.select(PlanAction.id))
    tomorrow = (programme_today() + timedelta(days=1)).isoformat()
    assert "cannot be in the future" in text(client.post(f"{URL}/actions/{action_id}/notes",
                                                         data={"noted_on": tomorrow, "text": "x"}))
    assert "cannot be before the round started (January 1, 2026)" in text(
        client.post(f"{URL}/actions/{action_id}/notes", data={"noted_on": "2025-06-01", "text": "x"}))
    assert _counts(app)[1] == 0
    client.post(f"{URL}/actions/{action_id}/notes", data={"noted_on": PAST, "text": "Board met about it"})
    assert "Board met about it" in text(client.get(URL))


def test_overdue_actions_on_the_plan_and_the_mentors_home(app, world):
    validate(app)
    start(app)
    client = _client(app, "staff")
    _action(client, description="Late action", due_on=PAST)
    _action(client, description="Future action", due_on=(programme_today() + timedelta(days=30)).isoformat())
    page = text(client.get(URL))
    assert "1 action overdue" in page and "Overdue" in page
    home = text(_client(app, "mentor").get("/"))
    assert "Overdue actions" in home and "Late action" in home and "Future action" not in home
    assert "Late action" not in text(_client(app, "other_mentor").get("/"))


def test_a_follow_up_becomes_an_action(app, world):
    validate(app)
    start(app)
    with app.app_context():
        org, round_ = objects()
        session = MentoringSession(organisation_id=org.id, round_id=round_.id, mentor_id=user("mentor").id,
                                   held_on=date(2026, 2, 2), duration_minutes=60, mode=SessionMode.ONLINE,
                                   indicators_raw="HR.01", participants_total=3)
        session.follow_ups = [FollowUp(text="Draft the HR manual")]
        db.session.add(session)
        db.session.commit()
        follow_up = session.follow_ups[0].id
    client = _client(app, "staff")
    assert "Draft the HR manual" in text(client.get(URL)) and "Make it an action" in text(client.get(URL))
    form = client.get(f"{URL}?follow_up={follow_up}").get_data(as_text=True)
    assert 'value="HR.01"' in form and "Draft the HR manual</textarea>" in form
    _action(client, indicators="HR.01", description="Draft the HR manual", follow_up=str(follow_up))
    with app.app_context():
        assert db.session.scalar(sa.select(PlanAction.follow_up_id)) == follow_up
    assert "Make it an action" not in text(client.get(URL))


def test_history_names_who_changed_what(app, world):
    validate(app)
    start(app)
    client = _client(app, "staff")
    _action(client)
    with app.app_context():
        action_id = db.session.scalar(sa.select(PlanAction.id))
    client.post(f"{URL}/actions/{action_id}/status", data={"status": "in_progress", "revision": "1"})
    page = text(client.get(URL + "/history"))
    assert "Plan started" in page and "Action added" in page
    assert "Status of the action: Planned → In progress" in page
    assert "Write a gender policy" in page
    assert "Nothing has been recorded yet." in text(_client(app, "manager").get(URL + "/history")) or "Action added" in \
        text(_client(app, "manager").get(URL + "/history"))


# --- evidence files ------------------------------------------------------------------------------------------------

def test_evidence_file_upload_refusal_download_and_removal(app, world):
    validate(app)
    start(app)
    client = _client(app, "staff")
    _action(client)
    with app.app_context():
        action_id = db.session.scalar(sa.select(PlanAction.id))
    refused = client.post(f"{URL}/actions/{action_id}/files", data={"file": (io.BytesIO(b"MZ..."), "tool.exe")},
                          content_type="multipart/form-data", follow_redirects=True)
    assert "Files of this type cannot be uploaded" in text(refused)
    forged = client.post(f"{URL}/actions/{action_id}/files", data={"file": (io.BytesIO(b"hello"), "report.pdf")},
                         content_type="multipart/form-data", follow_redirects=True)
    assert "does not match its name (.pdf)" in text(forged)
    client.post(f"{URL}/actions/{action_id}/files", data={"file": (io.BytesIO(b"%PDF-1.4 PLAN-FILE"), "minutes.pdf")},
                content_type="multipart/form-data")
    with app.app_context():
        file_id = db.session.scalar(sa.select(PlanAction).where(PlanAction.id == action_id)).evidence_files[0].id
    expected = {"staff": 200, "mentor": 200, "manager": 200, "admin": 200, "other_staff": 404, "other_mentor": 404}
    for role, status in expected.items():
        response = _client(app, role).get(f"/plan-evidence/{file_id}")
        assert response.status_code == status, role
        assert (b"PLAN-FILE" in response.data) == (status == 200), role
    assert _client(app, "manager").post(f"/plan-evidence/{file_id}/delete").status_code == 403
    assert _client(app, "other_staff").post(f"/plan-evidence/{file_id}/delete").status_code == 404
    client.post(f"/plan-evidence/{file_id}/delete")
    assert client.get(f"/plan-evidence/{file_id}").status_code == 404
    assert "Evidence removed" in text(client.get(URL + "/history"))


# --- junk never gives an error page --------------------------------------------------------------------------------

junk = st.one_of(st.text(max_size=60), st.sampled_from(["", "0", "-1", "99999999999", "2026-02-30", "٣", "\x00",
                                                          "GOV.01;;GOV.01", "https://", "1e3", " " * 5]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({k: junk for k in ("indicators", "description", "target_level", "responsible",
                                                        "due_on", "support_type", "evidence_url", "revision",
                                                        "follow_up", "status", "reason", "completed_on",
                                                        "noted_on", "text", "decision", "indicator")}))
def test_junk_in_every_field_never_gives_an_error_page(app, world, values):
    if not hasattr(app, "_plan_started"):
        validate(app)
        start(app)
        _action(_client(app, "staff"))
        app._plan_started = True
    client = _client(app, "staff")
    with app.app_context():
        action_id = db.session.scalar(sa.select(PlanAction.id))
        priority_id = db.session.scalar(sa.select(PlanPriority.id))
    for path in ("/actions", f"/actions/{action_id}", f"/actions/{action_id}/status", f"/actions/{action_id}/notes",
                 f"/priorities/{priority_id}", "/priorities"):
        response = client.post(URL + path, data=values)
        assert response.status_code in (302, 400, 404, 409), (path, response.status_code)
