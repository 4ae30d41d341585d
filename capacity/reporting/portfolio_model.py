"""The portfolio report as plain data: every subject of a round (its organisations, services or municipalities),
compared with an earlier one. Its headings are the round's subject kind's (``wording``): an organisation round's
portfolio reads as it always did."""
from __future__ import annotations

from datetime import date

import pandas as pd
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.geography import MUNICIPALITIES, REGIONS
from capacity.organisations.models import Organisation
from capacity import access
from capacity.reliability import services as reliability
from capacity.reporting import alt_text, charts, development, instrument
from capacity.reporting.measures import Measure
from capacity.reporting.round_result import RoundResult, chosen_scores, standing_text
from capacity.reporting.wording import wording
from capacity.rounds.queries import Baseline, as_baseline, subjects_of
from capacity.reporting.numbers import number as _num, percent as _percent
from capacity.reporting.instrument import method_facts
from capacity.scoring.change import score_change
from capacity.scoring.portfolio import group_means, moved_up, stage_distribution
from capacity.scoring.typed import prepare, scorable
from capacity.timeutil import programme_today


def _organisations(organisations: list[Organisation], language: str) -> pd.DataFrame:
    rows = [(o.code, o.name(language), o.municipality, MUNICIPALITIES[o.municipality].region) for o in organisations]
    return pd.DataFrame(rows, columns=["org", "name", "municipality", "region"])


def _get(frame: pd.DataFrame, org: str, column: str) -> float | None:
    match = frame.loc[frame["org"] == org, column]
    return None if match.empty or pd.isna(match.iloc[0]) else float(match.iloc[0])


def _measured(overall: pd.DataFrame, column: str) -> pd.DataFrame:
    """The overall frame with the rubric's measure where ``scoring.portfolio.group_means`` reads the index."""
    return overall if column == "index" else overall.assign(index=overall[column])


def _choices(result: RoundResult, round_: AssessmentRound, organisations: list[Organisation]) -> dict[str, access.ResultChoice]:
    """The official result of each organisation as the programme sees it (the portfolio is for managers)."""
    sights = access.sights(None, organisations, round_)
    return {org.code: result.choice(sights[org.id], org.code) for org in organisations}


def _final_answers(result: RoundResult, chosen: dict[str, str], organisations: set[str]) -> pd.DataFrame:
    """Each organisation's answers on its final track (only ``organisations``): org, indicator, level — the level
    scoring used (a scored yes/no or number too; unscored items and items not asked have none)."""
    spec = result.definitions.spec
    answers = scorable(prepare(result.answers, spec), spec)
    keep = [org in organisations and chosen.get(org) == track for org, track in zip(answers["org"], answers["track"])]
    return answers.loc[keep, ["org", "indicator", "level"]]


def _plans(organisations: list[Organisation], round_: AssessmentRound, baseline_round: AssessmentRound | None,
           results: tuple[RoundResult, RoundResult | None], finals: tuple[dict[str, str], dict[str, str]],
           language: str, today: date) -> dict:
    """Plan completion and mentoring per organisation and mentor, and the change in indicators with completed
    actions against those without (two rounds, final results in both, the earlier round's plan; an action counts
    as completed only before the later round's assessment began, when the round has a start date).

    Plans and sessions of ``organisations`` (the active ones the report lists) only: the mentoring totals are
    the sum of the rows."""
    plans = development.load(baseline_round or round_, [o.id for o in organisations])
    section = development.portfolio_section(plans, [(o.id, o.code, o.name(language)) for o in organisations],
                                            language, today)
    section["association"] = None
    section["cutoff"] = format_date(round_.starts_on, "medium") if baseline_round and round_.starts_on else None
    if baseline_round is not None:
        after_result, before_result = results
        questionnaire = after_result.definitions.questionnaire
        crosswalk = development.crosswalk_between(before_result.definitions.questionnaire, questionnaire)
        both = set(finals[0]) & set(finals[1])
        done = development.done_pairs(plans, {o.id: o.code for o in organisations}, crosswalk, round_.starts_on)
        section["association"] = development.association(
            _final_answers(before_result, finals[1], both), _final_answers(after_result, finals[0], both), done,
            crosswalk, [i.code for i in questionnaire.indicators])
    return section


