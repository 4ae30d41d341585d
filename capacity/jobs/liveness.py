"""Telling a job whose worker died from one that is still printing, and marking it failed.

A job records which process runs it (``worker``: host and pid) and a heartbeat
after every profile (a profile takes under two seconds). It is declared dead when

* its worker ran on this host and that process no longer exists (a web server
  killed with its job thread — seen at once after a restart);
* RQ says the job failed, was stopped, or no longer knows it (lost with its worker);
* its heartbeat is older than ``CAPACITY_JOB_HEARTBEAT_TIMEOUT`` seconds (default
  300) — except a job still waiting in RQ's queue for a free worker.

The check runs when a job's page or progress JSON is polled, when a print-all
job is started, and once on the first request each process serves (the app
factory itself never touches the database).
"""
from __future__ import annotations

import os
import socket
import threading
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from capacity.database import write_intent
from capacity.extensions import db
from capacity.jobs.models import ReportJob
from capacity.timeutil import utcnow

DEFAULT_TIMEOUT = 300
# An RQ job is enqueued just after its row is committed: until then RQ does not know it, and that is not a loss.
RQ_GRACE = timedelta(seconds=30)
UNFINISHED = ("queued", "running")
_sweep_lock = threading.Lock()


def worker_identity() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def rq_job_id(job_id: str) -> str:
    return f"capacity-report-{job_id}"


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _process_gone(worker: str) -> bool:
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False  # another machine's process: only its heartbeat can tell
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, OverflowError):
        return True
    except OSError:  # exists but is not ours to signal
        return False
    return False


def _rq_lost(app: Flask, job: ReportJob, now: datetime) -> bool:
    url = app.config.get("CAPACITY_REDIS_URL")
    if job.runner != "rq" or not url:
        return False
    try:
        from redis import Redis
        from rq.exceptions import NoSuchJobError
        from rq.job import Job, JobStatus

        try:
            status = Job.fetch(rq_job_id(job.id), connection=Redis.from_url(url)).get_status(refresh=False)
        except NoSuchJobError:
            return now - _aware(job.created_at) > RQ_GRACE
    except Exception:  # Redis unreachable: the heartbeat decides
        current_app.logger.warning("cannot ask RQ about report job %s", job.id, exc_info=True)
        return False
    return status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED)


def is_dead(app: Flask, job: ReportJob, now: datetime | None = None) -> bool:
    """Whether ``job`` is unfinished but nobody is working on it any more (see the module docstring)."""
    if job.status not in UNFINISHED:
        return False
    now = now or utcnow()
    if job.worker and _process_gone(job.worker):
        return True
    if _rq_lost(app, job, now):
        return True
    if job.runner == "rq" and job.status == "queued":
        return False  # waiting for a free worker, and RQ still has it
    timeout = timedelta(seconds=float(app.config.get("CAPACITY_JOB_HEARTBEAT_TIMEOUT", DEFAULT_TIMEOUT)))
    return now - _aware(job.heartbeat_at or job.created_at) > timeout


def fail_if_dead(app: Flask, job: ReportJob, now: datetime | None = None) -> bool:
    """Mark ``job`` failed if its worker died; True when it did. Commits the session's transaction."""
    if not is_dead(app, job, now):
        return False
    with force_locale(job.language):
        reason = str(_l("The worker printing the profiles stopped (%(worker)s) and the job cannot finish. "
                        "Press “Print again” to start a new one.", worker=job.worker or job.runner))
    seen_status, seen_done = job.status, job.done
    db.session.commit()  # a reading transaction (SQLite) cannot become a writing one: start a new one
    with write_intent(True):
        # Only if nothing moved since it was read: a worker that was merely slow keeps its job.
        db.session.execute(sa.update(ReportJob)
                           .where(ReportJob.id == job.id, ReportJob.status == seen_status, ReportJob.done == seen_done)
                           .values(status="failed", error=reason, finished_at=utcnow()))
        db.session.commit()
    current_app.logger.warning("report job %s declared dead (worker %s)", job.id, job.worker or job.runner)
    return db.session.get(ReportJob, job.id).status == "failed"


def sweep(app: Flask, now: datetime | None = None) -> int:
    """Mark every unfinished job whose worker died as failed; the number marked."""
    jobs = list(db.session.scalars(sa.select(ReportJob).where(ReportJob.status.in_(UNFINISHED))))
    return sum(fail_if_dead(app, job, now) for job in jobs)


def sweep_once(app: Flask) -> None:
    """The start-up sweep, on the first request this process serves; a failure is logged, never shown."""
    if app.extensions.get("capacity_jobs_swept"):
        return
    with _sweep_lock:
        if app.extensions.get("capacity_jobs_swept"):
            return
        app.extensions["capacity_jobs_swept"] = True
        try:
            sweep(app)
        except Exception:  # e.g. a database not migrated yet: the request itself will say so
            db.session.rollback()
            app.logger.exception("start-up sweep of report jobs failed")
