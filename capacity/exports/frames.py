"""The three export shapes as pure pandas: no Flask, no database.

Column headers are stable English snake_case codes in every language; labels in
the chosen language sit in their own ``*_name``/``*_label``/``*_title``/``*_text``
columns, so exports of two rounds (or two languages) join on the code columns.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from capacity.questionnaires.model import BREAKDOWNS, TRACKS, Questionnaire, Rubric
from capacity.scoring.rollup import Scores

ORGANISATION_COLUMNS = ["org_code", "org_name", "municipality", "municipality_name", "region", "region_name"]
LONG_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "track", "track_label", "status", "status_label",
                "domain_code", "domain_title", "indicator_code", "indicator_text", "computed", "level", "level_name",
                "not_applicable", "comment", "evidence_url", "answered_at"]
PROFILE_COLUMNS = ["round_code", *ORGANISATION_COLUMNS, "question_code", "question_label", "kind", "category",
                   "category_label", "value"]
# What services hand over for one answer row (rated answers and computed indicators alike).
ANSWER_ROW_COLUMNS = ["org", "track", "indicator", "level", "na", "computed", "comment", "evidence_url", "answered_at"]
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


def wide_columns(domains: list[str], lenses: list[str]) -> list[str]:
    # Prefixed, because a domain and a lens may share a code (the GESI domain and the gesi lens do).
    # result: "final" (validated agreement) or "provisional" (anything else): a donor report counts final ones.
    return (["round_code", *ORGANISATION_COLUMNS, "official_track", "official_track_label", "official_status",
             "result", "result_label", "index", "stage", "stage_name"] + [f"domain_{code}" for code in domains]
            + [f"lens_{code}" for code in lenses] + ["answered_indicators"])


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
        frame = frame.merge(scores.overall[["org", "index", "stage"]], on="org", how="left")
        for part, column in ((scores.domains, "domain"), (scores.lenses, "lens")):
            table = part.pivot(index="org", columns=column, values="score").add_prefix(f"{column}_")
            frame = frame.merge(table, left_on="org", right_index=True, how="left")
    given = official.loc[official["level"].notna() & ~official["na"].fillna(False).astype(bool)] if not official.empty \
        else official
    answered = given.groupby("org").size() if not given.empty else pd.Series(dtype=int)
    frame["answered_indicators"] = frame["org"].map(answered).fillna(0).astype(int)
    frame["official_track_label"] = frame["official_track"].map(labels.tracks)
    if "result" not in frame:
        frame["result"] = None
    frame["result_label"] = frame["result"].map(labels.results)
    frame["stage_name"] = frame.get("stage", pd.Series(index=frame.index, dtype=object)).map(
        {s.code: s.name.get(labels.language) for s in rubric.stages})
    frame = _with_organisations(frame, organisations, round_code)
    columns = wide_columns(domains, lenses)
    frame = frame.reindex(columns=columns)
    scored = ["index"] + [c for c in columns if c.startswith(("domain_", "lens_"))]
    frame[scored] = frame[scored].astype(float)
    return frame.sort_values("org_code", kind="stable").reset_index(drop=True)


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
