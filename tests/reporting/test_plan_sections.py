"""The development plan and mentoring as the printed profile and portfolio show them, in English and Georgian.

One world for the module (rendering is slow): rounds "base" (starts 2025-01-01) and "end" (starts 2026-01-01),
both validated for ORG-A, ORG-B and ORG-C, every rated indicator at level 2 except:

- ORG-A at endline: GOV.01 at 4 (+2), GOV.02 at 3 (+1); ORG-B at endline: GOV.01 at 3 (+1).

The plans of "base" (the plan made after the earlier round), as of TODAY:

- ORG-A: GOV.01 done on 2025-04-01; GOV.01+GOV.02 in progress, due 2025-06-01 (overdue); GOV.03 planned, no due
  date; HR.01 dropped; GOV.02 done on 2026-03-01, after the endline began. So planned 1, in progress 1, done 2,
  dropped 1: 2 of 4 done (50%), 1 overdue; beside the change, done before the endline: GOV.01 1 of 2, GOV.02 0 of 2.
- ORG-B: GOV.01 done on 2025-09-01: complete. ORG-C: no plan.
- ORG-D, inactive (no assessments): GOV.01 done, and a session; no report counts either.

Mentoring sessions logged for "base": ORG-A 90 min (10 people: 6 women, 4 men, 1 with disability) and 60 min
(5: 3, 2, 0) by Mentor One; ORG-B 30 min (3: 1, 2, 2) and ORG-D 120 min (4: 2, 2, 0) by Mentor Two. One for "end"
(ORG-A, 30 min) counts against the endline's plan only.

Association: pairs with an action completed before the endline began are ORG-A GOV.01 (+2) and ORG-B GOV.01 (+1):
n 2, mean +1.50; ORG-A GOV.02 (+1, its action done after) is among the others, which moved 0.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.mentoring.models import MentoringSession, SessionMode
from capacity.organisations.models import Organisation
from capacity.plans.models import ActionStatus, DevelopmentPlan, PlanAction
from capacity.plans.queries import completion, plan_of, plan_state, plans_of_round
from capacity.questionnaires.library import load_directory
from capacity.reporting import development
from capacity.reporting.html import render_for_print
from capacity.reporting.pdf import render_pdf
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for
from tests.conftest import login
from tests.factories import Factory
from tests.questionnaire_fixtures import make_round
from tests.reporting.pdftext import text_of

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

QUESTIONNAIRE = load_directory().questionnaire("gesi-oca", "1.0")
RUBRIC = load_directory().rubric("gesi-oca-default", "1.0")
RATED = [i.code for i in QUESTIONNAIRE.indicators if i.computed is None]
TODAY = date(2026, 11, 30)
ENDLINE_LATE = date(2026, 3, 1)  # after the endline round began (2026-01-01)


def _validated(org: Organisation, round_: AssessmentRound, levels: dict[str, int]) -> None:
    for track in (Track.SELF, Track.MENTOR, Track.CONSENSUS):
        assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
        for code in RATED:
            answering.save_answer(None, assessment, QUESTIONNAIRE, code,
                                  answering.AnswerInput(str(levels.get(code, 2)), revision=0))
        db.session.expire_all()
        answering.submit(None, answering.get_assessment(org, round_, track), QUESTIONNAIRE)


def _action(plan: DevelopmentPlan, codes: str, description: str, status: ActionStatus, due_on: date | None = None,
            completed_on: date | None = None):
    action = PlanAction(indicators_raw=codes, description=description, status=status, due_on=due_on,
                        completed_on=completed_on,
                        dropped_reason="No budget this year" if status == ActionStatus.DROPPED else "")
    plan.actions.append(action)
    return action


def _session(org, round_, mentor, minutes, total, female, male, disability):
    db.session.add(MentoringSession(organisation_id=org.id, round_id=round_.id, mentor_id=mentor.id,
                                    held_on=date(2025, 5, 1), duration_minutes=minutes, mode=SessionMode.ON_SITE,
                                    participants_total=total, participants_female=female, participants_male=male,
                                    participants_with_disability=disability))


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("plans")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}"})
    with app.app_context():
        db.create_all()
    factory = Factory(app)
    for code in ("ORG-A", "ORG-B", "ORG-C"):
        factory.org(code)
    factory.org("ORG-D", active=False)
    factory.user("manager", email="manager@example.org")
    factory.user("cso", org="ORG-A", email="staff@a.example.org")
    factory.user("mentor", email="one@example.org", display_name="Mentor One")
    factory.user("mentor", email="two@example.org", display_name="Mentor Two")
    factory.assign("one@example.org", "ORG-A")
    factory.assign("two@example.org", "ORG-B")
    make_round(app, "base", "gesi-oca", "1.0", "gesi-oca-default", "1.0", date(2025, 1, 1), is_open=False)
    make_round(app, "end", "gesi-oca", "1.0", "gesi-oca-default", "1.0", date(2026, 1, 1), is_open=False)
    with app.app_context():
        orgs = {o.code: o for o in db.session.scalars(sa.select(Organisation))}
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        mentors = {u.display_name: u for u in db.session.scalars(sa.select(User).where(User.display_name.like("Mentor %")))}
        for code in orgs:
            _validated(orgs[code], rounds["base"], {})
        _validated(orgs["ORG-A"], rounds["end"], {"GOV.01": 4, "GOV.02": 3})
        _validated(orgs["ORG-B"], rounds["end"], {"GOV.01": 3})
        _validated(orgs["ORG-C"], rounds["end"], {})
        plan_a = DevelopmentPlan(organisation_id=orgs["ORG-A"].id, round_id=rounds["base"].id, seeded_from="consensus")
        _action(plan_a, "GOV.01", "Adopt a written safeguarding policy", ActionStatus.DONE, completed_on=date(2025, 4, 1))
        _action(plan_a, "GOV.01;GOV.02", "Train the board on the policy", ActionStatus.IN_PROGRESS, date(2025, 6, 1))
        _action(plan_a, "GOV.03", "Publish the annual report", ActionStatus.PLANNED)
        _action(plan_a, "HR.01", "Hire an HR officer", ActionStatus.DROPPED)
        # Completed after the endline began: in the plan's done count, never beside the change the endline measured.
        _action(plan_a, "GOV.02", "Hold a general assembly", ActionStatus.DONE, completed_on=ENDLINE_LATE)
        plan_b = DevelopmentPlan(organisation_id=orgs["ORG-B"].id, round_id=rounds["base"].id, seeded_from="consensus")
        _action(plan_b, "GOV.01", "Write the statutes anew", ActionStatus.DONE, completed_on=date(2025, 9, 1))
        plan_d = DevelopmentPlan(organisation_id=orgs["ORG-D"].id, round_id=rounds["base"].id, seeded_from="consensus")
        _action(plan_d, "GOV.01", "Close the office", ActionStatus.DONE, completed_on=date(2025, 4, 1))
        db.session.add_all([plan_a, plan_b, plan_d])
        _session(orgs["ORG-A"], rounds["base"], mentors["Mentor One"], 90, 10, 6, 4, 1)
        _session(orgs["ORG-A"], rounds["base"], mentors["Mentor One"], 60, 5, 3, 2, 0)
        _session(orgs["ORG-B"], rounds["base"], mentors["Mentor Two"], 30, 3, 1, 2, 2)
        _session(orgs["ORG-D"], rounds["base"], mentors["Mentor Two"], 120, 4, 2, 2, 0)  # inactive: in no report
        _session(orgs["ORG-A"], rounds["end"], mentors["Mentor One"], 30, 7, 7, 0, 0)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def _words(text: str) -> str:
    return " ".join(text.split())


def _layout(path: Path) -> str:
    """The PDF's text with each table row kept on its line (pdftotext -layout), for the portfolio's wide tables."""
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _profile_pdf(app, tmp_path, org_code: str, language: str, baseline: str | None = "base", name: str = "") -> str:
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
        data = build_profile(org, end, baseline_for(end, baseline or "none"), language, today=TODAY)
        path = tmp_path / f"{name or org_code}-{language}.pdf"
        path.write_bytes(render_pdf("profile.html", {"r": data}, language))
    return _words(text_of(path)) + "\n" + _layout(path)  # the words, then the lines as laid out (table rows)


def _portfolio_pdf(app, tmp_path, language: str, baseline: str | None = "base") -> tuple[str, str]:
    """The portfolio's text as words, and as lines laid out like the page."""
    with app.app_context():
        end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
        data = build_portfolio(end, baseline_for(end, baseline or "none"), language, today=TODAY)
        path = tmp_path / f"portfolio-{language}-{baseline}.pdf"
        path.write_bytes(render_pdf("portfolio.html", {"p": data}, language))
    return _words(text_of(path)), _layout(path)


