"""Starting and running the "print all profiles" job.

The web request only records the job and hands it over: to a thread of this
process by default, or to RQ workers on Redis when CAPACITY_REDIS_URL is set (for
deployments with several web servers). Progress lives in the database row, so any
server can show it; the finished ZIP is stored in the job's row, so any server can
hand out what any worker printed. The job records
its worker and a heartbeat after each profile, so one whose worker died is marked
failed instead of "running" forever (capacity.jobs.liveness).
"""
from __future__ import annotations

import functools
import tempfile
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_babel import force_locale

from capacity.rounds.models import AssessmentRound
from capacity.audit import services as audit
from capacity.assessments.results import DefinitionChanged
from capacity.database import write_intent
from capacity.extensions import db
from capacity.jobs.liveness import rq_job_id, worker_identity
from capacity.jobs.models import ReportJob
from capacity.organisations.models import Organisation
from capacity.timeutil import utcnow

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capacity-jobs")


# Up to this size the ZIP is built in memory; beyond it in a temporary file, until it is stored in the row.
_SPOOL_BYTES = 64 * 1024 * 1024


def start_profiles_zip(actor: Any, round_: AssessmentRound, baseline: AssessmentRound | None, language: str) -> ReportJob:
    """Record a job that prints every active organisation's profile of ``round_`` (the caller commits, then dispatches)."""
    total = db.session.scalar(sa.select(sa.func.count(Organisation.id)).where(Organisation.active.is_(True)))
    job = ReportJob(id=uuid.uuid4().hex, round_id=round_.id, baseline_id=baseline.id if baseline else None,
                    language=language, requested_by_id=getattr(actor, "id", None), total=total,
                    runner="rq" if current_app.config.get("CAPACITY_REDIS_URL") else "thread", heartbeat_at=utcnow())
    db.session.add(job)
    db.session.flush()
    audit.record(actor, "report.profiles_zip", "report_job", job.id, after={"round": round_.code, "language": language})
    return job


def dispatch(app: Flask, job_id: str) -> None:
    """Hand the job to RQ (when configured) or to this process's job thread; returns at once."""
    redis_url = app.config.get("CAPACITY_REDIS_URL")
    if redis_url:
        from redis import Redis
        from rq import Queue

        # A known RQ id: the liveness check asks RQ about this very job.
        Queue("capacity", connection=Redis.from_url(redis_url)).enqueue(run_job, job_id, job_timeout=3600,
                                                                        job_id=rq_job_id(job_id))
    else:
        _executor.submit(_run_in_app, app, job_id)


def wait_for_jobs(timeout: float = 120) -> None:
    """Block until this process's job thread has finished what it was given (used at shutdown and in tests)."""
    _executor.submit(lambda: None).result(timeout=timeout)


def _run_in_app(app: Flask, job_id: str) -> None:
    with app.app_context():
        run_job(job_id)


def run_job(job_id: str) -> None:
    """Render the profiles one by one into the job's ZIP, recording progress after each (RQ calls this too)."""
    if not has_app_context():  # an RQ worker: build the app from the same environment as the web servers
        from capacity import create_app

        with create_app().app_context():
            return run_job(job_id)
    from capacity.auth.models import User
    from capacity.reporting.cache import cached_profile
    from capacity.reporting.round_result import RoundResult
    from capacity.rounds.queries import baseline_for

    job = db.session.get(ReportJob, job_id)
    if job is None or job.status not in ("queued", "running"):
        return None
    job.status, job.done, job.worker, job.heartbeat_at = "running", 0, worker_identity(), utcnow()
    db.session.commit()
    try:
        from capacity.maintenance.prune import DEFAULT_AGE, prune

        prune(current_app.instance_path, DEFAULT_AGE)  # old PDFs and ZIPs go before new ones are written
        round_ = db.session.get(AssessmentRound, job.round_id)
        chosen = db.session.get(AssessmentRound, job.baseline_id) if job.baseline_id else None
        baseline = baseline_for(round_, chosen.code if chosen else None)
        # The profiles are printed as the person who asked may see them (a programme manager: everything).
        viewer = db.session.get(User, job.requested_by_id) if job.requested_by_id else None
        organisations = list(db.session.scalars(sa.select(Organisation).where(Organisation.active.is_(True))
                                                .order_by(Organisation.code)))
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)

        @functools.cache
        def results():  # both rounds scored once for every organisation, and only if a profile is not cached
            return RoundResult(round_, None), RoundResult(baseline.round, None) if baseline.round else None

        with spool, zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for org in organisations:
                # Rendering only reads: on SQLite it must not hold the write lock the autosaves wait for,
                # so it runs in a reading transaction, ended before the short one that records progress.
                db.session.commit()
                with write_intent(False):
                    pdf = cached_profile(current_app.instance_path, org, round_, baseline, job.language, viewer, results)
                    db.session.commit()
                archive.writestr(f"capacity-{org.code}-{round_.code}-{job.language}.pdf", pdf)
                db.session.refresh(job)
                if job.status != "running":  # declared dead while this worker was stalled: it stops here
                    return None
                job.done += 1
                job.heartbeat_at = utcnow()
                db.session.commit()  # progress (and the heartbeat) is visible to every server at once
            archive.close()  # writes the ZIP's directory, so the bytes below are the whole file
            spool.seek(0)
            content = spool.read()
        # The ZIP and "done" are committed together: a job that is done always has its ZIP (until pruned).
        job.archive, job.archive_size = content, len(content)
        job.status, job.finished_at = "done", utcnow()
    except Exception as error:  # the job records why it failed; the page says so instead of waiting forever
        db.session.rollback()
        job = db.session.get(ReportJob, job_id)
        if isinstance(error, DefinitionChanged):  # a reason for the manager, in the job's language
            with force_locale(job.language):
                reason = str(error.message)
        else:
            reason = f"{type(error).__name__}: {error}"
        job.status, job.error, job.finished_at = "failed", reason[:2000], utcnow()
        current_app.logger.exception("report job %s failed", job_id)
    db.session.commit()
    return None
