"""Dates on the programme's calendar, completion dates inside the round, follow-ups made into one action each,
and an edit that does not say which version it showed: each refused with a message, nothing half-saved."""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from capacity.extensions import db
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode
from capacity.organisations.models import Organisation
from capacity.plans import page, services
from capacity.plans.models import ActionStatus, PlanAction
from capacity.home import todo
from tests.plans.helpers import EMAILS, URL, client_for, in_english, objects, start, text, user, validate, world  # noqa: F401

PAST = "2026-02-01"


def _client(app, role: str):
    return in_english(client_for(app, EMAILS[role]))


def _action(client, **fields):
    data = {"indicators": "GOV.01", "description": "Write a gender policy", "due_on": PAST, "revision": "", **fields}
    return client.post(URL + "/actions", data=data)


def _actions(app) -> list[tuple]:
    with app.app_context():
        return [(a.description, a.follow_up_id, a.status, a.completed_on, a.revision)
                for a in db.session.scalars(sa.select(PlanAction).order_by(PlanAction.id))]


@pytest.fixture
def plan(app, world):
    validate(app)
    start(app)
    assert _action(_client(app, "staff")).status_code == 302
    with app.app_context():
        return db.session.scalar(sa.select(PlanAction.id))


# --- completion dates, and the programme's calendar day ----------------------------------------------------------

@pytest.mark.parametrize("completed_on,message", [
    ("0001-01-01", "The completion date cannot be before the round started (January 1, 2026)."),
    ("2025-12-31", "The completion date cannot be before the round started (January 1, 2026)."),
    ("9999-12-31", "The completion date cannot be in the future."),
])
def test_a_completion_date_outside_the_round_is_refused(app, plan, completed_on, message):
    before = _actions(app)
    response = _client(app, "staff").post(f"{URL}/actions/{plan}/status",
                                          data={"status": "done", "completed_on": completed_on, "revision": "1"})
    assert response.status_code == 400 and message in text(response)
    assert _actions(app) == before


def test_today_is_the_programmes_calendar_day(app, plan, monkeypatch):
    """Overdue, "not in the future" and the default completion date follow programme_today (Tbilisi), not the
    server's clock: here the programme's day is set to 15 February 2026, long before the server's date."""
    day = date(2026, 2, 15)
    for module in (services, page, todo):
        monkeypatch.setattr(module, "programme_today", lambda: day)
    staff = _client(app, "staff")
    _action(staff, description="Due on the first of March", due_on="2026-03-01")
    # Only the action due on 1 February is overdue (the server's date would make both).
    assert "1 action overdue" in text(staff.get(URL))
    home = text(_client(app, "mentor").get("/"))
    assert "Write a gender policy" in home and "Due on the first of March" not in home
    future = staff.post(f"{URL}/actions/{plan}/notes", data={"noted_on": "2026-02-16", "text": "Too early"})
    assert "The note's date cannot be in the future." in text(future)
    staff.post(f"{URL}/actions/{plan}/status", data={"status": "done", "completed_on": "", "revision": "1"})
    assert _actions(app)[0][2:4] == (ActionStatus.DONE, day)
    assert f'value="{day.isoformat()}"' in staff.get(URL).get_data(as_text=True)  # the note form's default date


# --- follow-ups ------------------------------------------------------------------------------------------------------

def _follow_up(app, org_code: str = "OWN-01", text_: str = "Draft the HR manual") -> int:
    with app.app_context():
        _, round_ = objects()
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        session = MentoringSession(organisation_id=org.id, round_id=round_.id, mentor_id=user("mentor").id,
                                   held_on=date(2026, 2, 2), duration_minutes=60, mode=SessionMode.ONLINE,
                                   indicators_raw="HR.01", participants_total=3)
        session.follow_ups = [FollowUp(text=text_)]
        db.session.add(session)
        db.session.commit()
        return session.follow_ups[0].id


@pytest.mark.parametrize("junk", ["٣", "-1", "9" * 20, "abc", "0", "1.0"])
def test_a_junk_follow_up_is_refused_with_a_message(app, plan, junk):
    before = _actions(app)
    response = _action(_client(app, "staff"), description="From a junk follow-up", follow_up=junk)
    assert response.status_code == 400
    assert "The follow-up this action is made from is not a valid number." in text(response)
    assert _actions(app) == before


