"""Exporting one round's data: answers (long), official scores (wide), profile data, development plans (plan),
mentoring sessions (mentoring) and, for a questionnaire with sub-areas, their official scores (sub_areas).
A round of services or municipalities exports the same sheets for its subjects, each row naming the kind and
the subject it belongs to (``frames.SUBJECT_COLUMNS``); an organisation round's sheets are as they always were.

Reads the database, then hands plain DataFrames to the pure shaping functions
in ``capacity.exports.frames``; ``capacity.exports.formats`` writes the files.
The caller decides which organisations are in the export (what the user may
see); a viewer's hidden tracks (a mentor before submitting their own scores)
are left out here, with the rule from ``capacity.access``.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale, to_user_timezone
from flask_babel import lazy_gettext as _l

from capacity import access, labels
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.rounds.models import AssessmentRound
from capacity.assessments.results import pinned_definitions
from capacity.assessments.scores import profile_frame
from capacity.rounds.definitions import RoundDefinitions
from capacity.auth.models import User
from capacity.exports import frames
from capacity.exports.answers import with_asked
from capacity.extensions import db
from capacity.organisations.geography import MUNICIPALITIES, REGIONS
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode, session_actions
from capacity.organisations.models import Organisation
from capacity.plans.models import ActionEvidenceFile, ActionNote, ActionStatus, DevelopmentPlan, PlanAction
from capacity.questionnaires.forms import CATEGORY_LABELS
from capacity.questionnaires.library import Library
from capacity.scoring.computed import computed_answers
from capacity.scoring.frames import check_answers
from capacity.scoring.rollup import Scores, official_answers, score
from capacity.scoring.typed import prepare
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.timeutil import utcnow




@dataclass(frozen=True)
class RoundExport:
    """The shapes of one round's export, ready to write: one sheet (or CSV file) each."""

    round_code: str
    language: str
    long: pd.DataFrame
    wide: pd.DataFrame
    profile: pd.DataFrame
    plan: pd.DataFrame
    mentoring: pd.DataFrame
    sub_areas: pd.DataFrame | None = None  # only for a questionnaire with sub-areas
    subject_kind: str = DEFAULT_KIND  # what the round assesses (its rows are organisations, services, ...)

    def sheets(self) -> dict[str, pd.DataFrame]:
        # The sub-area sheet comes last, so the sheets every export has keep their places.
        sheets = {"long": self.long, "wide": self.wide, "profile": self.profile, "plan": self.plan,
                  "mentoring": self.mentoring}
        if self.sub_areas is not None:
            sheets["sub_areas"] = self.sub_areas
        return sheets


def filename(round_: AssessmentRound, extension: str, today: date | None = None) -> str:
    """E.g. capacity-endline-2026-11-22.xlsx: the round code (ASCII by rule) and today's date where the programme is."""
    today = today or to_user_timezone(utcnow()).date()
    return f"capacity-{round_.code}-{today.isoformat()}.{extension}"


def labels_in(language: str) -> frames.Labels:
    """The translated vocabularies the export needs, as plain strings in ``language``."""
    with force_locale(language):
        return frames.Labels(
            language=language,
            tracks={track.value: str(label) for track, label in labels.TRACKS.items()},
            statuses={status.value: str(label) for status, label in labels.STATUSES.items() if status is not None},
            categories={code: str(label) for code, label in CATEGORY_LABELS.items()},
            results={"final": str(_l("Final")), "provisional": str(_l("Provisional"))},
            action_statuses={status.value: str(label) for status, label in labels.ACTION_STATUSES.items()},
            session_modes={mode.value: str(label) for mode, label in labels.SESSION_MODES.items()},
            yes=str(_l("Yes")), no=str(_l("No")),  # as the answer form and the profile word a yes/no answer
        )


def organisations_frame(organisations: list[Organisation], language: str) -> pd.DataFrame:
    """Codes and names (in ``language``) of the organisations, their municipality and region."""
    rows = []
    for org in organisations:
        place = MUNICIPALITIES.get(org.municipality)
        region = REGIONS.get(place.region) if place else None
        rows.append({"org_code": org.code, "org_name": org.name(language), "municipality": org.municipality,
                     "municipality_name": place.label(language) if place else "",
                     "region": region.code if region else "", "region_name": region.label(language) if region else ""})
    return pd.DataFrame(rows, columns=frames.ORGANISATION_COLUMNS)