def build_portfolio(round_: AssessmentRound, baseline: Baseline | AssessmentRound | None, language: str,
                    today: date | None = None, content: str | None = None) -> dict:
    """Summary, heatmap, stages, movers, places, the GESI sub-index and the plans, as strings in ``language``.

    Each organisation's row says whether its result is final or provisional; every
    count, distribution and mean across the portfolio uses final results only, and
    the report says how many organisations have one. ``today``: the date the plans' state is given on (overdue
    actions counted on); by default the programme's day. Results are on the rubric's measure (``measures``);
    ``content``: the language of the questionnaire's texts, as for the profile.
    """
    baseline = as_baseline(baseline)
    baseline_round = baseline.round
    with force_locale(language):
        organisations = list(db.session.scalars(subjects_of(round_)))
        words = wording(round_.subject_kind, language)
        neutral = not words.default  # sentences that name no kind of subject
        after_result = RoundResult(round_, None)
        before_result = RoundResult(baseline_round, None) if baseline_round else None
        choices_after = _choices(after_result, round_, organisations)
        choices_before = _choices(before_result, baseline_round, organisations) if before_result else {}
        shown_after = chosen_scores(after_result, {c: ch.track for c, ch in choices_after.items() if ch.track})
        after = chosen_scores(after_result, {c: ch.track for c, ch in choices_after.items() if ch.final})
        before = chosen_scores(before_result, {c: ch.track for c, ch in choices_before.items() if ch.final}) \
            if before_result else None
        definitions = after_result.definitions
        questionnaire, rubric = definitions.questionnaire, definitions.rubric
        measure = Measure.of(questionnaire, rubric)
        column = measure.overall_column
        text = instrument.content_language(questionnaire, language, content)
        orgs = _organisations(organisations, language)
        stages = {s.code: s.name.get(text) for s in rubric.stages}
        domain_codes = [d.code for d in questionnaire.domains]
        change = score_change(before, after) if before else None

        summary = []
        for org in orgs.itertuples():
            choice = choices_after[org.org]
            a = _get(shown_after.overall, org.org, column)
            b = _get(before.overall, org.org, column) if before else None
            maximum_a = _get(shown_after.overall, org.org, "max_points") if not measure.is_mean else None
            maximum_b = _get(before.overall, org.org, "max_points") if before and not measure.is_mean else None
            stage = shown_after.overall.loc[shown_after.overall["org"] == org.org, "stage"]
            # A change is computed between final results only: a provisional number is shown, never compared.
            delta = None if a is None or b is None or not choice.final else a - b
            summary.append({"code": org.org, "name": org.name, "municipality": MUNICIPALITIES[org.municipality].label(language),
                            "before": measure.figure(b, maximum_b), "after": measure.figure(a, maximum_a),
                            "change": measure.change(delta), "delta": delta,
                            "final": choice.final, "provisional": choice.provisional, "standing": standing_text(choice, neutral),
                            "stage": stages.get(stage.iloc[0], "—") if not stage.empty and isinstance(stage.iloc[0], str) else "—"})
        movers = [s for s in summary if s["delta"] is not None]
        gains = sorted(movers, key=lambda s: -s["delta"])[:5]
        losses = [s for s in sorted(movers, key=lambda s: s["delta"])[:5] if s["delta"] < 0]

        # The heatmap shares one colour scale: the mean on the scale, else each domain's percentage of its maximum.
        pivot = after.domains.pivot_table(index="org", columns="domain", values=measure.chart_column, aggfunc="first")
        heat_values = [[None if org not in pivot.index or pd.isna(pivot.loc[org].get(code)) else float(pivot.loc[org][code])
                        for code in domain_codes] for org in orgs["org"]]

        distribution_after = stage_distribution(after.overall, tuple(stages))
        counts_after = [int(distribution_after.iloc[0][code]) if not distribution_after.empty else 0 for code in stages]
        counts_before = None
        if before is not None:
            # Each round's stages come from its own rubric; rows pair them in order (same questionnaire and scale).
            codes_before = [stage.code for stage in before_result.definitions.rubric.stages]
            distribution_before = stage_distribution(before.overall, tuple(codes_before))
            counts_before = [int(distribution_before.iloc[0][code]) if not distribution_before.empty else 0
                             for code in codes_before]
            counts_before = (counts_before + [0] * len(stages))[:len(stages)]

        titles = {d.code: d.title.get(text) for d in questionnaire.domains}
        moved = []
        if change is not None:
            table = moved_up(change["domains"]).set_index("domain")
            for code in domain_codes:
                if code in table.index:
                    row = table.loc[code]
                    moved.append({"code": code, "title": titles[code], "moved": int(row["moved_up"]),
                                  "of": int(row["organisations"]), "share": _percent(row["share_up"])})

        places = []
        for by, names in (("region", REGIONS), ("municipality", MUNICIPALITIES)):
            # The mean of the rubric's measure over the place's organisations (the index itself for a mean).
            means_after = group_means(_measured(after.overall, column), orgs, by).set_index(by)
            means_before = group_means(_measured(before.overall, column), orgs, by).set_index(by) if before else None
            for code, place in names.items():
                if code not in means_after.index:
                    continue
                a = float(means_after.loc[code, "mean"])
                b = float(means_before.loc[code, "mean"]) if means_before is not None and code in means_before.index else None
                places.append({"kind": by, "name": place.label(language), "organisations": int(means_after.loc[code, "count"]),
                               "before": measure.figure(b), "after": measure.figure(a),
                               "change": measure.change(None if b is None else a - b)})

        gesi = []
        if any(lens.code == "gesi" for lens in rubric.lenses):
            lens_after = shown_after.lenses.loc[shown_after.lenses["lens"] == "gesi"]
            lens_before = before.lenses.loc[before.lenses["lens"] == "gesi"] if before else None
            # A lens's points have no maximum printed beside them: on a measure of points, its percent.
            lens_measure = Measure("percent", measure.low, measure.high) if measure.kind == "points" else measure
            lens_figure, lens_change = lens_measure.figure, lens_measure.change
            for org in orgs.itertuples():
                a = _get(lens_after, org.org, lens_measure.column)
                b = _get(lens_before, org.org, lens_measure.column) if before else None
                final = choices_after[org.org].final
                gesi.append({"code": org.org, "name": org.name, "before": lens_figure(b), "after": lens_figure(a),
                             "provisional": choices_after[org.org].provisional,
                             "change": lens_change(None if a is None or b is None or not final else a - b)})

        # The heatmap's cells and the stage bars' counts as printed (locale formats), and the same in words.
        heat_cells = [[_num(v, 1) if measure.is_mean else measure.chart_figure(v) for v in row] for row in heat_values]
        stage_names = [stages[c] for c in stages]
        round_names = ([baseline_round.name(language)] if baseline_round else []) + [round_.name(language)]
        drawn_counts = ([counts_before] if counts_before is not None else []) + [counts_after]
        low, high = measure.chart_range
        plural = None if words.default else words.plural  # the charts' words name the subjects by it
        alt = {"heatmap": alt_text.heatmap(list(orgs["org"]), domain_codes, heat_cells, round_.name(language),
                                           questionnaire.min_level, questionnaire.max_level, percent=not measure.is_mean,
                                           plural=plural),
               "stages": alt_text.stage_bars(stage_names, [[_num(n, 0) for n in counts] for counts in drawn_counts],
                                             round_names, plural=plural)}

        plan = _plans(organisations, round_, baseline_round, (after_result, before_result),
                      ({c: ch.track for c, ch in choices_after.items() if ch.final},
                       {c: ch.track for c, ch in choices_before.items() if ch.final}), language, today or programme_today())
        final_after = sum(c.final for c in choices_after.values())
        # The method annex: aggregates only, alpha over the final results (as every count here), agreement over
        # submitted self and mentor assessments.
        figures = reliability.compute(after_result, {c: ch.track for c, ch in choices_after.items() if ch.final},
                                      set(orgs["org"]))
        final_before = sum(c.final for c in choices_before.values())
        return {
            "language": language, "content_language": text,
            "languages": instrument.language_line(questionnaire, language, text),
            "content_mark": instrument.content_mark(language, text), "measure": measure.kind,
            "kind": words.as_dict(),
            "after": {"code": round_.code, "name": round_.name(language), "final": final_after},
            "before": {"code": baseline_round.code, "name": baseline_round.name(language), "final": final_before}
            if baseline_round else None,
            "single_reason": None if baseline_round else str(baseline.reason or ""),
            "provisional": len(orgs) - final_after,
            "organisations": len(orgs), "summary": summary, "gains": gains, "losses": losses,
            "domains": [{"code": c, "title": titles[c]} for c in domain_codes],
            "stages": [{"name": stages[c], "before": counts_before[i] if counts_before else None, "after": counts_after[i]}
                       for i, c in enumerate(stages)],
            "moved": moved, "places": places, "gesi": gesi, "plan": plan,
            "method": method_facts(questionnaire, rubric, text),
            "reliability": reliability.view(figures, titles, neutral),
            "charts": {
                # No active organisation (a new deployment, or every one set inactive): no chart, the page says so.
                "heatmap": charts.heatmap(list(orgs["org"]), domain_codes, heat_values, heat_cells, low=low, high=high)
                if len(orgs) else None,
                "stages": charts.stage_bars(stage_names, counts_before, counts_after,
                                            (baseline_round.name(language) if baseline_round else "", round_.name(language))),
            },
            "alt": alt,
            "heat_title": _heat_title(measure.is_mean, plural),
        }


def _heat_title(mean: bool, plural: str | None) -> str:
    """The heatmap's heading (``plural``: the subjects' kind as a label; None: an organisation round's words)."""
    if plural is None:
        return _("Domain scores by organisation") if mean \
            else _("Domain scores by organisation, as a percentage of the maximum")
    return _("Domain scores (%(plural)s)", plural=plural) if mean \
        else _("Domain scores (%(plural)s), as a percentage of the maximum", plural=plural)
