"""Which indicators a new plan suggests as priorities, and why (capacity.plans.seeding)."""
from __future__ import annotations

import pandas as pd
from hypothesis import given, settings as hyp_settings, strategies as st

from capacity.plans.models import PriorityReason
from capacity.plans.seeding import COLUMNS, suggest_priorities
from capacity.questionnaires.library import load_directory
from capacity.questionnaires.model import Domain, Indicator, PlanSettings, Questionnaire, ScaleLevel, Text

LOWEST, GESI, GAP = PriorityReason.LOWEST, PriorityReason.GESI, PriorityReason.GAP

# Eight indicators in questionnaire order; B and E are GESI-tagged.
CODES = ["A", "B", "C", "D", "E", "F", "G", "H"]
GESI_CODES = {"B", "E"}


def _questionnaire(codes=CODES, gesi=GESI_CODES) -> Questionnaire:
    t = Text("ka", "en")
    indicators = tuple(Indicator(code=c, domain="D1", text=Text(c, c), levels={1: t, 2: t, 3: t, 4: t},
                                 evidence=None, gesi=("women",) if c in gesi else ())
                       for c in codes)
    return Questionnaire(id="q", version="1", title=t, description=None,
                         scale=tuple(ScaleLevel(n, t) for n in (1, 2, 3, 4)),
                         domains=(Domain(code="D1", title=t, description=None, indicators=indicators),))


Q = _questionnaire()
OFF = PlanSettings(lowest_count=0, gesi_count=0, gap_count=0)


def frame(levels: dict[str, int]) -> pd.DataFrame:
    return pd.DataFrame({"indicator": list(levels), "level": list(levels.values())})


def suggest(levels, self_levels=None, mentor_levels=None, **rules):
    settings = PlanSettings(**{**{"lowest_count": 0, "gesi_count": 0, "gap_count": 0}, **rules})
    return suggest_priorities(frame(levels), frame(self_levels or {}), frame(mentor_levels or {}), Q, settings)


def reasons_of(result) -> dict[str, tuple]:
    return dict(zip(result["indicator"], result["reasons"]))


def test_lowest_takes_the_lowest_below_the_threshold_with_ties_in_questionnaire_order():
    levels = {"A": 3, "B": 2, "C": 1, "D": 2, "E": 4, "F": 2, "G": 3, "H": 1}
    result = suggest(levels, lowest_count=4, lowest_below=3)
    # C and H (level 1), then B and D of the three at level 2 (F comes later in the questionnaire).
    assert list(result["indicator"]) == ["C", "H", "B", "D"]
    assert set(result["reasons"]) == {(LOWEST,)}
    assert list(result["level"]) == [1, 1, 2, 2]


def test_lowest_never_takes_an_indicator_at_or_above_the_threshold():
    result = suggest({"A": 3, "B": 4, "C": 2}, lowest_count=5, lowest_below=3)
    assert list(result["indicator"]) == ["C"]


def test_gesi_takes_only_tagged_indicators_below_its_threshold_lowest_first():
    levels = {"A": 1, "B": 2, "C": 1, "E": 1}
    result = suggest(levels, gesi_count=5, gesi_below=3)
    assert list(result["indicator"]) == ["E", "B"]
    assert reasons_of(result) == {"E": (GESI,), "B": (GESI,)}
    capped = suggest(levels, gesi_count=1, gesi_below=3)
    assert list(capped["indicator"]) == ["E"]
    assert list(suggest(levels, gesi_count=5, gesi_below=2)["indicator"]) == ["E"]


def test_gap_takes_the_widest_differences_with_ties_in_questionnaire_order():
    levels = {c: 3 for c in CODES}
    self_levels = {"A": 4, "B": 4, "C": 4, "D": 4, "F": 2}
    mentor_levels = {"A": 1, "B": 2, "C": 3, "D": 2, "F": 4, "G": 1}
    result = suggest(levels, self_levels, mentor_levels, gap_count=2, gap_at_least=2)
    # A differs by 3; B, D and F by 2: B comes first in the questionnaire. C (1) and G (no self level) never.
    assert list(result["indicator"]) == ["A", "B"]
    assert list(result["gap"]) == [3, 2]
    assert list(result["self_level"]) == [4, 4] and list(result["mentor_level"]) == [1, 2]
    wider = suggest(levels, self_levels, mentor_levels, gap_count=9, gap_at_least=2)
    assert list(wider["indicator"]) == ["A", "B", "D", "F"]


def test_an_indicator_meeting_several_rules_appears_once_with_every_reason_in_order():
    levels = {"A": 3, "B": 1, "C": 2}
    result = suggest(levels, {"B": 4}, {"B": 1}, lowest_count=2, lowest_below=3,
                     gesi_count=2, gesi_below=3, gap_count=2, gap_at_least=2)
    assert list(result["indicator"]) == ["B", "C"]
    assert reasons_of(result) == {"B": (LOWEST, GESI, GAP), "C": (LOWEST,)}
    assert list(result.columns) == COLUMNS


def test_rows_are_ordered_by_level_then_questionnaire_order_whatever_rule_brought_them():
    levels = {"A": 3, "B": 2, "C": 1, "D": 3}
    result = suggest(levels, {"A": 1, "D": 1}, {"A": 4, "D": 4}, lowest_count=1, lowest_below=3,
                     gesi_count=1, gesi_below=3, gap_count=2, gap_at_least=3)
    assert list(result["indicator"]) == ["C", "B", "A", "D"]
    assert list(result["level"]) == [1, 2, 3, 3]


