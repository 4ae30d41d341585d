"""Before/after compares like with like: the same questionnaire (through its versions) on the same scale.

A round on another instrument (the 1–5 mini-five test questionnaire) is never
subtracted from a 1–4 baseline: its profile is a single-round profile that says
why, with its own scale, level and stage names. Each round's stage comes from its
own rubric. ``--baseline none`` and ``?baseline=none`` ask for no baseline.
"""
from __future__ import annotations

import re
from datetime import date

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Assessment, Track
from capacity.cli import cli
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from capacity.rounds.services import repin_round
from tests.conftest import login
from tests.questionnaire_fixtures import make_round, questionnaire_dir  # noqa: F401 (a fixture)
from tests.reporting.pdftext import text_of


def _validated(app, org_code: str, round_code: str, level: str) -> None:
    """Self, mentor and a validated agreement, every rated indicator at ``level``."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        library = load_directory()
        questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
        rubric = library.rubric(round_.rubric_id, round_.rubric_version)
        for track in (Track.SELF, Track.MENTOR, Track.CONSENSUS):
            assessment = answering.get_or_create_assessment(org, round_, track, questionnaire, rubric)
            for indicator in questionnaire.indicators:
                if indicator.computed is None:
                    answering.save_answer(None, assessment, questionnaire, indicator.code,
                                          answering.AnswerInput(level, revision=0))
            answering.submit(None, assessment, questionnaire)
        db.session.commit()


@pytest.fixture
def instruments(app, factory, questionnaire_dir):
    """ORG-A: a gesi-oca baseline (all 2), a mini-five endline (all 5) and a gesi-oca endline (all 3), all validated."""
    factory.org("ORG-A")
    manager = factory.user("manager")
    make_round(app, "oca-base", "gesi-oca", "1.0", "gesi-oca-default", "1.0", date(2025, 1, 1), is_open=False)
    make_round(app, "five-end", "mini-five", "1.0", "mini-five-default", "1.0", date(2026, 1, 1), is_open=False)
    make_round(app, "oca-end", "gesi-oca", "1.0", "gesi-oca-default", "1.0", date(2026, 6, 1), is_open=False)
    _validated(app, "ORG-A", "oca-base", "2")
    _validated(app, "ORG-A", "five-end", "5")
    _validated(app, "ORG-A", "oca-end", "3")
    client = app.test_client()
    assert login(client, manager).status_code == 302
    return client


def _preview(client, round_code: str, query: str = "") -> str:
    response = client.get(f"/organisations/ORG-A/report/{round_code}?lang=en{query}")
    assert response.status_code == 200
    # The text a reader sees: tags (and the charts' data URIs inside them) removed.
    return " ".join(re.sub(r"<[^>]*>", " ", response.get_data(as_text=True)).split())


def test_a_round_on_another_instrument_is_a_single_round_profile_on_its_own_scale(instruments):
    # five-end's previous round is oca-base, but that used another questionnaire: no change is printed.
    page = _preview(instruments, "five-end")
    assert "Single round: Round five-end." in page
    assert "There is no earlier round of this questionnaire to compare with." in page
    assert "on the 1–5 scale" in page and "1–4 scale" not in page
    assert "5.00" in page and "Leading" in page  # the mini-five rubric's stage for an index of 5
    assert "Exemplary" in page  # its own level names, quoted in the strongest indicators
    assert "Change" not in page and "+3" not in page and "Rounds compared" not in page


def test_asking_for_an_incomparable_baseline_explains_why_instead_of_subtracting(instruments):
    page = _preview(instruments, "five-end", "&baseline=oca-base")
    assert "The round “oca-base” used another questionnaire (gesi-oca), so it is not compared with “five-end” " \
           "(mini-five)." in page
    assert "Change" not in page


def test_the_same_questionnaire_is_compared_and_no_baseline_can_be_asked_for(instruments):
    # oca-end's previous round of the same questionnaire is oca-base (five-end, in between, is skipped).
    compared = _preview(instruments, "oca-end")
    assert "Rounds compared: Round oca-base and Round oca-end" in compared
    assert "+1.00" in compared and "on the 1–4 scale" in compared
    alone = _preview(instruments, "oca-end", "&baseline=none")
    assert "Single round: Round oca-end. No baseline was chosen for this profile." in alone
    assert "+1.00" not in alone


def test_the_organisation_page_form_sends_the_choice_to_the_report(instruments):
    response = instruments.get("/organisations/ORG-A/report?round=oca-end&baseline=none&lang=en&format=pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/organisations/ORG-A/report/oca-end.pdf?lang=en&baseline=none")
    assert instruments.get("/organisations/ORG-A/report?round=nope&format=pdf").status_code == 404
    assert instruments.get("/organisations/ORG-A/report/oca-end?baseline=oca-end").status_code == 404
    assert instruments.get("/organisations/ORG-A/report/oca-end?baseline=" + "x" * 5000).status_code == 404


def test_each_rounds_stage_comes_from_its_own_rubric(app, instruments, questionnaire_dir):
    # A second rubric for the same questionnaire with other stage names, used by the baseline only.
    source = (questionnaire_dir / "gesi-oca.rubric.yaml").read_text(encoding="utf-8")
    alternative = source.replace("id: gesi-oca-default", "id: gesi-oca-alt").replace("en: Developing", "en: Budding")
    (questionnaire_dir / "gesi-oca-alt.rubric.yaml").write_text(alternative, encoding="utf-8")
    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "oca-base"))
        assert load_directory().rubric("gesi-oca-alt", "1.0") is not None
        round_.rubric_id = "gesi-oca-alt"
        repin_round(None, round_, load_directory())  # the answers now go with the alternative rubric's content
        db.session.commit()
    page = _preview(instruments, "oca-end")
    before, after = page.split("Round oca-base 2.00", 1)[1][:80], page.split("Round oca-end 3.00", 1)[1][:80]
    assert before.startswith(" Budding"), before
    assert after.startswith(" Established"), after


def test_the_command_line_takes_baseline_none_and_says_when_a_report_has_no_baseline(app, instruments, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "five.pdf"
    result = runner.invoke(cli, ["report", "profile", "--org", "ORG-A", "--round", "five-end", "--baseline", "oca-base",
                                 "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "single-round report: The round “oca-base” used another questionnaire" in result.output
    assert "five-end only" in result.output
    assert "Change in score" not in text_of(out)
    alone = tmp_path / "alone.pdf"
    result = runner.invoke(cli, ["report", "profile", "--org", "ORG-A", "--round", "oca-end", "--baseline", "none",
                                 "--lang", "en", "-o", str(alone)])
    assert result.exit_code == 0, result.output
    assert "No baseline was chosen for this profile." in " ".join(text_of(alone).split())
    same = runner.invoke(cli, ["report", "profile", "--org", "ORG-A", "--round", "oca-end", "--baseline", "oca-end",
                               "-o", str(tmp_path / "x.pdf")])
    assert same.exit_code != 0 and "--baseline must be another round" in same.output


def test_the_portfolio_of_another_instrument_is_single_round_and_counts_final_results(app, instruments, tmp_path):
    out = tmp_path / "portfolio.pdf"
    result = app.test_cli_runner().invoke(cli, ["report", "portfolio", "--round", "five-end", "--lang", "en", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = " ".join(text_of(out).split())
    assert "1 of 1 with a final result in Round five-end." in text
    assert "Round oca-base" not in text


def test_a_later_round_is_never_a_baseline_so_change_never_runs_backwards(instruments):
    page = _preview(instruments, "oca-base", "&baseline=oca-end")
    assert "The round “oca-end” did not start before “oca-base”, so it cannot be its baseline." in page
    assert "-1.00" not in page and "Change" not in page


def test_a_baseline_whose_files_are_missing_or_that_nobody_started_is_passed_over(app, instruments):
    # A round between the two that was planned but never held is no baseline: the held one before it is.
    make_round(app, "oca-planned", "gesi-oca", "1.0", "gesi-oca-default", "1.0", date(2026, 3, 1))
    assert "Rounds compared: Round oca-base and Round oca-end" in _preview(instruments, "oca-end")
    # A round whose questionnaire version is not in questionnaires/ is explained, not a broken report.
    make_round(app, "oca-old", "gesi-oca", "0.9", "gesi-oca-default", "0.9", date(2026, 4, 1))
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "ORG-A"))
        old = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "oca-old"))
        db.session.add(Assessment(organisation_id=org.id, round_id=old.id, track=Track.SELF))
        db.session.commit()
    page = _preview(instruments, "oca-end")
    assert "The questionnaire or rubric version of the round “oca-old” is missing from questionnaires/, so it is not " \
           "compared." in page
    assert instruments.get("/organisations/ORG-A/report/oca-end.pdf").status_code == 200


def test_a_round_without_a_start_date_says_why_it_has_no_baseline(app, instruments):
    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "oca-end"))
        round_.starts_on, round_.ends_on = None, None
        db.session.commit()
    assert "This round has no start date, so no earlier round can be found to compare with." in _preview(
        instruments, "oca-end")
