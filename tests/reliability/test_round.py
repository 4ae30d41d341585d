"""A round's reliability statistics from its assessments: final results only, drafts never, aggregates only.

Six organisations on the shipped instrument, answers in two domains (GOV, STR):
A–D have submitted self and mentor assessments and a validated consensus (final results);
E has a submitted self-assessment and a mentor draft (provisional); F a self draft and a submitted mentor
assessment (provisional). Every expected figure below is computed by hand from these tables.
"""
from __future__ import annotations

import re
import shutil

import numpy as np
import pytest
import sqlalchemy as sa

from capacity.assessments.models import Status, Track
from capacity.cli import cli
from capacity.extensions import db
from capacity.rounds.models import AssessmentRound
from tests.rounds.helpers import add_assessment

GOV = [f"GOV.0{i}" for i in range(1, 8)]
STR = [f"STR.0{i}" for i in range(1, 7)]
NA = None  # GOV.02 allows "not applicable"

CONSENSUS = {  # the final results (validated consensus)
    "ORG-A": [1, 1, 2, 1, 2, 1, 1] + [1, 2, 1, 1, 2, 1],
    "ORG-B": [2, 2, 2, 3, 2, 2, 3] + [2, 2, 3, 2, 2, 2],
    "ORG-C": [3, 3, 4, 3, 3, 4, 3] + [3, 4, 3, 3, 4, 3],
    "ORG-D": [4, NA, 4, 4, 3, 4, 4] + [4, 4, 4, 3, 4, 4],
}
SELF = {
    "ORG-A": [2, 1, 2, 3, 2, 1, 1] + [1, 2, 1, 4, 2, 1],
    "ORG-B": [2, 3, 2, 3, 2, 2, 3] + [2, 2, 3, 2, 2, 2],
    "ORG-C": [3, 3, 4, 4, 3, 4, 3] + [3, 4, 3, 3, 4, 3],
    "ORG-D": [4, 4, 4, 4, 3, 4, 4] + [4, 4, 4, 3, 4, 4],
    "ORG-E": [1, 4, 1, 4, 1, 4, 1] + [4, 1, 4, 1, 4, 1],  # submitted, but the mentor's is a draft
    "ORG-F": [1, 1, 1, 1, 1, 1, 1] + [1, 1, 1, 1, 1, 1],  # a draft
}
MENTOR = {
    "ORG-A": [1, 1, 2, 1, 2, 1, 1] + [1, 2, 1, 1, 2, 1],
    "ORG-B": [2, 2, 2, 3, 2, 2, 3] + [2, 2, 3, 2, 2, 2],
    "ORG-C": [3, 3, 4, 3, 3, 4, 3] + [3, 4, 3, 3, 4, 3],
    "ORG-D": [4, NA, 4, 4, 3, 4, 4] + [4, 4, 4, 3, 4, 4],
    "ORG-E": [4, 1, 4, 1, 4, 1, 4] + [1, 4, 1, 4, 1, 4],  # a draft: never a rater's word
    "ORG-F": [4, 4, 4, 4, 4, 4, 4] + [4, 4, 4, 4, 4, 4],  # submitted, but the self-assessment is a draft
}
STATUS = {org: (Status.SUBMITTED, Status.SUBMITTED, Status.VALIDATED) for org in CONSENSUS}
STATUS |= {"ORG-E": (Status.SUBMITTED, Status.DRAFT, None), "ORG-F": (Status.DRAFT, Status.SUBMITTED, None)}


def _answers(levels: list[int | None]) -> list[tuple[str, int | None, bool]]:
    return [(code, level, level is None) for code, level in zip(GOV + STR, levels)]


@pytest.fixture
def round_code(app, factory) -> str:
    code = factory.round("rel-1")
    for org, (self_status, mentor_status, consensus_status) in STATUS.items():
        factory.org(org)
        add_assessment(app, org, code, Track.SELF, self_status, _answers(SELF[org]))
        add_assessment(app, org, code, Track.MENTOR, mentor_status, _answers(MENTOR[org]))
        if consensus_status:
            add_assessment(app, org, code, Track.CONSENSUS, consensus_status, _answers(CONSENSUS[org]))
    return code


def _alpha_by_hand(rows: list[list[int]]) -> float:
    items = np.array(rows, dtype=float)
    k = items.shape[1]
    return k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))