def subjects_frame(subjects: list[Organisation], language: str) -> pd.DataFrame:
    """Each subject's code, kind and the subject it belongs to (code and name in ``language``; empty for none)."""
    rows = [{"org_code": s.code, "subject_kind": s.kind, "parent_code": s.parent.code if s.parent else "",
             "parent_name": s.parent.name(language) if s.parent else ""} for s in subjects]
    return pd.DataFrame(rows, columns=["org_code", *frames.SUBJECT_COLUMNS])


def _statuses(round_id: int, organisation_ids: list[int]) -> pd.DataFrame:
    rows = db.session.execute(
        sa.select(Organisation.code, Assessment.track, Assessment.status)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .where(Assessment.round_id == round_id, Assessment.organisation_id.in_(organisation_ids))
    ).all()
    return pd.DataFrame([(org, Track(track).value, Status(status).value) for org, track, status in rows],
                        columns=["org", "track", "status"])


def _answer_rows(round_id: int, organisation_ids: list[int]) -> pd.DataFrame:
    """Every stored answer of the round for these organisations, with all the long sheet shows: one query.

    The scores (wide sheet) are computed from the same rows, so the answers are read once, not twice.
    """
    rows = db.session.execute(
        sa.select(Organisation.code, Assessment.track, Assessment.status, Answer.indicator_code, Answer.level,
                  Answer.not_applicable, Answer.comment, Answer.evidence_url, Answer.answered_at, Answer.value)
        .join(Assessment, Answer.assessment_id == Assessment.id)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .where(Assessment.round_id == round_id, Assessment.organisation_id.in_(organisation_ids))
    ).all()
    return pd.DataFrame([(org, Track(track).value, Status(status).value, code, level, bool(na), comment or "", url or "",
                          at, value) for org, track, status, code, level, na, comment, url, at, value in rows],
                        columns=["org", "track", "status", "indicator", "level", "na", "comment", "evidence_url",
                                 "answered_at", "value"])


def _action_rows(round_id: int, organisation_ids: list[int]) -> pd.DataFrame:
    """Every plan of the round for these organisations with its actions, notes and files counted: one query.

    A plan without actions comes back as one row with no action (an outer join), so it is not lost.
    """
    def per_action(model, aggregate):
        return sa.select(aggregate).where(model.action_id == PlanAction.id).correlate(PlanAction).scalar_subquery()

    rows = db.session.execute(
        sa.select(Organisation.code, PlanAction.id, PlanAction.indicators_raw, PlanAction.description,
                  PlanAction.target_level, PlanAction.responsible, PlanAction.due_on, PlanAction.support_type,
                  PlanAction.status, PlanAction.completed_on, PlanAction.dropped_reason, PlanAction.evidence_url,
                  per_action(ActionEvidenceFile, sa.func.count(ActionEvidenceFile.id)),
                  per_action(ActionNote, sa.func.count(ActionNote.id)), per_action(ActionNote, sa.func.max(ActionNote.noted_on)), PlanAction.follow_up_id, PlanAction.created_at,
                  PlanAction.updated_at)
        .select_from(DevelopmentPlan)
        .join(Organisation, DevelopmentPlan.organisation_id == Organisation.id)
        .outerjoin(PlanAction, PlanAction.plan_id == DevelopmentPlan.id)
        .where(DevelopmentPlan.round_id == round_id, DevelopmentPlan.organisation_id.in_(organisation_ids))
    ).all()
    return pd.DataFrame([(org, action_id, indicators, description, target, responsible, due,
                          support, ActionStatus(status).value if status is not None else None, completed, reason, url,
                          files, notes, last_note, None if action_id is None else follow_up is not None, created, updated)
                         for (org, action_id, indicators, description, target, responsible, due, support, status,
                              completed, reason, url, files, notes, last_note, follow_up, created, updated) in rows],
                        columns=frames.ACTION_ROW_COLUMNS)


