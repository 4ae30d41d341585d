"""A small world for the export tests, built with the answering and profile services.

TEL-01 (Telavi, mentor "kakheti"): baseline self-assessment complete (one N/A, one comment that
looks like a spreadsheet formula) and submitted, mentor assessment complete and submitted, profile
data from which all four computed indicators follow; endline self-assessment half done (draft).
BAT-01 (Batumi, mentor "adjara"): baseline self-assessment with three answers only (insufficient
data), no profile data.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Answer, Assessment, Track
from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.profiles.services import save_values
from capacity.questionnaires.library import load_directory
from tests.conftest import login

QUESTIONNAIRE = load_directory().questionnaire("gesi-oca", "1.0")
RUBRIC = load_directory().rubric("gesi-oca-default", "1.0")
RATED = [i.code for i in QUESTIONNAIRE.indicators if i.computed is None]
COMPUTED = [i.code for i in QUESTIONNAIRE.indicators if i.computed is not None]
NA_CODE = next(i.code for i in QUESTIONNAIRE.indicators if i.allow_na and i.computed is None)
FORMULA = '=HYPERLINK("http://evil.example/","click")'
PROFILE = {("staff", "total"): 10, ("staff", "female"): 6, ("staff", "male"): 4, ("staff", "with_disability"): 1,
           ("staff", "without_disability"): 9, ("leadership", "total"): 4, ("leadership", "female"): 2,
           ("leadership", "male"): 2, ("gesi_budget_share", "total"): 4.5, ("accessibility_budget_share", "total"): 1}


def _answer(org: Organisation, round_: AssessmentRound, track: Track, levels: dict[str, str],
            comments: dict[str, str] | None = None, submit: bool = False) -> None:
    assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
    for code, choice in levels.items():
        given = answering.AnswerInput(choice, comment=(comments or {}).get(code, ""), revision=0,
                                      evidence_url="https://docs.example.org/policy.pdf" if code == RATED[0] else "")
        answering.save_answer(None, assessment, QUESTIONNAIRE, code, given)
    if submit:
        answering.submit(None, assessment, QUESTIONNAIRE)


@pytest.fixture
def world(app, factory):
    own, other = factory.org("TEL-01", name_ka="ასოციაცია „ნაბიჯი“", name_en="Association Nabiji"), \
        factory.org("BAT-01", municipality="batumi")
    users = {"kakheti": factory.user("mentor"), "adjara": factory.user("mentor"), "manager": factory.user("manager"),
             "admin": factory.user("admin"), "cso": factory.user("cso", org=own)}
    factory.assign(users["kakheti"], own)
    factory.assign(users["adjara"], other)
    factory.round("baseline", is_open=False)
    factory.round("endline")
    with app.app_context():
        orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        self_levels = {code: "3" for code in RATED} | {NA_CODE: "na"}
        _answer(orgs["TEL-01"], rounds["baseline"], Track.SELF, self_levels, {RATED[1]: FORMULA}, submit=True)
        _answer(orgs["TEL-01"], rounds["baseline"], Track.MENTOR, {code: "2" for code in RATED}, submit=True)
        save_values(None, orgs["TEL-01"].id, rounds["baseline"].id, PROFILE)
        _answer(orgs["TEL-01"], rounds["endline"], Track.SELF, {code: "4" for code in RATED[:30]})
        _answer(orgs["BAT-01"], rounds["baseline"], Track.SELF, {code: "1" for code in RATED[:3]})
        db.session.commit()
    return {"users": users}


def stored_answers(app, round_code: str, org_codes: tuple[str, ...] = ("TEL-01", "BAT-01")) -> int:
    """How many answer rows the database holds for the round (and organisations)."""
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Answer.id)).join(Assessment).join(Organisation).join(AssessmentRound)
            .where(AssessmentRound.code == round_code, Organisation.code.in_(org_codes)))


def client_for(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client