def _kappa_by_hand(first: list[int], second: list[int]) -> float:
    n = len(first)
    observed = sum((a - b) ** 2 for a, b in zip(first, second)) / n
    expected = sum(first.count(a) * second.count(b) * (a - b) ** 2 for a in range(1, 5) for b in range(1, 5)) / n / n
    return 1 - observed / expected


def _pairs(codes: list[str]) -> tuple[list[int], list[int]]:
    """Self and mentor levels of A–D (the only pairs both submitted) on ``codes``, without N/A."""
    first, second = [], []
    for org in CONSENSUS:
        for i, code in enumerate(GOV + STR):
            if code in codes and SELF[org][i] is not None and MENTOR[org][i] is not None:
                first.append(SELF[org][i])
                second.append(MENTOR[org][i])
    return first, second


EXPECTED_ALPHA = {  # GOV: D has GOV.02 not applicable, so A–C only (listwise); STR: A–D
    "GOV": _alpha_by_hand([CONSENSUS[o][:7] for o in ("ORG-A", "ORG-B", "ORG-C")]),
    "STR": _alpha_by_hand([CONSENSUS[o][7:] for o in CONSENSUS]),
}


def test_the_round_s_figures_use_final_results_and_submitted_pairs_only(app, round_code):
    from capacity.reliability.services import round_reliability

    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        figures, _result = round_reliability(round_)
    alpha = {f.domain: f for f in figures.alpha}
    assert (figures.final, figures.organisations) == (4, 6)
    assert (alpha["GOV"].n, alpha["GOV"].k) == (3, 7) and alpha["GOV"].value == pytest.approx(EXPECTED_ALPHA["GOV"])
    assert (alpha["STR"].n, alpha["STR"].k) == (4, 6) and alpha["STR"].value == pytest.approx(EXPECTED_ALPHA["STR"])
    assert alpha["HR"].value is None and alpha["HR"].reason == "few_cases"  # nobody answered HR
    kappa = {f.domain: f for f in figures.kappa}
    gaps = {f.domain: f for f in figures.gaps}
    for domain, codes in (("GOV", GOV), ("STR", STR), (None, GOV + STR)):
        first, second = _pairs(codes)
        assert kappa[domain].n == len(first) and kappa[domain].value == pytest.approx(_kappa_by_hand(first, second))
        assert gaps[domain].count == sum(abs(a - b) >= 2 for a, b in zip(first, second))
    assert (kappa[None].n, gaps["GOV"].count, gaps["STR"].count) == (4 * 13 - 1, 1, 1)  # D's GOV.02 N/A: no pair
    assert kappa["HR"].reason == "no_pairs"


def _section(output: str, heading: str) -> list[list[str]]:
    """The rows of the table under ``heading`` (its header and rule left out), each split into words."""
    lines = output.splitlines()
    start = lines.index(heading) + 3
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return [line.split() for line in lines[start:end]]


def _expected_reading(alpha: float) -> list[str]:
    return ["acceptable", "(0.70", "or", "more)"] if round(alpha, 2) >= 0.70 else \
        ["questionable", "(0.60–0.70)"] if round(alpha, 2) >= 0.60 else ["low", "(below", "0.60)"]


def test_capacity_stats_prints_the_figures_and_refuses_an_unknown_round(app, runner, round_code):
    result = runner.invoke(cli, ["stats", "--round", round_code])
    assert result.exit_code == 0, result.output
    output = result.output
    assert "4 of 6 organisations have a final result in this round: Cronbach's alpha uses those only" in output

    alpha = _section(output, "Internal consistency: Cronbach's alpha by domain")
    gov, strategy, hr = alpha[0], alpha[1], alpha[2]
    assert gov[0] == "GOV" and gov[-7:] == ["3", "7", f"{EXPECTED_ALPHA['GOV']:.2f}", *_expected_reading(EXPECTED_ALPHA["GOV"])]
    assert strategy[0] == "STR" and strategy[-7:] == ["4", "6", f"{EXPECTED_ALPHA['STR']:.2f}",
                                                     *_expected_reading(EXPECTED_ALPHA["STR"])]
    assert hr[0] == "HR" and " ".join(hr).endswith("0 7 — not computed: fewer than 3 organisations with every "
                                                   "indicator of the domain answered")

    kappa = _section(output, "Agreement between the self-assessment and the mentor: weighted kappa")
    first, second = _pairs(GOV + STR)
    assert kappa[-1][:2] == ["All", "domains"] and kappa[-1][2:4] == ["51", f"{_kappa_by_hand(first, second):.2f}"]
    gov_first, gov_second = _pairs(GOV)
    assert kappa[0][0] == "GOV" and kappa[0][-4:-2] == [str(len(gov_first)), f"{_kappa_by_hand(gov_first, gov_second):.2f}"]

    gaps = _section(output, "Where the self-assessment and the mentor differ most")
    # Least agreement first: STR (1 of 24 pairs, 4.2%) before GOV (1 of 27, 3.7%); the overall row last.
    assert [row[0] for row in gaps[:2]] == ["STR", "GOV"]
    assert gaps[0][-6:] == ["24", "4.2%", "1", "of", "24", "pairs"]
    assert gaps[-1][2:] == ["51", "3.9%", "2", "of", "51", "pairs"]
    assert "The largest disagreement is in STR Strategy and organisational management: 4.2% of its pairs" in output
    assert not any(org in output for org in STATUS)  # aggregates only

    georgian = runner.invoke(cli, ["stats", "--round", round_code, "--language", "ka"])
    assert georgian.exit_code == 0, georgian.output
    assert "შინაგანი თანმიმდევრულობა: კრონბახის ალფა მიმართულებების მიხედვით" in georgian.output
    assert f"{EXPECTED_ALPHA['STR']:.2f}".replace(".", ",") in georgian.output and "4,2%" in georgian.output

    unknown = runner.invoke(cli, ["stats", "--round", "nope"])
    assert unknown.exit_code == 1 and "no round has the code 'nope'" in unknown.output


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")


