"""Computed indicators: levels derived from profile data by the questionnaire's declared rules.

Profile data comes long: columns org, round, code, category, value
(category "total" for the whole count or a plain number).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from capacity.questionnaires.model import Questionnaire


def _value(profile: pd.DataFrame, ref: str) -> pd.Series:
    code, _, category = ref.partition(".")
    category = category or "total"
    rows = profile.loc[(profile["code"] == code) & (profile["category"] == category)]
    return rows.set_index(["org", "round"])["value"]


def computed_answers(profile: pd.DataFrame, questionnaire: Questionnaire, tracks: pd.DataFrame) -> pd.DataFrame:
    """Answer rows for every computed indicator, for each (org, round, track) in ``tracks``.

    Facts are the same whoever assesses, so each track gets the same level. A
    value that cannot be computed (no data, a zero denominator) stays unanswered.
    """
    frames = []
    for indicator in questionnaire.indicators:
        rule = indicator.computed
        if rule is None:
            continue
        if rule.rule == "value":
            value = _value(profile, rule.source)
        else:
            numerator, denominator = _value(profile, rule.numerator), _value(profile, rule.denominator)
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
