"""Setting up assessment rounds, opening and closing them, and following their progress.

Services take models and plain data, ``flush()`` and record an audit event;
the view commits. The progress grid is computed with aggregate queries, never
one query per organisation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Assessment, Status, Track
from capacity.assessments.results import repository_path
from capacity.rounds.definitions import definitions_for
from capacity.assessments.services import TrackState, rated_indicator_codes, track_states

from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import by_code, subjects_of
from capacity.audit import services as audit
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.questionnaires.library import Library

# \Z: "$" would let a trailing newline through; "none" is what people type for "no baseline" in reports.
CODE_PATTERN = re.compile(r"^(?!none\Z)[a-z0-9-]{2,32}\Z")
# The fields a round's form may change; the code never changes after creation.
FIELDS = ("name_ka", "name_en", "kind", "starts_on", "ends_on",
          "questionnaire_id", "questionnaire_version", "rubric_id", "rubric_version")
DEFINITION_FIELDS = ("questionnaire_id", "questionnaire_version", "rubric_id", "rubric_version")
DONE = (Status.SUBMITTED, Status.VALIDATED)

# Shared with the form, so the same rule reads the same everywhere.
BAD_CODE = _l("Use 2–32 lower-case Latin letters, digits or hyphens, e.g. endline-2026 (not the word “none”).")
TAKEN_CODE = _l("Another round already has this code.")
END_BEFORE_START = _l("The end date cannot be before the start date.")
RUBRIC_MISMATCH = _l("This rubric belongs to another questionnaire version. "
                     "Choose a rubric made for the chosen questionnaire version.")
DEFINITION_LOCKED = _l("This round already has assessments, so its questionnaire and rubric versions "
                       "can no longer be changed.")


class RoundProblem(ValueError):
    """The round cannot be saved as asked; ``field`` names the form field at fault."""

    def __init__(self, field: str, message: Any):
        super().__init__(message)
        self.field = field
        self.message = message  # a lazy string: shown in the user's language


def has_assessments(round_: AssessmentRound) -> bool:
    """Has any organisation started an assessment (on any track) in this round?"""
    return db.session.scalar(sa.select(sa.func.count(Assessment.id)).where(Assessment.round_id == round_.id)) > 0


def _check(values: dict[str, Any], library: Library) -> None:
    """The rules every saved round obeys, whichever way it is saved."""
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        raise RoundProblem("ends_on", END_BEFORE_START)
    rubric = library.rubric(values["rubric_id"], values["rubric_version"])
    if rubric is not None and (rubric.questionnaire_id, rubric.questionnaire_version) != (
            values["questionnaire_id"], values["questionnaire_version"]):
        raise RoundProblem("rubric", RUBRIC_MISMATCH)


def _subject_kind(values: dict[str, Any], library: Library) -> str:
    """The kind of subject the round's questionnaire assesses (organisation when its file is missing)."""
    questionnaire = library.questionnaire(values["questionnaire_id"], values["questionnaire_version"])
    return questionnaire.subject if questionnaire is not None else "organisation"


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-friendly copies of round values for the audit trail."""
    return {key: (value.isoformat() if isinstance(value, date) else getattr(value, "value", value))
            for key, value in values.items()}


def create_round(actor: Any, code: str, values: dict[str, Any], library: Library) -> AssessmentRound:
    """Add a closed round with ``code``; raise RoundProblem for a bad or taken code, or broken rules."""
    if not CODE_PATTERN.match(code):
        raise RoundProblem("code", BAD_CODE)
    if by_code(code) is not None:
        raise RoundProblem("code", TAKEN_CODE)
    _check(values, library)
    round_ = AssessmentRound(code=code, is_open=False, subject_kind=_subject_kind(values, library),
                             **{key: values[key] for key in FIELDS})
    db.session.add(round_)
    db.session.flush()
    audit.record(actor, "round.create", "round", code, after={"code": code, **_plain({k: values[k] for k in FIELDS})})
    return round_


def update_round(actor: Any, round_: AssessmentRound, values: dict[str, Any], library: Library) -> AssessmentRound:
    """Change a round's names, kind, dates and versions; record old → new.

    The questionnaire and rubric versions are locked once the round has any
    assessment: answers were given against them (RoundProblem on "questionnaire").
    """
    values = {key: values[key] for key in FIELDS if key in values}
    _check({**{key: getattr(round_, key) for key in FIELDS}, **values}, library)
    definition_changed = any(values.get(key, getattr(round_, key)) != getattr(round_, key) for key in DEFINITION_FIELDS)
    if definition_changed and has_assessments(round_):
        raise RoundProblem("questionnaire", DEFINITION_LOCKED)
    before, after = audit.changes(round_, values)
    for key, value in values.items():
        setattr(round_, key, value)
    round_.subject_kind = _subject_kind({key: getattr(round_, key) for key in FIELDS}, library)
    if before:
        audit.record(actor, "round.update", "round", round_.code, before=_plain(before), after=_plain(after))
    db.session.flush()
    return round_


def set_open(actor: Any, round_: AssessmentRound, is_open: bool) -> bool:
    """Open or close a round; return False (and record nothing) if it already was."""
    if round_.is_open == is_open:
        return False
    round_.is_open = is_open
    audit.record(actor, "round.open" if is_open else "round.close", "round", round_.code,
                 before={"is_open": not is_open}, after={"is_open": is_open})
    db.session.flush()
    return True


@dataclass(frozen=True)
class Unfinished:
    """What closing a round would leave undone: active organisations per track not submitted (or validated)."""

    organisations: int
    by_track: dict[Track, int]


def unfinished(round_: AssessmentRound) -> Unfinished:
    """How many active organisations have each track of ``round_`` not submitted or validated yet (one query)."""
    ids = list(db.session.scalars(subjects_of(round_).with_only_columns(Organisation.id)))
    done = {track: 0 for track in Track}
    if ids:
        rows = db.session.execute(
            sa.select(Assessment.track, sa.func.count(Assessment.id))
            .where(Assessment.round_id == round_.id, Assessment.organisation_id.in_(ids), Assessment.status.in_(DONE))
            .group_by(Assessment.track))
        for track, count in rows:
            done[Track(track)] = count
    return Unfinished(len(ids), {track: len(ids) - done[track] for track in Track})


def repin_round(actor: Any, round_: AssessmentRound, library: Library) -> int:
    """Pin every assessment of ``round_`` to the current content of its questionnaire and rubric files.

    For when a file was corrected under the same version on purpose (a typo, a
    translation) and the manager accepts that the round's answers are scored
    against it from now on. Records "round.repin" with the hashes before and after;
    returns how many assessments changed (0: nothing to do, nothing recorded).
    Raises DefinitionMissing when the round's versions are not in the folder.
    """
    definitions = definitions_for(round_, library)
    new = {"questionnaire_hash": definitions.questionnaire.content_hash, "rubric_hash": definitions.rubric.content_hash}
    differs = sa.or_(Assessment.questionnaire_hash.is_distinct_from(new["questionnaire_hash"]),
                     Assessment.rubric_hash.is_distinct_from(new["rubric_hash"]))
    old = db.session.execute(sa.select(Assessment.questionnaire_hash, Assessment.rubric_hash).distinct()
                             .where(Assessment.round_id == round_.id, differs)).all()
    if not old:
        return 0
    # One UPDATE for the whole round, not one per assessment.
    changed = db.session.execute(
        sa.update(Assessment).where(Assessment.round_id == round_.id, differs).values(**new)
        .execution_options(synchronize_session="fetch")).rowcount
    audit.record(actor, "round.repin", "round", round_.code,
                 # null in a list: assessments created before hashes were recorded
                 before={"questionnaire_hash": sorted({q for q, _ in old}, key=str),
                         "rubric_hash": sorted({r for _, r in old}, key=str)},
                 after={**new, "assessments": changed,
                        "questionnaire": repository_path(definitions.questionnaire.path),
                        "rubric": repository_path(definitions.rubric.path)})
    db.session.flush()
    return changed


@dataclass(frozen=True)
class Cell:
    """One organisation's assessment on one track: what the grid shows."""

    status: Status | None  # None: not started
    answered: int
    share: float | None  # answered / rated indicators; None when the questionnaire is missing
    updated_at: datetime | None


