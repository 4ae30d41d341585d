"""Before/after change (with a crosswalk), self vs mentor gaps, computed indicators and portfolio aggregates."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from capacity.questionnaires.library import load_files
from capacity.scoring.change import indicator_change, score_change
from capacity.scoring.computed import computed_answers
from capacity.scoring.gaps import self_mentor_gaps
from capacity.scoring.portfolio import domain_summary, group_means, moved_up, stage_distribution
from capacity.scoring.rollup import score
from tests.questionnaires.examples import QUESTIONNAIRE, write
from tests.scoring.spec import answers, make_spec


def test_change_uses_only_comparable_indicators_and_follows_the_crosswalk():
    before = answers([("X", "OLD.1", 2), ("X", "DROPPED", 3), ("X", "SAME", 1), ("X", "NA", "na")])
    after = answers([("X", "NEW.1", 4), ("X", "SAME", 2), ("X", "ADDED", 3), ("X", "NA", 2)])
    change = indicator_change(before, after, {"OLD.1": "NEW.1", "DROPPED": None}).set_index("indicator")
    assert change.loc["NEW.1", "change"] == 2 and change.loc["NEW.1", "comparable"]
    assert change.loc["SAME", "change"] == 1
    assert not change.loc["ADDED", "comparable"] and math.isnan(change.loc["ADDED", "change"])
    assert not change.loc["NA", "comparable"]  # N/A before: nothing to compare
    assert "DROPPED" not in change.index


def test_score_change_per_domain_lens_and_index():
    spec = make_spec()
    before = score(answers([("X", f"{d}.{n}", 2) for d in "ABC" for n in range(1, 5)]).assign(round="r0"), spec)
    after = score(answers([("X", f"{d}.{n}", 3 if d == "C" else 2) for d in "ABC" for n in range(1, 5)]), spec)
    change = score_change(before, after)
    domains = change["domains"].set_index("domain")["change"]
    assert domains["C"] == 1.0 and domains["A"] == 0.0
    assert change["overall"].iloc[0]["change"] == pytest.approx(1 / 3)


def test_gaps_of_two_levels_are_flagged_and_listed_first():
    frame = pd.concat([
        answers([("X", "A.1", 4), ("X", "A.2", 2), ("X", "A.3", 3), ("X", "A.4", "na")]).assign(track="self"),
        answers([("X", "A.1", 2), ("X", "A.2", 2), ("X", "A.3", 2), ("X", "A.4", 1)]).assign(track="mentor"),
    ])
    gaps = self_mentor_gaps(frame, threshold=2)
    assert list(gaps["indicator"]) == ["A.1", "A.3", "A.2"]  # A.4: N/A on the self track, not compared
    assert list(gaps["flagged"]) == [True, False, False]
    assert gaps.iloc[0]["gap"] == 2


def test_computed_indicators_follow_the_declared_rule(tmp_path):
    library, problems = load_files([write(tmp_path, "q.yaml", QUESTIONNAIRE)])
    assert problems == []
    questionnaire = library.questionnaire("mini", "1.0")
    profile = pd.DataFrame([
        ("X", "r1", "leadership", "total", 4), ("X", "r1", "leadership", "female", 4),  # all women: imbalance
        ("Y", "r1", "leadership", "total", 5), ("Y", "r1", "leadership", "female", 2),  # 40%: balanced
        ("Z", "r1", "leadership", "total", 0), ("Z", "r1", "leadership", "female", 0),  # nobody: no level
    ], columns=["org", "round", "code", "category", "value"])
    tracks = pd.DataFrame({"org": ["X", "Y", "Z"], "round": "r1", "track": "self"})
    levels = computed_answers(profile, questionnaire, tracks).set_index("org")["level"]
    assert levels["X"] == 1 and levels["Y"] == 4
    assert "Z" not in levels.index


def test_portfolio_aggregates():
    spec = make_spec()
    base = answers([(o, f"{d}.{n}", 2) for o in ("X", "Y") for d in "ABC" for n in range(1, 5)]).assign(round="r0")
    end = answers([(o, f"{d}.{n}", 3 if o == "X" else 2) for o in ("X", "Y") for d in "ABC" for n in range(1, 5)])
    before, after = score(base, spec), score(end, spec)
    summary = domain_summary(pd.concat([before.domains, after.domains]))
    a_end = summary.loc[(summary["round"] == "r1") & (summary["domain"] == "A")].iloc[0]
    assert a_end["mean"] == 2.5 and a_end["median"] == 2.5 and a_end["organisations"] == 2
    stages = stage_distribution(pd.concat([before.overall, after.overall]), spec.stage_codes)
    assert stages.loc["r0", "developing"] == 2 and stages.loc["r1", "established"] == 1 and stages.loc["r1", "mature"] == 0
    orgs = pd.DataFrame({"org": ["X", "Y"], "region": ["kakheti", "adjara"]})
    up = moved_up(score_change(before, after)["domains"]).set_index("domain")
    assert up.loc["A", "share_up"] == 0.5 and up.loc["A", "organisations"] == 2
    by_region = moved_up(score_change(before, after)["domains"], orgs, by="region").set_index(["region", "domain"])
    assert by_region.loc[("kakheti", "A"), "share_up"] == 1.0
    means = group_means(after.overall, orgs, "region").set_index("region")
    assert means.loc["kakheti", "mean"] == 3.0
