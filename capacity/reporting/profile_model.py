"""The organisation profile as plain data: the same view model feeds the HTML preview and the PDF.

Built for one reader (``viewer``; None is the programme itself, e.g. the command
line): the numbers come from the track ``access.result_choice`` gives that
reader, each round says whether its result is final or provisional, and the
self/mentor comparison appears only to those who may see both tracks.
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
from capacity.organisations.services import mentors_of
from capacity.reporting import alt_text, charts, development
from capacity.reporting.numbers import number as _num, percent as _percent, signed as _signed
from capacity.reporting.round_result import RoundResult, standing_text
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import Baseline, as_baseline
from capacity.scoring.change import indicator_change
from capacity.scoring.gaps import self_mentor_gaps
from capacity.timeutil import programme_today

PROFILE_ROWS = ("staff", "leadership", "board", "volunteers")


def _by(frame: pd.DataFrame, key: str, column: str = "score") -> dict[str, float | None]:
    """One organisation's scores as {domain or lens: score} (None for insufficient data)."""
    return {k: None if pd.isna(v) else float(v) for k, v in zip(frame[key], frame[column])}


def _compared(items, before: pd.DataFrame | None, after: pd.DataFrame, key: str, language: str) -> list[dict]:
    """Domains or lenses with their score before, after and the change, formatted (and raw, for the charts)."""
    scores_before = _by(before, key) if before is not None else {}
    scores_after = _by(after, key)
    rows = []
    for item in items:
        b, a = scores_before.get(item.code), scores_after.get(item.code)
        change = None if a is None or b is None else a - b
        rows.append({"code": item.code, "title": item.title.get(language), "before": _num(b), "after": _num(a),
                     "change": _signed(change), "raw": (b, a, change)})
    return rows


class _Side:
    """One round of a profile as this reader sees it: the chosen track's answers and scores."""

    def __init__(self, result: RoundResult, round_: AssessmentRound, org: Organisation, viewer: User | None,
                 prefer: str | None = None):
        self.result, self.round = result, round_
        self.sight = access.sight(viewer, org, round_, statuses=result.statuses_of(org.code))
        self.choice = result.choice(self.sight, org.code, prefer)
        self.answers = result.track_answers(org.code, self.choice.track)
        self.scores = result.track_scores(org.code, self.choice.track)
        self.questionnaire, self.rubric = result.definitions.questionnaire, result.definitions.rubric
        overall = self.scores.overall
        self.index = None if overall.empty or pd.isna(overall["index"].iloc[0]) else float(overall["index"].iloc[0])
        stage = overall["stage"].iloc[0] if not overall.empty else None
        self.stage = next((s.name for s in self.rubric.stages if s.code == stage), None)

    def info(self, language: str) -> dict:
        return {"code": self.round.code, "name": self.round.name(language),
                "dates": " – ".join(format_date(d, "medium") for d in (self.round.starts_on, self.round.ends_on) if d),
                "track": str(TRACKS[Track(self.choice.track)]) if self.choice.track else None,
                "final": self.choice.final, "provisional": self.choice.provisional, "standing": standing_text(self.choice),
                "stage": self.stage.get(language) if self.stage else "—", "index": _num(self.index),
                "scale": f"{self.questionnaire.min_level}–{self.questionnaire.max_level}"}


