"""Change between two rounds, on comparable indicators only."""
from __future__ import annotations

import pandas as pd

from capacity.scoring.rollup import Scores


def translate_codes(answers: pd.DataFrame, crosswalk: dict[str, str | None] | None) -> pd.DataFrame:
    """Rename an earlier round's indicator codes to the later questionnaire's (dropping those with no successor)."""
    if not crosswalk:
        return answers
    mapped = answers["indicator"].map(lambda code: crosswalk.get(code, code))
    return answers.assign(indicator=mapped).loc[mapped.notna()]


def indicator_change(before: pd.DataFrame, after: pd.DataFrame, crosswalk: dict[str, str | None] | None = None,
                     after_codes: list[str] | None = None) -> pd.DataFrame:
    """Per organisation and indicator: level before, after, change, and whether the two are comparable.

    Comparable means the indicator exists in both versions (directly or through
    the crosswalk) and has a level, not N/A, in both rounds.
    """
    before = translate_codes(before, crosswalk)
    keys = ["org", "indicator"]
    merged = before[keys + ["level"]].merge(after[keys + ["level"]], on=keys, how="outer", suffixes=("_before", "_after"))
    if after_codes is not None:
        merged["in_both_versions"] = merged["indicator"].isin(after_codes) & merged["indicator"].isin(before["indicator"])
    else:
        merged["in_both_versions"] = merged["indicator"].isin(before["indicator"]) & merged["indicator"].isin(after["indicator"])
    merged["comparable"] = merged["in_both_versions"] & merged["level_before"].notna() & merged["level_after"].notna()
    merged["change"] = (merged["level_after"] - merged["level_before"]).where(merged["comparable"])
    return merged.sort_values(keys).reset_index(drop=True)


def score_change(before: Scores, after: Scores) -> dict[str, pd.DataFrame]:
    """Change per organisation in the overall index, each domain and each lens."""
    overall = before.overall[["org", "index", "stage"]].merge(
        after.overall[["org", "index", "stage"]], on="org", how="outer", suffixes=("_before", "_after"))
    overall["change"] = overall["index_after"] - overall["index_before"]
    domains = before.domains[["org", "domain", "score"]].merge(
        after.domains[["org", "domain", "score"]], on=["org", "domain"], how="outer", suffixes=("_before", "_after"))
    domains["change"] = domains["score_after"] - domains["score_before"]
    lenses = before.lenses[["org", "lens", "score"]].merge(
        after.lenses[["org", "lens", "score"]], on=["org", "lens"], how="outer", suffixes=("_before", "_after"))
    lenses["change"] = lenses["score_after"] - lenses["score_before"]
    return {"overall": overall, "domains": domains, "lenses": lenses}
