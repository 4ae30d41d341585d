"""Properties every score must have, whatever the answers (hypothesis)."""
from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.scoring.rollup import score
from tests.scoring.spec import INDICATORS, answers, make_spec

SPEC = make_spec()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def value_for(code: str):
    choices = [None, 1, 2, 3, 4] + (["na"] if code.endswith(".4") else [])
    return st.sampled_from(choices)


@st.composite
def portfolios(draw, max_orgs: int = 3):
    orgs = [f"O{i}" for i in range(draw(st.integers(1, max_orgs)))]
    return answers([(org, code, draw(value_for(code))) for org in orgs for code in INDICATORS])


def all_scores(scores) -> pd.Series:
    return pd.concat([scores.domains["score"], scores.lenses["score"], scores.overall["index"]], ignore_index=True)


def keyed(scores) -> pd.DataFrame:
    d = scores.domains.set_index(["org", "domain"])["score"]
    o = scores.overall.set_index("org")["index"]
    return pd.concat([d, o.rename_axis("org").to_frame().assign(domain="index").set_index("domain", append=True)["index"]]).sort_index()


@SETTINGS
@given(portfolios())
def test_scores_stay_within_the_scale(frame):
    values = all_scores(score(frame, SPEC)).dropna()
    assert ((values >= 1) & (values <= 4)).all()


@SETTINGS
@given(portfolios(max_orgs=1), st.data())
def test_raising_an_answer_never_lowers_any_score(frame, data):
    answered = frame.index[frame["level"].notna() & (frame["level"] < 4)]
    if answered.empty:
        return
    row = data.draw(st.sampled_from(list(answered)))
    raised = frame.copy()
    raised.loc[row, "level"] += data.draw(st.integers(1, int(4 - frame.loc[row, "level"])))
    before, after = keyed(score(frame, SPEC)), keyed(score(raised, SPEC))
    both = before.notna() & after.notna()
    assert (after[both] >= before[both] - 1e-12).all()
    assert (before.isna() == after.isna()).all()  # which scores exist does not change


@SETTINGS
@given(portfolios(max_orgs=1))
def test_not_applicable_never_counts_as_zero(frame):
    scores = score(frame, SPEC)
    rated = frame.loc[frame["level"].notna()].assign(domain=lambda f: f["indicator"].str[0])
    expected = rated.groupby("domain")["level"].mean()
    for row in scores.domains.dropna(subset=["score"]).itertuples():
        assert np.isclose(row.score, expected[row.domain])


@SETTINGS
@given(portfolios(), st.floats(0.01, 100))
def test_scaling_all_weights_changes_nothing(frame, factor):
    base = make_spec(weights={"A.1": 2.0, "B.3": 0.5}, domain_weights={"C": 3.0})
    scaled = make_spec(weights={c: w * factor for c, w in base.indicators["weight"].items()},
                       domain_weights={d: w * factor for d, w in base.domain_weights.items()})
    pd.testing.assert_series_equal(keyed(score(frame, base)), keyed(score(frame, scaled)))


@SETTINGS
@given(portfolios(), st.randoms(use_true_random=False))
def test_order_of_rows_changes_nothing(frame, random):
    order = list(frame.index)
    random.shuffle(order)
    shuffled = frame.loc[order].reset_index(drop=True)
    pd.testing.assert_series_equal(keyed(score(frame, SPEC)), keyed(score(shuffled, SPEC)))
