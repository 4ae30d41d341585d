"""Turning a questionnaire and rubric into the tables the scoring functions need."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from capacity.questionnaires.model import Questionnaire, Rubric
from capacity.scoring import ANSWER_COLUMNS


@dataclass(frozen=True)
class ScoringSpec:
    """Everything scoring needs from a questionnaire and its rubric, as plain tables."""

    indicators: pd.DataFrame  # index: indicator code; columns: domain, weight, allow_na, lens_<code>...
    domain_weights: pd.Series  # index: domain code
    min_level: int
    max_level: int
    min_answered_share: float
    stage_edges: tuple[float, ...]
    stage_codes: tuple[str, ...]
    lenses: tuple[str, ...]
    gap_threshold: int
    official_track: tuple[str, ...]


def scoring_spec(questionnaire: Questionnaire, rubric: Rubric) -> ScoringSpec:
    rows = []
    for indicator in questionnaire.indicators:
        row = {"indicator": indicator.code, "domain": indicator.domain,
               "weight": rubric.indicator_weights.get(indicator.code, 1.0), "allow_na": indicator.allow_na}
        for lens in rubric.lenses:
            row[f"lens_{lens.code}"] = lens.includes(indicator)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("indicator")
    domains = [d.code for d in questionnaire.domains]
    weights = pd.Series([rubric.domain_weights.get(code, 1.0) for code in domains], index=domains, dtype=float)
    return ScoringSpec(
        indicators=table, domain_weights=weights, min_level=questionnaire.min_level, max_level=questionnaire.max_level,
        min_answered_share=rubric.min_answered_share,
        stage_edges=tuple([s.lower for s in rubric.stages] + [rubric.stages[-1].upper]),
        stage_codes=tuple(s.code for s in rubric.stages), lenses=tuple(lens.code for lens in rubric.lenses),
        gap_threshold=rubric.gap_threshold, official_track=rubric.official_track,
    )


def empty_answers() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(ANSWER_COLUMNS, [str, str, str, str, float, bool])})


class AnswerProblem(ValueError):
    """Answers that cannot be scored; ``problems`` says which and why."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def check_answers(answers: pd.DataFrame, spec: ScoringSpec, *, limit: int = 20) -> None:
    """Refuse unknown indicators, levels outside the scale and N/A where the questionnaire forbids it."""
    problems = []
    known = answers["indicator"].isin(spec.indicators.index)
    for row in answers.loc[~known].head(limit).itertuples():
        problems.append(f"{row.org} {row.round} {row.track} {row.indicator}: not an indicator of this questionnaire")
    level = answers["level"]
    bad_level = level.notna() & ((level < spec.min_level) | (level > spec.max_level) | (level != np.floor(level)))
    for row in answers.loc[bad_level].head(limit).itertuples():
        problems.append(f"{row.org} {row.round} {row.track} {row.indicator}: level {row.level:g} is outside the scale "
                        f"{spec.min_level}–{spec.max_level}")
    allow = answers["indicator"].map(spec.indicators["allow_na"]).fillna(False).astype(bool)
    for row in answers.loc[answers["na"] & ~allow & known].head(limit).itertuples():
        problems.append(f"{row.org} {row.round} {row.track} {row.indicator}: 'not applicable' is not allowed here")
    both = answers["na"] & level.notna()
    for row in answers.loc[both].head(limit).itertuples():
        problems.append(f"{row.org} {row.round} {row.track} {row.indicator}: both a level and 'not applicable'")
    if problems:
        raise AnswerProblem(problems)
