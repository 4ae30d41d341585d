"""Rendered PDFs, kept under a key of everything that shapes them.

The key hashes the report's view model (every number, name, answer and chart it
prints — so any change in answers, profile data, questionnaire or rubric makes a
new key), the template and stylesheet, the language and the template version,
the compiled translation catalogues and the package version (``build_signature``:
a corrected translation or a new release is never served from an old PDF).
Building the view model takes a fraction of rendering, which the cache skips.
Profiles, asked for most, use a cheaper key read from the database state
(``profile_fingerprint``), so a cached one is served without scoring anything.
"""
from __future__ import annotations

import hashlib
import json
import configparser
import functools
import importlib.metadata
import os
from pathlib import Path
from typing import Callable

import sqlalchemy as sa

from capacity import access, resources
from capacity.assessments.models import Answer, Assessment
from capacity.assessments.results import pinned_definitions
from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from capacity.rounds.services import mentors_of_subject
from capacity.plans.models import OPEN_STATUSES, DevelopmentPlan, PlanAction
from capacity.profiles.models import ProfileValue
from capacity.reporting.pdf import REPORTS_DIR, TEMPLATE_VERSION, render_pdf
from capacity.reporting.profile_model import build_profile
from capacity.reporting.round_result import has_mentor_assessments
from capacity.reporting.wording import wording
from capacity.rounds.queries import Baseline, as_baseline
from capacity.timeutil import programme_today


TRANSLATIONS_DIR = resources.TRANSLATIONS_DIR
SETUP_CFG = resources.CHECKOUT / "setup.cfg"  # the version when running from a checkout that is not installed


def package_version() -> str:
    """Capacity's installed version; from setup.cfg when running from a checkout that is not installed."""
    try:
        return importlib.metadata.version("capacity")
    except importlib.metadata.PackageNotFoundError:
        parser = configparser.ConfigParser()
        parser.read(SETUP_CFG, encoding="utf-8")
        return parser.get("metadata", "version", fallback="unknown")


@functools.lru_cache(maxsize=8)
def _catalogues_digest(stamps: tuple) -> str:
    digest = hashlib.sha256()
    for name, _mtime, _size in stamps:
        digest.update(name.encode() + b"\0" + (TRANSLATIONS_DIR / name).read_bytes())
    return digest.hexdigest()


def build_signature() -> str:
    """The package version and a hash of the compiled catalogues (.mo), part of every cache key.

    Keyed by the files' times and sizes, so a recompiled catalogue is hashed again but an
    unchanged one is not read on every request.
    """
    stamps = tuple(sorted((str(p.relative_to(TRANSLATIONS_DIR)), p.stat().st_mtime_ns, p.stat().st_size)
                          for p in TRANSLATIONS_DIR.glob("*/LC_MESSAGES/*.mo")))
    return f"{package_version()}|{_catalogues_digest(stamps)}"


