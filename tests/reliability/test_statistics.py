"""The reliability statistics against published worked examples, their edge cases and their properties."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.reliability import statistics as stats


def test_alpha_matches_denis_spss_worked_example():
    """Daniel J. Denis, *Applied Univariate, Bivariate, and Multivariate Statistics* (Wiley), the chapter's
    Cronbach's alpha example: a five-item test taken by ten people, analysed with SPSS ``RELIABILITY /MODEL=ALPHA``.
    The book prints the raw scores and the output table "Reliability Statistics": Cronbach's Alpha 0.633 (based on
    standardized items 0.691), N of items 5; "Item Statistics": Std. Deviation 2.71006, 5.05085, 4.74810, 2.71621,
    3.80058. Read at https://livelib.biz/read_928329/p38 (the book's online reader, page 38)."""
    scores = pd.DataFrame(
        [[10, 12, 15, 11, 12], [12, 18, 12, 12, 1], [8, 16, 14, 14, 4], [6, 8, 16, 8, 6], [4, 7, 8, 7, 5],
         [6, 6, 3, 7, 3], [3, 4, 6, 5, 8], [7, 3, 7, 9, 9], [8, 9, 4, 10, 10], [9, 5, 6, 11, 12]],
        columns=[f"Item_{i}" for i in range(1, 6)])
    assert [round(s, 5) for s in scores.std(ddof=1)] == [2.71006, 5.05085, 4.74810, 2.71621, 3.80058]  # same data
    figure = stats.cronbach_alpha(scores)
    assert round(figure.value, 3) == 0.633
    assert (figure.n, figure.k, figure.reason) == (10, 5, None)


def test_kappa_matches_maple_essaytools_worked_examples():
    """Maplesoft, Maple Help, "EssayTools[QuadraticWeightedKappa]", Examples (scores 1–10, range from the data):
    QuadraticWeightedKappa([9, 7, 8, 7, 6, 8, 3, 5, 10], [8, 8, 6, 6, 7, 6, 1, 4, 8]) = 0.758620689655172 and
    QuadraticWeightedKappa([9, 7, 8, 7, 6, 8, 3, 5, 10], [3, 5, 6, 6, 7, 6, 1, 4, 8]) = 0.438095238095238.
    https://www.maplesoft.com/support/help/maple/view.aspx?path=EssayTools/QuadraticWeightedKappa"""
    levels = range(1, 11)
    first = [9, 7, 8, 7, 6, 8, 3, 5, 10]
    assert round(stats.weighted_kappa(first, [8, 8, 6, 6, 7, 6, 1, 4, 8], levels).value, 15) == 0.758620689655172
    assert round(stats.weighted_kappa(first, [3, 5, 6, 6, 7, 6, 1, 4, 8], levels).value, 15) == 0.438095238095238


def test_kappa_matches_r_metrics_worked_example_and_counts_levels_nobody_used():
    """R package Metrics (Ben Hamner), ``ScoreQuadraticWeightedKappa``, Examples:
    ``ScoreQuadraticWeightedKappa(c(1, 4, 5, 5, 2, 1), c(2, 2, 4, 5, 3, 3), 1, 5)`` prints ``[1] 0.56``.
    https://rdrr.io/cran/Metrics/man/ScoreQuadraticWeightedKappa.html"""
    first, second = [1, 4, 5, 5, 2, 1], [2, 2, 4, 5, 3, 3]
    figure = stats.weighted_kappa(first, second, [1, 2, 3, 4, 5])
    assert round(figure.value, 2) == 0.56 and figure.n == 6
    # Quadratic weights are invariant to an unused level at an end of the scale, but not to one in the middle:
    # nobody chose 3 here, yet 2 and 4 are two levels apart, not one.
    first, second = [1, 2, 4, 4, 1, 2], [2, 1, 4, 2, 1, 4]
    full = stats.weighted_kappa(first, second, [1, 2, 3, 4]).value
    assert full == pytest.approx(_kappa_by_hand(first, second, [1, 2, 3, 4]))
    assert stats.weighted_kappa(first, second, [1, 2, 4]).value != pytest.approx(full)
    assert stats.contingency([1, 4], [4, 1], [1, 2, 3, 4]).tolist() == [[0, 0, 0, 1], [0] * 4, [0] * 4, [1, 0, 0, 0]]


def _kappa_by_hand(first, second, levels) -> float:
    """Cohen's (1968) weighted kappa written out: 1 − Σ w·observed / Σ w·expected, w = (level difference)²."""
    n = len(first)
    observed = sum((a - b) ** 2 for a, b in zip(first, second)) / n
    expected = sum(first.count(a) * second.count(b) * (a - b) ** 2 for a in levels for b in levels) / n / n
    return 1 - observed / expected


