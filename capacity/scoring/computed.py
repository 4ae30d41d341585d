"""Computed indicators: levels derived from profile data by the questionnaire's declared rules.

Profile data comes long: columns org, round, code, category, value
(category "total" for the whole count or a plain number).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from capacity.questionnaires.model import Questionnaire


def _value(values: pd.Series, ref: str) -> pd.Series:
    """One profile figure (``code.category``) per (org, round), from values indexed by code, category, org, round."""
    code, _, category = ref.partition(".")
    key = (code, category or "total")
    if key not in values.index:
        return pd.Series(dtype=float, index=pd.MultiIndex.from_tuples([], names=["org", "round"]))
    return values.loc[key]


def computed_answers(profile: pd.DataFrame, questionnaire: Questionnaire, tracks: pd.DataFrame) -> pd.DataFrame:
    """Answer rows for every computed indicator, for each (org, round, track) in ``tracks``.

    Facts are the same whoever assesses, so each track gets the same level. A
    value that cannot be computed (no data, a zero denominator) stays unanswered.
    """
    frames = []
    rules = [indicator for indicator in questionnaire.indicators if indicator.computed is not None]
    if profile.empty:
        rules = []
    else:  # indexed once, not filtered per rule: a profile prints one organisation, and pandas' fixed costs add up
        values = profile.set_index(["code", "category", "org", "round"])["value"].astype(float).sort_index()
    for indicator in rules:
        rule = indicator.computed
        if rule.rule == "value":
            value = _value(values, rule.source)
        else:
            numerator, denominator = _value(values, rule.numerator), _value(values, rule.denominator)
            share = numerator / denominator.where(denominator > 0)
            value = np.minimum(share, 1 - share) if rule.rule == "balance" else share
        value = value.dropna()
        if value.empty:
            continue
        level = questionnaire.min_level + np.searchsorted(np.array(rule.thresholds), value.to_numpy(), side="right")
        frames.append(pd.DataFrame({"indicator": indicator.code, "level": level.astype(float), "na": False, "computed": True},
                                   index=value.index).reset_index())
    if not frames:
        return pd.DataFrame(columns=["org", "round", "track", "indicator", "level", "na", "computed"])
    levels = pd.concat(frames, ignore_index=True)
    return tracks[["org", "round", "track"]].drop_duplicates().merge(levels, on=["org", "round"], how="inner")