def test_counts_of_zero_switch_rules_off():
    levels = {"A": 1, "B": 1}
    assert suggest(levels, {"A": 4}, {"A": 1}).empty
    only_gap = suggest(levels, {"A": 4}, {"A": 1}, gap_count=1, gap_at_least=1)
    assert reasons_of(only_gap) == {"A": (GAP,)}
    assert list(suggest(levels, gesi_count=3)["indicator"]) == ["B"]


def test_not_applicable_and_unanswered_indicators_are_never_suggested_by_level():
    # N/A and unanswered rows are absent from the frames; a None level (if one slips in) is ignored too.
    levels = pd.DataFrame({"indicator": ["A", "B", "C"], "level": [2, None, 1]})
    result = suggest_priorities(levels, None, None, Q, PlanSettings(lowest_count=5, gesi_count=5, gap_count=3))
    assert list(result["indicator"]) == ["C", "A"]
    assert list(result["gap"]) == [None, None]
    assert list(result["self_level"]) == [None, None]


def test_missing_tracks_give_no_gaps_and_gap_only_indicators_without_a_final_level_go_last():
    empty = pd.DataFrame(columns=["indicator", "level"])
    assert suggest_priorities(empty, empty, empty, Q, PlanSettings()).empty
    assert list(suggest({"A": 1}, None, {"A": 4}, gap_count=3, gap_at_least=1)["indicator"]) == []
    # A is N/A in the agreed result but the two tracks differ widely: suggested for the gap, after the others.
    result = suggest({"C": 2}, {"A": 4}, {"A": 1}, lowest_count=3, lowest_below=3, gap_count=3, gap_at_least=2)
    assert list(result["indicator"]) == ["C", "A"]
    assert result.iloc[1]["level"] is None and result.iloc[1]["gap"] == 3


def test_indicators_not_in_the_questionnaire_are_ignored():
    result = suggest({"ZZ": 1, "A": 2}, {"ZZ": 4}, {"ZZ": 1}, lowest_count=5, lowest_below=3,
                     gap_count=3, gap_at_least=1)
    assert list(result["indicator"]) == ["A"]


def test_the_shipped_rubric_settings_on_the_shipped_questionnaire():
    library = load_directory()
    rubric = library.rubric("gesi-oca-default", "1.0")
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    codes = [i.code for i in questionnaire.indicators]
    levels = frame({code: 1 + position % 4 for position, code in enumerate(codes)})
    result = suggest_priorities(levels, levels, levels, questionnaire, rubric.plan)
    assert 0 < len(result) <= rubric.plan.lowest_count + rubric.plan.gesi_count
    assert all(level == 1 for level in result["level"])
    assert not any(GAP in r for r in result["reasons"])


levels_strategy = st.dictionaries(st.sampled_from(CODES), st.integers(1, 4))


@hyp_settings(max_examples=150, deadline=None)
@given(levels=levels_strategy, self_levels=levels_strategy, mentor_levels=levels_strategy,
       counts=st.tuples(st.integers(0, 9), st.integers(0, 9), st.integers(0, 9)),
       below=st.tuples(st.integers(1, 5), st.integers(1, 5)), gap_at_least=st.integers(0, 4))
def test_property_every_row_is_justified_and_counts_are_respected(levels, self_levels, mentor_levels,
                                                                  counts, below, gap_at_least):
    plan = PlanSettings(lowest_count=counts[0], lowest_below=below[0], gesi_count=counts[1],
                        gesi_below=below[1], gap_count=counts[2], gap_at_least=gap_at_least)
    result = suggest_priorities(frame(levels), frame(self_levels), frame(mentor_levels), Q, plan)
    codes = list(result["indicator"])
    assert len(codes) == len(set(codes))
    tally = {LOWEST: 0, GESI: 0, GAP: 0}
    for row in result.to_dict("records"):
        code, reasons = row["indicator"], row["reasons"]
        assert reasons and list(reasons) == [r for r in (LOWEST, GESI, GAP) if r in reasons]
        for reason in reasons:
            tally[reason] += 1
        if LOWEST in reasons or GESI in reasons:
            assert row["level"] == levels[code]
        if LOWEST in reasons:
            assert levels[code] < plan.lowest_below
            # nothing strictly lower and below the threshold was left out
        if GESI in reasons:
            assert code in GESI_CODES and levels[code] < plan.gesi_below
        if GAP in reasons:
            assert row["gap"] == abs(self_levels[code] - mentor_levels[code]) >= gap_at_least
    assert tally[LOWEST] == min(plan.lowest_count, sum(v < plan.lowest_below for v in levels.values()))
    assert tally[GESI] == min(plan.gesi_count,
                              sum(v < plan.gesi_below for c, v in levels.items() if c in GESI_CODES))
    both = [c for c in self_levels if c in mentor_levels and abs(self_levels[c] - mentor_levels[c]) >= gap_at_least]
    assert tally[GAP] == min(plan.gap_count, len(both))
    # Chosen lowest ones are never higher than a left-out candidate.
    lowest = [levels[c] for c, r in zip(codes, result["reasons"]) if LOWEST in r]
    left_out = [v for c, v in levels.items() if v < plan.lowest_below and c not in
                {c2 for c2, r in zip(codes, result["reasons"]) if LOWEST in r}]
    if lowest and left_out:
        assert max(lowest) <= min(left_out)
    ordered = [(lv is None, lv or 0, CODES.index(c)) for c, lv in zip(codes, result["level"])]
    assert ordered == sorted(ordered)
