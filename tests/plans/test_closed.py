"""A plan that cannot be changed now refuses every write with a message, never an error page, and saves nothing:
its agreed assessment reopened (until validated again) or its round's questionnaire file missing."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.plans.models import ActionEvidenceFile, DevelopmentPlan, PlanAction
from capacity.rounds.models import AssessmentRound
from tests.plans.helpers import (EMAILS, QUESTIONNAIRE, RATED, URL, client_for, in_english, objects, start, text,
                                 user, validate, world)  # noqa: F401

PAST = "2026-02-01"
REOPENED = "The assessment was reopened: the plan can be changed again once it is validated."
MISSING = "The round's questionnaire or rubric file is missing or has changed: please ask the programme manager."


def _client(app, role: str):
    return in_english(client_for(app, EMAILS[role]))


@pytest.fixture
def plan_with_everything(app, world):
    """A started plan with one action, its note and its evidence file; returns the ids the forms post to."""
    validate(app)
    start(app)
    staff = _client(app, "staff")
    staff.post(URL + "/actions", data={"indicators": "GOV.01", "description": "Write a gender policy",
                                       "due_on": PAST, "revision": "0"})
    with app.app_context():
        action = db.session.scalar(sa.select(PlanAction))
        staff.post(f"{URL}/actions/{action.id}/files", data={"file": (io.BytesIO(b"%PDF-1.4 x"), "minutes.pdf")},
                   content_type="multipart/form-data")
        plan = db.session.scalar(sa.select(DevelopmentPlan))
        file_id = db.session.scalar(sa.select(ActionEvidenceFile.id))
        assert file_id is not None
        return {"action": action.id, "priority": plan.priorities[0].id, "file": file_id, "plan_revision": plan.revision}


def _writes(ids) -> list[tuple[str, str, dict]]:
    """Every write of the plan page, each as a browser would post it from the page."""
    action, revision = ids["action"], str(ids["plan_revision"])
    return [
        ("decide a priority", f"{URL}/priorities/{ids['priority']}", {"decision": "drop", "revision": revision}),
        ("add a priority", f"{URL}/priorities", {"indicator": "HR.01", "revision": revision}),
        ("add an action", f"{URL}/actions", {"indicators": "GOV.02", "description": "Another", "revision": ""}),
        ("edit an action", f"{URL}/actions/{action}", {"indicators": "GOV.01", "description": "Edited", "revision": "1"}),
        ("set a status", f"{URL}/actions/{action}/status", {"status": "done", "completed_on": PAST, "revision": "1"}),
        ("add a note", f"{URL}/actions/{action}/notes", {"noted_on": PAST, "text": "A note"}),
        ("upload evidence", f"{URL}/actions/{action}/files", {"file": (io.BytesIO(b"%PDF-1.4 y"), "more.pdf")}),
        ("remove evidence", f"/plan-evidence/{ids['file']}/delete", {}),
        ("start again", f"{URL}/start", {}),
    ]


def _stored(app) -> tuple:
    """Everything a write could change: audit events, the plan's revision and rows, the action's fields."""
    with app.app_context():
        plan = db.session.scalar(sa.select(DevelopmentPlan))
        action = db.session.scalar(sa.select(PlanAction))
        return (db.session.scalar(sa.select(sa.func.count(AuditEvent.id))), plan.revision,
                [(p.indicator_code, p.status) for p in plan.priorities],
                [(a.description, a.status, a.revision, len(a.notes), len(a.evidence_files)) for a in plan.actions],
                action.revision)


def _every_write_is_refused(app, message: str) -> None:
    with app.app_context():
        ids = {"action": db.session.scalar(sa.select(PlanAction.id)),
               "priority": db.session.scalar(sa.select(DevelopmentPlan)).priorities[0].id,
               "file": db.session.scalar(sa.select(ActionEvidenceFile.id)),
               "plan_revision": db.session.scalar(sa.select(DevelopmentPlan.revision))}
    before = _stored(app)
    for role in ("staff", "mentor"):
        client = _client(app, role)
        for name, url, data in _writes(ids):
            kind = "multipart/form-data" if "file" in data else None
            response = client.post(url, data=data, content_type=kind)
            assert response.status_code == 302, (role, name, response.status_code)
            assert response.headers["Location"].startswith(URL), (role, name)
            page = text(client.get(response.headers["Location"]))
            assert message in page, (role, name)
            assert _stored(app) == before, (role, name)


def _reopen(app) -> None:
    response = _client(app, "manager").post("/organisations/OWN-01/assessments/baseline/consensus/reopen")
    assert response.status_code == 302


def _revalidate(app, level: str) -> None:
    """The mentor changes every agreed level to ``level`` and validates the agreed assessment again."""
    with app.app_context():
        org, round_ = objects()
        assessment = answering.get_assessment(org, round_, Track.CONSENSUS)
        for indicator in RATED:
            answer = next(a for a in assessment.answers if a.indicator_code == indicator.code)
            answering.save_answer(user("mentor"), assessment, QUESTIONNAIRE, indicator.code,
                                  answering.AnswerInput(level, revision=answer.revision))
        db.session.flush()
        db.session.expire_all()
        answering.submit(user("mentor"), answering.get_assessment(org, round_, Track.CONSENSUS), QUESTIONNAIRE)
        db.session.commit()


def test_after_the_agreed_assessment_is_reopened_every_write_is_refused_until_it_is_validated_again(
        app, plan_with_everything):
    _reopen(app)
    assert REOPENED in text(_client(app, "staff").get(URL))
    _every_write_is_refused(app, REOPENED)
    _revalidate(app, "2")
    # Validated again: the plan is open, and a write goes through.
    staff = _client(app, "staff")
    response = staff.post(f"{URL}/actions/{plan_with_everything['action']}/notes",
                          data={"noted_on": PAST, "text": "Back to work"}, follow_redirects=True)
    assert "The note has been added." in text(response) and "Back to work" in text(response)


def test_a_plan_whose_round_lost_its_questionnaire_refuses_every_write_with_a_message(app, plan_with_everything):
    with app.app_context():
        db.session.scalar(sa.select(AssessmentRound)).questionnaire_version = "9.9"
        db.session.commit()
    assert MISSING in text(_client(app, "staff").get(URL))
    _every_write_is_refused(app, MISSING)


def test_the_priorities_show_the_levels_validated_now_and_say_they_changed(app, world):
    validate(app)  # agreed 2 everywhere
    start(app)
    staff, mentor = _client(app, "staff"), _client(app, "mentor")
    changed = "The agreed levels have changed since the plan was started"
    page = text(staff.get(URL))
    assert "agreed level: 2 — Developing" in page and changed not in page
    _reopen(app)
    _revalidate(app, "3")
    for client in (staff, mentor):
        shown = text(client.get(URL)).split("Add a priority")[0]
        assert changed in shown
        assert "3 — Established" in shown and "2 — Developing" not in shown, shown
    with app.app_context():  # the level at the start stays in the rows (and the audit trail)
        assert {p.level for p in db.session.scalar(sa.select(DevelopmentPlan)).priorities} == {2}
