"""One subject's profile as plain data (an organisation's, a service's, a municipality's): the same view model feeds
the HTML preview and the PDF.

Built for one reader (``viewer``; None is the programme itself, e.g. the command
line): the numbers come from the track ``access.result_choice`` gives that
reader, each round says whether its result is final or provisional, and the
self/mentor comparison appears only to those who may see both tracks.

What it shows follows the instrument: results on the rubric's measure (``measures``),
sub-areas under their domain, answers of every question type as written (``answers``),
the profile-data and self/mentor sections only where the questionnaire and the round have
data for them, and the questionnaire's texts in any language it declares (``instrument``). Its titles are the
subject kind's (``wording``): an organisation's profile reads as it always did.
"""
from __future__ import annotations

from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale, format_date
from flask_babel import lazy_gettext as _l

from capacity import access
from capacity.assessments.models import Answer, Assessment, Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.labels import TRACKS
from capacity.organisations.geography import MUNICIPALITIES, REGIONS, SERVICE_AREAS
from capacity.organisations.models import Organisation
from capacity.rounds.services import mentors_of_subject
from capacity.reporting import alt_text, answers as answer_rows, charts, development, instrument
from capacity.reporting.instrument import method_facts
from capacity.reporting.measures import Measure
from capacity.reporting.numbers import number as _num, percent as _percent
from capacity.reporting.round_result import RoundResult, has_mentor_assessments, standing_text
from capacity.reporting.wording import wording
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import Baseline, as_baseline
from capacity.scoring.gaps import self_mentor_gaps
from capacity.timeutil import programme_today

PROFILE_ROWS = ("staff", "leadership", "board", "volunteers")


NONE = (None, None, None)


def _compared(items, before: pd.DataFrame | None, after: pd.DataFrame, key: str, language: str,
              measure: Measure) -> list[dict]:
    """Domains, sub-areas or lenses with their result before, after and the change on the rubric's measure, formatted
    (and raw: the measure's values, and those the domain chart draws)."""
    scores_before = measure.values(before, key) if before is not None else {}
    scores_after = measure.values(after, key)
    rows = []
    for item in items:
        (b, max_b, drawn_b), (a, max_a, drawn_a) = scores_before.get(item.code, NONE), scores_after.get(item.code, NONE)
        change = None if a is None or b is None else a - b
        rows.append({"code": item.code, "title": item.title.get(language), "before": measure.figure(b, max_b),
                     "after": measure.figure(a, max_a), "change": measure.change(change), "raw": (b, a, change),
                     "drawn": (drawn_b, drawn_a), "maximum": max_a})
    return rows


class _Side:
    """One round of a profile as this reader sees it: the chosen track's answers and scores."""

    def __init__(self, result: RoundResult, round_: AssessmentRound, org: Organisation, viewer: User | None,
                 prefer: str | None = None, measure: Measure | None = None):
        self.result, self.round = result, round_
        self.sight = access.sight(viewer, org, round_, statuses=result.statuses_of(org.code))
        self.choice = result.choice(self.sight, org.code, prefer)
        self.answers = result.track_answers(org.code, self.choice.track)
        self.scores = result.track_scores(org.code, self.choice.track)
        self.questionnaire, self.rubric = result.definitions.questionnaire, result.definitions.rubric
        overall = self.scores.overall
        self.index = None if overall.empty or pd.isna(overall["index"].iloc[0]) else float(overall["index"].iloc[0])
        # The rubric's measure (the mean: the index itself); a baseline is measured as the later round presents.
        self.measure = measure or Measure.of(self.questionnaire, self.rubric)
        self.value, self.maximum = self.measure.overall(overall)
        stage = overall["stage"].iloc[0] if not overall.empty else None
        self.stage = next((s.name for s in self.rubric.stages if s.code == stage), None)

    def info(self, language: str, content: str, neutral: bool = False) -> dict:
        """The round as its headline box prints it (``content``: the language of the rubric's stage names;
        ``neutral``: standing sentences that name no kind of subject)."""
        return {"code": self.round.code, "name": self.round.name(language),
                "dates": " – ".join(format_date(d, "medium") for d in (self.round.starts_on, self.round.ends_on) if d),
                "track": str(TRACKS[Track(self.choice.track)]) if self.choice.track else None,
                "final": self.choice.final, "provisional": self.choice.provisional, "standing": standing_text(self.choice, neutral),
                "stage": self.stage.get(content) if self.stage else "—",
                "index": self.measure.headline(self.value, self.maximum),
                "scale": f"{self.questionnaire.min_level}–{self.questionnaire.max_level}"}


