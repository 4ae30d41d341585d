"""The export shapes as pure pandas: no Flask, no database.

Column headers are stable English snake_case codes in every language; labels in
the chosen language sit in their own ``*_name``/``*_label``/``*_title``/``*_text``
columns, so exports of two rounds (or two languages) join on the code columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from capacity.exports.answers import ANSWER_ROW_COLUMNS, answer_values
from capacity.questionnaires.model import BREAKDOWNS, TRACKS, Questionnaire, Rubric
from capacity.scoring.rollup import Scores

ORGANISATION_COLUMNS = ["org_code", "org_name", "municipality", "municipality_name", "region", "region_name"]
LONG_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "track", "track_label", "status", "status_label",
                "domain_code", "domain_title", "indicator_code", "indicator_text", "computed", "level", "level_name",
                "not_applicable", "comment", "evidence_url", "answered_at",
                # Appended, so consumers of the columns above read them where they were. type: the question type;
                # value: a non-level answer as stored (yes/no, option codes "; "-joined, a number, a text; empty for a
                # level); value_text: the same as a reader sees it in the export's language; asked: no where a
                # condition on an earlier answer is not met (the item is not asked, and scores as not applicable).
                "type", "value", "value_text", "asked"]
PROFILE_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "question_code", "question_label", "kind", "category",
                   "category_label", "value"]
# plan: one row per action of the round's development plans; a plan with no action yet is one row whose action
# columns are empty (action_id empty), so an organisation that started a plan never vanishes from the sheet.
# indicator_codes ';'-joined, indicator_titles '; '-joined in the same order; due_on, completed_on, last_note_on
# ISO dates; overdue yes/no on the export's date (planned or in progress and due before that day); evidence_files
# and notes are counts; follow_up yes/no: made from a mentoring session's follow-up; created_at, updated_at ISO UTC.
PLAN_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "action_id", "indicator_codes", "indicator_titles", "description",
                "target_level", "responsible", "due_on", "support_type", "support_type_name", "status", "status_label",
                "completed_on", "dropped_reason", "overdue", "evidence_url", "evidence_files", "notes", "last_note_on",
                "follow_up", "created_at", "updated_at"]
# What services hand over per action (action_id None: a plan without actions).
ACTION_ROW_COLUMNS = ["org", "action_id", "indicators", "description", "target_level", "responsible", "due_on",
                      "support_type", "status", "completed_on", "dropped_reason", "evidence_url", "evidence_files",
                      "notes", "last_note_on", "follow_up", "created_at", "updated_at"]
# mentoring: one row per session supporting the round's plans. hours = duration_minutes / 60 (full precision, shown
# with two decimals); indicator_codes and action_ids ';'-joined; follow_ups counts the session's follow-ups,
# follow_ups_to_actions those of them that became at least one plan action.
MENTORING_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "session_id", "held_on", "duration_minutes", "hours", "mode",
                     "mode_label", "mentor_name", "indicator_codes", "action_ids", "participants_total",
                     "participants_female", "participants_male", "participants_with_disability", "notes", "follow_ups",
                     "follow_ups_to_actions"]
SESSION_ROW_COLUMNS = ["org", "session_id", "held_on", "duration_minutes", "mode", "mentor_name", "indicators",
                       "participants_total", "participants_female", "participants_male", "participants_with_disability",
                       "notes", "follow_ups", "follow_ups_to_actions"]
# The action statuses that can fall overdue (capacity.plans.models.OPEN_STATUSES; a test keeps the two equal).
OPEN_ACTION_STATUSES = ("planned", "in_progress")
YES, NO = "yes", "no"
CATEGORY_ORDER = ["total"] + [c for categories in BREAKDOWNS.values() for c in categories]


@dataclass(frozen=True)
class Labels:
    """Translated names of the fixed vocabularies, as plain strings in the export's language."""

    language: str
    tracks: dict[str, str] = field(default_factory=dict)      # track code → label
    statuses: dict[str, str] = field(default_factory=dict)    # status code → label
    categories: dict[str, str] = field(default_factory=dict)  # profile category code → label
    results: dict[str, str] = field(default_factory=dict)     # "final" / "provisional" → label
    action_statuses: dict[str, str] = field(default_factory=dict)  # plan action status code → label
    session_modes: dict[str, str] = field(default_factory=dict)    # mentoring session mode code → label
    yes: str = "yes"  # a yes/no answer as a reader sees it
    no: str = "no"