def test_a_follow_up_becomes_one_action_only(app, plan):
    follow_up = _follow_up(app)
    staff, mentor = _client(app, "staff"), _client(app, "mentor")
    assert _action(staff, description="Draft the HR manual", follow_up=str(follow_up)).status_code == 302
    before = _actions(app)
    # The mentor's page still offered it: the second "make it an action" is refused.
    second = _action(mentor, description="Draft the HR manual too", follow_up=str(follow_up))
    assert second.status_code == 400 and "This follow-up has already become an action." in text(second)
    assert _actions(app) == before


def test_two_actions_made_from_one_follow_up_at_the_same_moment_one_is_refused(app, plan, monkeypatch):
    follow_up = _follow_up(app)
    staff = _client(app, "staff")
    assert _action(staff, description="First", follow_up=str(follow_up)).status_code == 302
    before = _actions(app)
    # The second request checked before the first saved: its check found the follow-up open.
    real, calls = services._follow_up_refusal, []
    monkeypatch.setattr(services, "_follow_up_refusal",
                        lambda plan_, id_: None if not calls.append(1) and len(calls) == 1 else real(plan_, id_))
    response = _action(staff, description="Second", follow_up=str(follow_up))
    assert response.status_code == 400 and "This follow-up has already become an action." in text(response)
    assert _actions(app) == before


@pytest.mark.parametrize("checked_first", [True, False], ids=["deleted-before", "deleted-meanwhile"])
def test_an_action_from_a_follow_up_deleted_meanwhile_is_refused(app, plan, monkeypatch, checked_first):
    follow_up = _follow_up(app)
    with app.app_context():  # the mentor removed the session (and its follow-ups) after the page was loaded
        db.session.delete(db.session.get(FollowUp, follow_up).session)
        db.session.commit()
    if not checked_first:  # the check ran before the removal; the insert meets the missing row
        real, calls = services._follow_up_refusal, []
        monkeypatch.setattr(services, "_follow_up_refusal",
                            lambda plan_, id_: None if not calls.append(1) and len(calls) == 1 else real(plan_, id_))
    before = _actions(app)
    response = _action(_client(app, "staff"), description="Gone", follow_up=str(follow_up))
    assert response.status_code == 400 and "This follow-up no longer exists." in text(response)
    assert _actions(app) == before


def test_another_organisations_follow_up_is_refused_without_a_word_of_it(app, plan):
    foreign = _follow_up(app, "OTH-01", "OTHER ORGANISATION'S FOLLOW-UP")
    response = _action(_client(app, "staff"), description="Taken", follow_up=str(foreign))
    assert response.status_code == 400 and "This follow-up no longer exists." in text(response)
    assert "OTHER ORGANISATION" not in text(response)
    assert [a[1] for a in _actions(app)] == [None]


# --- an edit without the version it was made from --------------------------------------------------------------------

@pytest.mark.parametrize("revision,message", [
    (None, "The page did not say which version it showed."),
    ("", "The page did not say which version it showed."),
    ("  ", "The page did not say which version it showed."),
    ("abc", "The version the page showed is not a valid number."),
    ("9" * 20, "The version the page showed is not a valid number."),
])
def test_an_edit_that_does_not_say_which_version_it_showed_is_refused_so(app, plan, revision, message):
    staff = _client(app, "staff")
    data = {"indicators": "GOV.01", "description": "Edited without a version", "due_on": PAST}
    if revision is not None:
        data["revision"] = revision
    before = _actions(app)
    response = staff.post(f"{URL}/actions/{plan}", data=data)
    page = text(response)
    assert response.status_code == 400 and message in page
    assert "Someone else saved" not in page
    assert _actions(app) == before
    # The form now carries the stored version: saving again keeps the values typed.
    assert 'name="revision" type="hidden" value="1"' in response.get_data(as_text=True)
    assert staff.post(f"{URL}/actions/{plan}", data={**data, "revision": "1"}).status_code == 302
    assert _actions(app)[0][0] == "Edited without a version"
