"""Before rolling up: answers that are not levels become levels, and items not asked leave the count.

Pure pandas over the long answers frame (a ``value`` column holds non-level answers as
``capacity.questionnaires.values`` encodes them). The rubric decides the level of a
yes/no, of a number (thresholds) and of the count of ticked options; a single choice
takes its option's score. An indicator shown only if an earlier answer meets a
condition is, where the condition is not met, "not applicable" for that assessment
(added when it has no answer row at all), so it neither counts as missing nor as zero.

Each distinct stored value is decoded once (there are few: option codes, yes/no, a
handful of numbers), so the cost grows with the number of conditional and typed
items, not with their answers.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from capacity.questionnaires.model import Indicator, TypedScoring
from capacity.questionnaires.values import decode
from capacity.scoring import KEYS
from capacity.scoring.frames import ScoringSpec


def _raw(rows: pd.DataFrame, indicator: Indicator) -> pd.Series:
    """Each row's answer as conditions read it (None for N/A or unanswered), decoded once per distinct value."""
    na = rows["na"].fillna(False).astype(bool).to_numpy()
    if indicator.type == "scale":
        level = rows["level"].to_numpy(dtype=float) if "level" in rows else np.full(len(rows), np.nan)
        raw = np.where(np.isnan(level) | na, None, np.nan_to_num(level).astype(int).astype(object))
        return pd.Series(raw, index=rows.index, dtype=object)
    value = rows["value"] if "value" in rows else pd.Series(None, index=rows.index, dtype=object)
    decoded = {v: decode(indicator, None, v) for v in value.dropna().unique()}
    # A list, not np.array: a tuple of ticked options must stay one element, not become a row of a 2-D array.
    return pd.Series([decoded.get(v) if isinstance(v, str) and not gone else None for v, gone in zip(value, na)],
                     index=rows.index, dtype=object)


def _level(indicator: Indicator, rule: TypedScoring | None, raw: object, low: int) -> float:
    """The level an answer scores, NaN when it has none (unreadable, unanswered)."""
    if raw is None:
        return np.nan
    if indicator.type == "yes_no":
        return float(rule.yes if raw == "yes" else rule.no)
    if indicator.type == "single":
        option = indicator.option(raw)
        return float(option.score) if option is not None and option.score is not None else np.nan
    count = len(raw) if indicator.type == "multiple" else float(raw)
    return float(low + np.searchsorted(np.array(rule.thresholds), count, side="right"))


def prepare(answers: pd.DataFrame, spec: ScoringSpec) -> pd.DataFrame:
    """Every answer with its scored level (typed answers too) and ``asked``: False where a condition is not met.

    Rows are kept (unscored ones, and stored answers of items not asked), so reports can show them as they are;
    an item not asked that has no row gets one (asked False). Preparing prepared answers changes nothing.
    """
    if "asked" in answers:
        return answers
    answers = answers.assign(asked=True)
    if not spec.needs_preparing or answers.empty:
        return answers
    if spec.conditional:
        answers = _apply_conditions(answers, spec)
    for code, (indicator, rule) in spec.typed.items():
        rows = (answers["indicator"] == code) & answers["asked"] & ~answers["na"].fillna(False).astype(bool)
        if not rows.any():
            continue
        values = answers.loc[rows, "value"]
        levels = {v: _level(indicator, rule, decode(indicator, None, v), spec.min_level) for v in values.dropna().unique()}
        answers.loc[rows, "level"] = values.map(levels).astype(float)
    return answers


def scorable(answers: pd.DataFrame, spec: ScoringSpec) -> pd.DataFrame:
    """Prepared answers as ``rollup.score`` counts them: unscored items dropped, items not asked not applicable."""
    if spec.unscored:
        answers = answers.loc[~answers["indicator"].isin(spec.unscored)]
    if not answers["asked"].all():
        answers = answers.assign(level=answers["level"].where(answers["asked"]), na=answers["na"] | ~answers["asked"])
    return answers


def _apply_conditions(answers: pd.DataFrame, spec: ScoringSpec) -> pd.DataFrame:
    """Mark every conditional item whose condition is not met (hiding cascades) as not applicable."""
    assessments = answers[KEYS].drop_duplicates().reset_index(drop=True)
    key = pd.MultiIndex.from_frame(assessments)
    raws: dict[str, pd.Series] = {}  # indicator → raw answer per assessment (None where hidden or unanswered)
    shown: dict[str, np.ndarray] = {}

    def raw_of(code: str) -> pd.Series:
        if code not in raws:
            indicator = spec.sources[code]
            rows = answers.loc[answers["indicator"] == code]
            values = pd.Series(_raw(rows, indicator).to_numpy(), index=pd.MultiIndex.from_frame(rows[KEYS]), dtype=object)
            values = values[~values.index.duplicated()].reindex(key)
            visible = shown_of(code)
            raws[code] = values.where(visible, None).astype(object)
        return raws[code]

    def shown_of(code: str) -> np.ndarray:
        if code not in shown:
            indicator = spec.sources.get(code)
            if indicator is None or indicator.show_if is None:
                shown[code] = np.ones(len(assessments), dtype=bool)
            else:
                condition = indicator.show_if
                source = raw_of(condition.code) if condition.code in spec.sources else pd.Series([None] * len(key))
                raws = source.to_numpy()
                met = {r: condition.met(r) for r in pd.unique(raws) if r is not None}  # once per distinct answer
                shown[code] = np.array([r is not None and met[r] for r in raws], dtype=bool)
        return shown[code]

    hidden_rows = []
    for indicator in spec.conditional:
        hidden = assessments.loc[~shown_of(indicator.code)]
        if hidden.empty:
            continue
        hidden_rows.append(hidden.assign(indicator=indicator.code))
    if not hidden_rows:
        return answers
    hidden = pd.concat(hidden_rows, ignore_index=True)
    marker = answers.merge(hidden.assign(_hidden=True), on=KEYS + ["indicator"], how="left")["_hidden"]
    marker = marker.fillna(False).astype(bool).to_numpy()
    answers.loc[marker, "asked"] = False
    stored = answers.loc[marker, KEYS + ["indicator"]]
    missing = hidden.merge(stored.assign(_stored=True), on=KEYS + ["indicator"], how="left")
    hidden = hidden.loc[missing["_stored"].isna().to_numpy()]
    if hidden.empty:
        return answers
    extra = hidden.assign(level=np.nan, na=False, value=None, asked=False)
    if "final" in answers:  # the assessment's own standing, so the added rows never change which track is official
        final = answers.groupby(KEYS, sort=False)["final"].any().rename("final").reset_index()
        extra = extra.merge(final, on=KEYS, how="left")
    for column in answers.columns:
        if column not in extra:
            extra[column] = False if column == "computed" else None
    return pd.concat([answers, extra[answers.columns]], ignore_index=True)