@pytest.fixture(scope="module")
def profiles(world, tmp_path_factory):
    out = tmp_path_factory.mktemp("profiles")
    return {language: _profile_pdf(world, out, "ORG-A", language) for language in ("en", "ka")}


def test_the_profile_counts_the_earlier_round_s_actions_by_status_with_the_completion_share(profiles):
    text = profiles["en"]
    assert "Development plan and mentoring" in text
    assert ("The development plan of Round base as of Nov 30, 2026. Actions: "
            "1 planned, 1 in progress, 2 done, 1 dropped; 2 of the 4 not dropped are done (50%). "
            "1 action is overdue.") in text


def test_each_indicator_with_actions_shows_its_actions_done_before_the_endline_beside_its_measured_change(profiles):
    text = profiles["en"]
    assert ("In the indicator table below, the last column gives the actions on each indicator completed before "
            "Round end began (Jan 1, 2026), out of its actions not dropped, beside the change measured.") in text
    lines = text.split("Every indicator", 2)[2]  # the laid-out half of the text
    assert re.search(r"Change +Actions\n", lines), lines
    # Indicator, before, after, change, then the actions completed before the endline began of those not dropped.
    assert re.search(r"GOV\.01 Mission, vision and values +2 +4 +\+2\.00 +1 ?/ ?2\n", lines), lines
    # Its one done action was completed after the endline began: counted in the plan (2 done), not here.
    assert re.search(r"GOV\.02 Independent oversight by the governing body +2 +3 +\+1\.00 +0 ?/ ?2\n", lines), lines
    assert re.search(r"GOV\.03 Women and persons with disabilities in leadership +2 +2 +0\.00 +0 ?/ ?1\n", lines), lines
    assert re.search(r"GOV\.04 Conflicts of interest and ethical conduct +2 +2 +0\.00\n", lines), lines  # no action
    assert re.search(r"HR\.01 Written HR policy +2 +2 +0\.00\n", lines), lines  # its only action was dropped