def _session_rows(round_id: int, organisation_ids: list[int]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The round's mentoring sessions with these organisations (one query, follow-ups counted in it) and the plan
    actions each worked on (one query)."""
    follow_ups = (sa.select(sa.func.count(FollowUp.id)).where(FollowUp.session_id == MentoringSession.id)
                  .correlate(MentoringSession).scalar_subquery())
    to_actions = (sa.select(sa.func.count(FollowUp.id))
                  .where(FollowUp.session_id == MentoringSession.id,
                         sa.exists().where(PlanAction.follow_up_id == FollowUp.id))
                  .correlate(MentoringSession).scalar_subquery())
    mine = sa.and_(MentoringSession.round_id == round_id, MentoringSession.organisation_id.in_(organisation_ids))
    rows = db.session.execute(
        sa.select(Organisation.code, MentoringSession.id, MentoringSession.held_on, MentoringSession.duration_minutes,
                  MentoringSession.mode, User.display_name, MentoringSession.indicators_raw,
                  MentoringSession.participants_total, MentoringSession.participants_female,
                  MentoringSession.participants_male, MentoringSession.participants_with_disability,
                  MentoringSession.notes, follow_ups, to_actions)
        .join(Organisation, MentoringSession.organisation_id == Organisation.id)
        .outerjoin(User, MentoringSession.mentor_id == User.id)
        .where(mine)
    ).all()
    sessions = pd.DataFrame([(org, session_id, held, minutes, SessionMode(mode).value, mentor or "", *rest)
                             for org, session_id, held, minutes, mode, mentor, *rest in rows],
                            columns=frames.SESSION_ROW_COLUMNS)
    links = db.session.execute(
        sa.select(session_actions.c.session_id, session_actions.c.action_id)
        .join(MentoringSession, session_actions.c.session_id == MentoringSession.id).where(mine)
    ).all()
    return sessions, pd.DataFrame([tuple(link) for link in links], columns=["session_id", "action_id"])


def _scored_answers(rows: pd.DataFrame, statuses: pd.DataFrame, profile: pd.DataFrame,
                    definitions: RoundDefinitions, round_code: str) -> pd.DataFrame:
    """What ``scores.round_answers`` gives (rated answers checked against the scale, plus the computed
    indicators from profile data), from rows this export has read already instead of reading them again."""
    computed_codes = [i.code for i in definitions.questionnaire.indicators if i.computed is not None]
    rated = rows.loc[~rows["indicator"].isin(computed_codes)]
    rated = pd.DataFrame({"org": rated["org"], "round": round_code, "track": rated["track"],
                          "indicator": rated["indicator"], "level": rated["level"].astype(float),
                          "na": rated["na"].astype(bool), "final": rated["status"].isin(["submitted", "validated"]),
                          "value": rated["value"].astype(object)})
    check_answers(rated, definitions.spec)
    rated = rated.assign(computed=False)
    tracks = statuses[["org", "track"]].assign(round=round_code)  # every assessment, even one without answers
    computed = computed_answers(profile, definitions.questionnaire, tracks)
    return pd.concat([rated, computed], ignore_index=True) if not computed.empty else rated


def _long_rows(rows: pd.DataFrame, answers: pd.DataFrame, definitions: RoundDefinitions) -> pd.DataFrame:
    """Stored answers (a computed indicator's level comes from profile data, never from a stored answer, as in
    scoring) and one row per computed indicator level, with the long sheet's columns; items not asked marked (and
    added where they have no answer) as scoring marks them (``answers.with_asked``)."""
    computed_codes = {i.code for i in definitions.questionnaire.indicators if i.computed is not None}
    stored = rows.loc[~rows["indicator"].isin(computed_codes)].assign(computed=False)
    computed = answers.loc[answers["computed"].fillna(False).astype(bool), ["org", "track", "indicator", "level", "na"]]
    computed = computed.assign(computed=True, comment="", evidence_url="", answered_at=None)
    parts = [part.reindex(columns=frames.ANSWER_ROW_COLUMNS) for part in (stored, computed) if not part.empty]
    joined = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=frames.ANSWER_ROW_COLUMNS)
    return with_asked(joined, prepare(answers, definitions.spec))


def hidden_tracks(viewer: User, round_: AssessmentRound, organisations: list[Organisation]) -> set[tuple[str, str]]:
    """(organisation code, track) pairs whose answers ``viewer`` may not see on the web, so not in an export either.

    ``access.sights`` decides, with the same rules as every page: a mentor's view of a
    self-assessment before the mentor's own is submitted, staff's view of anything
    but their own self-assessment and the validated agreement.
    """
    seen = access.sights(viewer, organisations, round_)
    return {(org.code, track.value) for org in organisations for track in Track if not seen[org.id].sees(track)}


def _without(frame: pd.DataFrame, hidden: set[tuple[str, str]]) -> pd.DataFrame:
    if not hidden or frame.empty:
        return frame
    keys = pd.MultiIndex.from_frame(frame[["org", "track"]])
    return frame.loc[~keys.isin(list(hidden))]


def _official_scores(answers: pd.DataFrame, definitions: RoundDefinitions, hidden: set[tuple[str, str]],
                     statuses: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, Scores | None]:
    """The official track per organisation (chosen on all answers, so it means the same for everyone) and its scores.

    Where the official track is hidden from the viewer its scores stay empty rather
    than falling back to another track, which would make "official" mean two things.
    """
    official = official_answers(answers, definitions.rubric.official_track) if not answers.empty else answers.assign(
        source_track=pd.Series(dtype=object))
    chosen = frames.official_choice(official, statuses)
    order = definitions.rubric.official_track
    chosen["result"] = [("final" if access.is_final(track, order, Status(status) if isinstance(status, str) else None)
                         else "provisional") for track, status in zip(chosen["official_track"], chosen["official_status"])]
    blocked = {org for org, track in zip(chosen["org"], chosen["official_track"]) if (org, track) in hidden}
    official = official.loc[~official["org"].isin(blocked)]
    scores = score(official, definitions.spec) if not official.empty else None
    return chosen, official, scores


def round_export(round_: AssessmentRound, organisations: list[Organisation], language: str, *,
                 viewer: User | None = None, library: Library | None = None, today: date | None = None) -> RoundExport:
    """Everything one round holds about ``organisations``, labelled in ``language`` ("ka" or "en").

    - long: one row per stored answer plus one per computed indicator level, per track (and one per item an
      assessment does not ask, its condition not met), each question type's value as stored and as read;
    - wide: one row per organisation in ``organisations``, scored on the official track;
    - sub_areas (only for a questionnaire with sub-areas): one row per organisation × sub-area, as wide;
    - profile: one row per organisation × profile question × category with a value;
    - plan: one row per action of the round's development plans (a plan without actions: one row, action empty),
      overdue as of ``today`` (by default today where the programme is);
    - mentoring: one row per mentoring session supporting the round's plans.
    A round of another kind than organisations appends ``frames.SUBJECT_COLUMNS`` to every sheet.
    With a ``viewer``, tracks that viewer may not see are left out (see hidden_tracks); plans and sessions hold no
    assessment levels, so ``organisations`` alone decides which of them are in.
    Raises DefinitionMissing when the round's questionnaire or rubric is not in questionnaires/.
    """
    definitions = pinned_definitions(round_, library)
    questionnaire = definitions.questionnaire
    ids = [org.id for org in organisations]
    org_table = organisations_frame(organisations, language)
    vocabulary = labels_in(language)
    hidden = hidden_tracks(viewer, round_, organisations) if viewer is not None else set()

    # One query per kind of row: assessments, answers, profile values; every sheet is shaped from these.
    statuses = _statuses(round_.id, ids)
    rows = _answer_rows(round_.id, ids)
    values = profile_frame([round_.id], ids)
    answers = _scored_answers(rows, statuses, values, definitions, round_.code)

    long_rows = _long_rows(rows, answers, definitions)
    long = frames.long_frame(_without(long_rows, hidden), statuses, org_table, questionnaire, vocabulary, round_.code)

    chosen, official, scores = _official_scores(answers, definitions, hidden, statuses)
    domains = [d.code for d in questionnaire.domains]
    # Prepared as scoring prepares them, so answered_indicators counts every question type's answers, and only
    # those of items asked.
    wide = frames.wide_frame(org_table, chosen, prepare(official, definitions.spec), scores, definitions.rubric,
                             domains, vocabulary, round_.code)
    # Sub-area scores: the official track's, with the same choice and the same hidden tracks as the wide sheet.
    sub_areas = frames.sub_area_frame(org_table, chosen, scores, questionnaire, vocabulary, round_.code) \
        if questionnaire.has_sub_areas else None

    profile = frames.profile_frame(values.drop(columns=["round"]), org_table, questionnaire, vocabulary, round_.code)

    today = today or to_user_timezone(utcnow()).date()
    plan = frames.plan_frame(_action_rows(round_.id, ids), org_table, questionnaire, definitions.rubric, vocabulary,
                             round_.code, today)
    sessions, links = _session_rows(round_.id, ids)
    mentoring = frames.mentoring_frame(sessions, links, org_table, vocabulary, round_.code)
    export = RoundExport(round_.code, language, long, wide, profile, plan, mentoring, sub_areas, round_.subject_kind)
    if round_.subject_kind == DEFAULT_KIND:
        return export
    # Services, municipalities: every sheet names the kind and what each subject belongs to, after its own columns.
    subjects = subjects_frame(organisations, language)
    return dataclasses.replace(export, **{name: frames.with_subjects(frame, subjects)
                                          for name, frame in export.sheets().items()})
