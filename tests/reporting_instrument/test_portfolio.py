"""The portfolio of a round on the every-type instrument: results on the rubric's measure, read back from the PDF."""
from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from capacity.assessments.scores import score_round
from capacity.extensions import db
from capacity.reporting.pdf import render_pdf
from capacity.reporting.portfolio_model import build_portfolio
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for
from tests.reporting.pdfstruct import read
from tests.reporting.pdftext import covered, text_of
from tests.reporting_instrument.conftest import ORG
from tests.reporting_instrument.pdflines import layout, line, pct

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")


@pytest.fixture(scope="module")
def portfolio(instrument_app, tmp_path_factory):
    path = tmp_path_factory.mktemp("portfolio") / "portfolio.pdf"
    with instrument_app.app_context():
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        path.write_bytes(render_pdf("portfolio.html", {"p": build_portfolio(
            rounds["et-end"], baseline_for(rounds["et-end"], None), "en")}, "en"))
        scores = {code: score_round(rounds[code])[0] for code in ("et-base", "et-end")}
    return path, scores


def _of(frame, column: str, **where) -> float:
    rows = frame.loc[frame["org"] == ORG]
    for key, value in where.items():
        rows = rows.loc[rows[key] == value]
    return float(rows[column].iloc[0])


def test_the_portfolio_gives_each_organisation_and_place_on_the_rubrics_measure(portfolio):
    path, scores = portfolio
    rows, text = layout(path), " ".join(text_of(path).split())
    before, after = _of(scores["et-base"].overall, "percent"), _of(scores["et-end"].overall, "percent")
    change = f"+{after - before:.0f}"
    assert line(rows, f"{ORG} Organisation A") == f"{ORG} Organisation A (Telavi) {pct(before)} {pct(after)} {change} Leading"
    assert line(rows, "Telavi ") == f"Telavi 1 {pct(before)} {pct(after)} {change}"  # the municipality's mean
    assert "Domain scores by organisation, as a percentage of the maximum: Round et" in text  # the heading wraps
    assert "GESI section" not in text and sorted({c for c in text if ord(c) not in covered() and not c.isspace()}) == []


def test_the_heatmap_states_each_domains_percentage(portfolio):
    path, scores = portfolio
    heatmap = read(path).root.all("Figure")[1].alt
    assert heatmap.startswith("Domain scores by organisation, Round et-end, as a percentage of the maximum")
    gov, srv = (_of(scores["et-end"].domains, "percent", domain=d) for d in ("GOV", "SRV"))
    assert f"{ORG}: GOV {pct(gov)}, SRV {pct(srv)}." in heatmap


def test_the_portfolio_method_prints_the_instruments_note(portfolio):
    path, _scores = portfolio
    method = " ".join(text_of(path).split()).rsplit("Method", 1)[1]
    assert method.startswith(" The organisation answers the questionnaire itself;")
    assert "the stages are bands of that percentage" in method