def test_the_profile_counts_the_mentoring_of_the_plan_s_round_only(profiles):
    assert ("Mentoring: 2 sessions, 2.5 hours; 15 participants (women: 9, men: 6, persons with disability: 1), "
            "counted at each session they attended.") in profiles["en"]


def test_the_georgian_profile_prints_the_same_figures_in_georgian(profiles):
    text = profiles["ka"]
    assert "განვითარების გეგმა და მენტორობა" in text
    assert ("ქმედებები: დაგეგმილი — 1, მიმდინარე — 1, შესრულებული — 2, გაუქმებული — 1; გაუქმებულის გარდა "
            "შესრულებულია 2 / 4 (50%).") in text
    assert "ვადაგადაცილებული ქმედებები: 1." in text
    assert "შესრულდა რაუნდის (რაუნდი end) დაწყებამდე" in text
    assert re.search(r"GOV\.01 .* 2 +4 +\+2,00 +1 ?/ ?2\n", text) and re.search(r"GOV\.02 .* 2 +3 +\+1,00 +0 ?/ ?2\n", text)
    assert "მენტორობა: 2 შეხვედრა, 2,5 საათი; 15 მონაწილე (ქალები: 9, კაცები: 6" in text


def test_without_a_plan_the_profile_says_so_and_why(world, tmp_path):
    text = _profile_pdf(world, tmp_path, "ORG-C", "en")
    assert ("There is no development plan for Round base yet: a plan opens once the round's agreed assessment "
            "is validated.") in text
    assert "No mentoring sessions were logged for the plan of Round base." in text
    ka = _profile_pdf(world, tmp_path, "ORG-C", "ka")
    assert "განვითარების გეგმა ჯერ არ არის" in ka


