"""Reliability statistics as pure functions over pandas frames: no Flask, no database.

* Cronbach's alpha (internal consistency of a domain's indicators across organisations): computed here, with
  sample variances (ddof=1), because statsmodels has none: α = k/(k−1) · (1 − Σ item variances / variance of totals).
* Quadratic weighted kappa between two raters (self-assessment and mentor): statsmodels' ``cohens_kappa`` on a
  contingency table over every level of the scale, so a level nobody used still sets the weights' spacing.
* The share of pairs where the two raters differ by two levels or more.

Each figure carries its n, and the reason when it cannot be computed; readings are codes the caller words.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

ALPHA_MIN_CASES = 3
ALPHA_MIN_ITEMS = 2
LARGE_GAP = 2  # levels apart: the disagreements a debrief starts from

# Why a figure is not computed.
FEW_CASES, FEW_ITEMS, NO_VARIANCE, NO_PAIRS, ONE_LEVEL = "few_cases", "few_items", "no_variance", "no_pairs", "one_level"


@dataclass(frozen=True)
class Figure:
    """One statistic for one domain (``domain`` None: all domains together).

    ``n``: organisations (alpha) or (organisation, indicator) pairs (kappa, share); ``k``: the items alpha used;
    ``count``: the pairs two levels or more apart (share); ``reason``: why ``value`` is None.
    """

    domain: str | None
    n: int
    value: float | None
    reason: str | None = None
    k: int = 0
    count: int = 0


def cronbach_alpha(items: pd.DataFrame, domain: str | None = None) -> Figure:
    """Alpha of ``items`` (rows: cases, columns: items), dropping every case with a missing item (listwise).

    Not computed with fewer than 3 cases or 2 items, or when the totals do not vary (the ratio has no meaning).
    """
    k = items.shape[1]
    complete = items.dropna(axis=0, how="any").astype(float)
    n = len(complete)
    if k < ALPHA_MIN_ITEMS:
        return Figure(domain, n, None, FEW_ITEMS, k=k)
    if n < ALPHA_MIN_CASES:
        return Figure(domain, n, None, FEW_CASES, k=k)
    total_variance = complete.sum(axis=1).var(ddof=1)
    if not total_variance > 0:
        return Figure(domain, n, None, NO_VARIANCE, k=k)
    item_variances = complete.var(axis=0, ddof=1).sum()
    value = float(k / (k - 1) * (1 - item_variances / total_variance))
    if not math.isfinite(value):  # a variance too small to divide by: never print nan or inf
        return Figure(domain, n, None, NO_VARIANCE, k=k)
    return Figure(domain, n, value, k=k)


def alpha_by_domain(levels: pd.DataFrame, domains: pd.Series, order: Sequence[str]) -> list[Figure]:
    """Alpha per domain in ``order``: ``levels`` has columns org, indicator, level (NaN: N/A or unanswered);
    ``domains`` maps each scored indicator to its domain. An organisation without a row for an item lacks it."""
    wide = levels.pivot_table(index="org", columns="indicator", values="level", aggfunc="first", dropna=False)
    figures = []
    for domain in order:
        codes = [code for code in domains.index[domains == domain]]
        items = wide.reindex(columns=codes)  # an item nobody answered is a column of NaN: every case lacks it
        figures.append(cronbach_alpha(items, domain))
    return figures


def contingency(first: Sequence[int], second: Sequence[int], levels: Sequence[int]) -> np.ndarray:
    """Counts of (first rater's level, second rater's level) over every level of the scale, in ``levels`` order."""
    index = {level: i for i, level in enumerate(levels)}
    table = np.zeros((len(levels), len(levels)))
    for a, b in zip(first, second):
        table[index[int(a)], index[int(b)]] += 1
    return table


def weighted_kappa(first: Sequence[int], second: Sequence[int], levels: Sequence[int],
                   domain: str | None = None) -> Figure:
    """Cohen's kappa with quadratic weights between two raters' levels on the scale ``levels`` (ascending).

    statsmodels' ``wt='quadratic'`` with no explicit weights takes the categories as 0…K−1 and weighs a
    disagreement by (i − j)² / (K − 1)², so the table must hold every level of the scale, used or not.
    Not computed without pairs, or when chance alone would give full agreement (both raters always gave the
    one same level): kappa is then 0/0.
    """
    from statsmodels.stats.inter_rater import cohens_kappa  # statsmodels loads scipy: only when a kappa is asked

    n = len(first)
    if n == 0:
        return Figure(domain, 0, None, NO_PAIRS)
    table = contingency(first, second, levels)
    expected = np.outer(table.sum(axis=1), table.sum(axis=0)) / n
    spread = np.subtract.outer(np.arange(len(levels)), np.arange(len(levels))) ** 2
    if not (spread * expected).sum() > 0:
        return Figure(domain, n, None, ONE_LEVEL)
    value = float(cohens_kappa(table, wt="quadratic", return_results=False))
    if not math.isfinite(value):  # statsmodels divides by the expected disagreement: never print nan or inf
        return Figure(domain, n, None, ONE_LEVEL)
    return Figure(domain, n, value)


def large_gap_share(first: Sequence[int], second: Sequence[int], domain: str | None = None,
                    gap: int = LARGE_GAP) -> Figure:
    """The share of pairs whose levels differ by ``gap`` or more (value in [0, 1]; None without pairs)."""
    n = len(first)
    if n == 0:
        return Figure(domain, 0, None, NO_PAIRS)
    count = int((np.abs(np.asarray(first, dtype=float) - np.asarray(second, dtype=float)) >= gap).sum())
    return Figure(domain, n, count / n, count=count)


def agreement_by_domain(pairs: pd.DataFrame, levels: Sequence[int], order: Sequence[str]) -> tuple[list[Figure], list[Figure]]:
    """Weighted kappa and the large-gap share per domain in ``order``, then overall (domain None).

    ``pairs``: one row per (organisation, indicator) with columns domain, first, second (both raters' levels).
    """
    kappas, shares = [], []
    for domain in [*order, None]:
        rows = pairs if domain is None else pairs.loc[pairs["domain"] == domain]
        first, second = rows["first"].astype(int).tolist(), rows["second"].astype(int).tolist()
        kappas.append(weighted_kappa(first, second, levels, domain))
        shares.append(large_gap_share(first, second, domain))
    return kappas, shares


def least_agreement_first(shares: list[Figure]) -> list[Figure]:
    """The domains' shares, largest share of big disagreements first (then questionnaire order); domains without
    pairs last, and the overall figure (domain None) at the end."""
    domains = [(i, f) for i, f in enumerate(shares) if f.domain is not None]
    ranked = sorted(domains, key=lambda item: (item[1].value is None, -(item[1].value or 0.0), item[0]))
    return [f for _, f in ranked] + [f for f in shares if f.domain is None]


def alpha_reading(value: float | None) -> str | None:
    """"acceptable" (≥ 0.70, the threshold Pact's OPI reported against), "questionable" (0.60–0.70), "low".

    Read on the value as printed (two decimals), so a printed 0.70 is never called questionable."""
    if value is None:
        return None
    shown = round(value, 2)
    return "acceptable" if shown >= 0.70 else "questionable" if shown >= 0.60 else "low"


# Landis & Koch (1977): upper bounds of each band, read on the value as printed (two decimals).
KAPPA_BANDS = ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial"))


def kappa_reading(value: float | None) -> str | None:
    """Landis & Koch: poor (< 0), slight (0–0.20), fair (0.21–0.40), moderate (0.41–0.60), substantial
    (0.61–0.80), almost perfect (0.81–1)."""
    if value is None:
        return None
    shown = round(value, 2)
    if shown < 0:
        return "poor"
    for upper, band in KAPPA_BANDS:
        if shown <= upper:
            return band
    return "almost_perfect"
