"""Reliability where the data are thin or odd: no mentor assessment, no final result, a rater who uses one level,
an item that never varies, a one-domain one-indicator questionnaire. Every case reads sensibly in `capacity stats`
and in the portfolio PDF in English and Georgian: never "nan", "inf", "None" or "-0.00", never a table of rows that
all say the same "not computed"."""
from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pytest
import yaml

from capacity.assessments.models import Status, Track
from capacity.cli import cli
from capacity.reliability import statistics as stats
from tests.questionnaire_fixtures import FIXTURES, make_round, questionnaire_dir  # noqa: F401 (a fixture)
from tests.reliability.test_round import GOV, STR, _annex, needs_pdftotext
from tests.rounds.helpers import add_assessment

NO_FINAL = "No organisation has a final result in this round yet, so Cronbach's alpha is not computed."
NO_PAIRS = ("No indicator was rated on the scale both in a self-assessment and by the mentor (submitted or validated) "
            "in this round, so the agreement between them is not computed.")
NO_FINAL_KA = "ამ შეფასების რაუნდში ჯერ არცერთ ორგანიზაციას არ აქვს დადასტურებული შედეგი"
NO_PAIRS_KA = "ამიტომ მათი თანხმობა არ გამოითვლება"
NONSENSE = re.compile(r"\b(nan|NaN|None|inf|Infinity|null)\b|∞|-0[.,]00")


def _answers(levels):
    return [(code, level, level is None) for code, level in zip(GOV + STR, levels)]


def _clean(text: str) -> None:
    assert not NONSENSE.search(text), NONSENSE.search(text).group(0)


def _stats(runner, code: str, language: str = "en") -> str:
    result = runner.invoke(cli, ["stats", "--round", code, "--language", language])
    assert result.exit_code == 0, result.output
    _clean(result.output)
    return result.output


@pytest.fixture
def self_only(app, factory) -> str:
    """Four organisations with a submitted self-assessment only: no mentor, no final result."""
    code = factory.round("thin")
    for i, org in enumerate(["ORG-A", "ORG-B", "ORG-C", "ORG-D"]):
        factory.org(org)
        add_assessment(app, org, code, Track.SELF, Status.SUBMITTED, _answers([1 + (i + j) % 4 for j in range(13)]))
    return code


def test_no_mentor_and_no_final_result_are_said_once_not_as_tables(runner, self_only):
    output = _stats(runner, self_only)
    assert NO_FINAL in output and NO_PAIRS in output
    assert "not computed:" not in output  # no table whose every row says it
    assert "0 of 4 organisations have a final result" not in output
    assert "Weighted kappa" not in output and "Where the self-assessment and the mentor differ most" not in output
    assert NO_FINAL_KA in _stats(runner, self_only, "ka")


@needs_pdftotext
def test_no_mentor_and_no_final_result_in_the_portfolio_pdf(app, self_only, tmp_path):
    english = _annex(app, self_only, "en", tmp_path)
    assert NO_FINAL in english and NO_PAIRS in english and "not computed:" not in english
    assert "Organisations (n)" not in english and "Pairs (n)" not in english  # no header-only or all-"not computed" tables
    _clean(english)
    georgian = _annex(app, self_only, "ka", tmp_path)
    assert NO_FINAL_KA in georgian and NO_PAIRS_KA in georgian
    _clean(georgian)


@pytest.fixture
def one_level(app, factory) -> str:
    """Final results where one GOV indicator never varies; the mentor gives every GOV indicator level 3 while the
    self-assessment varies, and both give every STR indicator level 2."""
    code = factory.round("flat")
    for i, org in enumerate(["ORG-A", "ORG-B", "ORG-C", "ORG-D"]):
        factory.org(org)
        own = [2] + [1 + (i + j) % 4 for j in range(6)] + [2] * 6
        add_assessment(app, org, code, Track.SELF, Status.SUBMITTED, _answers(own))
        add_assessment(app, org, code, Track.MENTOR, Status.SUBMITTED, _answers([3] * 7 + [2] * 6))
        add_assessment(app, org, code, Track.CONSENSUS, Status.VALIDATED, _answers(own))
    return code


def test_a_rater_using_one_level_and_an_item_that_never_varies(runner, one_level):
    output = _stats(runner, one_level)
    lines = {line.split()[0]: line for line in output.splitlines() if line[:4] in ("GOV ", "STR ", "All ")}
    kappa = output[output.index("weighted kappa"):output.index("differ most")]
    gov_kappa = next(line for line in kappa.splitlines() if line.startswith("GOV "))
    assert gov_kappa.split()[-2:] == ["0.00", "slight"]  # the mentor's one level: no agreement beyond chance
    str_kappa = next(line for line in kappa.splitlines() if line.startswith("STR "))
    assert str_kappa.endswith("not computed: both always gave the same single level")
    assert lines["GOV"]  # alpha computed although GOV.01 never varies
    alpha = output[output.index("Cronbach's alpha by domain"):output.index("weighted kappa")]
    gov_alpha = next(line for line in alpha.splitlines() if line.startswith("GOV "))
    assert re.search(r" 4 +7 +-?\d\.\d\d ", gov_alpha)
    str_alpha = next(line for line in alpha.splitlines() if line.startswith("STR "))
    assert str_alpha.endswith("not computed: the organisations' totals do not vary")