def test_a_single_round_profile_shows_that_round_s_plan_and_its_mentoring(world, tmp_path):
    text = _profile_pdf(world, tmp_path, "ORG-A", "en", baseline=None, name="single")
    assert "There is no development plan for Round end yet" in text
    assert "Mentoring: 1 session, 0.5 hours; 7 participants (women: 7, men: 0, persons with disability: 0)" in text


def test_staff_of_the_organisation_see_the_plan_section_in_their_pdf(world):
    client = world.test_client()
    assert login(client, "staff@a.example.org").status_code == 302
    client.post("/language", data={"language": "en"})
    response = client.get("/organisations/ORG-A/report/end.pdf?lang=en&baseline=base")
    assert response.status_code == 200
    path = world.instance_path + "/staff.pdf"
    with open(path, "wb") as handle:
        handle.write(response.data)
    text = _words(text_of(Path(path)))
    assert "2 of the 4 not dropped are done (50%)" in text
    assert "Mentoring: 2 sessions, 2.5 hours" in text


@pytest.fixture(scope="module")
def portfolios(world, tmp_path_factory):
    out = tmp_path_factory.mktemp("portfolios")
    return {language: _portfolio_pdf(world, out, language) for language in ("en", "ka")}


def test_the_portfolio_gives_each_organisation_its_plan_state_and_mentoring(portfolios):
    text, lines = portfolios["en"]
    assert "The development plans of Round base as of Nov 30, 2026." in text
    # Organisation, state, done / not dropped, share, sessions, hours.
    assert re.search(r"ORG-A Organisation ORG-A +Overdue +2 ?/ ?4 +50% +2 +2\.5\n", lines), lines
    assert re.search(r"ORG-B Organisation ORG-B +Complete +1 ?/ ?1 +100% +1 +0\.5\n", lines), lines
    assert re.search(r"ORG-C Organisation ORG-C +No plan yet +— +— +0 +0\.0\n", lines), lines
    assert "ORG-D" not in lines  # inactive: neither a row nor a session in the mentors' and overall totals
    # Mentor, organisations, sessions, hours.
    assert re.search(r"Mentor One +1 +2 +2\.5\n", lines) and re.search(r"Mentor Two +1 +1 +0\.5\n", lines), lines
    assert ("Mentoring: 3 sessions, 3.0 hours; 18 participants (women: 10, men: 8, persons with disability: 3), "
            "counted at each session they attended.") in text


