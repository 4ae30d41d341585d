"""Which indicators a new development plan suggests as priorities (pure pandas, no database).

The rubric's plan settings name three rules; an indicator meeting several is
suggested once, with every reason, so staff and the mentor see why it is there:

- lowest: the ``lowest_count`` lowest-level indicators below ``lowest_below``;
- gesi: GESI-tagged indicators below ``gesi_below``, lowest first, at most ``gesi_count``;
- gap: the ``gap_count`` widest self/mentor differences of at least ``gap_at_least`` levels.

Ties are broken by questionnaire order so the same results always give the same
suggestions. A count of 0 switches a rule off. Unanswered and N/A indicators are
absent from the inputs and so are never suggested by a level rule.
"""
from __future__ import annotations

import pandas as pd

from capacity.plans.models import PriorityReason
from capacity.questionnaires.model import PlanSettings, Questionnaire

COLUMNS = ["indicator", "reasons", "level", "self_level", "mentor_level", "gap"]
REASON_ORDER = (PriorityReason.LOWEST, PriorityReason.GESI, PriorityReason.GAP)


def _levels_by_code(frame: pd.DataFrame | None, order: dict[str, int]) -> dict[str, int]:
    """indicator code -> int level, only for indicators of the questionnaire with a level."""
    if frame is None or frame.empty or "indicator" not in frame or "level" not in frame:
        return {}
    found: dict[str, int] = {}
    for code, level in zip(frame["indicator"], frame["level"]):
        if code in order and level is not None and not pd.isna(level):
            found[str(code)] = int(level)
    return found


def _lowest_first(levels: dict[str, int], codes, order: dict[str, int]) -> list[str]:
    return sorted(codes, key=lambda code: (levels[code], order[code]))


def suggest_priorities(levels: pd.DataFrame, self_levels: pd.DataFrame | None,
                       mentor_levels: pd.DataFrame | None, questionnaire: Questionnaire,
                       settings: PlanSettings) -> pd.DataFrame:
    """The suggested priorities: one row per indicator, lowest level first, then questionnaire order.

    ``levels`` are the round's final result (normally the validated agreed
    assessment); ``self_levels`` and ``mentor_levels`` the two independent tracks,
    used only for gaps (either may be empty). Columns: indicator, reasons (tuple of
    PriorityReason in the order lowest, gesi, gap), level, self_level, mentor_level
    and gap (absolute difference; None unless both tracks answered the indicator).
    """
    order = {indicator.code: position for position, indicator in enumerate(questionnaire.indicators)}
    final = _levels_by_code(levels, order)
    own = _levels_by_code(self_levels, order)
    mentor = _levels_by_code(mentor_levels, order)
    reasons: dict[str, set[PriorityReason]] = {}

    if settings.lowest_count > 0:
        below = [code for code, level in final.items() if level < settings.lowest_below]
        for code in _lowest_first(final, below, order)[:settings.lowest_count]:
            reasons.setdefault(code, set()).add(PriorityReason.LOWEST)

    if settings.gesi_count > 0:
        tagged = [code for code, level in final.items()
                  if level < settings.gesi_below and questionnaire.indicator(code).gesi]
        for code in _lowest_first(final, tagged, order)[:settings.gesi_count]:
            reasons.setdefault(code, set()).add(PriorityReason.GESI)

    gaps = {code: abs(own[code] - mentor[code]) for code in own.keys() & mentor.keys()}
    if settings.gap_count > 0:
        wide = [code for code, gap in gaps.items() if gap >= settings.gap_at_least]
        for code in sorted(wide, key=lambda code: (-gaps[code], order[code]))[:settings.gap_count]:
            reasons.setdefault(code, set()).add(PriorityReason.GAP)

    rows = [{"indicator": code,
             "reasons": tuple(reason for reason in REASON_ORDER if reason in found),
             "level": final.get(code), "self_level": own.get(code), "mentor_level": mentor.get(code),
             "gap": gaps.get(code)}
            for code, found in reasons.items()]
    # A gap-only indicator may have no final level (N/A in the agreed assessment): it goes last.
    rows.sort(key=lambda row: (row["level"] is None, row["level"] or 0, order[row["indicator"]]))
    return pd.DataFrame(rows, columns=COLUMNS, dtype=object).reset_index(drop=True)
