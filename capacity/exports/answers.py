"""Answers that are not levels, in the long sheet: their value as stored and as read, and which items were asked.

Pure pandas, as ``capacity.exports.frames`` (no Flask, no database); values are read with
``capacity.questionnaires.values``, the one encoding pages and scoring use too.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd

from capacity.questionnaires.model import Indicator
from capacity.questionnaires.values import decode, display

# What services hand over for one answer row (rated answers and computed indicators alike); asked may be left out
# (with_asked sets it).
ANSWER_ROW_COLUMNS = ["org", "track", "indicator", "level", "na", "computed", "comment", "evidence_url", "answered_at",
                      "value", "asked"]


def answer_values(codes: pd.Series, stored: pd.Series, by_code: dict[str, Indicator],
                   language: str, yes: str, no: str) -> tuple[pd.Series, pd.Series]:
    """The value and value_text columns: a non-level answer as stored and as a reader sees it.

    A level (type scale) leaves both empty: level and level_name hold it. A value that no longer reads (the
    question changed type since) is given as stored, with no text, rather than dropped.
    """
    values, texts = [], []
    for code, value in zip(codes.tolist(), stored.tolist()):
        indicator = by_code.get(code)
        if indicator is None or indicator.type == "scale" or not isinstance(value, str):
            values.append(None)
            texts.append(None)
            continue
        raw = decode(indicator, None, value)
        if raw is None:
            values.append(value)
            texts.append(None)
            continue
        if indicator.type == "multiple":
            values.append("; ".join(raw))
        elif indicator.type == "number":
            # A number in the sheet (12, not "12"): it sums, and "-5" is never taken for a formula. An integer stays
            # exact however long (a float would round a budget of 20 digits).
            number = Decimal(value)
            values.append(int(number) if number == number.to_integral_value() else float(number))
        else:
            values.append(value)
        texts.append(display(indicator, raw, language, yes=yes, no=no))
    return (pd.Series(values, index=codes.index, dtype=object), pd.Series(texts, index=codes.index, dtype=object))


def with_asked(rows: pd.DataFrame, prepared: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (ANSWER_ROW_COLUMNS) with ``asked`` as scoring decided it: ``prepared`` is the same round's answers
    after ``capacity.scoring.typed.prepare`` (False for an item whose condition on an earlier answer is not met in
    that assessment; hiding cascades), so the sheet and the scores never disagree on what was asked.

    An item not asked that has no answer row gets one (no answer, asked False), so the sheet tells "not asked"
    from "not answered yet". A stored answer to an item no longer asked (given before the earlier answer changed)
    stays, marked: scoring takes it as not applicable.
    """
    rows = rows.reindex(columns=ANSWER_ROW_COLUMNS)
    if "asked" not in prepared or prepared["asked"].all():
        return rows.assign(asked=True)
    off = prepared.loc[~prepared["asked"].astype(bool)]
    hidden = set(zip(off["org"], off["track"], off["indicator"]))
    keys = list(zip(rows["org"], rows["track"], rows["indicator"]))
    rows = rows.assign(asked=[key not in hidden for key in keys])
    missing = sorted(hidden - set(keys))
    if not missing:
        return rows
    extra = pd.DataFrame(missing, columns=["org", "track", "indicator"]).assign(
        level=None, na=False, computed=False, comment="", evidence_url="", answered_at=None, value=None, asked=False)
    return pd.concat([rows, extra.reindex(columns=ANSWER_ROW_COLUMNS)], ignore_index=True)