@dataclass
class ProgressRow:
    organisation: Organisation
    cells: dict[Track, Cell]
    mentors: list[str]
    last_activity: datetime | None


@dataclass
class Progress:
    rows: list[ProgressRow]
    rated: int | None  # how many indicators are rated; None when the questionnaire is missing
    done: dict[Track, int] = field(default_factory=dict)  # submitted or validated, per track


def mentor_names(organisation_ids: list[int]) -> dict[int, list[str]]:
    """The display names of each organisation's mentors, in one query."""
    names: dict[int, list[str]] = {}
    if not organisation_ids:
        return names
    rows = db.session.execute(
        sa.select(MentorAssignment.organisation_id, User.display_name)
        .join(User, MentorAssignment.mentor_id == User.id)
        .where(MentorAssignment.organisation_id.in_(organisation_ids))
        .order_by(User.display_name)
    )
    for org_id, name in rows:
        names.setdefault(org_id, []).append(name)
    return names


def progress(round_: AssessmentRound, organisations: list[Organisation], library: Library | None = None) -> Progress:
    """The progress grid of ``round_`` for these organisations (the caller decides which the user may see).

    Counts come from ``assessments.services.track_states``, the same as on the home
    and organisation pages, so every page shows the same number.
    """
    ids = [o.id for o in organisations]
    rated_codes = rated_indicator_codes(round_, library)
    states = track_states(ids, round_, rated_codes)
    mentors = mentor_names(ids)
    rated = len(rated_codes) if rated_codes is not None else None
    rows, done = [], {track: 0 for track in Track}
    for org in organisations:
        row_cells = {}
        for track in Track:
            state = states.get((org.id, track)) or TrackState(None, 0)
            status, answered, updated = state.status, state.answered, state.updated_at
            share = min(answered / rated, 1.0) if rated else None
            row_cells[track] = Cell(status, answered, share, updated)
            done[track] += status in DONE
        times = [c.updated_at for c in row_cells.values() if c.updated_at is not None]
        rows.append(ProgressRow(org, row_cells, mentors.get(org.id, []), max(times) if times else None))
    return Progress(rows, rated, done)


def filter_organisations(query: sa.Select, municipality: str | None, mentor_id: int | None) -> sa.Select:
    """Narrow a select() of organisations to one municipality and/or one mentor's organisations."""
    if municipality:
        query = query.where(Organisation.municipality == municipality)
    if mentor_id:
        query = query.where(Organisation.id.in_(
            sa.select(MentorAssignment.organisation_id).where(MentorAssignment.mentor_id == mentor_id)))
    return query


def mentors_of_organisations(organisations: sa.Select) -> list[User]:
    """Mentor accounts assigned to at least one of ``organisations`` (a select() of them), by name."""
    visible_ids = organisations.with_only_columns(Organisation.id).order_by(None)
    return list(db.session.scalars(
        sa.select(User).where(User.role == Role.MENTOR, User.id.in_(
            sa.select(MentorAssignment.mentor_id).where(MentorAssignment.organisation_id.in_(visible_ids))))
        .order_by(User.display_name)))
