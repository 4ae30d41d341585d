"""Finding rounds: by code, newest first, the current one, and the baseline a round is compared with.

A baseline is only ever a round of the same questionnaire (any version, mapped
through the crosswalk) on the same scale: before/after compares like with like.
Where there is none, or none is wanted, ``Baseline.reason`` says why, so a
report can become a single-round report and tell its reader.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import abort
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Assessment
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import Library, load_directory
from capacity.rounds.models import AssessmentRound

NO_BASELINE = "none"  # what a user types (``--baseline none``, ``?baseline=none``) for a single-round report


def by_code(code: str) -> AssessmentRound | None:
    return db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))


def round_or_404(code: str, subject: "Organisation | None" = None) -> AssessmentRound:
    """The round with this code, else a 404 (for views); with ``subject``, also a 404 unless the round assesses
    subjects of its kind (a service has no page in an organisation round, and the reverse)."""
    round_ = by_code(code)
    if round_ is None or (subject is not None and round_.subject_kind != subject.kind):
        abort(404)
    return round_


def rounds_newest_first(kind: str | None = None) -> list[AssessmentRound]:
    """Every round, newest first; with ``kind``, only rounds that assess subjects of that kind."""
    query = sa.select(AssessmentRound).order_by(AssessmentRound.starts_on.desc().nulls_last(), AssessmentRound.id.desc())
    if kind is not None:
        query = query.where(AssessmentRound.subject_kind == kind)
    return list(db.session.scalars(query))


def subjects_of(round_: AssessmentRound) -> sa.Select:
    """A select() of the subjects ``round_`` covers: the active ones of its questionnaire's kind, by code."""
    return (sa.select(Organisation).where(Organisation.active.is_(True), Organisation.kind == round_.subject_kind)
            .order_by(Organisation.code))


def current_round(kind: str | None = None) -> AssessmentRound | None:
    """The newest open round, else the newest round, else None (with ``kind``: of rounds assessing that kind)."""
    rounds = rounds_newest_first(kind)
    return next((r for r in rounds if r.is_open), rounds[0] if rounds else None)


def previous_round(round_: AssessmentRound) -> AssessmentRound | None:
    """The newest round of the same questionnaire that started before ``round_`` and has any assessment.

    A round nobody has started (a midline planned but not held) is no baseline: comparing
    with it would print an empty "before".
    """
    if round_.starts_on is None:
        return None
    held = sa.select(Assessment.id).where(Assessment.round_id == AssessmentRound.id).exists()
    return db.session.scalar(
        sa.select(AssessmentRound)
        .where(AssessmentRound.starts_on < round_.starts_on, AssessmentRound.questionnaire_id == round_.questionnaire_id,
               AssessmentRound.id != round_.id, held)
        .order_by(AssessmentRound.starts_on.desc(), AssessmentRound.id.desc()).limit(1))


@dataclass(frozen=True)
class Baseline:
    """The round a report compares with, or None and why not (a lazy, translatable sentence)."""

    round: AssessmentRound | None
    reason: Any = None


def as_baseline(value: "Baseline | AssessmentRound | None") -> Baseline:
    """A Baseline from what a caller has: a Baseline, a bare round (compared as given) or None (no baseline)."""
    if isinstance(value, Baseline):
        return value
    return Baseline(value, None if value is not None else _l("No baseline was chosen for this profile."))


class SameRound(ValueError):
    """The baseline asked for is the round itself."""


def comparison_problem(round_: AssessmentRound, baseline: AssessmentRound, library: Library | None = None) -> Any:
    """Why ``baseline`` cannot be compared with ``round_`` (a lazy sentence), or None when it can."""
    if baseline.questionnaire_id != round_.questionnaire_id:
        return _l("The round “%(before)s” used another questionnaire (%(other)s), so it is not compared with "
                  "“%(after)s” (%(this)s).", before=baseline.code, other=baseline.questionnaire_id,
                  after=round_.code, this=round_.questionnaire_id)
    if baseline.starts_on and round_.starts_on and baseline.starts_on >= round_.starts_on:
        return _l("The round “%(before)s” did not start before “%(after)s”, so it cannot be its baseline.",
                  before=baseline.code, after=round_.code)
    library = library or load_directory()
    before = library.questionnaire(baseline.questionnaire_id, baseline.questionnaire_version)
    after = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    if before is None or library.rubric(baseline.rubric_id, baseline.rubric_version) is None:
        return _l("The questionnaire or rubric version of the round “%(before)s” is missing from questionnaires/, so "
                  "it is not compared.", before=baseline.code)
    if after is not None and (before.min_level, before.max_level) != (after.min_level, after.max_level):
        return _l("The round “%(before)s” used a %(b_low)d–%(b_high)d scale and “%(after)s” a %(a_low)d–%(a_high)d "
                  "scale, so the two are not compared.", before=baseline.code, b_low=before.min_level,
                  b_high=before.max_level, after=round_.code, a_low=after.min_level, a_high=after.max_level)
    return None


def baseline_for(round_: AssessmentRound, requested: str | None, library: Library | None = None) -> Baseline:
    """The baseline of ``round_``: ``requested`` (a round code, or NO_BASELINE), else the previous comparable round.

    Raises LookupError for an unknown code and SameRound when ``requested`` is ``round_`` itself.
    """
    if requested == NO_BASELINE:
        return Baseline(None, _l("No baseline was chosen for this profile."))
    if requested:
        baseline = by_code(requested)
        if baseline is None:
            raise LookupError(requested)
        if baseline.id == round_.id:
            raise SameRound(requested)
        problem = comparison_problem(round_, baseline, library)
        return Baseline(None, problem) if problem else Baseline(baseline)
    baseline = previous_round(round_)
    if baseline is None and round_.starts_on is None:
        return Baseline(None, _l("This round has no start date, so no earlier round can be found to compare with."))
    if baseline is None:
        return Baseline(None, _l("There is no earlier round of this questionnaire to compare with."))
    problem = comparison_problem(round_, baseline, library)
    return Baseline(None, problem) if problem else Baseline(baseline)