def _annex(app, round_code: str, language: str, folder) -> str:
    """The portfolio PDF's text from the reliability subsection on, in ``language``, on one line."""
    from capacity.reporting.pdf import render_pdf
    from capacity.reporting.portfolio_model import build_portfolio
    from tests.reporting.pdftext import covered, text_of

    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        path = folder / f"portfolio-{language}.pdf"
        path.write_bytes(render_pdf("portfolio.html", {"p": build_portfolio(round_, None, language)}, language))
    text = text_of(path)
    assert sorted({c for c in text if not c.isspace() and ord(c) not in covered()}) == []  # every glyph is shipped
    heading = {"en": "Reliability of the instrument", "ka": "ინსტრუმენტის სანდოობა"}[language]
    assert text.count(heading) == 1
    # The running footer ("Capacity", "5/6") lands wherever pdftotext meets it: between a row's cells at a page end.
    return " ".join(re.sub(r"\bCapacity\b|\b\d+/\d+\b", " ", text[text.index(heading):]).split())


@needs_pdftotext
def test_the_portfolio_method_annex_prints_the_figures_in_english_and_georgian(app, round_code, tmp_path):
    first, second = _pairs(GOV + STR)
    kappa = _kappa_by_hand(first, second)
    english = _annex(app, round_code, "en", tmp_path)
    assert "4 of 6 organisations have a final result in this round: Cronbach's alpha uses those only" in english
    assert "the threshold Pact's Organizational Performance Index (OPI) reported its instrument against" in english
    assert (f"GOV Governance and leadership 3 7 {EXPECTED_ALPHA['GOV']:.2f} "
            f"{' '.join(_expected_reading(EXPECTED_ALPHA['GOV']))}") in english
    assert f"STR Strategy and organisational management 4 6 {EXPECTED_ALPHA['STR']:.2f}" in english
    assert "HR Human resources 0 7 — not computed: fewer than 3 organisations" in english
    assert f"All domains 51 {kappa:.2f} almost perfect" in english
    assert "OCAT debriefs start from the areas of least agreement" in english
    assert "STR Strategy and organisational management 24 4.2% 1 of 24 pairs GOV Governance" in english
    assert "All domains 51 3.9%" in english and "2 of 51 pairs" in english  # the header may repeat between them
    assert not any(org in english for org in STATUS)  # aggregates only: no organisation is named in the annex

    georgian = _annex(app, round_code, "ka", tmp_path)
    assert "დადასტურებული შედეგი 6 ორგანიზაციიდან 4-ს აქვს: კრონბახის ალფა მხოლოდ მათ შედეგებს ეყრდნობა" in georgian
    assert f"3 7 {EXPECTED_ALPHA['GOV']:.2f} მისაღები (0,70 ან მეტი)".replace(".", ",") in georgian
    assert f"ყველა მიმართულება 51 {kappa:.2f} თითქმის სრული".replace(".", ",") in georgian
    assert "24 4,2% 1 წყვილი 24-დან" in georgian and "შეწონილი კაპა" in georgian
    assert not any(org in georgian for org in STATUS)