def test_the_portfolio_compares_indicators_with_and_without_completed_actions_as_an_association(portfolios):
    text, lines = portfolios["en"]
    # Every comparable pair of the three organisations but the two with an action completed before the endline began;
    # ORG-A's GOV.02 (+1) is among them: its action was done after.
    without = 3 * len(RATED) - 2
    assert re.search(r"Pairs \(n\) +Mean change in level\n", lines), lines
    assert re.search(r"With at least one completed action +2 +\+1\.50\n", lines), lines
    assert re.search(rf"Without a completed action +{without} +\+0\.01\n", lines), lines
    assert ("“completed action” means at least one action in the plan of Round base completed before Round end "
            "began (Jan 1, 2026).") in text
    assert "This is an association, not a causal effect" in text
    ka_text, ka_lines = portfolios["ka"]
    assert re.search(r" 2 +\+1,50\n", ka_lines) and re.search(rf" {without} +\+0,01\n", ka_lines), ka_lines
    assert "ასოციაცია და არა მიზეზობრივი კავშირი" in ka_text
    assert re.search(r"ORG-A +ორგანიზაცია ORG-A +ვადაგადაცილებული +2 ?/ ?4 +50% +2 +2,5\n", ka_lines), ka_lines


def test_a_single_round_portfolio_says_the_comparison_needs_two_rounds(world, tmp_path):
    text, _lines = _portfolio_pdf(world, tmp_path, "en", baseline=None)
    assert "The comparison of indicators with and without completed actions needs two rounds" in text
    assert "With at least one completed action" not in text
    # Alone, the portfolio shows the round's own plans: none yet, and the one session logged for it.
    assert "The development plans of Round end as of Nov 30, 2026." in text and "Mentoring: 1 session, 0.5 hours" in text


def test_the_reports_count_completion_as_the_plan_pages_do(world):
    with world.app_context():
        base = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "base"))
        data = development.load(base)
        plans = plans_of_round(base.id)
        assert set(plans) == data.planned and len(plans) == 3
        for org_id, plan in plans.items():
            expected = completion(plan_of(org_id, base.id).actions, TODAY)
            counted = development.summary(data.actions_of(org_id), TODAY)
            assert (counted["done"], counted["counted"], counted["overdue"]) == \
                (expected.done, expected.counted, expected.overdue)
            assert counted["by_status"] == {status.value: n for status, n in expected.by_status.items()}
            assert counted["state"] == plan_state(plan, TODAY)


def test_a_changed_action_or_a_new_session_prints_a_new_cached_profile(world):
    from capacity.reporting.cache import cached_profile

    def printed() -> str:
        with world.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ORG-B"))
            end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
            pdf = cached_profile(world.instance_path, org, end, baseline_for(end, "base"), "en")
        path = world.instance_path + "/cached.pdf"
        with open(path, "wb") as handle:
            handle.write(pdf)
            return _words(text_of(Path(path)))

    try:
        first = printed()
        assert "1 of the 1 not dropped are done (100%)" in first and "Mentoring: 1 session, 0.5 hours" in first
        with world.app_context():
            action = db.session.scalar(sa.select(PlanAction).where(PlanAction.description == "Write the statutes anew"))
            action.status = ActionStatus.IN_PROGRESS  # a status change with no note and no revision bump
            db.session.commit()
        second = printed()
        assert "0 of the 1 not dropped are done (0%)" in second and "(100%)" not in second
        with world.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ORG-B"))
            base = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "base"))
            mentor = db.session.scalar(sa.select(User).where(User.display_name == "Mentor Two"))
            _session(org, base, mentor, 60, 4, 2, 2, 0)
            db.session.commit()
        third = printed()
        assert "Mentoring: 2 sessions, 1.5 hours" in third
        assert printed() == third  # nothing changed since: the same PDF
    finally:
        with world.app_context():  # the world back as the other tests read it
            action = db.session.scalar(sa.select(PlanAction).where(PlanAction.description == "Write the statutes anew"))
            action.status = ActionStatus.DONE
            db.session.execute(sa.delete(MentoringSession).where(MentoringSession.duration_minutes == 60,
                                                                 MentoringSession.participants_total == 4))
            db.session.commit()


