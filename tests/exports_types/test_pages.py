"""The results page and the history page on the every-type instrument: the rubric's measure, sub-areas under
their domain, answers that are not levels as the questionnaire words them, for whoever may see them."""
from __future__ import annotations

import html
import re

import sqlalchemy as sa

from capacity.assessments.models import Assessment, Track
from capacity.audit import services as audit
from capacity.auth.models import User
from capacity.extensions import db
from tests.exports.conftest import client_for
from tests.exports_types.conftest import FORMULA

RESULTS = "/organisations/OWN-01/results/baseline"


def english(app, email: str):
    client = client_for(app, email)
    client.post("/language", data={"language": "en"})
    return client


def plain(page: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", page).split()))


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start):page.index(end, page.index(start))]


def test_the_manager_sees_the_percent_sub_areas_under_their_domain_and_every_answer(app, typed_world):
    world = typed_world("S4")
    page = english(app, world["users"]["manager"]).get(RESULTS).get_data(as_text=True)
    headline = plain(section(page, '<table class="cards result-headline">', "</table>"))
    assert "Overall result" in headline and re.search(r"Agreed assessment \d+% Leading", headline), headline
    assert "Overall index" not in plain(page)
    scores = plain(section(page, '<table class="cards scores"', "</table>"))
    assert re.search(r"GOV Governance \d+% GOV\.A Leadership \d+% GOV\.B Accountability \d+% SRV Services \d+%", scores)
    answers = plain(section(page, 'id="other-answers"', "</table>"))
    for shown in ("GOV.2 Consulting service users Yes", "GOV.3 Who takes part in consultations Women",
                  "GOV.4 Activity report More than once a year", "SRV.1 Number of service users 12 people",
                  "SRV.4 A change made after feedback (not scored) AGREED-TEXT",
                  "SRV.5 Report in accessible formats (not scored) No"):
        assert shown in answers, shown
    assert "GOV.1" not in answers  # a level is in the scores and the strongest and weakest, not here


def test_staff_see_their_own_answers_only_and_a_formula_as_text(app, typed_world):
    world = typed_world("S3")
    page = english(app, world["users"]["staff"]).get(RESULTS).get_data(as_text=True)
    assert "Your self-assessment results" in page
    answers = section(page, 'id="other-answers"', "</table>")
    assert FORMULA in plain(answers) and FORMULA not in answers  # shown as written, escaped in the HTML
    assert "Once a year" in answers and "Young people" in answers
    for hidden in ("MENTOR-TEXT", "AGREED-TEXT", "OTHER-TEXT", "More than once a year"):
        assert hidden not in page, hidden


def test_the_history_reads_a_changed_answer_as_words(app, typed_world):
    world = typed_world("S4")
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == world["users"]["staff"]))
        own = db.session.scalar(sa.select(Assessment).where(Assessment.track == Track.SELF,
                                                           Assessment.organisation_id == staff.organisation_id))
        audit.record(staff, "answer.save", "answer", f"{own.id}/GOV.4", organisation_id=own.organisation_id,
                     before={"value": "rarely"}, after={"value": "yearly"})
        audit.record(staff, "answer.save", "answer", f"{own.id}/GOV.3", organisation_id=own.organisation_id,
                     before={"value": '["women"]'}, after={"value": '["women", "youth"]'})
        db.session.commit()
    page = english(app, world["users"]["manager"]).get(
        "/organisations/OWN-01/assessments/baseline/self/history").get_data(as_text=True)
    table = plain(section(page, "<tbody>", "</tbody>"))
    assert "Answer: Less than once a year → Once a year" in table.replace(" :", ":")
    assert "Answer: Women → Women; Young people" in table.replace(" :", ":")
    assert "[" not in table and "yearly" not in table
