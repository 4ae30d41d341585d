"""Turning a questionnaire and rubric into the tables the scoring functions need."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from capacity.questionnaires.model import Indicator, Questionnaire, Rubric, TypedScoring
from capacity.scoring import ANSWER_COLUMNS


@dataclass(frozen=True)
class ScoringSpec:
    """Everything scoring needs from a questionnaire and its rubric, as plain tables."""

    indicators: pd.DataFrame  # index: indicator code (scored ones); columns: domain, weight, allow_na, group, lens_<code>...
    domain_weights: pd.Series  # index: domain code
    min_level: int
    max_level: int
    min_answered_share: float
    stage_edges: tuple[float, ...]
    stage_codes: tuple[str, ...]
    lenses: tuple[str, ...]
    gap_threshold: int
    official_track: tuple[str, ...]
    # Sub-areas (index: sub-area code; columns: domain, weight). An indicator's ``group`` is its sub-area, or ""
    # in a domain without sub-areas (the domain is then one group: its mean, exactly as without this level).
    sub_areas: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["domain", "weight"]))
    presentation: str = "mean"
    # Answers that are not levels, scored by ``capacity.scoring.typed``: code → (indicator, the rubric's rule or None
    # for a single choice scored by its options); and every asked-only-if indicator with its condition's sources.
    typed: dict[str, tuple[Indicator, TypedScoring | None]] = field(default_factory=dict)
    conditional: tuple[Indicator, ...] = ()
    sources: dict[str, Indicator] = field(default_factory=dict)
    unscored: frozenset[str] = frozenset()  # answered but never scored (texts, unscored choices and numbers)

    @property
    def needs_preparing(self) -> bool:
        return bool(self.typed or self.conditional)


def scoring_spec(questionnaire: Questionnaire, rubric: Rubric) -> ScoringSpec:
    rows = []
    typed = {}
    unscored = set()
    for indicator in questionnaire.indicators:
        if not rubric.scores(indicator):
            unscored.add(indicator.code)
            continue
        if indicator.type != "scale":
            typed[indicator.code] = (indicator, rubric.scoring.get(indicator.code))
        row = {"indicator": indicator.code, "domain": indicator.domain,
               "weight": rubric.indicator_weights.get(indicator.code, 1.0), "allow_na": indicator.allow_na,
               "group": indicator.sub_area or ""}
        for lens in rubric.lenses:
            row[f"lens_{lens.code}"] = lens.includes(indicator)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("indicator")
    domains = [d.code for d in questionnaire.domains]
    weights = pd.Series([rubric.domain_weights.get(code, 1.0) for code in domains], index=domains, dtype=float)
    sub_areas = pd.DataFrame([{"sub_area": s.code, "domain": d.code, "weight": rubric.sub_area_weights.get(s.code, 1.0)}
                              for d in questionnaire.domains for s in d.sub_areas],
                             columns=["sub_area", "domain", "weight"]).set_index("sub_area")
    conditional = tuple(i for i in questionnaire.indicators if i.show_if is not None)
    sources = {}
    for indicator in conditional:  # the chain of conditions each one depends on
        source = questionnaire.indicator(indicator.show_if.code)
        while source is not None and source.code not in sources:
            sources[source.code] = source
            source = questionnaire.indicator(source.show_if.code) if source.show_if else None
    return ScoringSpec(
        indicators=table, domain_weights=weights, min_level=questionnaire.min_level, max_level=questionnaire.max_level,
        min_answered_share=rubric.min_answered_share,
        stage_edges=tuple([s.lower for s in rubric.stages] + [rubric.stages[-1].upper]),
        stage_codes=tuple(s.code for s in rubric.stages), lenses=tuple(lens.code for lens in rubric.lenses),
        gap_threshold=rubric.gap_threshold, official_track=rubric.official_track,
        sub_areas=sub_areas, presentation=rubric.presentation, typed=typed, conditional=conditional,
        sources={**sources, **{i.code: i for i in conditional}}, unscored=frozenset(unscored),
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
    for row in answers.loc[~known & ~answers["indicator"].isin(spec.unscored)].head(limit).itertuples():
        problems.append(f"{row.org} {row.round} {row.track} {row.indicator}: not an indicator of this questionnaire")
    if spec.typed or spec.unscored:  # answers that are not levels are read from their value (capacity.scoring.typed)
        answers = answers.loc[known & ~answers["indicator"].isin(list(spec.typed))]
        known = known.loc[answers.index]
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
