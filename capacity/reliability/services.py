"""A round's reliability statistics: its answers gathered into the frames ``statistics`` reads, and what the
portfolio's method annex and ``capacity stats`` print.

Only aggregates leave this module: figures per domain and overall, never an organisation's own levels.
Cronbach's alpha reads the round's final results (the track each organisation's final result comes from, as every
count in the portfolio); agreement reads submitted or validated self-assessments and mentor assessments (a draft
is not a rater's word).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from capacity import access
from capacity.assessments.models import Track
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds.queries import subjects_of
from capacity.reliability import statistics as stats
from capacity.reporting.numbers import MISSING, is_missing, number
from capacity.reporting.round_result import RoundResult
from capacity.rounds.models import AssessmentRound
from capacity.scoring.typed import prepare, scorable

ALPHA_READINGS = {"acceptable": _l("acceptable (0.70 or more)"), "questionable": _l("questionable (0.60–0.70)"),
                  "low": _l("low (below 0.60)")}
KAPPA_READINGS = {"poor": _l("poor"), "slight": _l("slight"), "fair": _l("fair"), "moderate": _l("moderate"),
                  "substantial": _l("substantial"), "almost_perfect": _l("almost perfect")}
REASONS = {
    stats.FEW_CASES: _l("not computed: fewer than 3 organisations with every indicator of the domain answered"),
    stats.FEW_ITEMS: _l("not computed: fewer than 2 scored indicators"),
    stats.NO_VARIANCE: _l("not computed: the organisations' totals do not vary"),
    stats.NO_PAIRS: _l("not computed: no indicator rated on the scale by both"),
    stats.ONE_LEVEL: _l("not computed: both always gave the same single level"),
}
# The same reasons naming no kind of subject (a round of services or municipalities: see reporting.wording).
NEUTRAL_REASONS = {**REASONS,
                   stats.FEW_CASES: _l("not computed: fewer than 3 assessments with every indicator of the domain "
                                       "answered"),
                   stats.NO_VARIANCE: _l("not computed: the totals do not vary")}


@dataclass(frozen=True)
class Reliability:
    """The figures of one round: alpha per domain; kappa and the large-gap share per domain then overall."""

    alpha: list[stats.Figure]
    kappa: list[stats.Figure]
    gaps: list[stats.Figure]
    final: int  # organisations with a final result (alpha's population)
    organisations: int  # active organisations of the round's portfolio
    domains: list[str]


def final_tracks(result: RoundResult, round_: AssessmentRound, organisations: list[Organisation]) -> dict[str, str]:
    """Each organisation's track whose result is final (organisations without a final result are absent),
    as the programme sees it: the portfolio's rule."""
    sights = access.sights(None, organisations, round_)
    choices = {org.code: result.choice(sights[org.id], org.code) for org in organisations}
    return {code: choice.track for code, choice in choices.items() if choice.final}


def final_levels(result: RoundResult, finals: dict[str, str], prepared: pd.DataFrame | None = None) -> pd.DataFrame:
    """org, indicator, level of every scored indicator on each organisation's final track (typed questions at the
    level the rubric scores them; NaN where not applicable, not asked or unanswered). ``prepared``: the round's
    answers already through ``scoring.typed.prepare``, when the caller has them."""
    spec = result.definitions.spec
    answers = scorable(prepare(result.answers, spec) if prepared is None else prepared, spec)
    keep = [finals.get(org) == track for org, track in zip(answers["org"], answers["track"])]
    rows = answers.loc[keep]
    level = rows["level"].astype(float).where(~rows["na"].fillna(False).astype(bool))
    return pd.DataFrame({"org": rows["org"], "indicator": rows["indicator"], "level": level})