def build_profile(org: Organisation, round_: AssessmentRound, baseline: Baseline | AssessmentRound | None, language: str,
                  viewer: User | None = None, results: tuple[RoundResult, RoundResult | None] | None = None,
                  today: date | None = None, content: str | None = None) -> dict:
    """Everything the profile shows ``viewer``, as strings and numbers in ``language``; no ORM objects leave here.

    ``baseline``: a rounds.queries.Baseline (a bare round, or None, is taken as it is).
    ``results``: the two rounds already scored for many organisations (after, before), when printing many
    (their plans are then loaded once for all of them too). ``today``: the date the plan's state is given on
    (overdue actions counted on); by default the programme's day. ``content``: the language of the
    questionnaire's texts, when the questionnaire declares it (``instrument.content_language``); the interface
    stays in ``language`` (Georgian or English), and the profile says so when the two differ.
    """
    baseline = as_baseline(baseline)
    with force_locale(language):
        if results is None:
            after_result = RoundResult(round_, [org.id])
            before_result = RoundResult(baseline.round, [org.id]) if baseline.round else None
        else:
            after_result = results[0].only(org.code)
            before_result = results[1].only(org.code) if baseline.round and results[1] is not None else None
        after = _Side(after_result, round_, org, viewer)
        # Like with like: a provisional result (a self-assessment, say) is compared with the same track at baseline.
        before = _Side(before_result, baseline.round, org, viewer, prefer=after.choice.track if after.choice.provisional
                       else None, measure=after.measure) if before_result is not None else None
        questionnaire, rubric, measure = after.questionnaire, after.rubric, after.measure
        text = instrument.content_language(questionnaire, language, content)  # the questionnaire's texts' language
        domains = _compared(questionnaire.domains, before.scores.domains if before else None, after.scores.domains,
                            "domain", text, measure)
        lenses = _compared(rubric.lenses, before.scores.lenses if before else None, after.scores.lenses, "lens", text,
                           measure)
        sub_areas = _sub_areas(questionnaire, before, after, text, measure)
        names = (baseline.round.name(language) if before else "", round_.name(language))
        rows = answer_rows.indicator_rows(questionnaire, before, after, text, names)
        rated = [r for r in rows if r["level_after"] is not None]

        def quoted(row):
            level = row["level_after"]
            return {**row, "level_name": questionnaire.level_name(level).get(text),
                    "descriptor": questionnaire.indicator(row["code"]).levels[level].get(text)}

        strongest = [quoted(r) for r in sorted(rated, key=lambda r: (-r["level_after"], r["code"]))[:5]]
        weakest = [quoted(r) for r in sorted(rated, key=lambda r: (r["level_after"], r["code"]))[:5]]
        codes = [d["code"] for d in domains]
        # The plan made after the earlier round (or, alone, this round's). Beside the change two rounds measured, an
        # action counts as done only if completed before this round's assessment began (no start date: every one).
        plan_round = baseline.round if before else round_
        plans = development.shared(results[0], plan_round) if results is not None \
            else development.load(plan_round, [org.id])
        plan_questionnaire = before.questionnaire if before else questionnaire
        words = wording(org.kind, language)
        plan = development.profile_section(
            plans, org.id, rows,
            lambda code: indicator.title(text) if (indicator := plan_questionnaire.indicator(code)) else "",
            development.crosswalk_between(before.questionnaire, questionnaire) if before else None,
            today or programme_today(), language, cutoff=round_.starts_on if before else None,
            plan_name=None if words.default else words.plan)
        low, high = measure.chart_range
        drawn = [{"title": d["title"], "before": measure.chart_figure(d["drawn"][0]),
                  "after": measure.chart_figure(d["drawn"][1])} for d in domains]
        result = {
            "language": language, "content_language": text,
            "languages": instrument.language_line(questionnaire, language, text),
            "content_mark": instrument.content_mark(language, text),
            "kind": words.as_dict(),
            "org": {"code": org.code, "name": org.name(language), "name_other": org.name("ka" if language == "en" else "en"),
                    "municipality": MUNICIPALITIES[org.municipality].label(language),
                    "region": REGIONS[org.region].label(language),
                    "service_areas": [SERVICE_AREAS[a].label(language) for a in org.service_areas],
                    "parent": _parent(org, language)},
            # Staff shown their self-assessment get the same heading whatever the mentor's progress (no side channel).
            "self_profile": after.sight.own_track == Track.SELF and after.choice.track == Track.SELF.value,
            "provisional": after.choice.provisional or (before is not None and before.choice.provisional),
            "after": after.info(language, text, not words.default),
            "before": before.info(language, text, not words.default) if before else None,
            "single_reason": None if before else str(baseline.reason or ""),
            "assessors": [m.display_name for m in mentors_of_subject(org)],
            "headline": {"after": measure.headline(after.value, after.maximum),
                         "before": measure.headline(before.value, before.maximum) if before else _num(None),
                         "change": measure.change(None if after.value is None or before is None or before.value is None
                                                  else after.value - before.value),
                         "unit": measure.change_unit(), "note": measure.headline_note()},
            "measure": measure.kind,
            "scale": {"low": questionnaire.min_level, "high": questionnaire.max_level},
            "domains": domains, "lenses": lenses, "sub_areas": sub_areas, "indicators": rows,
            "strongest": strongest, "weakest": weakest, "has_levels": any(i.has_levels for i in questionnaire.indicators),
            "comparison": _comparison(after, org, text),
            # No mentor assessment anywhere in the round (a self-assessment instrument): no self/mentor section at all.
            # Round-wide, not this organisation's: whether its own mentor has started stays nobody's business.
            "mentored": has_mentor_assessments(round_),
            "gap_threshold": rubric.gap_threshold,
            "compared": sum(r["comparable"] for r in rows), "indicator_count": sum(r["scored"] for r in rows),
            "gesi_profile": _gesi_profile(questionnaire, before_result if before else None, after_result, text),
            "method": method_facts(questionnaire, rubric, text),
            "charts": {
                "domains": charts.domains(codes, [d["drawn"][0] for d in domains], [d["drawn"][1] for d in domains],
                                          names, low=low, high=high, ticks=measure.chart_ticks()),
            },
            # What the domain chart draws, said in words: the tagged PDF's text alternative for the chart.
            "alt": {"domains": alt_text.radar(drawn, ([names[0]] if before else []) + [names[1]],
                                              questionnaire.min_level, questionnaire.max_level,
                                              None if measure.is_mean else measure.chart_intro())},
            "change_bars": _change_bars(domains, measure.change_minimum([d["maximum"] for d in domains])) if before else [],
            "plan": plan,
        }
        for row in domains + lenses + sub_areas:
            for key in ("raw", "drawn", "maximum"):
                row.pop(key)
        return result