# The measures beside a mean level (capacity.scoring.rollup.Scores): points scored, the most that could be scored
# on what was answered, and the one as a percentage of the other.
MEASURES = ["points", "max_points", "percent"]
# sub_areas: one row per organisation × sub-area on the official track (as wide), written only for a questionnaire
# with sub-areas. score is the mean level; sufficient yes/no (no: "insufficient data", score empty).
SUB_AREA_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "official_track", "official_track_label", "result",
                    "result_label", "domain_code", "domain_title", "sub_area_code", "sub_area_title", "score",
                    *MEASURES, "answered", "applicable", "sufficient"]


# A round of another kind of subject than organisations (services, municipalities) appends these to every sheet, so
# the columns before keep their places and name the round's subjects (org_code, org_name: each service's or
# municipality's own): subject_kind, the kind's code (questionnaires/subjects.yaml); parent_code and parent_name,
# the subject it belongs to (a service's organisation; empty for a kind that belongs to none). An organisation
# round's sheets have exactly the columns above.
SUBJECT_COLUMNS = ["subject_kind", "parent_code", "parent_name"]


def with_subjects(frame: pd.DataFrame, subjects: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (a sheet, with org_code) with SUBJECT_COLUMNS appended from ``subjects`` (org_code and
    SUBJECT_COLUMNS, one row per subject); its rows stay in their order."""
    merged = frame.merge(subjects.reindex(columns=["org_code", *SUBJECT_COLUMNS]), on="org_code", how="left",
                         sort=False)
    return merged.reindex(columns=[*frame.columns, *SUBJECT_COLUMNS]).reset_index(drop=True)


def wide_columns(domains: list[str], lenses: list[str]) -> list[str]:
    # Prefixed, because a domain and a lens may share a code (the GESI domain and the gesi lens do).
    # result: "final" (validated agreement) or "provisional" (anything else): a donor report counts final ones.
    # Appended after answered_indicators (so the columns before keep their places): the overall points, maximum and
    # percent; measure, the value the rubric presents (its presentation: mean = the index, points or percent) and
    # whose band the stage is; then each domain's points, maximum and percent.
    return (["round_code", *ORGANISATION_COLUMNS, "official_track", "official_track_label", "official_status",
             "result", "result_label", "index", "stage", "stage_name"] + [f"domain_{code}" for code in domains]
            + [f"lens_{code}" for code in lenses] + ["answered_indicators"]
            + MEASURES + ["measure", "presentation"]
            + [f"{measure}_{code}" for code in domains for measure in MEASURES])


def _yes_no(values: pd.Series) -> pd.Series:
    return values.fillna(False).astype(bool).map({True: YES, False: NO})


def _iso_utc(values: pd.Series) -> pd.Series:
    # SQLite hands back naive datetimes (stored as UTC), PostgreSQL aware ones: both end as UTC.
    stamps = pd.to_datetime(values, utc=True)
    text = stamps.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return text.where(stamps.notna(), "").astype(object)


def _with_organisations(frame: pd.DataFrame, organisations: pd.DataFrame, round_code: str) -> pd.DataFrame:
    merged = frame.merge(organisations, left_on="org", right_on="org_code", how="inner")
    merged.insert(0, "round_code", round_code)
    return merged


def long_frame(answers: pd.DataFrame, statuses: pd.DataFrame, organisations: pd.DataFrame,
               questionnaire: Questionnaire, labels: Labels, round_code: str) -> pd.DataFrame:
    """One row per answer (rated or computed) with codes and labels, in questionnaire order.

    ``answers`` has ANSWER_ROW_COLUMNS, ``statuses`` org, track, status and
    ``organisations`` ORGANISATION_COLUMNS. A level is empty (never 0) when the
    answer is N/A or not given yet.
    """
    language = labels.language
    indicators = questionnaire.indicators
    order = {i.code: n for n, i in enumerate(indicators)}
    domain_titles = {d.code: d.title.get(language) for d in questionnaire.domains}
    level_names = {s.level: s.name.get(language) for s in questionnaire.scale}
    answers = answers.reindex(columns=ANSWER_ROW_COLUMNS)
    frame = _with_organisations(answers.merge(statuses, on=["org", "track"], how="left"), organisations, round_code)
    frame["track_label"] = frame["track"].map(labels.tracks)
    frame["status_label"] = frame["status"].map(labels.statuses)
    frame["domain_code"] = frame["indicator"].map({i.code: i.domain for i in indicators})
    frame["domain_title"] = frame["domain_code"].map(domain_titles)
    frame["indicator_code"] = frame["indicator"]
    frame["indicator_text"] = frame["indicator"].map({i.code: i.text.get(language) for i in indicators})
    level = pd.to_numeric(frame["level"], errors="coerce").where(~frame["na"].fillna(False).astype(bool))
    frame["level"] = level.round().astype("Int64")
    frame["level_name"] = frame["level"].map(level_names, na_action="ignore")
    frame["not_applicable"] = _yes_no(frame["na"])
    frame["computed"] = _yes_no(frame["computed"])
    frame["answered_at"] = _iso_utc(frame["answered_at"])
    by_code = {i.code: i for i in indicators}
    frame["type"] = frame["indicator"].map({i.code: i.type for i in indicators})
    frame["value"], frame["value_text"] = answer_values(frame["indicator"], frame["value"], by_code, labels.language,
                                                       labels.yes, labels.no)
    # A row without the flag (an older caller, a computed level) was asked: only a condition not met says otherwise.
    frame["asked"] = _yes_no(frame["asked"].astype(object).where(frame["asked"].notna(), True))
    frame["_track"] = frame["track"].map({t: n for n, t in enumerate(TRACKS)})
    frame["_indicator"] = frame["indicator"].map(order).fillna(len(order))
    frame = frame.sort_values(["org_code", "_track", "_indicator", "indicator"], kind="stable")
    return frame.reindex(columns=LONG_COLUMNS).reset_index(drop=True)


def official_choice(official: pd.DataFrame, statuses: pd.DataFrame) -> pd.DataFrame:
    """Per organisation: which track was official (``source_track`` of official_answers) and its status."""
    if official.empty:
        return pd.DataFrame({"org": pd.Series(dtype=object), "official_track": pd.Series(dtype=object),
                             "official_status": pd.Series(dtype=object)})
    chosen = official[["org", "source_track"]].drop_duplicates("org").rename(columns={"source_track": "official_track"})
    chosen = chosen.merge(statuses.rename(columns={"track": "official_track", "status": "official_status"}),
                          on=["org", "official_track"], how="left")
    return chosen.reset_index(drop=True)


def wide_frame(organisations: pd.DataFrame, chosen: pd.DataFrame, official: pd.DataFrame, scores: Scores | None,
               rubric: Rubric, domains: list[str], labels: Labels, round_code: str) -> pd.DataFrame:
    """One row per organisation: the official track's index, stage, domain scores and lens sub-indices.

    Every organisation in ``organisations`` gets a row; a score the rubric
    calls "insufficient data" (NaN), or one with nothing to score, stays empty.
    """
    lenses = [lens.code for lens in rubric.lenses]
    frame = organisations.rename(columns={"org_code": "org"})[["org"]].copy()
    frame = frame.merge(chosen, on="org", how="left")
    if scores is not None and not scores.overall.empty:
        # A Scores without the measures (made by hand, as some tests do) leaves their columns empty.
        overall = [c for c in ["index", "stage", *MEASURES, "measure"] if c in scores.overall]
        frame = frame.merge(scores.overall[["org", *overall]], on="org", how="left")
        for part, column in ((scores.domains, "domain"), (scores.lenses, "lens")):
            table = part.pivot(index="org", columns=column, values="score").add_prefix(f"{column}_")
            frame = frame.merge(table, left_on="org", right_index=True, how="left")
        for measure in (m for m in MEASURES if m in scores.domains):
            table = scores.domains.pivot(index="org", columns="domain", values=measure).add_prefix(f"{measure}_")
            frame = frame.merge(table, left_on="org", right_index=True, how="left")
    given = official.loc[_answered(official)] if not official.empty else official
    answered = given.groupby("org").size() if not given.empty else pd.Series(dtype=int)
    frame["answered_indicators"] = frame["org"].map(answered).fillna(0).astype(int)
    frame["official_track_label"] = frame["official_track"].map(labels.tracks)
    if "result" not in frame:
        frame["result"] = None
    frame["result_label"] = frame["result"].map(labels.results)
    frame["stage_name"] = frame.get("stage", pd.Series(index=frame.index, dtype=object)).map(
        {s.code: s.name.get(labels.language) for s in rubric.stages})
    frame["presentation"] = rubric.presentation
    frame = _with_organisations(frame, organisations, round_code)
    columns = wide_columns(domains, lenses)
    frame = frame.reindex(columns=columns)
    scored = ["index"] + [c for c in columns if c.startswith(("domain_", "lens_"))] + columns[columns.index("points"):]
    scored.remove("presentation")
    frame[scored] = frame[scored].astype(float)
    return frame.sort_values("org_code", kind="stable").reset_index(drop=True)


def _answered(official: pd.DataFrame) -> pd.Series:
    """Rows that answer an indicator: a level or (any other question type) a value, not "not applicable", and asked
    (``asked`` from ``capacity.scoring.typed.prepare``: a stored answer to an item no longer asked does not count)."""
    given = official["level"].notna()
    if "value" in official:
        given |= official["value"].notna()
    if "asked" in official:
        given &= official["asked"].fillna(True).astype(bool)
    return given & ~official["na"].fillna(False).astype(bool)


def sub_area_frame(organisations: pd.DataFrame, chosen: pd.DataFrame, scores: Scores | None,
                   questionnaire: Questionnaire, labels: Labels, round_code: str) -> pd.DataFrame:
    """One row per organisation × sub-area (columns SUB_AREA_COLUMNS), scored on the official track as the wide
    sheet is: ``chosen`` has org, official_track and result (``official_choice`` and the caller's result).

    Every organisation gets a row for every sub-area, in the questionnaire's order; one with no score (insufficient
    data, nothing answered, or the official track hidden from the viewer) keeps its score columns empty.
    """
    language = labels.language
    places = [(d.code, d.title.get(language), s.code, s.title.get(language))
              for d in questionnaire.domains for s in d.sub_areas]
    grid = pd.DataFrame([(org, *place) for org in organisations["org_code"] for place in places],
                        columns=["org", "domain_code", "domain_title", "sub_area_code", "sub_area_title"])
    frame = grid.merge(chosen.reindex(columns=["org", "official_track", "result"]), on="org", how="left")
    part = scores.sub_areas if scores is not None else None
    if part is not None and not part.empty:
        columns = [c for c in ["score", *MEASURES, "answered", "applicable", "sufficient"] if c in part]
        frame = frame.merge(part[["org", "sub_area", *columns]].rename(columns={"sub_area": "sub_area_code"}),
                            on=["org", "sub_area_code"], how="left")
    measured = ["score", *MEASURES, "answered", "applicable", "sufficient"]
    frame = frame.reindex(columns=list(frame.columns) + [c for c in measured if c not in frame])
    frame["official_track_label"] = frame["official_track"].map(labels.tracks)
    frame["result_label"] = frame["result"].map(labels.results)
    for column in ("answered", "applicable"):
        frame[column] = _counts(frame[column])
    sufficient = frame["sufficient"].astype(object)
    frame["sufficient"] = _yes_no(sufficient).where(sufficient.notna())
    frame[["score", *MEASURES]] = frame[["score", *MEASURES]].astype(float)
    frame = _with_organisations(frame, organisations, round_code)
    order = {place[2]: n for n, place in enumerate(places)}
    frame["_place"] = frame["sub_area_code"].map(order)
    frame = frame.sort_values(["org_code", "_place"], kind="stable")
    return frame.reindex(columns=SUB_AREA_COLUMNS).reset_index(drop=True)


def _plain_number(value: float) -> object:
    # Counts read as 12, not 12.0; shares keep their decimals.
    if pd.isna(value):
        return None
    return int(value) if float(value).is_integer() else float(value)


def profile_frame(values: pd.DataFrame, organisations: pd.DataFrame, questionnaire: Questionnaire,
                  labels: Labels, round_code: str) -> pd.DataFrame:
    """One row per organisation × profile question × category that has a value (columns PROFILE_COLUMNS)."""
    language = labels.language
    questions = {q.code: q for q in questionnaire.profile}
    order = {code: n for n, code in enumerate(questions)}
    frame = _with_organisations(values, organisations, round_code)
    frame["question_code"] = frame["code"]
    frame["question_label"] = frame["code"].map({c: q.label.get(language) for c, q in questions.items()})
    frame["kind"] = frame["code"].map({c: q.kind for c, q in questions.items()})
    frame["category_label"] = frame["category"].map(labels.categories)
    frame["value"] = np.array([_plain_number(v) for v in frame["value"]], dtype=object)
    frame["_question"] = frame["code"].map(order).fillna(len(order))
    frame["_category"] = frame["category"].map({c: n for n, c in enumerate(CATEGORY_ORDER)}).fillna(len(CATEGORY_ORDER))
    frame = frame.sort_values(["org_code", "_question", "code", "_category", "category"], kind="stable")
    return frame.reindex(columns=PROFILE_COLUMNS).reset_index(drop=True)


def _codes(raw: object) -> list[str]:
    # As capacity.plans.models.split_codes, which this module may not import (it loads the database layer).
    return [code for code in (raw if isinstance(raw, str) else "").split(";") if code]


def _iso_dates(values: pd.Series) -> pd.Series:
    return pd.Series([v.isoformat() if isinstance(v, date) else "" for v in values], index=values.index, dtype=object)


def _counts(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values, errors="coerce").round().astype("Int64")


def plan_frame(actions: pd.DataFrame, organisations: pd.DataFrame, questionnaire: Questionnaire, rubric: Rubric,
               labels: Labels, round_code: str, today: date) -> pd.DataFrame:
    """One row per plan action (columns PLAN_COLUMNS), by organisation and the order actions were added.

    ``actions`` has ACTION_ROW_COLUMNS; a row whose action_id is empty stands for a
    plan without actions and keeps every action column empty (overdue and
    follow_up too: they say nothing about an action that does not exist).
    """
    language = labels.language
    titles = {i.code: i.title(language) for i in questionnaire.indicators}
    support_names = {s.code: s.name.get(language) for s in rubric.plan.support_types}
    frame = _with_organisations(actions.reindex(columns=ACTION_ROW_COLUMNS), organisations, round_code)
    exists = frame["action_id"].notna()
    codes = [_codes(raw) for raw in frame["indicators"]]
    frame["action_id"] = _counts(frame["action_id"])
    frame["indicator_codes"] = [";".join(found) for found in codes]
    # An unknown code (a questionnaire changed under a plan) shows as itself, so titles stay aligned with codes.
    frame["indicator_titles"] = ["; ".join(titles.get(code) or code for code in found) for found in codes]
    frame["target_level"] = _counts(frame["target_level"])
    frame["support_type_name"] = frame["support_type"].map(support_names)
    frame["status_label"] = frame["status"].map(labels.action_statuses)
    overdue = [status in OPEN_ACTION_STATUSES and isinstance(due, date) and due < today
               for status, due in zip(frame["status"], frame["due_on"])]
    frame["overdue"] = pd.Series(overdue, index=frame.index, dtype=bool).map({True: YES, False: NO}).where(exists)
    frame["follow_up"] = _yes_no(frame["follow_up"]).where(exists)
    for column in ("due_on", "completed_on", "last_note_on"):
        frame[column] = _iso_dates(frame[column])
    for column in ("created_at", "updated_at"):
        frame[column] = _iso_utc(frame[column])
    for column in ("evidence_files", "notes"):
        frame[column] = _counts(frame[column]).where(exists)
    frame = frame.sort_values(["org_code", "action_id"], kind="stable", na_position="first")
    return frame.reindex(columns=PLAN_COLUMNS).reset_index(drop=True)


def mentoring_frame(sessions: pd.DataFrame, links: pd.DataFrame, organisations: pd.DataFrame, labels: Labels,
                    round_code: str) -> pd.DataFrame:
    """One row per mentoring session (columns MENTORING_COLUMNS), by organisation, day and the order logged.

    ``sessions`` has SESSION_ROW_COLUMNS, ``links`` session_id and action_id (the
    plan actions a session worked on).
    """
    frame = _with_organisations(sessions.reindex(columns=SESSION_ROW_COLUMNS), organisations, round_code)
    linked: dict[int, list[int]] = {}
    for session_id, action_id in sorted(zip(links["session_id"], links["action_id"])):
        linked.setdefault(int(session_id), []).append(int(action_id))
    frame["session_id"] = _counts(frame["session_id"])
    frame["action_ids"] = pd.Series([";".join(map(str, linked.get(int(s), []))) for s in frame["session_id"]],
                                    index=frame.index, dtype=object)
    frame["indicator_codes"] = [";".join(_codes(raw)) for raw in frame["indicators"]]
    minutes = pd.to_numeric(frame["duration_minutes"], errors="coerce")
    frame["duration_minutes"] = _counts(minutes)
    frame["hours"] = (minutes / 60).astype(float)
    frame["mode_label"] = frame["mode"].map(labels.session_modes)
    frame["held_on"] = _iso_dates(frame["held_on"])
    for column in ("participants_total", "participants_female", "participants_male", "participants_with_disability",
                   "follow_ups", "follow_ups_to_actions"):
        frame[column] = _counts(frame[column])
    frame = frame.sort_values(["org_code", "held_on", "session_id"], kind="stable")
    return frame.reindex(columns=MENTORING_COLUMNS).reset_index(drop=True)
