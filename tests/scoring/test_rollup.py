"""Indicator → domain → index, by hand-checked examples."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from capacity.scoring.frames import AnswerProblem, check_answers
from capacity.scoring.rollup import official_answers, score
from tests.scoring.spec import INDICATORS, answers, make_spec


def domain(scores, org, code):
    row = scores.domains.loc[(scores.domains["org"] == org) & (scores.domains["domain"] == code)].iloc[0]
    return row


def test_weighted_means_roll_up_to_the_index_and_stage():
    spec = make_spec(weights={"A.1": 3.0}, domain_weights={"C": 2.0})
    rows = [("X", "A.1", 4), ("X", "A.2", 2), ("X", "A.3", 2), ("X", "A.4", 2),
            ("X", "B.1", 1), ("X", "B.2", 1), ("X", "B.3", 2), ("X", "B.4", 2),
            ("X", "C.1", 3), ("X", "C.2", 3), ("X", "C.3", 3), ("X", "C.4", 3)]
    scores = score(answers(rows), spec)
    assert domain(scores, "X", "A")["score"] == pytest.approx((3 * 4 + 2 + 2 + 2) / 6)  # 3.0
    assert domain(scores, "X", "B")["score"] == pytest.approx(1.5)
    overall = scores.overall.iloc[0]
    assert overall["index"] == pytest.approx((3.0 + 1.5 + 2 * 3.0) / 4)  # 2.625
    assert overall["stage"] == "established"
    gesi = scores.lenses.iloc[0]
    assert gesi["score"] == pytest.approx((3 * 4 + 2 + 1 + 1 + 3 + 3) / 8)  # indicator weights apply in lenses too


def test_not_applicable_leaves_the_denominator_instead_of_counting_as_zero():
    spec = make_spec()
    rows = [("X", "A.1", 4), ("X", "A.2", 4), ("X", "A.3", 4), ("X", "A.4", "na")]
    scores = score(answers(rows), spec)
    row = domain(scores, "X", "A")
    assert row["score"] == 4.0
    assert (row["answered"], row["applicable"]) == (3, 3)


def test_a_domain_with_too_few_answers_is_insufficient_data_not_a_number():
    spec = make_spec(min_share=0.6)
    rows = [("X", "A.1", 4), ("X", "A.2", 4)] + [("X", f"B.{n}", 2) for n in range(1, 5)] + [("X", f"C.{n}", 2) for n in range(1, 5)]
    scores = score(answers(rows), spec)
    row = domain(scores, "X", "A")
    assert math.isnan(row["score"]) and not row["sufficient"]
    assert scores.overall.iloc[0]["index"] == pytest.approx(2.0)  # from B and C: 2 of 3 domains ≥ 0.6
    assert scores.overall.iloc[0]["domains_scored"] == 2


def test_index_is_insufficient_when_too_few_domains_have_data():
    spec = make_spec(min_share=0.75)
    rows = [("X", f"A.{n}", 3) for n in range(1, 5)]
    overall = score(answers(rows), spec).overall.iloc[0]
    assert math.isnan(overall["index"]) and not overall["sufficient"]
    assert overall["stage"] is None or (isinstance(overall["stage"], float) and math.isnan(overall["stage"]))


def test_all_not_applicable_is_insufficient():
    spec = make_spec()
    scores = score(answers([("X", "A.4", "na")]), spec)
    assert math.isnan(domain(scores, "X", "A")["score"])


@pytest.mark.parametrize("value, stage", [(1.0, "emerging"), (1.74, "emerging"), (1.75, "developing"),
                                          (3.25, "mature"), (4.0, "mature")])
def test_stage_bands_include_their_lower_edge_and_the_top(value, stage):
    from capacity.scoring.rollup import stage_of

    assert stage_of(pd.Series([value]), make_spec()).iloc[0] == stage


def test_official_track_prefers_consensus_then_mentor_then_self():
    frame = pd.concat([
        answers([("X", "A.1", 1), ("Y", "A.1", 1)]).assign(track="self"),
        answers([("X", "A.1", 2), ("Y", "A.1", 2)]).assign(track="mentor"),
        answers([("X", "A.1", 3)]).assign(track="consensus"),
    ])
    official = official_answers(frame, ("consensus", "mentor", "self")).set_index("org")
    assert official.loc["X", "level"] == 3 and official.loc["X", "source_track"] == "consensus"
    assert official.loc["Y", "level"] == 2 and official.loc["Y", "source_track"] == "mentor"


def test_a_final_track_wins_over_a_draft_earlier_in_the_order():
    frame = pd.concat([
        answers([("X", "A.1", 2)]).assign(track="mentor", final=True),
        answers([("X", "A.1", 3)]).assign(track="consensus", final=False),  # consensus still being drafted
    ])
    official = official_answers(frame, ("consensus", "mentor", "self")).set_index("org")
    assert official.loc["X", "source_track"] == "mentor"


def test_answers_outside_the_scale_or_unknown_are_refused_with_the_place():
    spec = make_spec()
    bad = answers([("X", "A.1", 5), ("X", "Z.9", 2), ("X", "A.1", 2.5), ("X", "A.2", "na")])
    with pytest.raises(AnswerProblem) as error:
        check_answers(bad, spec)
    text = str(error.value)
    assert "X r1 self A.1: level 5 is outside the scale 1–4" in text
    assert "X r1 self Z.9: not an indicator of this questionnaire" in text
    assert "X r1 self A.1: level 2.5 is outside the scale 1–4" in text
    assert "X r1 self A.2: 'not applicable' is not allowed here" in text


def test_every_indicator_of_the_spec_is_scored():
    rows = [("X", code, 2) for code in INDICATORS]
    scores = score(answers(rows), make_spec())
    assert set(scores.domains["domain"]) == {"A", "B", "C"}
    assert scores.overall.iloc[0]["index"] == 2.0
