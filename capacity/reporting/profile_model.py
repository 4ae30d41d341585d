"""The organisation profile as plain data: the same view model feeds the HTML preview and the PDF."""
from __future__ import annotations

import dataclasses

import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale, format_date, format_decimal

from capacity.assessments.models import Answer, Assessment, Track

from capacity.rounds.models import AssessmentRound
from capacity.assessments.results import RoundDefinitions, definitions_for, profile_frame, round_answers
from capacity.extensions import db
from capacity.labels import TRACKS
from capacity.organisations.geography import MUNICIPALITIES, REGIONS, SERVICE_AREAS
from capacity.organisations.models import Organisation
from capacity.organisations.services import mentors_of
from capacity.reporting import charts
from capacity.reporting.numbers import number as _num, signed as _signed
from capacity.scoring.change import indicator_change
from capacity.scoring.gaps import self_mentor_gaps
from capacity.scoring.rollup import Scores, official_answers, score

PROFILE_ROWS = ("staff", "leadership", "board", "volunteers")


def _by(frame: pd.DataFrame, key: str, column: str = "score") -> dict[str, float | None]:
    """One organisation's scores as {domain or lens: score} (None for insufficient data)."""
    return {k: None if pd.isna(v) else float(v) for k, v in zip(frame[key], frame[column])}


class RoundResult:
    """Official answers, scores and profile data of one round, for one organisation or many.

    Printing every profile of a round scores the round once for all organisations
    (``RoundResult(round_, None)``) and hands each profile its ``only(code)`` slice.
    """

    def __init__(self, round_: AssessmentRound, org_ids: list[int] | None):
        self.definitions: RoundDefinitions = definitions_for(round_)
        self.profile = profile_frame([round_.id], org_ids)
        self.all_answers = round_answers(round_, self.definitions, org_ids, self.profile)
        self.answers = official_answers(self.all_answers, self.definitions.rubric.official_track)
        self.scores = score(self.answers, self.definitions.spec)

    def only(self, org_code: str) -> RoundResult:
        """The same round for one organisation (no database, no scoring)."""
        part = object.__new__(RoundResult)
        part.definitions = self.definitions
        part.profile = _rows_of(self.profile, org_code)
        part.all_answers = _rows_of(self.all_answers, org_code)
        part.answers = _rows_of(self.answers, org_code)
        part.scores = Scores(**{field.name: _rows_of(getattr(self.scores, field.name), org_code)
                                for field in dataclasses.fields(Scores)})
        return part

    @property
    def track(self) -> str | None:
        return None if self.answers.empty else str(self.answers["source_track"].iloc[0])


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


def _rows_of(frame: pd.DataFrame, org_code: str) -> pd.DataFrame:
    return frame.loc[frame["org"] == org_code]


