"""Both rubrics score a fully answered assessment with the engine: scaled items by their level, yes/no facts and
numbers by the levels the rubric maps them to, unscored counts and texts left out, domains weighed as the rubric
says (safeguarding, and the inclusion of vulnerable groups, double)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from capacity.questionnaires.library import load_directory
from capacity.scoring.frames import scoring_spec
from capacity.scoring.rollup import score
from capacity.scoring.typed import prepare

# Typed answers and the level each scores by the rubric (None: answered, not scored).
SERVICE_TYPED = {
    "ACC.5": ("yes", 1),      # a refusal without referral: exclusion, level 1
    "CAR.3": ("80", 3),       # % plans reviewed on time: 75–89 → 3
    "PAR.5": ("12", None),    # service users and families heard: not scored
    "PAR.6": ("Parents value the daily news.", None),
    "SAF.2": ("yes", 4),      # every staff member vetted
    "SAF.5": ("yes", None),   # safeguarding concerns raised: a fact, not scored (it opens SAF.6)
    "STF.3": ("10", 2),       # training hours: 8–15 → 2
    "STF.5": ("90", 4),       # % supervised monthly: 80+ → 4
    "PHY.2": ("no", 1),       # no step-free entrance
    "FBC.2": ("yes", 4),      # a complaints log
    "FBC.3": ("3", None),     # complaints recorded: not scored (it opens FBC.4)
    "OUT.3": ("30", 2),       # % goals achieved: 25–49 → 2
}
MUNICIPAL_TYPED = {
    "INF.4": ("yes", 4),      # sessions broadcast
    "CON.5": ("3", 2),        # consultations a year: 2–3 → 2
    "PB.3": ("no", 1),        # residents decide on no part of the budget
    "PB.4": ("6", 4),         # proposals funded: 6+ → 4
    "PET.4": ("50", 3),       # % settlements holding an assembly: 50–74 → 3
    "PET.5": ("7", None),     # petitions submitted: not scored
    "RES.4": ("49.5", 1),     # % answered on time: below 50 → 1
    "RES.5": ("A youth council.", None),
}


def _answers(questionnaire, typed: dict, scale_level: int) -> pd.DataFrame:
    rows = []
    for indicator in questionnaire.indicators:
        if indicator.type == "scale":
            rows.append((indicator.code, float(scale_level), None))
        else:
            rows.append((indicator.code, np.nan, typed[indicator.code][0]))
    frame = pd.DataFrame(rows, columns=["indicator", "level", "value"])
    return frame.assign(org="X-01", round="r", track="self", na=False)[
        ["org", "round", "track", "indicator", "level", "na", "value"]]


@pytest.mark.parametrize("identifier, typed, double", [
    ("service-quality", SERVICE_TYPED, "SAF"), ("municipal-participation", MUNICIPAL_TYPED, "INC")])
def test_a_fully_answered_assessment_is_scored_with_its_typed_items_mapped_as_the_rubric_says(identifier, typed, double):
    library = load_directory()
    questionnaire = library.latest(identifier)
    rubric = library.rubric(f"{identifier}-default", questionnaire.version)
    assert set(typed) == {i.code for i in questionnaire.indicators if i.type != "scale"}  # every typed item, answered
    spec = scoring_spec(questionnaire, rubric)
    answers = _answers(questionnaire, typed, 3)

    levels = prepare(answers, spec).set_index("indicator")["level"]
    for code, (_, level) in typed.items():
        if level is None:
            assert code in spec.unscored, code
        else:
            assert levels[code] == level, code

    scores = score(answers, spec)
    # By hand: each domain the mean of its scored items; the index their weighted mean.
    expected = {}
    for domain in questionnaire.domains:
        items = [i.code for i in questionnaire.indicators if i.domain == domain.code and i.code not in spec.unscored]
        expected[domain.code] = np.mean([typed[c][1] if c in typed else 3 for c in items])
    domains = scores.domains.set_index("domain")["score"]
    for code, value in expected.items():
        assert domains[code] == pytest.approx(value), code
    assert rubric.domain_weights[double] == 2 and sum(w == 2 for w in rubric.domain_weights.values()) == 1
    weights = {code: rubric.domain_weights.get(code, 1.0) for code in expected}
    index = sum(expected[c] * weights[c] for c in expected) / sum(weights.values())
    overall = scores.overall.iloc[0]
    assert overall["index"] == pytest.approx(index) and bool(overall["sufficient"])
    assert overall["stage"] == next(s.code for s in rubric.stages if s.lower <= index < s.upper)
    lenses = scores.lenses.set_index("lens")["score"]
    assert set(lenses.index) == {"gesi", "rba"} and lenses.notna().all()


def test_hidden_follow_up_questions_leave_the_score_when_their_condition_is_not_met():
    library = load_directory()
    questionnaire = library.latest("service-quality")
    spec = scoring_spec(questionnaire, library.rubric("service-quality-default", "1.0"))
    typed = {**SERVICE_TYPED, "SAF.5": ("no", None), "FBC.3": ("0", None)}
    answers = _answers(questionnaire, typed, 2)
    answers = answers.loc[~answers["indicator"].isin(["SAF.6", "FBC.4"])]  # not asked, so not answered
    prepared = prepare(answers, spec).set_index("indicator")
    assert not prepared.loc["SAF.6", "asked"] and not prepared.loc["FBC.4", "asked"]
    domains = score(answers, spec).domains.set_index("domain")["score"]
    assert domains["SAF"] == pytest.approx(np.mean([2, 4, 2, 2]))  # SAF.1, SAF.2 (yes → 4), SAF.3, SAF.4
    assert domains["FBC"] == pytest.approx(np.mean([2, 4, 2]))     # FBC.1, FBC.2 (yes → 4), FBC.5
