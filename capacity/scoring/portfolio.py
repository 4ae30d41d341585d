"""Portfolio aggregates: all organisations side by side, by domain, municipality and region."""
from __future__ import annotations

import pandas as pd


def domain_summary(domains: pd.DataFrame) -> pd.DataFrame:
    """Mean, median and number of organisations scored, per round and domain (insufficient data left out)."""
    scored = domains.dropna(subset=["score"])
    summary = scored.groupby(["round", "domain"], sort=False)["score"].agg(["mean", "median", "count"])
    return summary.reset_index().rename(columns={"count": "organisations"})


def stage_distribution(overall: pd.DataFrame, stage_codes: tuple[str, ...]) -> pd.DataFrame:
    """How many organisations are in each stage, per round (every stage listed, also when empty)."""
    stages = pd.Categorical(overall["stage"], categories=list(stage_codes))
    counts = pd.crosstab(overall["round"], stages, dropna=False).reindex(columns=list(stage_codes), fill_value=0)
    counts.columns.name = "stage"
    return counts


def moved_up(domain_change: pd.DataFrame, organisations: pd.DataFrame | None = None, by: str | None = None,
             step: float = 1.0) -> pd.DataFrame:
    """Share of organisations whose domain score rose by at least ``step`` levels, per domain (and ``by`` group).

    Only organisations scored in both rounds count in the denominator.
    """
    frame = domain_change.dropna(subset=["score_before", "score_after"])
    frame = frame.assign(up=(frame["score_after"] - frame["score_before"]) >= step)
    keys = ["domain"]
    if by:
        frame = frame.merge(organisations[["org", by]], on="org", how="left")
        keys = [by, "domain"]
    result = frame.groupby(keys, sort=False)["up"].agg(["mean", "sum", "count"]).reset_index()
    return result.rename(columns={"mean": "share_up", "sum": "moved_up", "count": "organisations"})


def group_means(overall: pd.DataFrame, organisations: pd.DataFrame, by: str) -> pd.DataFrame:
    """Mean overall index per round and group (municipality or region)."""
    frame = overall.merge(organisations[["org", by]], on="org", how="left").dropna(subset=["index"])
    return frame.groupby(["round", by], sort=True)["index"].agg(["mean", "count"]).reset_index()