def rated_pairs(result: RoundResult, organisations: set[str], prepared: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (organisation, indicator) both the self-assessment and the mentor rated on the scale, in
    submitted or validated assessments: columns org, indicator, domain, first (self), second (mentor).

    Only scale indicators a rater answers: a typed question's level comes from the rubric's rule applied to a fact
    (a yes/no, a number, an option), not from a rater choosing among the scale's levels, and a computed indicator
    is the same on every track. "Not applicable" answers and items a condition hid are left out."""
    questionnaire, spec = result.definitions.questionnaire, result.definitions.spec
    rated = {i.code: i.domain for i in questionnaire.indicators
             if i.type == "scale" and i.computed is None and i.code in spec.indicators.index}
    answers = prepare(result.answers, spec) if prepared is None else prepared
    final = answers["final"].fillna(False).astype(bool) if "final" in answers else pd.Series(False, index=answers.index)
    computed = answers["computed"].fillna(False).astype(bool) if "computed" in answers else False
    rows = answers.loc[final & ~computed & answers["asked"] & ~answers["na"].fillna(False).astype(bool)
                       & answers["level"].notna() & answers["indicator"].isin(list(rated))
                       & answers["org"].isin(list(organisations))]
    by_track = {track: rows.loc[rows["track"] == track, ["org", "indicator", "level"]].drop_duplicates(["org", "indicator"])
                for track in (Track.SELF.value, Track.MENTOR.value)}
    pairs = by_track[Track.SELF.value].merge(by_track[Track.MENTOR.value], on=["org", "indicator"],
                                             suffixes=("_self", "_mentor"))
    return pd.DataFrame({"org": pairs["org"], "indicator": pairs["indicator"],
                         "domain": pairs["indicator"].map(rated), "first": pairs["level_self"].astype(int),
                         "second": pairs["level_mentor"].astype(int)})


def compute(result: RoundResult, finals: dict[str, str], organisations: set[str]) -> Reliability:
    """The round's reliability figures. ``finals``: org code → its final track; ``organisations``: the codes the
    report covers (the active organisations)."""
    questionnaire, spec = result.definitions.questionnaire, result.definitions.spec
    domains = [d.code for d in questionnaire.domains]
    finals = {org: track for org, track in finals.items() if org in organisations}
    prepared = prepare(result.answers, spec)  # typed answers decoded and conditions applied once, for both
    alpha = stats.alpha_by_domain(final_levels(result, finals, prepared), spec.indicators["domain"], domains)
    levels = list(range(questionnaire.min_level, questionnaire.max_level + 1))
    kappa, gaps = stats.agreement_by_domain(rated_pairs(result, organisations, prepared), levels, domains)
    return Reliability(alpha, kappa, gaps, len(finals), len(organisations), domains)


def round_reliability(round_: AssessmentRound) -> tuple[Reliability, RoundResult]:
    """The figures of a round on its own (``capacity stats``): its active organisations, as in the portfolio.

    Raises DefinitionChanged when the round's questionnaire or rubric file changed since its answers were given."""
    organisations = list(db.session.scalars(subjects_of(round_)))
    result = RoundResult(round_, None)
    finals = final_tracks(result, round_, organisations)
    return compute(result, finals, {o.code for o in organisations}), result


def share(value: float | None) -> str:
    """A share with one decimal in the current locale ("3.6%"): whole percentages would tie most domains."""
    return MISSING if is_missing(value) else format_percent(value, format="#,##0.0%")


def _row(figure: stats.Figure, titles: dict[str, str], value: str, reading: str, reasons: dict = REASONS) -> dict:
    return {"code": figure.domain or "", "title": titles.get(figure.domain, "") if figure.domain else _("All domains"),
            "n": figure.n, "k": figure.k, "value": value,
            "reading": reading if figure.value is not None else str(reasons[figure.reason])}


def _few_finals(final: int, neutral: bool) -> str:
    """Why alpha is not computed: fewer final results than it needs (``neutral``: naming no kind of subject)."""
    if neutral:
        return _("Final results in this round: %(n)d. Cronbach's alpha needs at least %(least)d, so it is not "
                 "computed.", n=final, least=stats.ALPHA_MIN_CASES) if final else \
            _("No final result in this round yet, so Cronbach's alpha is not computed.")
    return _("Organisations with a final result in this round: %(n)d. Cronbach's alpha needs at least %(least)d, so "
             "it is not computed.", n=final, least=stats.ALPHA_MIN_CASES) if final else \
        _("No organisation has a final result in this round yet, so Cronbach's alpha is not computed.")


def printed(value: float | None) -> str:
    """A coefficient with two decimals; one that rounds to zero prints 0.00, never -0.00 (its reading is not "poor")."""
    return number(None if value is None else round(value, 2) + 0.0, 2)


def view(reliability: Reliability, titles: dict[str, str], neutral: bool = False) -> dict:
    """The figures as printed, in the current locale: a table per statistic and the sentences around them.

    ``neutral``: sentences that name no kind of subject (a round of services or municipalities); otherwise they
    speak of organisations, as they always did."""
    reasons = NEUTRAL_REASONS if neutral else REASONS
    alpha = [_row(f, titles, printed(f.value), str(ALPHA_READINGS[stats.alpha_reading(f.value)])
                  if f.value is not None else "", reasons) for f in reliability.alpha]
    kappa = [_row(f, titles, printed(f.value), str(KAPPA_READINGS[stats.kappa_reading(f.value)])
                  if f.value is not None else "", reasons) for f in reliability.kappa]
    gaps = [_row(f, titles, share(f.value), _("%(count)d of %(n)d pairs", count=f.count, n=f.n), reasons)
            for f in stats.least_agreement_first(reliability.gaps)]
    worst = next((f for f in stats.least_agreement_first(reliability.gaps) if f.domain is not None and f.value), None)
    paired = reliability.gaps[-1].n > 0
    largest = "" if not paired else _("The largest disagreement is in %(domain)s: %(share)s of its pairs are two levels or more apart.",
                domain=f"{worst.domain} {titles.get(worst.domain, '')}".strip(), share=share(worst.value)) \
        if worst is not None else _("No pair is two levels or more apart.")
    # A table whose every row says "not computed" for the same reason says it once instead.
    alpha_none = "" if reliability.final >= stats.ALPHA_MIN_CASES else _few_finals(reliability.final, neutral)
    agreement_none = "" if paired else _("No indicator was rated on the scale both in a self-assessment and by the "
                                         "mentor (submitted or validated) in this round, so the agreement between "
                                         "them is not computed.")
    return {"alpha": alpha if not alpha_none else [], "kappa": kappa if paired else [], "gaps": gaps if paired else [],
            "largest": largest, "missing": MISSING, "alpha_none": alpha_none, "agreement_none": agreement_none,
            "final": reliability.final, "organisations": reliability.organisations,
            "provisional": reliability.organisations - reliability.final}
