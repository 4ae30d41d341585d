"""Every bad input is refused with a message naming what is wrong, and nothing at all is saved."""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, gettext

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from tests.mentoring.conftest import LOG, VALID

TOMORROW = (date.today() + timedelta(days=2)).isoformat()

BAD = [
    ({"held_on": ""}, "Enter the date of the session."),
    ({"held_on": "10/02/2026"}, "“10/02/2026” is not a date: write it as year-month-day"),
    ({"held_on": "2026-02-30"}, "“2026-02-30” is not a date"),
    ({"held_on": TOMORROW}, "is in the future: enter the day it was held."),
    ({"held_on": "2025-12-31"}, "is before the round “Round baseline” started (January 1, 2026)"),
    ({"hours": "0", "minutes": "0"}, "A session lasts at least 1 minute: the hours and minutes entered add up to 0."),
    ({"hours": "12", "minutes": "1"}, "A session lasts at most 12 hours: the hours and minutes entered add up to 12 h 1 min."),
    ({"hours": "12.5", "minutes": ""}, "A session lasts at most 12 hours: the hours and minutes entered add up to 12 h 30 min."),
    ({"hours": "", "minutes": ""}, "Enter how long the session lasted"),
    ({"hours": "two"}, "Hours: write a number such as 2, or with a decimal such as 1.5 (not “two”)."),
    ({"minutes": "half"}, "Minutes: write a whole number such as 30 (not “half”)."),
    ({"participants_total": "5", "participants_female": "4", "participants_male": "3"},
     "Women and men together (7) are more than the total number of participants (5)."),
    ({"participants_with_disability": "6"}, "Persons with disability (6) are more than the total number of participants (5)."),
    ({"participants_male": "-2"}, "Men: a number of people cannot be negative (-2)."),
    ({"participants_female": "three"}, "Women: write a whole number of people, e.g. 3 (not “three”)."),
    ({"participants_total": ""}, "Enter how many people took part in the session."),
    ({"participants_total": "0", "participants_female": "0", "participants_male": "0",
      "participants_with_disability": "0"}, "At least one person took part in a session"),
    ({"mode": "carrier pigeon"}, "Choose how the session was held: on site, online or by phone."),
    ({"mode": ""}, "Choose how the session was held: on site, online or by phone."),
    ({"indicators": ["GOV.01", "NOPE.99"]}, "Not indicators of the questionnaire of the round “Round baseline”: NOPE.99."),
    ({"action_ids": ["999999"]}, "Not actions of the plan for the round “Round baseline”: 999999."),
    ({"action_ids": ["abc"]}, "Choose the plan actions from the list: something else was sent."),
    ({"notes": "x" * 5001}, "The notes are too long: 5,001 characters, at most 5,000."),
    ({"follow_ups": "ok\n" + "y" * 501}, "Follow-up 2 is too long: 501 characters, at most 500."),
    ({"round_code": "no-such-round"}, "Choose one of the rounds in the list"),
]


def _nothing_saved(app) -> bool:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action.like("mentoring.%"))) == 0 and not db.session.execute(
            sa.text("SELECT 1 FROM mentoring_sessions UNION ALL SELECT 1 FROM mentoring_follow_ups")).first()


@pytest.mark.parametrize("changes,message", BAD, ids=[m[:40] for _c, m in BAD])
def test_bad_input_is_refused_with_its_message_and_nothing_is_saved(mw, changes, message):
    response = mw.client("mentor").post(f"{LOG}/new", data={**VALID, **changes})
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())
    assert response.status_code == 200
    assert message in page
    assert "Nothing was saved. Please correct what is marked below." in page
    assert _nothing_saved(mw.app)


def test_an_action_of_another_organisations_plan_is_refused(mw, app):
    from capacity.organisations.models import Organisation
    from capacity.plans.models import DevelopmentPlan, PlanAction
    from capacity.rounds.models import AssessmentRound

    with app.app_context():
        other = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OTH-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
        plan = DevelopmentPlan(organisation_id=other.id, round_id=round_.id,
                               actions=[PlanAction(indicators_raw="GOV.01", description="Their action")])
        db.session.add(plan)
        db.session.commit()
        theirs = plan.actions[0].id
    response = mw.client("mentor").post(f"{LOG}/new", data={**VALID, "action_ids": [str(theirs)]})
    assert "Not actions of the plan for the round" in response.get_data(as_text=True)
    assert _nothing_saved(app)


def test_a_bad_edit_changes_nothing(mw):
    session_id = mw.record()
    response = mw.client("mentor").post(f"{LOG}/{session_id}", data={**VALID, "revision": "1", "notes": "Changed",
                                                                      "participants_female": "9"})
    assert "Women and men together (11) are more than the total number of participants (5)." in html.unescape(
        response.get_data(as_text=True))
    [session] = mw.sessions()
    assert (session.notes, session.participants_female, session.revision) == ("Worked on the safeguarding policy.", 3, 1)


def test_the_message_is_in_georgian_on_a_georgian_page(mw):
    with mw.app.test_request_context(), force_locale("ka"):
        expected = gettext("Choose how the session was held: on site, online or by phone.")
    assert expected != "Choose how the session was held: on site, online or by phone.", "no Georgian translation"
    client = mw.client("mentor", language="ka")
    response = client.post(f"{LOG}/new", data={**VALID, "mode": "fax"})
    assert expected in html.unescape(response.get_data(as_text=True))
    assert _nothing_saved(mw.app)