def test_an_action_done_after_the_endline_began_counts_in_the_plan_but_not_in_the_comparison(world):
    with world.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ORG-A"))
        end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
        plan = build_profile(org, end, baseline_for(end, "base"), "en", today=TODAY)["plan"]
        portfolio = build_portfolio(end, baseline_for(end, "base"), "en", today=TODAY)["plan"]
    assert (plan["done"], plan["counts"]["done"]) == (2, 2)  # the plan as it is
    assert plan["by_indicator"]["GOV.01"] == {"actions": 2, "done": 1}
    assert plan["by_indicator"]["GOV.02"] == {"actions": 2, "done": 0}  # done on 2026-03-01, after the endline began
    assert plan["cutoff"] == portfolio["cutoff"] == "Jan 1, 2026"
    row_a = next(row for row in portfolio["rows"] if row["code"] == "ORG-A")
    assert (row_a["done"], row_a["counted"]) == (2, 4)
    assert [(g["key"], g["n"], g["mean"]) for g in portfolio["association"]["groups"]][0] == ("with", 2, "+1.50")


def test_when_the_later_round_has_no_start_date_every_done_action_counts_and_no_cutoff_is_said(world):
    with world.app_context():
        end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
        end.starts_on, end.ends_on = None, None
        db.session.commit()
    try:
        with world.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ORG-A"))
            end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
            profile = build_profile(org, end, baseline_for(end, "base"), "en", today=TODAY)
            portfolio = build_portfolio(end, baseline_for(end, "base"), "en", today=TODAY)
            html, _charts = render_for_print("profile.html", {"r": profile}, "en")  # words, not pages
        plan = profile["plan"]
        assert plan["cutoff"] is None and portfolio["plan"]["cutoff"] is None
        assert plan["by_indicator"]["GOV.02"] == {"actions": 2, "done": 1}
        assert [(g["n"], g["mean"]) for g in portfolio["plan"]["association"]["groups"]][0] == (3, "+1.33")
        assert "the last column gives the actions done on each indicator out of its actions not dropped" in html
        assert "began" not in html
    finally:
        with world.app_context():
            end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
            end.starts_on, end.ends_on = date(2026, 1, 1), date(2026, 3, 2)
            db.session.commit()


def test_the_portfolio_s_mentoring_totals_are_the_sum_of_its_rows(world):
    with world.app_context():
        end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
        plan = build_portfolio(end, baseline_for(end, "base"), "en", today=TODAY)["plan"]
    rows, mentors, totals = plan["rows"], plan["mentors"], plan["totals"]
    assert [row["code"] for row in rows] == ["ORG-A", "ORG-B", "ORG-C"]  # ORG-D is inactive
    assert totals["sessions"] == sum(row["sessions"] for row in rows) == sum(m["sessions"] for m in mentors) == 3
    assert totals["minutes"] == sum(m["minutes"] for m in mentors) == 180
    assert totals["hours"] == "3.0" == f'{sum(float(row["hours"]) for row in rows):.1f}'
    assert {m["name"]: (m["organisations"], m["sessions"]) for m in mentors} == {"Mentor One": (1, 2), "Mentor Two": (1, 1)}
    assert (totals["total"], totals["female"], totals["male"], totals["with_disability"]) == (18, 10, 8, 3)


def test_the_reports_state_the_plan_on_the_programme_s_day(world, monkeypatch):
    from capacity.reporting import cache, profile_model

    with world.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ORG-B"))
        end = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "end"))
        base = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "base"))
        monkeypatch.setattr(profile_model, "programme_today", lambda: date(2027, 1, 2))
        assert build_profile(org, end, baseline_for(end, "base"), "en")["plan"]["as_of"] == "Jan 2, 2027"
        # ORG-B's plan has no open action, yet the profile says "as of" a day: the cached PDF is the day's.
        monkeypatch.setattr(cache, "programme_today", lambda: date(2027, 1, 2))
        first = cache.plan_fingerprint(org, base)
        monkeypatch.setattr(cache, "programme_today", lambda: date(2027, 1, 3))
        assert cache.plan_fingerprint(org, base) != first
