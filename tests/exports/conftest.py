"""A small world for the export tests, built with the answering and profile services.

TEL-01 (Telavi, mentor "kakheti"): baseline self-assessment complete (one N/A, one comment that
looks like a spreadsheet formula) and submitted, mentor assessment complete and submitted, profile
data from which all four computed indicators follow; endline self-assessment half done (draft).
BAT-01 (Batumi, mentor "adjara"): baseline self-assessment with three answers only (insufficient
data), no profile data. No plans and no mentoring sessions unless a test asks for ``plans``.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Answer, Assessment, Track
from capacity.auth.models import User
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode
from capacity.plans.models import ActionEvidenceFile, ActionNote, ActionStatus, DevelopmentPlan, PlanAction
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


TODAY = date(2026, 6, 1)  # the export date of the service-level tests
LATE, SOON = timedelta(days=-10), timedelta(days=30)  # due dates relative to the export date


@pytest.fixture
def plans(app, world):
    """Development plans and mentoring sessions made with the models directly (the services are others' work).

    Baseline: TEL-01's plan has four actions, one per status (the planned one overdue, made from a session's
    follow-up, with two notes and a file; the done and the dropped one past their due date but not overdue);
    BAT-01's plan has no action yet. Sessions: two with TEL-01 (one logged by the kakheti mentor on two actions
    with two follow-ups, one of which became the planned action; one whose mentor account is gone) and one with
    BAT-01. Endline: TEL-01 has a plan with one action and a session, which a baseline export must not show.
    ``due`` is the day the due dates count from: pass the export date of the test.
    """
    def build(due: date) -> dict[str, int]:
        with app.app_context():
            orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
            rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
            mentors = {name: db.session.scalar(sa.select(User).where(User.email == world["users"][name]))
                       for name in ("kakheti", "adjara")}
            tel = DevelopmentPlan(organisation=orgs["TEL-01"], round=rounds["baseline"], seeded_from="consensus")
            bat = DevelopmentPlan(organisation=orgs["BAT-01"], round=rounds["baseline"])
            later = DevelopmentPlan(organisation=orgs["TEL-01"], round=rounds["endline"])
            planned = PlanAction(indicators_raw=f"{RATED[0]};{RATED[1]}", description="Write a safeguarding policy",
                                 target_level=3, responsible="Director", due_on=due + LATE, support_type="training",
                                 status=ActionStatus.PLANNED)
            ongoing = PlanAction(indicators_raw=RATED[2], description="Train the board", responsible="Chair",
                                 due_on=due + SOON, support_type="mentoring", status=ActionStatus.IN_PROGRESS)
            done = PlanAction(indicators_raw=RATED[3], description="Publish the budget", due_on=due + LATE,
                              support_type="small_grant", status=ActionStatus.DONE, completed_on=date(2026, 2, 25),
                              evidence_url="https://docs.example.org/budget.pdf")
            dropped = PlanAction(indicators_raw=RATED[4], description="Buy a ramp", due_on=due + LATE,
                                 status=ActionStatus.DROPPED, dropped_reason="The landlord built one")
            tel.actions.extend([planned, ongoing, done, dropped])
            later.actions.append(PlanAction(indicators_raw=RATED[0], description="Endline action"))
            planned.notes.extend([ActionNote(noted_on=date(2026, 4, 20), text="Draft shared"),
                                  ActionNote(noted_on=date(2026, 4, 1), text="Started")])
            planned.evidence_files.append(ActionEvidenceFile(filename="policy.pdf", content_type="application/pdf",
                                                             size=4, sha256="0" * 64, content=b"%PDF"))
            first = MentoringSession(organisation=orgs["TEL-01"], round=rounds["baseline"], mentor=mentors["kakheti"],
                                     held_on=date(2026, 4, 10), duration_minutes=90, mode=SessionMode.ON_SITE,
                                     indicators_raw=f"{RATED[0]};{RATED[2]}", participants_total=8,
                                     participants_female=5, participants_male=3, participants_with_disability=1,
                                     notes="Policy and board", actions=[ongoing, planned])
            agreed, open_ = FollowUp(text="Draft the policy"), FollowUp(text="Invite the mayor")
            first.follow_ups.extend([agreed, open_])
            earlier = MentoringSession(organisation=orgs["TEL-01"], round=rounds["baseline"], mentor=None,
                                       held_on=date(2026, 3, 15), duration_minutes=45, mode=SessionMode.ONLINE,
                                       participants_total=2)
            batumi = MentoringSession(organisation=orgs["BAT-01"], round=rounds["baseline"], mentor=mentors["adjara"],
                                      held_on=date(2026, 3, 20), duration_minutes=30, mode=SessionMode.PHONE,
                                      participants_total=1, participants_female=1)
            endline = MentoringSession(organisation=orgs["TEL-01"], round=rounds["endline"], mentor=mentors["kakheti"],
                                       held_on=date(2026, 9, 1), duration_minutes=60, mode=SessionMode.ONLINE,
                                       participants_total=3)
            db.session.add_all([tel, bat, later, first, earlier, batumi, endline])
            db.session.flush()
            planned.follow_up_id = agreed.id
            db.session.commit()
            return {"planned": planned.id, "ongoing": ongoing.id, "done": done.id, "dropped": dropped.id,
                    "first": first.id, "earlier": earlier.id, "batumi": batumi.id}

    return build