def build_profile(org: Organisation, round_: AssessmentRound, baseline: Baseline | AssessmentRound | None, language: str,
                  viewer: User | None = None, results: tuple[RoundResult, RoundResult | None] | None = None,
                  today: date | None = None) -> dict:
    """Everything the profile shows ``viewer``, as strings and numbers in ``language``; no ORM objects leave here.

    ``baseline``: a rounds.queries.Baseline (a bare round, or None, is taken as it is).
    ``results``: the two rounds already scored for many organisations (after, before), when printing many
    (their plans are then loaded once for all of them too). ``today``: the date the plan's state is given on
    (overdue actions counted on); by default the programme's day.
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
        before = _Side(before_result, baseline.round, org, viewer,
                       prefer=after.choice.track if after.choice.provisional else None) if before_result is not None else None
        questionnaire, rubric = after.questionnaire, after.rubric
        domains = _compared(questionnaire.domains, before.scores.domains if before else None, after.scores.domains,
                            "domain", language)
        lenses = _compared(rubric.lenses, before.scores.lenses if before else None, after.scores.lenses, "lens", language)
        rows = _indicator_rows(questionnaire, before, after, language)
        rated = [r for r in rows if r["level_after"] is not None]

        def quoted(row):
            level = row["level_after"]
            return {**row, "level_name": questionnaire.level_name(level).get(language),
                    "descriptor": questionnaire.indicator(row["code"]).levels[level].get(language)}

        strongest = [quoted(r) for r in sorted(rated, key=lambda r: (-r["level_after"], r["code"]))[:5]]
        weakest = [quoted(r) for r in sorted(rated, key=lambda r: (r["level_after"], r["code"]))[:5]]
        codes = [d["code"] for d in domains]
        # The plan made after the earlier round (or, alone, this round's). Beside the change two rounds measured, an
        # action counts as done only if completed before this round's assessment began (no start date: every one).
        plan_round = baseline.round if before else round_
        plans = development.shared(results[0], plan_round) if results is not None \
            else development.load(plan_round, [org.id])
        plan_questionnaire = before.questionnaire if before else questionnaire
        plan = development.profile_section(
            plans, org.id, rows,
            lambda code: indicator.title(language) if (indicator := plan_questionnaire.indicator(code)) else "",
            development.crosswalk_between(before.questionnaire, questionnaire) if before else None,
            today or programme_today(), language, cutoff=round_.starts_on if before else None)
        result = {
            "language": language,
            "org": {"code": org.code, "name": org.name(language), "name_other": org.name("ka" if language == "en" else "en"),
                    "municipality": MUNICIPALITIES[org.municipality].label(language),
                    "region": REGIONS[org.region].label(language),
                    "service_areas": [SERVICE_AREAS[a].label(language) for a in org.service_areas]},
            # Staff shown their self-assessment get the same heading whatever the mentor's progress (no side channel).
            "self_profile": after.sight.own_track == Track.SELF and after.choice.track == Track.SELF.value,
            "provisional": after.choice.provisional or (before is not None and before.choice.provisional),
            "after": after.info(language),
            "before": before.info(language) if before else None,
            "single_reason": None if before else str(baseline.reason or ""),
            "assessors": [m.display_name for m in mentors_of(org)],
            "headline": {"after": _num(after.index), "before": _num(before.index if before else None),
                         "change": _signed(None if after.index is None or before is None or before.index is None
                                           else after.index - before.index)},
            "scale": {"low": questionnaire.min_level, "high": questionnaire.max_level},
            "domains": domains, "lenses": lenses, "indicators": rows, "strongest": strongest, "weakest": weakest,
            "comparison": _comparison(after, org, language),
            "gap_threshold": rubric.gap_threshold,
            "compared": sum(r["comparable"] for r in rows), "indicator_count": len(rows),
            "gesi_profile": _gesi_profile(questionnaire, before_result if before else None, after_result, language),
            "method": method_facts(questionnaire, rubric, language),
            "charts": {
                "radar": charts.radar(codes, [d["raw"][0] for d in domains], [d["raw"][1] for d in domains],
                                      (baseline.round.name(language) if before else "", round_.name(language)),
                                      low=questionnaire.min_level, high=questionnaire.max_level),
            },
            # What the radar draws, said in words: the tagged PDF's text alternative for the chart.
            "alt": {"radar": alt_text.radar(domains, ([baseline.round.name(language)] if before else [])
                                            + [round_.name(language)], questionnaire.min_level, questionnaire.max_level)},
            "change_bars": _change_bars(domains) if before else [],
            "plan": plan,
        }
        for row in domains + lenses:
            row.pop("raw")
        return result


def method_facts(questionnaire, rubric, language: str) -> dict:
    """What the reports' method note names: the questionnaire and rubric by title and version, the rules' numbers."""
    return {"questionnaire": questionnaire.title.get(language), "questionnaire_version": questionnaire.version,
            "rubric": rubric.title.get(language), "rubric_version": rubric.version,
            "min_share": _percent(rubric.min_answered_share),
            "official_track": [str(TRACKS[Track(t)]) for t in rubric.official_track]}


def _indicator_rows(questionnaire, before: _Side | None, after: _Side, language: str) -> list[dict]:
    """Every indicator with its level before and after, comparable only through the same code or the crosswalk."""
    crosswalk = development.crosswalk_between(before.questionnaire, questionnaire) if before else None
    empty = pd.DataFrame(columns=["org", "indicator", "level"])
    change = indicator_change(before.answers if before else empty, after.answers, crosswalk,
                              after_codes=[i.code for i in questionnaire.indicators])
    change = change.drop_duplicates("indicator").set_index("indicator")
    rows = []
    for indicator in questionnaire.indicators:
        known = indicator.code in change.index
        match = change.loc[indicator.code] if known else None
        lb, la = (match["level_before"], match["level_after"]) if known else (None, None)
        rows.append({"code": indicator.code, "domain": indicator.domain, "title": indicator.title(language),
                     "before": _num(lb, 0), "after": _num(la, 0), "level_after": None if pd.isna(la) else int(la),
                     "change": _signed(match["change"] if known else None),
                     "comparable": bool(match["comparable"]) if known else False})
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


def _change_bars(domains: list[dict]) -> list[dict]:
    """Change per domain as bars drawn in HTML (text stays selectable): width in % of the half-axis.

    The axis runs to ±1 level, or further when a domain moved more.
    """
    changes = [d["raw"][2] for d in domains]
    limit = max([1.0] + [abs(c) for c in changes if c is not None])
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
