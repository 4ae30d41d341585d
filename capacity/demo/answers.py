"""Plausible, deterministic demo answers and profile data.

The story the numbers tell: organisations start mostly "developing", GESI is
their weakest domain at baseline, most improve by endline (GESI most of all,
the programme's focus), a few regress; self-assessments run a little
optimistic, so some indicators differ by two levels and need consensus.
"""
from __future__ import annotations

import zlib
from datetime import datetime, timedelta, timezone

import numpy as np
import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status, Track

from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.library import load_directory

REGRESSING = {"GUR-03", "BOR-02", "KHE-03"}
# Endline still in progress for a few organisations: mentor or consensus not finished.
MENTOR_IN_PROGRESS = {"AKH-03", "BAT-03"}
CONSENSUS_IN_PROGRESS = {"KUT-03", "BAG-02", "TEL-03"}
# Left for a visitor to try: TEL-01 has not started its endline self-assessment, KUT-01 is halfway.
SELF_NOT_STARTED = {"TEL-01"}
SELF_IN_PROGRESS = {"KUT-01"}
AGREED_NOTE = "სხვაობა განვიხილეთ შეხვედრაზე; დოკუმენტების გადახედვის შემდეგ შევთანხმდით დონეზე {level}."


def _rng(*parts: str) -> np.random.Generator:
    return np.random.default_rng(zlib.crc32("/".join(parts).encode()))


def _true_levels(org: Organisation, round_: AssessmentRound, codes: list[str], domains: list[str]) -> np.ndarray:
    base = _rng(org.code, "base").uniform(1.6, 2.6)
    domain_offset = {d: _rng(org.code, d).normal(0, 0.25) for d in set(domains)}
    domain_offset["GESI"] = domain_offset.get("GESI", 0) - 0.55
    if round_.kind != RoundKind.BASELINE:
        if org.code in REGRESSING:
            base -= _rng(org.code, "drop").uniform(0.2, 0.45)
        else:
            base += _rng(org.code, "gain").uniform(0.35, 1.0)
            domain_offset["GESI"] += 0.35
    noise = _rng(org.code, round_.code, "noise").normal(0, 0.45, len(codes))
    raw = base + np.array([domain_offset[d] for d in domains]) + noise
    return np.clip(np.rint(raw), 1, 4)


def _track_levels(true: np.ndarray, org: Organisation, round_: AssessmentRound) -> dict[Track, np.ndarray]:
    draw = _rng(org.code, round_.code, "self").uniform(size=len(true))
    optimism = np.select([draw < 0.05, draw < 0.33, draw > 0.93], [2, 1, -1], 0)
    self_levels = np.clip(true + optimism, 1, 4)
    mentor = true
    gap = self_levels - mentor
    consensus = np.where(np.abs(gap) >= 2, mentor + np.sign(gap), mentor)
    return {Track.SELF: self_levels, Track.MENTOR: mentor, Track.CONSENSUS: consensus}


def _plan(org: Organisation, round_: AssessmentRound) -> dict[Track, tuple[Status, float] | None]:
    """Status and share answered per track."""
    if round_.kind == RoundKind.BASELINE:
        return {Track.SELF: (Status.SUBMITTED, 1.0), Track.MENTOR: (Status.SUBMITTED, 1.0), Track.CONSENSUS: (Status.VALIDATED, 1.0)}
    if org.code in SELF_NOT_STARTED:
        return {Track.SELF: None, Track.MENTOR: None, Track.CONSENSUS: None}
    if org.code in SELF_IN_PROGRESS:
        return {Track.SELF: (Status.DRAFT, 0.5), Track.MENTOR: None, Track.CONSENSUS: None}
    if org.code in MENTOR_IN_PROGRESS:
        return {Track.SELF: (Status.SUBMITTED, 1.0), Track.MENTOR: (Status.DRAFT, 0.7), Track.CONSENSUS: None}
    if org.code in CONSENSUS_IN_PROGRESS:
        return {Track.SELF: (Status.SUBMITTED, 1.0), Track.MENTOR: (Status.SUBMITTED, 1.0), Track.CONSENSUS: (Status.DRAFT, 0.4)}
    return {Track.SELF: (Status.SUBMITTED, 1.0), Track.MENTOR: (Status.SUBMITTED, 1.0), Track.CONSENSUS: (Status.VALIDATED, 1.0)}