def test_alpha_drops_cases_with_a_missing_item_and_refuses_too_little_data():
    items = pd.DataFrame({"a": [1, 2, 3, 4, np.nan], "b": [1, 2, 4, 4, 1], "c": [2, 2, 3, 4, 4]})
    figure = stats.cronbach_alpha(items)
    assert figure.n == 4 and figure.k == 3
    assert figure.value == pytest.approx(stats.cronbach_alpha(items.dropna()).value)
    assert stats.cronbach_alpha(items.iloc[:2]).reason == stats.FEW_CASES
    assert stats.cronbach_alpha(items[["a"]]).reason == stats.FEW_ITEMS
    flat = pd.DataFrame({"a": [2, 2, 2], "b": [3, 3, 3]})
    assert stats.cronbach_alpha(flat) == stats.Figure(None, 3, None, stats.NO_VARIANCE, k=2)


def test_alpha_by_domain_treats_an_item_an_organisation_lacks_as_missing():
    levels = pd.DataFrame({"org": ["A", "A", "B", "B", "C", "C", "D"], "indicator": ["x", "y"] * 3 + ["x"],
                           "level": [1, 1, 2, 3, 4, 4, 2]})
    domains = pd.Series({"x": "D1", "y": "D1", "z": "D2"})
    d1, d2 = stats.alpha_by_domain(levels, domains, ["D1", "D2"])
    assert (d1.domain, d1.n, d1.k) == ("D1", 3, 2) and d1.value is not None  # D has no y: left out
    assert (d2.domain, d2.n, d2.k, d2.reason) == ("D2", 0, 1, stats.FEW_ITEMS)


def test_kappa_is_not_computed_without_pairs_or_when_chance_explains_everything():
    assert stats.weighted_kappa([], [], [1, 2, 3, 4]).reason == stats.NO_PAIRS
    assert stats.weighted_kappa([2, 2, 2], [2, 2, 2], [1, 2, 3, 4]).reason == stats.ONE_LEVEL
    assert stats.weighted_kappa([2, 2], [4, 4], [1, 2, 3, 4]).value == 0.0  # always apart: no better than chance


def test_large_gap_share_counts_pairs_two_levels_apart():
    figure = stats.large_gap_share([1, 2, 3, 4, 1], [3, 3, 1, 4, 4])
    assert (figure.n, figure.count, figure.value) == (5, 3, 0.6)
    assert stats.large_gap_share([], []).reason == stats.NO_PAIRS


def test_least_agreement_first_orders_domains_by_share_then_questionnaire_order():
    shares = [stats.Figure("A", 10, 0.1), stats.Figure("B", 10, 0.3), stats.Figure("C", 0, None, stats.NO_PAIRS),
              stats.Figure("D", 10, 0.3), stats.Figure(None, 30, 0.2)]
    assert [f.domain for f in stats.least_agreement_first(shares)] == ["B", "D", "A", "C", None]


@pytest.mark.parametrize("value, reading", [(0.70, "acceptable"), (0.6951, "acceptable"), (0.6949, "questionable"),
                                            (0.60, "questionable"), (0.59, "low"), (-0.2, "low"), (None, None)])
def test_alpha_readings_follow_the_printed_value(value, reading):
    assert stats.alpha_reading(value) == reading


@pytest.mark.parametrize("value, band", [(-0.01, "poor"), (0.0, "slight"), (0.20, "slight"), (0.21, "fair"),
                                         (0.40, "fair"), (0.41, "moderate"), (0.60, "moderate"), (0.61, "substantial"),
                                         (0.80, "substantial"), (0.81, "almost_perfect"), (1.0, "almost_perfect")])
def test_kappa_readings_are_landis_and_koch_bands(value, band):
    assert stats.kappa_reading(value) == band


LEVELS = [1, 2, 3, 4]
ratings = st.lists(st.tuples(st.sampled_from(LEVELS), st.sampled_from(LEVELS)), min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(LEVELS), min_size=3, max_size=30), st.integers(min_value=2, max_value=8))
def test_alpha_of_identical_items_is_one_when_they_vary(column, k):
    items = pd.DataFrame({f"i{j}": column for j in range(k)})
    figure = stats.cronbach_alpha(items)
    if len(set(column)) > 1:
        assert figure.value == pytest.approx(1.0)
    else:
        assert figure.reason == stats.NO_VARIANCE


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(LEVELS), min_size=1, max_size=60))
def test_kappa_of_identical_ratings_is_one(levels):
    figure = stats.weighted_kappa(levels, levels, LEVELS)
    if len(set(levels)) > 1:
        assert figure.value == pytest.approx(1.0)
    else:
        assert figure.reason == stats.ONE_LEVEL


@settings(max_examples=80, deadline=None)
@given(ratings)
def test_kappa_is_symmetric_in_the_two_raters_and_at_most_one(pairs):
    first, second = [a for a, _ in pairs], [b for _, b in pairs]
    one, other = stats.weighted_kappa(first, second, LEVELS), stats.weighted_kappa(second, first, LEVELS)
    assert one.reason == other.reason
    if one.value is not None:
        assert one.value == pytest.approx(other.value) and one.value <= 1 + 1e-12


@settings(max_examples=80, deadline=None)
@given(ratings)
def test_large_gap_share_is_a_share(pairs):
    figure = stats.large_gap_share([a for a, _ in pairs], [b for _, b in pairs])
    assert 0 <= figure.value <= 1 and figure.count == round(figure.value * figure.n)
