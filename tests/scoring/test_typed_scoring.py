"""Scoring answers of every question type, conditions, sub-areas and the presented measure (every-type fixture)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from capacity.questionnaires.library import load_files
from capacity.scoring.frames import check_answers, scoring_spec
from capacity.scoring.rollup import official_answers, score

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "questionnaires"


@pytest.fixture(scope="module")
def library():
    library, problems = load_files(sorted(FIXTURES.glob("every-type*.yaml")))
    assert problems == []
    return library


def spec_for(library, rubric="every-type-default"):
    return scoring_spec(library.questionnaire("every-type", "1.0"), library.rubric(rubric, "1.0"))


def frame(answers: dict[str, object], org="o1", track="self") -> pd.DataFrame:
    """Answers as the database gives them: a level for scale items, a value for the others, 'na' for N/A."""
    rows = []
    for code, given in answers.items():
        scale = code in ("GOV.1", "GOV.5", "SRV.2", "SRV.3")
        value = json.dumps(given) if isinstance(given, list) else given
        rows.append({"org": org, "round": "r1", "track": track, "indicator": code,
                     "level": float(given) if scale and given != "na" else math.nan, "na": given == "na",
                     "value": None if scale or given == "na" else str(value)})
    return pd.DataFrame(rows)


EVERYTHING = {"GOV.1": 4, "GOV.2": "yes", "GOV.3": ["women", "youth"], "GOV.4": "yearly", "GOV.5": 2,
              "SRV.1": "60", "SRV.2": 3, "SRV.3": 4, "SRV.4": "We now open on Saturdays.", "SRV.5": "yes"}


def by(scores, frame_name, key):
    table = getattr(scores, frame_name)
    return dict(zip(table[key], table["score"]))


def test_each_type_scores_by_its_rule_and_text_never(library):
    spec = spec_for(library)
    answers = frame(EVERYTHING)
    check_answers(answers, spec)  # typed and unscored answers are not "unknown indicators"
    scores = score(answers, spec)
    sub = by(scores, "sub_areas", "sub_area")
    # GOV.A: level 4, yes → 4, two options ticked → 1 + 2 thresholds reached (1, 2) = 3
    assert sub["GOV.A"] == pytest.approx((4 + 4 + 3) / 3)
    # GOV.B: option "yearly" scores 3, level 2
    assert sub["GOV.B"] == pytest.approx(2.5)
    domains = by(scores, "domains", "domain")
    assert domains["GOV"] == pytest.approx((2 * 11 / 3 + 2.5) / 3)  # sub-area GOV.A weighs 2
    # SRV: 60 people → 3 (50 ≤ 60 < 200), levels 3 and 4; the text SRV.4 and the unscored yes/no SRV.5 never count
    assert domains["SRV"] == pytest.approx((3 + 3 + 4) / 3)
    assert int(scores.domains.set_index("domain").loc["SRV", "answered"]) == 3


def test_an_item_whose_condition_is_not_met_is_not_applicable_and_hiding_cascades(library):
    spec = spec_for(library)
    # "no" hides GOV.3 (its stored answer is ignored); 0 people hides SRV.3, and so SRV.4 (asked after SRV.3 ≥ 3)
    answers = frame({**EVERYTHING, "GOV.2": "no", "SRV.1": "0"})
    scores = score(answers, spec)
    sub = by(scores, "sub_areas", "sub_area")
    assert sub["GOV.A"] == pytest.approx((4 + 1) / 2)
    srv = scores.domains.set_index("domain").loc["SRV"]
    assert (srv["answered"], srv["applicable"]) == (2, 2)  # SRV.1 (→ 1) and SRV.2; SRV.3 not asked
    assert srv["score"] == pytest.approx((1 + 3) / 2)


def test_a_hidden_item_without_an_answer_does_not_count_as_missing(library):
    spec = spec_for(library)
    answers = frame({"GOV.1": 2, "GOV.2": "no", "GOV.4": "never", "GOV.5": 1, "SRV.1": "0", "SRV.2": "na"})
    scores = score(answers, spec)
    gov_a = scores.sub_areas.set_index("sub_area").loc["GOV.A"]
    assert (gov_a["answered"], gov_a["applicable"]) == (2, 2)
    assert bool(scores.overall["sufficient"].iloc[0])


def test_domain_is_the_mean_of_its_sub_area_means_even_with_na(library):
    """OCA's rule: each sub-area counts once however many of its items are answered (a plain mean would give 3.0)."""
    spec = spec_for(library, "every-type-points")  # no sub-area weights; GOV.2 unscored, so GOV.A is GOV.1 alone
    answers = frame({"GOV.1": 4, "GOV.2": "no", "GOV.4": "never", "GOV.5": 4, "SRV.1": "300", "SRV.2": 2, "SRV.3": 2})
    scores = score(answers, spec)
    sub = by(scores, "sub_areas", "sub_area")
    assert sub == {"GOV.A": pytest.approx(4.0), "GOV.B": pytest.approx(2.5)}
    assert by(scores, "domains", "domain")["GOV"] == pytest.approx(3.25)


def test_points_percent_and_the_stage_on_the_presented_measure(library):
    answers = frame(EVERYTHING)
    percent = score(answers, spec_for(library)).overall.iloc[0]
    points = score(answers, spec_for(library, "every-type-points")).overall.iloc[0]
    # every-type-points scores GOV.1, GOV.4, GOV.5, SRV.2, SRV.3 (levels 4, 3, 2, 3, 4): 16 of 20 points
    assert (points["points"], points["max_points"]) == (16, 20)
    assert points["measure"] == 16 and points["percent"] == pytest.approx(80)
    assert percent["measure"] == percent["percent"]
    # the percent rubric also scores GOV.2 (4), GOV.3 (3) and SRV.1 (3): 26 of 32
    assert (percent["points"], percent["max_points"]) == (26, 32)
    assert percent["stage"] == "leading"  # 81.25 % is in the band 70–100


def test_a_track_with_only_typed_answers_is_an_answered_track(library):
    answers = pd.concat([frame({"GOV.2": "yes"}, track="consensus").assign(final=True),
                         frame(EVERYTHING, track="self").assign(final=True)])
    chosen = official_answers(answers, ("consensus", "mentor", "self"))
    assert set(chosen["source_track"]) == {"consensus"}


def test_unreadable_values_are_unanswered_not_errors(library):
    spec = spec_for(library)
    answers = frame({**EVERYTHING, "GOV.4": "weekly", "SRV.1": "lots", "GOV.3": "{not json"})
    scores = score(answers, spec)
    assert by(scores, "sub_areas", "sub_area")["GOV.B"] == pytest.approx(2.0)  # only GOV.5
