"""Indicator → (sub-area →) domain → overall index, stage bands and lens sub-indices.

Weighted means over answered indicators only: N/A and unanswered indicators
leave both numerator and denominator, so they never count as zero. A domain
(or lens, or the index) whose answered share of applicable indicators is below
the rubric's minimum is "insufficient data": its score is NaN, never a number.

Where a domain has sub-areas, its score is the weighted mean of its sub-areas'
means (sub-area weights from the rubric), each sub-area under the same rule; the
domain has data enough when enough of its applicable sub-areas do. Beside each mean
come points (the weighted sum of answered levels), the maximum those answers could
reach and their percent; the overall ``measure`` is the one the rubric presents, and
the stage is the band of that measure.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from capacity.scoring import KEYS
from capacity.scoring.frames import ScoringSpec
from capacity.scoring.typed import prepare, scorable


@dataclass(frozen=True)
class Scores:
    domains: pd.DataFrame   # KEYS + domain, score, answered, applicable, sufficient, points, max_points, percent
    lenses: pd.DataFrame    # KEYS + lens, score, answered, applicable, sufficient, points, max_points, percent
    overall: pd.DataFrame   # KEYS + index, stage, domains_scored, sufficient, points, max_points, percent, measure
    sub_areas: pd.DataFrame = None  # KEYS + domain, sub_area, score, …, percent (no rows without sub-areas)

    def __post_init__(self):
        if self.sub_areas is None:
            object.__setattr__(self, "sub_areas", pd.DataFrame(columns=KEYS + SUB_AREA_COLUMNS))


SCORE_COLUMNS = ["score", "answered", "applicable", "sufficient", "points", "max_points", "percent"]
SUB_AREA_COLUMNS = ["domain", "sub_area"] + SCORE_COLUMNS


@dataclass(frozen=True)
class _Matrix:
    """Answers as dense arrays: one row per assessment, one column per indicator."""

    keys: pd.DataFrame       # KEYS of each assessment row
    level: np.ndarray        # float, 0 where not answered
    answered: np.ndarray     # bool: a level was given (not N/A)
    applicable: np.ndarray   # bool: not N/A


def _matrix(answers: pd.DataFrame, spec: ScoringSpec) -> _Matrix:
    # Factorising the key columns once replaces string merges and groupbys over
    # every answer row: the hot path is then plain numpy on small matrices.
    codes = [pd.factorize(answers[key], sort=False) for key in KEYS]
    sizes = [len(uniques) for _, uniques in codes]
    combined = (codes[0][0].astype(np.int64) * sizes[1] + codes[1][0]) * sizes[2] + codes[2][0]
    assessment, assessments = pd.factorize(combined, sort=False)
    column = spec.indicators.index.get_indexer(answers["indicator"])
    known = column >= 0
    rows, cols = assessment[known], column[known]
    shape = (len(assessments), len(spec.indicators))
    level = np.full(shape, np.nan)
    level[rows, cols] = answers["level"].to_numpy(dtype=float)[known]
    na = np.zeros(shape, dtype=bool)
    na[rows, cols] = answers["na"].to_numpy(dtype=bool)[known]
    answered = ~np.isnan(level) & ~na
    parts = np.asarray(assessments, dtype=np.int64)
    track = parts % sizes[2]
    rest = parts // sizes[2]
    keys = pd.DataFrame({
        "org": np.asarray(codes[0][1], dtype=object)[rest // sizes[1]],
        "round": np.asarray(codes[1][1], dtype=object)[rest % sizes[1]],
        "track": np.asarray(codes[2][1], dtype=object)[track],
    })
    return _Matrix(keys, np.where(answered, level, 0.0), answered, ~na)


def _weighted(matrix: _Matrix, membership: np.ndarray, weights: np.ndarray, min_share: float,
              top: float) -> dict[str, np.ndarray]:
    """Weighted mean, points and counts per assessment × group (membership: indicators × groups of 0/1)."""
    answered = matrix.answered.astype(float)
    w = (answered * weights) @ membership
    wx = (matrix.level * weights) @ membership
    n_answered = answered @ membership
    n_applicable = matrix.applicable.astype(float) @ membership
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(n_applicable > 0, n_answered / n_applicable, 0.0)
        value = np.where(w > 0, wx / w, np.nan)
    sufficient = share >= min_share
    return {"score": np.where(sufficient, value, np.nan), "answered": n_answered.astype(int),
            "applicable": n_applicable.astype(int), "sufficient": sufficient, **_points(wx, w * top, sufficient)}


def _points(points: np.ndarray, maximum: np.ndarray, sufficient: np.ndarray) -> dict[str, np.ndarray]:
    with np.errstate(invalid="ignore", divide="ignore"):
        percent = np.where(maximum > 0, 100.0 * points / maximum, np.nan)
    return {"points": np.where(sufficient, points, np.nan), "max_points": np.where(sufficient, maximum, np.nan),
            "percent": np.where(sufficient, percent, np.nan)}


def _through_sub_areas(matrix: _Matrix, spec: ScoringSpec, weights: np.ndarray,
                       domain_codes: list[str]) -> tuple[dict[str, np.ndarray], pd.DataFrame]:
    """Domain scores as the weighted mean of their sub-areas' means; a domain without sub-areas is one group."""
    groups = spec.indicators["group"].to_numpy()
    domains = spec.indicators["domain"].to_numpy()
    keys = [(d, g) for d in domain_codes for g in ([""] if not (spec.sub_areas["domain"] == d).any()
                                                    else list(spec.sub_areas.index[spec.sub_areas["domain"] == d]))]
    membership = np.column_stack([(domains == d) & (groups == g) for d, g in keys]).astype(float)
    per_group = _weighted(matrix, membership, weights, spec.min_answered_share, spec.max_level)
    group_weight = np.array([spec.sub_areas["weight"].get(g, 1.0) if g else 1.0 for _, g in keys])
    to_domain = (np.array([d for d, _ in keys])[:, None] == np.array(domain_codes)[None, :]).astype(float)
    scored = ~np.isnan(per_group["score"])
    w = (scored * group_weight) @ to_domain
    wx = (np.where(scored, per_group["score"], 0.0) * group_weight) @ to_domain
    relevant = (per_group["applicable"] > 0).astype(float) @ to_domain
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(relevant > 0, (scored.astype(float) @ to_domain) / relevant, 0.0)
        value = np.where(w > 0, wx / w, np.nan)
    sufficient = (share >= spec.min_answered_share) & (w > 0)
    raw_points = np.where(np.isnan(per_group["points"]), 0.0, per_group["points"]) @ to_domain
    raw_max = np.where(np.isnan(per_group["max_points"]), 0.0, per_group["max_points"]) @ to_domain
    per_domain = {"score": np.where(sufficient, value, np.nan), "answered": (per_group["answered"] @ to_domain).astype(int),
                  "applicable": (per_group["applicable"] @ to_domain).astype(int), "sufficient": sufficient,
                  **_points(raw_points, raw_max, sufficient)}
    real = [i for i, (_, g) in enumerate(keys) if g]
    sub_areas = _long(matrix.keys, "sub_area", [keys[i][1] for i in real], {k: v[:, real] for k, v in per_group.items()})
    sub_areas.insert(len(KEYS), "domain", np.tile(np.array([keys[i][0] for i in real], dtype=object), len(matrix.keys)))
    return per_domain, sub_areas


