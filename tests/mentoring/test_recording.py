"""Recording, correcting and removing sessions as an assigned mentor; what each role reads on the log."""
from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from capacity.plans.models import PlanAction
from tests.mentoring.conftest import LOG, VALID, add_round, user_id


def _events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        found = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))
        db.session.expunge_all()
        return found


def _text(response) -> str:
    """The page as a reader gets it: tags dropped, entities read, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def test_an_assigned_mentor_records_a_session_with_everything_it_holds(mw):
    client = mw.client("mentor")
    response = client.post(f"{LOG}/new", data={**VALID, "indicators": ["GOV.01", "FIN.02"],
                                               "action_ids": [str(mw.actions[0])]}, follow_redirects=True)
    assert "The session has been recorded." in _text(response)
    [session] = mw.sessions()
    assert (session.held_on, session.duration_minutes, session.mode.value) == (date(2026, 2, 10), 90, "on_site")
    assert (session.participants_total, session.participants_female, session.participants_male,
            session.participants_with_disability) == (5, 3, 2, 1)
    assert session.indicators == ["GOV.01", "FIN.02"]
    assert [a.id for a in session.actions] == [mw.actions[0]]
    assert session.mentor.display_name == "Mentor Nino"
    assert [f.text for f in session.follow_ups] == ["Draft the complaints procedure", "Share the budget template"]
    [event] = _events(mw.app, "mentoring.record")
    assert event.organisation_id == session.organisation_id and event.after["participants_total"] == 5


def test_hours_with_a_decimal_comma_or_point_are_read(mw):
    mw.record(hours="1,5", minutes="")
    mw.record(hours="2.25", minutes="")
    mw.record(hours="", minutes="45")
    assert [s.duration_minutes for s in mw.sessions()] == [90, 135, 45]


def test_the_log_shows_each_session_with_totals_to_those_who_may_see_the_organisation(mw):
    mw.record(indicators=["GOV.01"], action_ids=[str(mw.actions[0])])
    mw.record(held_on="2026-03-01", hours="2", minutes="0", mode="online", participants_total="4",
              participants_female="1", participants_male="3", participants_with_disability="0",
              notes="Second visit.", follow_ups="")
    for role in ("staff", "mentor", "manager", "admin"):
        page = _text(mw.client(role).get(LOG))
        assert "Worked on the safeguarding policy." in page and "Second visit." in page, role
        # Newest first, grouped under the round, with hours and minutes, mode, mentor and the indicator's title.
        assert page.index("Second visit.") < page.index("Worked on the safeguarding policy."), role
        assert "Round baseline" in page and "1 h 30 min" in page and "2 h" in page and "Online" in page, role
        assert "Mentor Nino" in page and "GOV.01" in page and "Adopt a safeguarding policy" in page, role
        assert "2 sessions" in page and "Time: 3 h 30 min" in page and "Participants: 9" in page, role
        assert "Women: 4" in page and "Men: 5" in page and "Persons with disability: 1" in page, role
        assert "Draft the complaints procedure" in page, role
        assert ("Record a session" in page) == (role == "mentor"), role
    for role in ("other_staff", "other_mentor"):
        response = mw.client(role).get(LOG)
        assert response.status_code == 404 and "Worked on the safeguarding" not in _text(response), role


def test_other_organisations_staff_see_nothing_of_it_on_their_own_log(mw, factory):
    mw.record()
    page = _text(mw.client("other_staff").get("/organisations/OTH-01/mentoring"))
    assert "No mentoring session has been recorded yet." in page
    assert "Worked on the safeguarding policy." not in page


def test_georgian_log_writes_numbers_and_dates_the_georgian_way(mw):
    mw.record(participants_total="1500", participants_female="700", participants_male="800",
              participants_with_disability="0")
    page = _text(mw.client("staff", language="ka").get(LOG))
    assert "1 500" in page.replace("\xa0", " ")
    assert "2026" in page and "10" in page and "Worked on the safeguarding policy" in page  # marked as English: its own span


def test_another_assigned_mentor_corrects_a_session_and_it_is_audited(mw):
    session_id = mw.record()
    client = mw.client("second_mentor")
    form = client.get(f"{LOG}/{session_id}")
    assert form.status_code == 200 and "Worked on the safeguarding policy." in _text(form)
    response = client.post(f"{LOG}/{session_id}", data={**VALID, "revision": "1", "participants_total": "6",
                                                        "notes": "Corrected notes."}, follow_redirects=True)
    assert "The changes to the session have been saved." in _text(response)
    [session] = mw.sessions()
    assert (session.participants_total, session.notes, session.revision) == (6, "Corrected notes.", 2)
    assert session.mentor.display_name == "Mentor Nino"  # the mentor who held it stays
    [event] = _events(mw.app, "mentoring.update")
    assert event.actor_id == user_id(mw.app, mw.users["second_mentor"])
    assert event.before == {"participants_total": 5, "notes": "Worked on the safeguarding policy."}
    assert event.after == {"participants_total": 6, "notes": "Corrected notes."}
    assert event.organisation_id == session.organisation_id


def test_a_correction_from_an_older_page_is_refused_with_what_is_stored_now(mw):
    session_id = mw.record()
    first, second = mw.client("mentor"), mw.client("second_mentor")
    assert first.post(f"{LOG}/{session_id}", data={**VALID, "revision": "1", "notes": "Nino's version."}).status_code == 302
    stale = second.post(f"{LOG}/{session_id}", data={**VALID, "revision": "1", "notes": "Giorgi's version."})
    page = _text(stale)
    assert stale.status_code == 409
    assert "Not saved: someone else saved this session after you opened the page." in page
    assert "Last saved by Mentor Nino." in page and "Nino's version." in page and "Giorgi's version." in page
    assert mw.sessions()[0].notes == "Nino's version."
    # Saving again from the refused page (it carries the revision it was shown) keeps Giorgi's values.
    again = second.post(f"{LOG}/{session_id}", data={**VALID, "revision": "2", "notes": "Giorgi's version."})
    assert again.status_code == 302 and mw.sessions()[0].notes == "Giorgi's version."


def test_a_correction_without_a_revision_is_refused(mw):
    session_id = mw.record()
    response = mw.client("mentor").post(f"{LOG}/{session_id}", data={**VALID, "revision": "x", "notes": "Lost?"})
    assert response.status_code == 400
    assert "did not say which version of the session it showed" in _text(response)
    assert mw.sessions()[0].notes == "Worked on the safeguarding policy."


def test_follow_ups_that_became_plan_actions_are_kept_and_linked(mw):
    session_id = mw.record(follow_ups="Draft the complaints procedure\nShare the budget template\nCall the board")
    with mw.app.app_context():
        session = db.session.get(MentoringSession, session_id)
        drafted = next(f for f in session.follow_ups if f.text == "Draft the complaints procedure")
        action = db.session.get(PlanAction, mw.actions[1])
        action.follow_up_id = drafted.id
        db.session.commit()
        drafted_id = drafted.id
    client = mw.client("mentor")
    response = client.post(f"{LOG}/{session_id}", data={**VALID, "revision": "1", "follow_ups": "Call the board\nNew one"},
                           follow_redirects=True)
    page = _text(response)
    assert ("The follow-up “Draft the complaints procedure” became an action of the plan, so it was kept."
            in page)
    [session] = mw.sessions()
    texts = {f.id: f.text for f in session.follow_ups}
    assert drafted_id in texts  # the same row: the plan action still points at it
    assert sorted(texts.values()) == ["Call the board", "Draft the complaints procedure", "New one"]
    assert "Share the budget template" not in mw.follow_ups()
    log = _text(client.get(LOG))
    assert "Draft the complaints procedure — became an action of the plan" in log
    if "plans.plan" in mw.app.view_functions:
        assert 'href="/organisations/OWN-01/plans/baseline"' in client.get(LOG).get_data(as_text=True)


def test_removing_a_session_recorded_by_mistake(mw):
    session_id = mw.record()
    with mw.app.app_context():
        session = db.session.get(MentoringSession, session_id)
        db.session.get(PlanAction, mw.actions[0]).follow_up_id = session.follow_ups[0].id
        db.session.commit()
    page = mw.client("second_mentor").get(f"{LOG}/{session_id}").get_data(as_text=True)
    removal = page[page.index(f'action="{LOG}/{session_id}/delete"'):]
    assert 'id="remove-revision" name="revision" type="hidden" value="1"' in removal  # the version the page shows
    response = mw.client("second_mentor").post(f"{LOG}/{session_id}/delete", data={"revision": "1"},
                                               follow_redirects=True)
    assert "has been removed" in _text(response)
    assert mw.sessions() == [] and mw.follow_ups() == []
    [event] = _events(mw.app, "mentoring.remove")
    assert event.before["notes"] == "Worked on the safeguarding policy." and event.organisation_id is not None
    with mw.app.app_context():  # the action made from its follow-up stays in the plan
        action = db.session.get(PlanAction, mw.actions[0])
        assert action is not None and action.follow_up_id is None


def test_the_form_offers_the_round_with_a_plan_and_its_actions(mw, app):
    add_round(app, "endline", date(2026, 6, 1))  # newer, but OWN-01 has no plan in it
    page = mw.client("mentor").get(f"{LOG}/new").get_data(as_text=True)
    assert '<option selected value="baseline">' in page or 'value="baseline" selected' in page
    assert "Adopt a safeguarding policy" in page and "GOV.01" in page
    add_round(app, "midline", date(2026, 4, 1), with_plan_for="OWN-01")
    page = mw.client("mentor").get(f"{LOG}/new").get_data(as_text=True)
    assert '<option selected value="midline">' in page or 'value="midline" selected' in page


def test_without_any_plan_the_newest_round_is_offered(app, factory):
    org = factory.org("SOLO-01")
    mentor = factory.user("mentor")
    factory.assign(mentor, org)
    factory.round("baseline")
    add_round(app, "endline", date(2026, 6, 1))
    client = app.test_client()
    from tests.conftest import login
    login(client, mentor)
    page = client.get("/organisations/SOLO-01/mentoring/new").get_data(as_text=True)
    assert '<option selected value="endline">' in page or 'value="endline" selected' in page


@pytest.mark.parametrize("revision,message", [
    ("1", "Someone corrected this session since you opened the page: nothing was removed."),
    ("", "The page did not say which version of the session it showed: nothing was removed."),
    ("x", "The page did not say which version of the session it showed: nothing was removed."),
])
def test_a_removal_from_an_older_page_is_refused_and_the_correction_stays(mw, revision, message):
    session_id = mw.record()
    # The first mentor corrects the session; the second still has the page of revision 1 open and removes from it.
    corrected = mw.client("mentor").post(f"{LOG}/{session_id}", data={**VALID, "revision": "1",
                                                                      "notes": "Corrected by Nino."})
    assert corrected.status_code == 302
    response = mw.client("second_mentor").post(f"{LOG}/{session_id}/delete", data={"revision": revision},
                                               follow_redirects=True)
    page = _text(response)
    assert message in page and "has been removed" not in page
    assert "Corrected by Nino." in page  # back on the session as it is now, with the removal button
    [session] = mw.sessions()
    assert session.notes == "Corrected by Nino." and session.revision == 2
    assert _events(mw.app, "mentoring.remove") == []
    # From the page just shown (revision 2) the removal goes through.
    again = mw.client("second_mentor").post(f"{LOG}/{session_id}/delete", data={"revision": "2"},
                                            follow_redirects=True)
    assert "has been removed" in _text(again) and mw.sessions() == []
