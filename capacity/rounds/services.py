"""Setting up assessment rounds, opening and closing them, and following their progress.

Services take models and plain data, ``flush()`` and record an audit event;
the view commits. The progress grid is computed with aggregate queries, never
one query per organisation. It lists the subjects of the round's kind (organisations,
services or municipalities); their mentors are the mentor accounts their kind's access
rule lets see them (``mentors_by_subject``).
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
from capacity.access import access_rule
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
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


def _assigned(organisation_ids: set[int]) -> dict[int, list[User]]:
    """The mentors assigned to each of these subjects (MentorAssignment), in one query."""
    found: dict[int, list[User]] = {}
    if organisation_ids:
        rows = db.session.execute(sa.select(MentorAssignment.organisation_id, User)
                                  .join(User, MentorAssignment.mentor_id == User.id)
                                  .where(MentorAssignment.organisation_id.in_(sorted(organisation_ids))))
        for org_id, user in rows:
            found.setdefault(org_id, []).append(user)
    return found


def _of_municipalities(codes: set[str]) -> dict[str, list[User]]:
    """The mentor accounts assigned to each of these municipalities (MunicipalityAssignment), in one query."""
    found: dict[str, list[User]] = {}
    if codes:
        rows = db.session.execute(sa.select(MunicipalityAssignment.municipality, User)
                                  .join(User, MunicipalityAssignment.user_id == User.id)
                                  .where(MunicipalityAssignment.municipality.in_(sorted(codes)),
                                         User.role == Role.MENTOR))
        for code, user in rows:
            found.setdefault(code, []).append(user)
    return found


def mentors_by_subject(subjects: list[Organisation]) -> dict[int, list[User]]:
    """Each subject's mentors (by subject id, every id present, by name), in at most three queries: the mentor
    accounts its kind's access rule lets see it (``capacity.access``) — an organisation's assigned mentors, a
    service's organisation's, the mentors assigned to a municipality subject's municipality."""
    rules = {s.id: access_rule(s.kind) for s in subjects}
    # A service's mentors are its organisation's where that organisation's own kind names its mentors directly.
    parents = {s.id: s.parent_id for s in subjects if rules[s.id] == "parent" and s.parent is not None
               and access_rule(s.parent.kind) == "members"}
    assigned = _assigned({s.id for s in subjects if rules[s.id] == "members"} | set(parents.values()))
    towns = _of_municipalities({s.municipality for s in subjects if rules[s.id] == "municipality"})
    found = {}
    for s in subjects:
        rule = rules[s.id]
        users = assigned.get(s.id, []) if rule == "members" else assigned.get(parents.get(s.id), []) \
            if rule == "parent" else towns.get(s.municipality, []) if rule == "municipality" else []
        found[s.id] = sorted({u.id: u for u in users}.values(), key=lambda u: (u.display_name, u.id))
    return found


def mentors_of_subject(subject: Organisation) -> list[User]:
    """One subject's mentors, by name (``mentors_by_subject``)."""
    return mentors_by_subject([subject])[subject.id]


def mentor_names(subjects: list[Organisation]) -> dict[int, list[str]]:
    """The display names of each subject's mentors (``mentors_by_subject``), by subject id."""
    return {subject_id: [user.display_name for user in users]
            for subject_id, users in mentors_by_subject(subjects).items()}


def progress(round_: AssessmentRound, organisations: list[Organisation], library: Library | None = None) -> Progress:
    """The progress grid of ``round_`` for these subjects (the caller decides which the user may see).

    Counts come from ``assessments.services.track_states``, the same as on the home
    and organisation pages, so every page shows the same number.
    """
    ids = [o.id for o in organisations]
    rated_codes = rated_indicator_codes(round_, library)
    states = track_states(ids, round_, rated_codes)
    mentors = mentor_names(organisations)
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


def filter_organisations(subjects: list[Organisation], municipality: str | None,
                         mentor_id: int | None) -> list[Organisation]:
    """Those of ``subjects`` in one municipality and/or supported by one mentor (``mentor_names``' rule), in order."""
    if municipality:
        subjects = [s for s in subjects if s.municipality == municipality]
    if mentor_id:
        mentors = mentors_by_subject(subjects)
        subjects = [s for s in subjects if any(user.id == mentor_id for user in mentors[s.id])]
    return subjects


def mentors_of_organisations(subjects: list[Organisation]) -> list[User]:
    """Mentor accounts supporting at least one of ``subjects`` (``mentor_names``' rule), by name: the grid's
    mentor filter offers them."""
    unique = {user.id: user for users in mentors_by_subject(subjects).values() for user in users}
    return sorted(unique.values(), key=lambda user: (user.display_name, user.id))
