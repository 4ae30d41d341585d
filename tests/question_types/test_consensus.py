"""The agreed assessment with typed questions: both tracks' answers in words side by side, a difference where the
answers differ, agreed answers of every type saved, and rationales asked only where the two differ."""
from __future__ import annotations

import html
import re

import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Assessment, Status, Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.forms import field_name
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from tests.question_types.conftest import BASE, client_for, stored, text, world  # noqa: F401

SELF = {"GOV.1": "3", "GOV.2": ("yes",), "GOV.3": ("women", "youth"), "GOV.4": ("yearly",), "GOV.5": "2",
        "SRV.1": ("60",), "SRV.2": "na", "SRV.3": "4", "SRV.4": ("A ramp.",), "SRV.5": ("yes",)}
MENTOR = {"GOV.1": "3", "GOV.2": ("yes",), "GOV.3": ("women",), "GOV.4": ("never",), "GOV.5": "2",
          "SRV.1": ("60",), "SRV.2": "na", "SRV.3": "2"}


def answered(app, email: str, track: Track, answers: dict) -> None:
    """A track answered (and submitted) through the answering service, as the pages would."""
    library = load_directory()
    questionnaire, rubric = library.questionnaire("every-type", "1.0"), library.rubric("every-type-default", "1.0")
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "types"))
        actor = db.session.scalar(sa.select(User).where(User.email == email))
        assessment = answering.get_or_create_assessment(org, round_, track, questionnaire, rubric)
        for code, given in answers.items():
            typed = answering.AnswerInput("", values=given, revision=0) if isinstance(given, tuple) else \
                answering.AnswerInput(given, revision=0)
            answering.save_answer(actor, assessment, questionnaire, code, typed)
        db.session.expire_all()
        answering.submit(actor, answering.get_assessment(org, round_, track), questionnaire)
        db.session.commit()


def rows(response) -> dict[str, str]:
    page = response.get_data(as_text=True)
    found = re.findall(r'<tr id="ind-([A-Z]+\.\d+)" class="([^"]*)">(.*?)</tr>', page, re.S)
    return {code: (css, " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())) for code, css, body in found}


def test_the_agreement_compares_typed_answers_in_words_and_saves_agreed_ones(app, world):
    people = world()
    answered(app, people["cso"], Track.SELF, SELF)
    answered(app, people["mentor"], Track.MENTOR, MENTOR)
    mentor = client_for(app, people["mentor"], "en")
    page = mentor.get(f"{BASE}/consensus")
    assert page.status_code == 200
    found = rows(page)
    assert found["GOV.3"][0] == "gap" and "Women; Young people" in found["GOV.3"][1] and "Differs" in found["GOV.3"][1]
    assert found["GOV.4"][0] == "gap" and "Once a year" in found["GOV.4"][1] and "Never" in found["GOV.4"][1]
    assert found["SRV.3"][0] == "gap--flagged"  # 4 against 2: a gap in levels, as before
    assert found["GOV.2"][0] == "" and found["SRV.1"][0] == ""  # the same answer: no difference
    assert "60 people" in found["SRV.1"][1]
    # SRV.4 and SRV.5: the self-assessment answered, the mentor's own answers did not ask them.
    assert found["SRV.5"][0] == "gap" and "Yes —" in found["SRV.5"][1]
    # Nothing is agreed yet: no question is called "not asked" before its condition's answer is agreed.
    assert "Not asked" not in text(page)
    assert "Differences of 2 levels or more: 1" in text(page) and "Indicators where the two differ: 5" in text(page)
    body = page.get_data(as_text=True)
    # Where the two agree, the agreed answer starts as theirs; where they differ, nothing is chosen for the mentor.
    assert re.search(rf'name="{field_name("value", "GOV.2")}" value="yes" checked', body)
    assert re.search(rf'name="{field_name("value", "SRV.1")}" value="60"', body)
    assert not re.search(rf'name="{field_name("value", "GOV.4")}" value="\w+" checked', body)
    agreed = {field_name("revision", code): "0" for code in SELF}
    agreed |= {field_name("level", "GOV.1"): "3", field_name("level", "GOV.5"): "2", field_name("level", "SRV.2"): "na",
               field_name("level", "SRV.3"): "3", field_name("value", "GOV.2"): "yes",
               field_name("value", "GOV.3"): ["women", "older"], field_name("value", "GOV.4"): "rarely",
               field_name("value", "SRV.1"): "60", field_name("value", "SRV.4"): "A ramp and a bell.",
               field_name("value", "SRV.5"): "no"}
    assert mentor.post(f"{BASE}/consensus", data=agreed).status_code == 302
    with app.app_context():
        consensus = db.session.scalar(sa.select(Assessment.id).where(Assessment.track == Track.CONSENSUS))
    now = {code: value for code, value in stored(app).items()}  # every track's rows share codes: read the agreed ones
    with app.app_context():
        agreed_rows = dict(db.session.execute(sa.text(
            "SELECT indicator_code, value FROM answers WHERE assessment_id = :a"), {"a": consensus}).all())
    assert agreed_rows["GOV.3"] == '["women", "older"]' and agreed_rows["GOV.4"] == "rarely"
    assert agreed_rows["SRV.4"] == "A ramp and a bell." and agreed_rows["SRV.1"] == "60" and now
    # Validating asks for a rationale where the two differed (GOV.3, GOV.4, SRV.3, SRV.4), not elsewhere.
    refused = mentor.post(f"{BASE}/consensus/submit")
    assert refused.status_code == 302
    message = text(mentor.get(f"{BASE}/consensus"))
    assert "GOV.3" in message and "record why" in message
    with app.app_context():
        assert db.session.scalar(sa.select(Assessment.status).where(Assessment.id == consensus)) == Status.DRAFT


def test_a_refused_agreed_answer_is_named_and_nothing_of_it_is_stored(app, world):
    people = world()
    answered(app, people["cso"], Track.SELF, SELF)
    answered(app, people["mentor"], Track.MENTOR, MENTOR)
    mentor = client_for(app, people["mentor"], "en")
    data = {field_name("revision", "SRV.1"): "0", field_name("value", "SRV.1"): "lots",
            field_name("revision", "GOV.4"): "0", field_name("value", "GOV.4"): "weekly",
            field_name("revision", "GOV.1"): "0", field_name("level", "GOV.1"): "3"}
    response = mentor.post(f"{BASE}/consensus", data=data)
    assert response.status_code == 400
    found = rows(response)
    assert "Enter a number with the digits 0–9" in found["SRV.1"][1]
    assert "not one of this question's options" in found["GOV.4"][1]
    assert 'value="lots"' in response.get_data(as_text=True)  # what was typed stays in the box
    with app.app_context():
        agreed = db.session.execute(sa.text(
            "SELECT a.indicator_code FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "WHERE s.track = 'consensus'")).scalars().all()
    assert agreed == ["GOV.1"]
