"""Starting and running the "print all profiles" job.

The web request only records the job and hands it over: by default to a thread
of this process, which runs it in a process of its own (capacity.jobs.process);
or to RQ workers on Redis when CAPACITY_REDIS_URL is set (for deployments with
several web servers). Either way the job prints with the pool of ``capacity
report all`` (capacity.reporting.batch): both rounds scored once, one printer
per core, profiles nothing changed in read from the PDF cache. Progress lives in
the database row, so any server can show it; the finished ZIP is stored in the
job's row, so any server can hand out what any worker printed. The job records
its worker and a heartbeat after each profile (and every tenth of the heartbeat
timeout while the printers work), so one whose worker died is marked failed
instead of "running" forever (capacity.jobs.liveness).
"""
from __future__ import annotations

import tempfile
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from flask_babel import force_locale

from capacity.rounds.models import AssessmentRound
from capacity.audit import services as audit
from capacity.extensions import db
from capacity.jobs.liveness import DEFAULT_TIMEOUT, rq_job_id, worker_identity
from capacity.jobs.models import ReportJob
from capacity.organisations.models import Organisation
from capacity.rounds.queries import subjects_of
from capacity.timeutil import utcnow

_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="capacity-jobs")


# Up to this size the ZIP is built in memory; beyond it in a temporary file, until it is stored in the row.
_SPOOL_BYTES = 64 * 1024 * 1024


def start_profiles_zip(actor: Any, round_: AssessmentRound, baseline: AssessmentRound | None, language: str) -> ReportJob:
    """Record a job that prints every active organisation's profile of ``round_`` (the caller commits, then dispatches)."""
    total = db.session.scalar(subjects_of(round_).with_only_columns(sa.func.count(Organisation.id)).order_by(None))
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
    from capacity.jobs.process import run_in_process

    run_in_process(app, job_id)  # the job's own process: this one has several threads and must not fork


def _heartbeat_seconds() -> float:
    # Ten beats within the time after which a silent job is declared dead, whatever that is configured to.
    return float(current_app.config.get("CAPACITY_JOB_HEARTBEAT_TIMEOUT", DEFAULT_TIMEOUT)) / 10


def run_job(job_id: str) -> None:
    """Print the profiles into the job's ZIP on all cores, recording progress after each (RQ calls this too)."""
    if not has_app_context():  # an RQ worker: build the app from the same environment as the web servers
        from capacity import create_app

        with create_app(web=False).app_context():  # no pages: a job only prints
            return run_job(job_id)
    from capacity.assessments.results import DefinitionChanged
    from capacity.reporting.batch import print_profiles, profile_filename

    job = db.session.get(ReportJob, job_id)
    if job is None or job.status not in ("queued", "running"):
        return None
    job.status, job.done, job.worker, job.heartbeat_at = "running", 0, worker_identity(), utcnow()
    db.session.commit()
    try:
        from capacity.maintenance.prune import DEFAULT_AGE, prune

        prune(current_app.instance_path, DEFAULT_AGE)  # old PDFs and ZIPs go before new ones are written
        round_code = db.session.get(AssessmentRound, job.round_id).code
        chosen = db.session.get(AssessmentRound, job.baseline_id) if job.baseline_id else None
        codes = list(db.session.scalars(subjects_of(db.session.get(AssessmentRound, job.round_id))
                                        .with_only_columns(Organisation.code)))
        language = job.language
        spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES)
        # Both rounds are scored once for every organisation, and only if some profile is not in the cache; the
        # profiles are printed as the person who asked may see them (a programme manager: everything).
        printed = print_profiles(codes, round_code, chosen.code if chosen else None, language,
                                 viewer_id=job.requested_by_id, instance_path=current_app.instance_path,
                                 tick=_heartbeat_seconds(), stall=10 * _heartbeat_seconds())
        with spool, zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive, closing(printed):
            for profile in printed:  # None: nothing finished for a while, but the printers are alive
                if profile is not None:
                    archive.writestr(profile_filename(profile.code, round_code, language), profile.pdf)
                db.session.refresh(job)
                if job.status != "running":  # declared dead while this worker was stalled: it stops here
                    return None
                if profile is not None:
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