@needs_pdftotext
def test_a_rater_using_one_level_in_the_portfolio_pdf(app, one_level, tmp_path):
    for language in ("en", "ka"):
        _clean(_annex(app, one_level, language, tmp_path))
    # pdftotext may set a row's last cell after the next rows, so the reading is looked for on its own
    english, georgian = _annex(app, one_level, "en", tmp_path), _annex(app, one_level, "ka", tmp_path)
    assert "GOV Governance and leadership 28 0.00" in english and "slight" in english.split("All domains 52")[1]
    assert "28 0,00" in georgian and "უმნიშვნელო" in georgian.split("ორით ან მეტით")[0].split("0,80-ზე მეტი")[1]


def test_statsmodels_giving_nan_or_inf_is_not_computed(monkeypatch):
    import statsmodels.stats.inter_rater as inter_rater

    for bad in (float("nan"), float("inf")):
        monkeypatch.setattr(inter_rater, "cohens_kappa", lambda *args, bad=bad, **kwargs: bad)
        figure = stats.weighted_kappa([1, 2, 3], [2, 3, 4], [1, 2, 3, 4], "D")
        assert (figure.value, figure.reason) == (None, stats.ONE_LEVEL)


def test_alpha_with_an_item_that_never_varies_and_with_na_rows():
    items = pd.DataFrame({"a": [3, 3, 3, 3, 3], "b": [1, 2, 3, 4, None], "c": [2, 2, 4, 4, 1]})
    figure = stats.cronbach_alpha(items, "D")
    complete = items.dropna().astype(float)
    expected = 3 / 2 * (1 - complete.var(ddof=1).sum() / complete.sum(axis=1).var(ddof=1))
    assert figure.n == 4 and figure.value == pytest.approx(expected)


def test_a_coefficient_that_rounds_to_zero_prints_zero(app):
    from capacity.reliability.services import printed

    with app.test_request_context(), __import__("flask_babel").force_locale("en"):
        assert printed(-0.004) == "0.00" and printed(-0.006) == "-0.01" and printed(None) == "—"
    assert stats.kappa_reading(-0.004) == "slight"


@pytest.fixture
def one_domain(app, questionnaire_dir) -> str:  # noqa: F811 (the fixture imported above)
    """A questionnaire of one domain holding one indicator, with its rubric."""
    data = yaml.safe_load((FIXTURES / "mini-five.yaml").read_text(encoding="utf-8"))
    data["id"] = "mini-one"
    data["domains"] = [dict(data["domains"][0], indicators=data["domains"][0]["indicators"][:1])]
    (questionnaire_dir / "mini-one.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    rubric = yaml.safe_load((FIXTURES / "mini-five.rubric.yaml").read_text(encoding="utf-8"))
    rubric |= {"id": "mini-one-default", "questionnaire": {"id": "mini-one", "version": "1.0"},
               "domain_weights": {"LEAD": 1}}
    (questionnaire_dir / "mini-one.rubric.yaml").write_text(yaml.safe_dump(rubric, allow_unicode=True), encoding="utf-8")
    return make_round(app, "one", "mini-one", "1.0", "mini-one-default", "1.0", date(2026, 1, 1), is_open=False)


def test_a_single_domain_with_a_single_indicator(app, factory, runner, one_domain):
    for i, org in enumerate(["ORG-A", "ORG-B", "ORG-C"]):
        factory.org(org)
        add_assessment(app, org, one_domain, Track.SELF, Status.SUBMITTED, [("LEAD.01", 1 + i, False)])
        add_assessment(app, org, one_domain, Track.MENTOR, Status.SUBMITTED, [("LEAD.01", 2 + i, False)])
        add_assessment(app, org, one_domain, Track.CONSENSUS, Status.VALIDATED, [("LEAD.01", 2 + i, False)])
    output = _stats(runner, one_domain)
    assert "LEAD Leadership" in output and "not computed: fewer than 2 scored indicators" in output
    assert re.search(r"All domains +3 +\d\.\d\d ", output)


@pytest.mark.parametrize("language", ["en", "ka"])
def test_the_kappa_bands_in_the_table_are_the_ones_the_note_names(app, language):
    """A reader matches the table's reading with the note's list of Landis and Koch bands: same words, same order."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from capacity.reliability.services import KAPPA_READINGS

    note = ("Weighted kappa compares the level an organisation gave itself with the mentor's level for the same "
            "indicator, net of the agreement chance alone would give: 1 is full agreement, 0 no more than chance. "
            "With quadratic weights a gap of two levels counts four times a gap of one. Readings after Landis and "
            "Koch: poor (below 0), slight (up to 0.20), fair (0.21 to 0.40), moderate (0.41 to 0.60), substantial "
            "(0.61 to 0.80), almost perfect (above 0.80). n counts the pairs of one organisation and one indicator "
            "that both rated on the scale in a submitted or validated assessment; drafts never count, nor do “not "
            "applicable” answers, computed indicators and questions answered otherwise than with a level.")
    assert note in (__import__("pathlib").Path(app.root_path).parent / "reports" / "portfolio.html").read_text(
        encoding="utf-8")
    with app.test_request_context(), force_locale(language):
        said = _(note)
        places = [said.find(str(KAPPA_READINGS[band]) + " (") for band in
                  ("poor", "slight", "fair", "moderate", "substantial", "almost_perfect")]
    assert -1 not in places and places == sorted(places), places