def _long(keys: pd.DataFrame, column: str, labels: list[str], values: dict[str, np.ndarray]) -> pd.DataFrame:
    n, k = len(keys), len(labels)
    frame = keys.loc[keys.index.repeat(k)].reset_index(drop=True)
    frame[column] = np.tile(np.array(labels, dtype=object), n)
    for name, array in values.items():
        frame[name] = array.reshape(n * k)
    return frame


def stage_of(values: pd.Series, spec: ScoringSpec) -> pd.Series:
    """The stage code of each value (NaN stays NaN); the top edge belongs to the last stage."""
    edges = list(spec.stage_edges)
    edges[-1] = np.nextafter(edges[-1], np.inf)
    return pd.cut(values, bins=edges, labels=list(spec.stage_codes), right=False).astype(object)


def score(answers: pd.DataFrame, spec: ScoringSpec) -> Scores:
    """Score every assessment (org × round × track) in ``answers``."""
    answers = scorable(prepare(answers, spec), spec)
    matrix = _matrix(answers, spec)
    weights = spec.indicators["weight"].to_numpy(dtype=float)
    domain_codes = list(spec.domain_weights.index)
    if spec.sub_areas.empty:
        membership = (spec.indicators["domain"].to_numpy()[:, None] == np.array(domain_codes)[None, :]).astype(float)
        per_domain = _weighted(matrix, membership, weights, spec.min_answered_share, spec.max_level)
        sub_areas = None
    else:
        per_domain, sub_areas = _through_sub_areas(matrix, spec, weights, domain_codes)
    domains = _long(matrix.keys, "domain", domain_codes, per_domain)

    lens_codes = list(spec.lenses)
    if lens_codes:
        lens_membership = np.column_stack([spec.indicators[f"lens_{code}"].to_numpy(dtype=float) for code in lens_codes])
        lenses = _long(matrix.keys, "lens", lens_codes,
                       _weighted(matrix, lens_membership, weights, spec.min_answered_share, spec.max_level))
    else:
        lenses = pd.DataFrame(columns=KEYS + ["lens"] + SCORE_COLUMNS)

    domain_scores = per_domain["score"]
    scored = ~np.isnan(domain_scores)
    domain_weights = spec.domain_weights.to_numpy(dtype=float)
    w = (scored * domain_weights).sum(axis=1)
    wx = (np.where(scored, domain_scores, 0.0) * domain_weights).sum(axis=1)
    sufficient = scored.sum(axis=1) / max(len(domain_codes), 1) >= spec.min_answered_share
    with np.errstate(invalid="ignore", divide="ignore"):
        index = np.where(sufficient & (w > 0), wx / w, np.nan)
    overall = matrix.keys.assign(index=index, domains_scored=scored.sum(axis=1), sufficient=sufficient)
    points = (np.where(scored, per_domain["points"], 0.0) * domain_weights).sum(axis=1)
    maximum = (np.where(scored, per_domain["max_points"], 0.0) * domain_weights).sum(axis=1)
    for name, values in _points(points, maximum, sufficient & (w > 0)).items():
        overall[name] = values
    overall["measure"] = overall[{"mean": "index"}.get(spec.presentation, spec.presentation)]
    overall["stage"] = stage_of(overall["measure"], spec)
    return Scores(domains=domains, lenses=lenses, overall=overall, sub_areas=sub_areas)