def _parent(subject: Organisation, language: str) -> dict | None:
    """The subject a service belongs to (its organisation), as the profile's lead names it: its kind's name as the
    label, its name and code; None for a subject that belongs to none."""
    parent = subject.parent
    if parent is None:
        return None
    return {"label": wording(parent.kind, language).name, "code": parent.code, "name": parent.name(language)}


def _sub_areas(questionnaire, before: _Side | None, after: _Side, language: str, measure: Measure) -> list[dict]:
    """Each domain's sub-areas (when the questionnaire has them) before, after and the change, with their domain."""
    if not questionnaire.has_sub_areas:
        return []
    rows = []
    for domain in questionnaire.domains:
        if not domain.sub_areas:
            continue
        for row in _compared(domain.sub_areas, before.scores.sub_areas if before else None, after.scores.sub_areas,
                             "sub_area", language, measure):
            rows.append({**row, "domain": domain.code})
    return rows


def _levels(answers: pd.DataFrame, track: str) -> dict[str, int]:
    rows = answers.loc[(answers["track"] == track) & answers["level"].notna()]
    return {code: int(level) for code, level in zip(rows["indicator"], rows["level"])}


def _comparison(after: _Side, org: Organisation, language: str) -> dict:
    """Self against mentor (and the agreed level), or, for staff, self against the validated agreement.

    ``kind``: "gaps" (self, mentor, agreed, rationale), "agreed" (self, agreed,
    rationale) or None with ``note`` saying why this reader sees no comparison.
    """
    sight, questionnaire = after.sight, after.questionnaire
    answers = after.result.answers
    sees_agreed = sight.sees(Track.CONSENSUS)
    agreed = _levels(answers, Track.CONSENSUS.value) if sees_agreed else {}
    rationale = _consensus_comments(after.round, org) if sees_agreed else {}
    if sight.sees(Track.SELF) and sight.sees(Track.MENTOR):
        gaps = self_mentor_gaps(answers, after.rubric.gap_threshold)
        rows = [{"code": g.indicator, "title": questionnaire.indicator(g.indicator).title(language),
                 "self": int(g.self), "mentor": int(g.mentor), "gap": int(g.gap),
                 "agreed": agreed.get(g.indicator, "—"), "rationale": rationale.get(g.indicator, "")}
                for g in gaps.loc[gaps["flagged"]].itertuples()]
        return {"kind": "gaps", "rows": rows, "agreed_shown": sees_agreed, "note": None}
    if sight.sees(Track.SELF) and sees_agreed and sight.consensus_final:
        own = _levels(answers, Track.SELF.value)
        rows = [{"code": code, "title": questionnaire.indicator(code).title(language), "self": own[code],
                 "agreed": level, "rationale": rationale.get(code, "")}
                for code, level in agreed.items() if code in own and own[code] != level]
        return {"kind": "agreed", "rows": sorted(rows, key=lambda r: r["code"]), "agreed_shown": True, "note": None}
    if sight.own_track == Track.MENTOR:
        note = _l("The self-assessment is shown once your own mentor assessment is submitted.")
    else:
        note = _l("The agreed assessment is shown once it is validated.")
    return {"kind": None, "rows": [], "agreed_shown": False, "note": str(note)}