def fill_answers(round_: AssessmentRound) -> int:
    """Create the demo assessments of ``round_`` that do not exist yet; return how many were made."""
    definitions = load_directory()
    questionnaire = definitions.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = definitions.rubric(round_.rubric_id, round_.rubric_version)
    rated = [i for i in questionnaire.indicators if i.computed is None]
    codes, domains = [i.code for i in rated], [i.domain for i in rated]
    allow_na = np.array([i.allow_na for i in rated])
    existing = set(db.session.execute(sa.select(Assessment.organisation_id, Assessment.track).where(Assessment.round_id == round_.id)).all())
    cso_users = dict(db.session.execute(sa.select(User.organisation_id, User.id).where(User.role == Role.CSO)).all())
    mentors = dict(db.session.execute(sa.select(MentorAssignment.organisation_id, MentorAssignment.mentor_id)).all())
    made = 0
    # The demo's subjects of the round's kind (its services and municipalities have their own answers: demo.subjects).
    subjects = sa.select(Organisation).where(Organisation.is_demo.is_(True), Organisation.kind == round_.subject_kind)
    for org in db.session.scalars(subjects.order_by(Organisation.code)):
        true = _true_levels(org, round_, codes, domains)
        levels = _track_levels(true, org, round_)
        not_applicable = allow_na & (_rng(org.code, round_.code, "na").uniform(size=len(codes)) < 0.2)
        for track, plan in _plan(org, round_).items():
            if plan is None or (org.id, track) in existing:
                continue
            status, share = plan
            answered = _rng(org.code, round_.code, track.value, "order").permutation(len(codes))[: int(round(share * len(codes)))]
            author = cso_users.get(org.id) if track == Track.SELF else mentors.get(org.id)
            when = _when(round_, org, track)
            assessment = Assessment(organisation_id=org.id, round_id=round_.id, track=track, status=status,
                                    questionnaire_hash=questionnaire.content_hash, rubric_hash=rubric.content_hash,
                                    created_at=when - timedelta(days=6), updated_at=when,
                                    submitted_at=when if status != Status.DRAFT else None,
                                    submitted_by_id=author if status != Status.DRAFT else None)
            gaps = np.abs(levels[Track.SELF] - levels[Track.MENTOR]) >= rubric.gap_threshold
            for index in sorted(answered):
                na = bool(not_applicable[index])
                level = None if na else int(levels[track][index])
                comment = AGREED_NOTE.format(level=level) if track == Track.CONSENSUS and gaps[index] and not na else ""
                assessment.answers.append(Answer(indicator_code=codes[index], level=level, not_applicable=na,
                                                 comment=comment, answered_by_id=author, answered_at=when))
            db.session.add(assessment)
            made += 1
    db.session.flush()
    return made


def _when(round_: AssessmentRound, org: Organisation, track: Track) -> datetime:
    start = datetime.combine(round_.starts_on, datetime.min.time(), tzinfo=timezone.utc)
    offset = {Track.SELF: 10, Track.MENTOR: 20, Track.CONSENSUS: 30}[track]
    return start + timedelta(days=offset + int(_rng(org.code, track.value).integers(0, 8)), hours=10)


def fill_profiles(round_: AssessmentRound) -> int:
    """Profile data (staff, leadership, board, volunteers, beneficiaries, budget) for demo organisations without any."""
    done = set(db.session.scalars(sa.select(ProfileValue.organisation_id).where(ProfileValue.round_id == round_.id)))
    later = round_.kind != RoundKind.BASELINE
    made = 0
    for org in db.session.scalars(sa.select(Organisation).where(Organisation.is_demo.is_(True),
                                                                Organisation.kind == round_.subject_kind)):
        if org.id in done:
            continue
        rng = _rng(org.code, "profile")
        growth = 1 if later and org.code not in REGRESSING else 0
        staff = int(rng.integers(6, 21)) + growth * 2
        leaders = int(rng.integers(2, 6))
        board = int(rng.integers(3, 8))
        volunteers = int(rng.integers(0, 16))
        beneficiaries = int(rng.integers(40, 300)) + growth * 30
        values = {}
        for code, total, female_share, disabled in (
            ("staff", staff, rng.uniform(0.65, 0.9), int(rng.integers(0, 2)) + growth),
            ("leadership", leaders, rng.uniform(0.5, 1.0), int(rng.integers(0, 2)) * growth),
            ("board", board, rng.uniform(0.4, 0.8), int(rng.integers(0, 2))),
            ("volunteers", volunteers, rng.uniform(0.5, 0.8), int(rng.integers(0, 3)) if volunteers > 2 else 0),
            ("beneficiaries", beneficiaries, rng.uniform(0.45, 0.55), int(beneficiaries * rng.uniform(0.2, 0.6))),
        ):
            female = int(round(total * female_share))
            values.update({(code, "total"): total, (code, "female"): female, (code, "male"): total - female,
                           (code, "with_disability"): disabled, (code, "without_disability"): total - disabled})
        children = int(beneficiaries * rng.uniform(0.4, 0.7))
        older = int(beneficiaries * rng.uniform(0.0, 0.1))
        values.update({("beneficiaries", "child"): children, ("beneficiaries", "older"): older,
                       ("beneficiaries", "adult"): beneficiaries - children - older})
        values[("annual_budget", "total")] = round(float(rng.uniform(40_000, 400_000)), -2)
        values[("gesi_budget_share", "total")] = round(float(rng.uniform(0, 3) + growth * rng.uniform(1, 3)), 1)
        values[("accessibility_budget_share", "total")] = round(float(rng.uniform(0, 1) + growth * rng.uniform(0.5, 2)), 1)
        db.session.add_all(ProfileValue(organisation_id=org.id, round_id=round_.id, code=code, category=category, value=float(v))
                           for (code, category), v in values.items())
        made += 1
    db.session.flush()
    return made