def build_profile(org: Organisation, round_: AssessmentRound, baseline: AssessmentRound | None, language: str,
                  results: tuple[RoundResult, RoundResult | None] | None = None) -> dict:
    """Everything the profile shows, as strings and numbers in ``language``; no ORM objects leave here.

    ``results``: the two rounds already scored for many organisations (after, before), when printing many.
    """
    with force_locale(language):
        if results is None:
            after = RoundResult(round_, [org.id])
            before = RoundResult(baseline, [org.id]) if baseline else None
        else:
            after = results[0].only(org.code)
            before = results[1].only(org.code) if baseline and results[1] is not None else None
        questionnaire, rubric = after.definitions.questionnaire, after.definitions.rubric
        stage_names = {s.code: s.name.get(language) for s in rubric.stages}
        domains = _compared(questionnaire.domains, before.scores.domains if before else None, after.scores.domains,
                            "domain", language)
        lenses = _compared(rubric.lenses, before.scores.lenses if before else None, after.scores.lenses, "lens", language)
        index_after = _by(after.scores.overall, "org", "index").get(org.code)
        index_before = _by(before.scores.overall, "org", "index").get(org.code) if before else None
        stage_after = after.scores.overall["stage"].iloc[0] if not after.scores.overall.empty else None
        stage_before = before.scores.overall["stage"].iloc[0] if before and not before.scores.overall.empty else None

        crosswalk = None
        if before and before.definitions.questionnaire.version != questionnaire.version and questionnaire.crosswalk \
                and questionnaire.crosswalk.from_version == before.definitions.questionnaire.version:
            crosswalk = questionnaire.crosswalk.mapping
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
        rated = [r for r in rows if r["level_after"] is not None]

        def quoted(row):
            level = row["level_after"]
            return {**row, "level_name": questionnaire.level_name(level).get(language),
                    "descriptor": questionnaire.indicator(row["code"]).levels[level].get(language)}

        strongest = [quoted(r) for r in sorted(rated, key=lambda r: (-r["level_after"], r["code"]))[:5]]
        weakest = [quoted(r) for r in sorted(rated, key=lambda r: (r["level_after"], r["code"]))[:5]]
        gaps = self_mentor_gaps(after.all_answers, rubric.gap_threshold)
        rationale = _consensus_comments(round_, org)
        gap_rows = [{"code": g.indicator, "title": questionnaire.indicator(g.indicator).title(language),
                     "self": int(g.self), "mentor": int(g.mentor), "gap": int(g.gap),
                     "rationale": rationale.get(g.indicator, "")}
                    for g in gaps.loc[gaps["flagged"]].itertuples()]
        codes = [d["code"] for d in domains]
        result = {
            "language": language,
            "org": {"code": org.code, "name": org.name(language), "name_other": org.name("ka" if language == "en" else "en"),
                    "municipality": MUNICIPALITIES[org.municipality].label(language),
                    "region": REGIONS[org.region].label(language),
                    "service_areas": [SERVICE_AREAS[a].label(language) for a in org.service_areas]},
            "after": _round_info(round_, language, after.track),
            "before": _round_info(baseline, language, before.track) if before else None,
            "assessors": [m.display_name for m in mentors_of(org)],
            "headline": {"after": _num(index_after), "before": _num(index_before),
                         "change": _signed(None if index_after is None or index_before is None else index_after - index_before),
                         "stage_after": stage_names.get(stage_after, "—"), "stage_before": stage_names.get(stage_before, "—")},
            "domains": domains, "lenses": lenses, "indicators": rows, "strongest": strongest, "weakest": weakest,
            "gaps": gap_rows, "gap_threshold": rubric.gap_threshold,
            "compared": sum(r["comparable"] for r in rows), "indicator_count": len(rows),
            "gesi_profile": _gesi_profile(questionnaire, before, after, language),
            "method": {"questionnaire": questionnaire.key, "questionnaire_hash": questionnaire.content_hash[:12],
                       "rubric": rubric.key, "rubric_hash": rubric.content_hash[:12],
                       "min_share": format_decimal(rubric.min_answered_share * 100, format="#,##0") + "%",
                       "official_track": [str(TRACKS[Track(t)]) for t in rubric.official_track]},
            "charts": {
                "radar": charts.radar(codes, [d["raw"][0] for d in domains], [d["raw"][1] for d in domains],
                                      (_round_label(baseline, language), _round_label(round_, language))),
            },
            "change_bars": _change_bars(domains) if before else [],
        }
        for row in domains + lenses:
            row.pop("raw")
        return result


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


def _round_label(round_: AssessmentRound | None, language: str) -> str:
    return round_.name(language) if round_ else ""


def _round_info(round_: AssessmentRound, language: str, track: str | None) -> dict:
    return {"code": round_.code, "name": round_.name(language), "track": track,
            "dates": " – ".join(format_date(d, "medium") for d in (round_.starts_on, round_.ends_on) if d)}


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
            cells[name]["women_share"] = (format_decimal(frame.get("female", 0) / total * 100, format="#,##0") + "%"
                                          if total else "—")
        rows.append({"code": code, "label": labels[code], **cells})
    return rows