def _change_bars(domains: list[dict], minimum: float = 1.0) -> list[dict]:
    """Change per domain as bars drawn in HTML (text stays selectable): width in % of the half-axis.

    The axis runs to ±``minimum`` (one level; a quarter of the range on a measure of points or percent), or
    further when a domain moved more.
    """
    changes = [d["raw"][2] for d in domains]
    limit = max([minimum] + [abs(c) for c in changes if c is not None])
    return [{"code": d["code"], "title": d["title"], "change": d["change"],
             "width": None if c is None else round(abs(c) / limit * 100, 1), "down": c is not None and c < 0}
            for d, c in zip(domains, changes)]


def _consensus_comments(round_: AssessmentRound, org: Organisation) -> dict[str, str]:
    """The agreed assessment's rationale per indicator (text typed by users: printed, never interpreted)."""
    rows = db.session.execute(
        sa.select(Answer.indicator_code, Answer.comment).join(Assessment, Answer.assessment_id == Assessment.id)
        .where(Assessment.round_id == round_.id, Assessment.organisation_id == org.id,
               Assessment.track == Track.CONSENSUS, Answer.comment != ""))
    return dict(rows.all())


def _figures(profile: pd.DataFrame) -> dict[str, dict[str, float]]:
    """One organisation's profile data as {question: {category: value}}."""
    figures: dict[str, dict[str, float]] = {}
    for code, category, value in zip(profile["code"], profile["category"], profile["value"]):
        figures.setdefault(code, {})[category] = value
    return figures


def _gesi_profile(questionnaire, before: RoundResult | None, after: RoundResult, language: str) -> list[dict]:
    labels = {q.code: q.label.get(language) for q in questionnaire.profile}
    figures = {name: _figures(result.profile) for name, result in (("before", before), ("after", after)) if result}
    rows = []
    for code in PROFILE_ROWS:
        if code not in labels:
            continue
        cells = {}
        for name, result in (("before", before), ("after", after)):
            if result is None:
                continue
            frame = figures[name].get(code, {})
            total = frame.get("total")
            cells[name] = {k: (_num(frame.get(k), 0) if frame.get(k) is not None else "—")
                           for k in ("total", "female", "male", "with_disability")}
            cells[name]["women_share"] = _percent(frame.get("female", 0) / total) if total else "—"
        rows.append({"code": code, "label": labels[code], **cells})
    return rows
