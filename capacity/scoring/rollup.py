"""Indicator → domain → overall index, stage bands and lens sub-indices.

Weighted means over answered indicators only: N/A and unanswered indicators
leave both numerator and denominator, so they never count as zero. A domain
(or lens, or the index) whose answered share of applicable indicators is below
the rubric's minimum is "insufficient data": its score is NaN, never a number.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from capacity.scoring import KEYS
from capacity.scoring.frames import ScoringSpec


@dataclass(frozen=True)
class Scores:
    domains: pd.DataFrame   # KEYS + domain, score, answered, applicable, sufficient
    lenses: pd.DataFrame    # KEYS + lens, score, answered, applicable, sufficient
    overall: pd.DataFrame   # KEYS + index, stage, domains_scored, sufficient


def _complete(answers: pd.DataFrame, spec: ScoringSpec) -> pd.DataFrame:
    """One row per assessment × indicator, so unanswered indicators count in the answered share."""
    assessments = answers[KEYS].drop_duplicates()
    grid = assessments.merge(pd.DataFrame({"indicator": spec.indicators.index}), how="cross")
    frame = grid.merge(answers[KEYS + ["indicator", "level", "na"]], on=KEYS + ["indicator"], how="left")
    frame["na"] = frame["na"].fillna(False).astype(bool)
    frame = frame.join(spec.indicators, on="indicator")
    frame["answered"] = frame["level"].notna() & ~frame["na"]
    frame["applicable"] = ~frame["na"]
    frame["w"] = np.where(frame["answered"], frame["weight"], 0.0)
    frame["wx"] = frame["w"] * frame["level"].fillna(0.0)
    return frame


def _weighted(frame: pd.DataFrame, by: list[str], min_share: float) -> pd.DataFrame:
    grouped = frame.groupby(by, sort=False, observed=True)[["wx", "w", "answered", "applicable"]].sum()
    grouped["score"] = grouped["wx"] / grouped["w"].where(grouped["w"] > 0)
    share = grouped["answered"] / grouped["applicable"].where(grouped["applicable"] > 0)
    grouped["sufficient"] = share.fillna(0.0) >= min_share
    grouped.loc[~grouped["sufficient"], "score"] = np.nan
    grouped[["answered", "applicable"]] = grouped[["answered", "applicable"]].astype(int)
    return grouped.drop(columns=["wx", "w"]).reset_index()


def stage_of(values: pd.Series, spec: ScoringSpec) -> pd.Series:
    """The stage code of each value (NaN stays NaN); the top edge belongs to the last stage."""
    edges = list(spec.stage_edges)
    edges[-1] = np.nextafter(edges[-1], np.inf)
    return pd.cut(values, bins=edges, labels=list(spec.stage_codes), right=False).astype(object)


def score(answers: pd.DataFrame, spec: ScoringSpec) -> Scores:
    """Score every assessment (org × round × track) in ``answers``."""
    frame = _complete(answers, spec)
    domains = _weighted(frame, KEYS + ["domain"], spec.min_answered_share)

    lens_frames = []
    for lens in spec.lenses:
        part = frame.loc[frame[f"lens_{lens}"]]
        scored = _weighted(part, KEYS, spec.min_answered_share)
        scored.insert(len(KEYS), "lens", lens)
        lens_frames.append(scored)
    lenses = pd.concat(lens_frames, ignore_index=True) if lens_frames else pd.DataFrame(
        columns=KEYS + ["lens", "answered", "applicable", "score", "sufficient"])

    weights = domains["domain"].map(spec.domain_weights)
    usable = domains["score"].notna()
    domains_w = domains.assign(w=np.where(usable, weights, 0.0), wx=np.where(usable, weights * domains["score"], 0.0),
                               scored=usable.astype(int), one=1)
    overall = domains_w.groupby(KEYS, sort=False)[["wx", "w", "scored", "one"]].sum().reset_index()
    overall["sufficient"] = overall["scored"] / overall["one"] >= spec.min_answered_share
    overall["index"] = (overall["wx"] / overall["w"].where(overall["w"] > 0)).where(overall["sufficient"])
    overall["stage"] = stage_of(overall["index"], spec)
    overall = overall.rename(columns={"scored": "domains_scored"}).drop(columns=["wx", "w", "one"])
    return Scores(domains=domains, lenses=lenses, overall=overall)


def official_answers(answers: pd.DataFrame, order: tuple[str, ...]) -> pd.DataFrame:
    """Keep, for each organisation and round, the first track in ``order`` that has any answer."""
    # Computed indicators (facts from profile data) exist on every track: only rated answers choose the track.
    rated = ~answers["computed"] if "computed" in answers else True
    answered = answers.loc[(answers["level"].notna() | answers["na"]) & rated, ["org", "round", "track"]].drop_duplicates()
    rank = {track: i for i, track in enumerate(order)}
    answered = answered.loc[answered["track"].isin(rank)]
    answered["rank"] = answered["track"].map(rank)
    chosen = answered.sort_values("rank").drop_duplicates(["org", "round"])[["org", "round", "track"]]
    result = answers.merge(chosen, on=KEYS, how="inner")
    result["source_track"] = result["track"]
    result["track"] = "official"
    return result
