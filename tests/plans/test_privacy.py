"""Staff never learn the mentor's independent levels from the plan: not from a gap-suggested priority, its history,
nor, where the final result is the mentor's own track, from any level at all."""
from __future__ import annotations

import dataclasses
import html

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.plans import services
from capacity.plans.models import DevelopmentPlan, PriorityStatus
from capacity.rounds.definitions import RoundDefinitions
from tests.plans.helpers import (EMAILS, QUESTIONNAIRE, RATED, RUBRIC, URL, client_for, in_english, objects, start,
                                 text, user, validate, world)  # noqa: F401

GAP_ONLY = "STR.01"
GAP_WORDS = ("far apart", "gap of", "Suggested from the agreed assessment", "mentor's level")


def _client(app, role: str):
    return in_english(client_for(app, EMAILS[role]))


def _levels(actor, track: Track, default: str, **levels: str) -> None:
    org, round_ = objects()
    assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
    for indicator in RATED:
        answering.save_answer(actor, assessment, QUESTIONNAIRE, indicator.code,
                              answering.AnswerInput(levels.get(indicator.code.replace(".", "_"), default), revision=0))
    db.session.flush()
    db.session.expire_all()
    answering.submit(actor, answering.get_assessment(org, round_, track), QUESTIONNAIRE)
    db.session.flush()


@pytest.fixture
def gap_only(app, world):
    """Agreed level 3 everywhere (no lowest or GESI rule meets it); STR.01 self 1, mentor 4: a gap-only priority."""
    with app.app_context():
        _levels(user("staff"), Track.SELF, "3", STR_01="1")
        _levels(user("mentor"), Track.MENTOR, "3", STR_01="4")
        _levels(user("mentor"), Track.CONSENSUS, "3")
        db.session.commit()
    start(app)
    with app.app_context():
        plan = db.session.scalar(sa.select(DevelopmentPlan))
        [priority] = plan.priorities
        assert (priority.indicator_code, priority.reasons_raw) == (GAP_ONLY, "gap")
        return priority.id


def _priorities(page: str) -> str:
    """The priorities part of the plan page (the add-priority list and the action form name every indicator)."""
    part = page.split('id="priorities"', 1)[1]
    return part.split('id="add-priority"', 1)[0]


def _revision(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(DevelopmentPlan.revision))


def test_a_priority_suggested_for_a_gap_alone_is_not_shown_to_staff_until_the_mentor_accepts_it(app, gap_only):
    staff, mentor = _client(app, "staff"), _client(app, "mentor")
    shown = _priorities(staff.get(URL).get_data(as_text=True))
    assert GAP_ONLY not in shown and "No indicator met the rules for a suggested priority" in shown
    history = text(staff.get(URL + "/history"))
    assert "Plan started" in history and GAP_ONLY not in history
    # The mentor sees it, and why.
    assert "Self-assessment and mentor assessment far apart" in text(mentor.get(URL))
    assert GAP_ONLY in text(mentor.get(URL + "/history"))
    # Staff cannot decide what they are not shown (a forged id): 404, nothing changes.
    forged = staff.post(f"{URL}/priorities/{gap_only}", data={"decision": "accept", "revision": _revision(app)})
    assert forged.status_code == 404
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "plan.priority")) == 0

    # Set aside by the mentor: still nothing for staff, on the page or in the history.
    mentor.post(f"{URL}/priorities/{gap_only}", data={"decision": "drop", "revision": _revision(app)})
    assert GAP_ONLY not in _priorities(staff.get(URL).get_data(as_text=True))
    assert GAP_ONLY not in text(staff.get(URL + "/history"))

    # Accepted by the mentor: staff see it as the mentor's choice, never as a gap.
    mentor.post(f"{URL}/priorities/{gap_only}", data={"decision": "accept", "revision": _revision(app)})
    page = " ".join(_priorities(staff.get(URL).get_data(as_text=True)).split())
    assert GAP_ONLY in page and "Accepted by the mentor" in page
    for leak in GAP_WORDS + ("4 — Mature",):
        assert leak not in page, leak
    assert GAP_ONLY in text(staff.get(URL + "/history"))


def test_staff_adding_an_indicator_suggested_for_a_gap_alone_take_it_up_as_their_own(app, gap_only):
    staff = _client(app, "staff")
    response = staff.post(URL + "/priorities", data={"indicator": GAP_ONLY, "revision": _revision(app)},
                          follow_redirects=True)
    page = text(response)
    assert "The priority has been added." in page and "already a priority" not in page
    shown = " ".join(_priorities(response.get_data(as_text=True)).split())
    assert GAP_ONLY in shown and "Added by hand" in shown
    for leak in GAP_WORDS:
        assert leak not in shown, leak
    with app.app_context():
        plan = db.session.scalar(sa.select(DevelopmentPlan))
        [priority] = plan.priorities
        assert priority.status == PriorityStatus.ACCEPTED and priority.reasons_raw == "gap;added"


def test_a_priority_with_several_reasons_shows_staff_only_the_others(app, world):
    validate(app)  # agreed 2 everywhere: GOV.01 is among the lowest, GESI-tagged and among the widest gaps
    start(app)
    with app.app_context():
        plan = db.session.scalar(sa.select(DevelopmentPlan))
        assert plan.priorities[0].reasons_raw == "lowest;gesi;gap"
    page = _client(app, "staff").get(URL).get_data(as_text=True)
    row = " ".join(page[page.index('id="priority-'):page.index("GOV.02")].split())
    assert "Among the lowest levels; GESI indicator below the threshold" in row
    for leak in GAP_WORDS:
        assert leak not in row, leak
    mentor = " ".join(_client(app, "mentor").get(URL).get_data(as_text=True).split())
    assert "GESI indicator below the threshold; Self-assessment and mentor assessment far apart" in mentor


def test_where_the_final_result_is_the_mentors_track_staff_see_no_level_at_all(app, world, monkeypatch):
    # A rubric whose official track puts the mentor assessment first: submitted, it is the final result.
    real = services.pinned_definitions

    def mentor_first(round_, library=None):
        found = real(round_)
        return RoundDefinitions(found.questionnaire,
                                dataclasses.replace(found.rubric, official_track=("mentor", "consensus", "self")))

    monkeypatch.setattr(services, "pinned_definitions", mentor_first)
    with app.app_context():
        _levels(user("staff"), Track.SELF, "4")
        _levels(user("mentor"), Track.MENTOR, "2")
        db.session.commit()
    start(app)
    with app.app_context():
        plan = db.session.scalar(sa.select(DevelopmentPlan))
        assert plan.seeded_from == "mentor" and plan.priorities[0].reasons_raw.startswith("lowest")
    page = _client(app, "staff").get(URL).get_data(as_text=True)
    above_form = html.unescape(" ".join(page.split('id="new-action"')[0].split()))
    assert "GOV.01" in _priorities(page) and "Suggested from the assessment's result" in above_form
    for leak in ("2 — Developing", "4 — Mature", "Self-assessment:", "Agreed level", "agreed level",
                 "Among the lowest levels", "below the threshold") + GAP_WORDS:
        assert leak not in above_form, leak
    mentor = " ".join(_client(app, "mentor").get(URL).get_data(as_text=True).split())
    assert "Among the lowest levels" in mentor and "2 — Developing" in mentor