def official_answers(answers: pd.DataFrame, order: tuple[str, ...]) -> pd.DataFrame:
    """Keep, for each organisation and round, the official track's answers.

    That is the first track in ``order`` whose assessment is final (submitted or
    validated: column ``final``, when given), else the first with any answer —
    so a consensus still being drafted never hides a submitted mentor assessment.
    """
    # Computed indicators (facts from profile data) exist on every track: only rated answers choose the track.
    rated = ~answers["computed"].fillna(False).astype(bool) if "computed" in answers else True
    columns = ["org", "round", "track"] + (["final"] if "final" in answers else [])
    given = answers["level"].notna() | answers["na"]
    if "value" in answers:  # an answer that is not a level (yes/no, a choice, a number, a text)
        given |= answers["value"].notna()
    answered = answers.loc[given & rated, columns].drop_duplicates(["org", "round", "track"])
    rank = {track: i for i, track in enumerate(order)}
    answered = answered.loc[answered["track"].isin(rank)].copy()
    answered["rank"] = answered["track"].map(rank)
    if "final" in answered:
        answered["rank"] += (~answered["final"].fillna(False).astype(bool)) * len(order)
    chosen = answered.sort_values("rank").drop_duplicates(["org", "round"])[["org", "round", "track"]]
    result = answers.merge(chosen, on=KEYS, how="inner")
    result["source_track"] = result["track"]
    result["track"] = "official"
    return result