def cache_key(template: str, data: dict, language: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{TEMPLATE_VERSION}|{build_signature()}|{template}|{language}|".encode())
    for asset in (template, "print.css"):
        digest.update((REPORTS_DIR / asset).read_bytes())
    digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def cached_pdf(instance_path: str, template: str, context_name: str, data: dict, language: str) -> bytes:
    """The PDF from the cache, or rendered now and stored (written atomically, so readers never see half a file)."""
    folder = Path(instance_path) / "cache" / "reports"
    path = folder / f"{cache_key(template, data, language)}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = render_pdf(template, {context_name: data}, language)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pdf)
    partial.replace(path)
    return pdf


def profile_fingerprint(org, round_, baseline: Baseline, language: str, viewer=None, content: str | None = None) -> str:
    """A cheap key for a profile, from the database state it is built from (no scoring, no rendering).

    Every answer save bumps its revision and every status change touches its
    assessment, so counts, revision sums and the latest times change whenever
    anything the profile prints changes; names, places, mentors, the subject's kind and its texts (the
    report's titles), the organisation a service belongs to, the questionnaire
    and rubric versions and the template complete the key. What ``viewer`` may
    see of each round (``access.Sight.signature``) is part of the key, so one
    reader's cached PDF is never served to another who may see less. The development
    plan and mentoring the profile prints are in it too (``plan_fingerprint``), and so are the language of its
    content (``content``, as asked: None is the interface's) and whether the round has any mentor assessment at all
    (without one, the profile prints no self/mentor section).
    Raises DefinitionChanged, like building the profile would, when a round's files changed.
    """
    baseline = as_baseline(baseline)
    parent = org.parent
    parts: list = [TEMPLATE_VERSION, build_signature(), language, content, has_mentor_assessments(round_), org.code, org.name_ka, org.name_en, org.municipality, org.service_areas_raw,
                   [m.display_name for m in mentors_of_subject(org)], str(baseline.reason or ""),
                   wording(org.kind, language).as_dict(),
                   [parent.code, parent.kind, parent.name_ka, parent.name_en] if parent is not None else None]
    for asset in ("profile.html", "print.css"):
        parts.append(hashlib.sha256((REPORTS_DIR / asset).read_bytes()).hexdigest())
    for r in (round_, baseline.round):
        if r is None:
            parts.append(None)
            continue
        definitions = pinned_definitions(r)
        answers = db.session.execute(
            sa.select(sa.func.count(Answer.id), sa.func.coalesce(sa.func.sum(Answer.revision), 0), sa.func.max(Answer.answered_at))
            .join(Assessment, Answer.assessment_id == Assessment.id)
            .where(Assessment.organisation_id == org.id, Assessment.round_id == r.id)).one()
        statuses = db.session.execute(
            sa.select(Assessment.track, Assessment.status, Assessment.updated_at, Assessment.submitted_at)
            .where(Assessment.organisation_id == org.id, Assessment.round_id == r.id).order_by(Assessment.track)).all()
        profile = db.session.execute(
            sa.select(sa.func.count(ProfileValue.id), sa.func.coalesce(sa.func.sum(ProfileValue.value), 0),
                      sa.func.max(ProfileValue.updated_at))
            .where(ProfileValue.organisation_id == org.id, ProfileValue.round_id == r.id)).one()
        parts.append([r.code, r.name_ka, r.name_en, r.starts_on, r.ends_on, definitions.questionnaire.content_hash,
                      definitions.rubric.content_hash, list(answers), [list(s) for s in statuses], list(profile),
                      access.sight(viewer, org, r).signature()])
    parts.append(plan_fingerprint(org, baseline.round or round_))
    return hashlib.sha256(json.dumps(parts, default=str, ensure_ascii=False).encode()).hexdigest()


def plan_fingerprint(org, round_) -> list:
    """What the profile's plan section is built from, in one aggregate query: the plan's existence, its actions
    (count, revisions, latest change: a status changed without a note still touches ``updated_at``) and the
    round's mentoring sessions; the programme's day too when there is a plan (the profile gives its state "as of"
    that day, and an open action may fall overdue)."""
    in_plan = sa.and_(DevelopmentPlan.organisation_id == org.id, DevelopmentPlan.round_id == round_.id)
    plans = sa.select(sa.func.count(DevelopmentPlan.id).label("plans")).where(in_plan).subquery()
    actions = (sa.select(sa.func.count(PlanAction.id).label("actions"),
                         sa.func.coalesce(sa.func.sum(PlanAction.revision), 0).label("action_revisions"),
                         sa.func.max(PlanAction.updated_at).label("action_changed"),
                         sa.func.count(PlanAction.id).filter(PlanAction.status.in_(OPEN_STATUSES),
                                                             PlanAction.due_on.is_not(None)).label("open_due"))
               .join(DevelopmentPlan, PlanAction.plan_id == DevelopmentPlan.id).where(in_plan).subquery())
    sessions = (sa.select(sa.func.count(MentoringSession.id).label("sessions"),
                          sa.func.coalesce(sa.func.sum(MentoringSession.revision), 0).label("session_revisions"),
                          sa.func.max(MentoringSession.updated_at).label("session_changed"))
                .where(MentoringSession.organisation_id == org.id, MentoringSession.round_id == round_.id).subquery())
    # Each aggregate is one row: joined on nothing, they make one row together.
    row = db.session.execute(sa.select(plans, actions, sessions).select_from(
        plans.join(actions, sa.true()).join(sessions, sa.true()))).one()
    return [round_.code, list(row), programme_today() if row.plans else None]


def profile_path(instance_path: str, org, round_, baseline: Baseline, language: str, viewer=None,
                 content: str | None = None) -> Path:
    """Where the cache keeps this profile as ``viewer`` sees it (the file may not be there yet)."""
    fingerprint = profile_fingerprint(org, round_, as_baseline(baseline), language, viewer, content)
    return Path(instance_path) / "cache" / "reports" / f"profile-{fingerprint}.pdf"


def store(path: Path, pdf: bytes) -> None:
    """Keep a rendered PDF at ``path``, written atomically (readers in any process never see half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pdf)
    partial.replace(path)


def cached_profile(instance_path: str, org, round_, baseline: Baseline, language: str, viewer=None,
                   results: Callable[[], tuple] | None = None, content: str | None = None) -> bytes:
    """An organisation's profile PDF as ``viewer`` may see it (None: the programme, everything): cached when nothing changed.

    ``results``: gives both rounds scored for all organisations (see ``build_profile``), asked only on a miss.
    Printing many at once: ``capacity.reporting.batch``, which keeps them under the same ``profile_path``.
    ``content``: the language of the questionnaire's texts (``build_profile``).
    """
    baseline = as_baseline(baseline)
    path = profile_path(instance_path, org, round_, baseline, language, viewer, content)
    if path.is_file():
        return path.read_bytes()
    data = build_profile(org, round_, baseline, language, viewer, results=results() if results else None,
                         content=content)
    pdf = render_pdf("profile.html", {"r": data}, language)
    store(path, pdf)
    return pdf
