"""The web's print-all job runs in a process of its own, which prints with the pool of ``capacity report all``.

Why not in the web process: the pool forks one printer per core after scoring
once, and a fork copies only the forking thread. A web process has several
threads (this job thread, request threads, a development server's) and one of
them may be inside SQLite, fontconfig or Pango, holding a lock, at the moment
of the fork; in the child that lock is never released and the printer hangs.
So the web process never forks: it asks multiprocessing's fork server (one per
web process, started from a fresh interpreter the first time a job runs,
single-threaded, with the report stack already imported, so later jobs start in
a moment) for the job's process. That process builds the app with the web
process's settings and runs the job as an RQ worker would (``run_job``): one
thread, so it forks the pool safely, scores once, and records progress, its
heartbeat and the ZIP in the job's row.

What ends when: the printers die with the job's process (Linux's parent-death
signal), so a killed job process leaves none behind, and the thread that waited
for it marks the job failed with the reason. The job's process is the fork
server's child, not the web process's: a web process that dies (killed, or
restarted by gunicorn) leaves its job to finish and store the ZIP, after which
the job's process ends and so does the fork server, which lives only as long as
the web process or a job of it does. A printer that hangs stops the job after
the heartbeat timeout (``print_profiles``' ``stall``), so that takes no longer.

The job's process imports the web process's main module, as multiprocessing's
fork server and spawn do: gunicorn, ``capacity run`` and ``python -m`` are fine;
a script of one's own that starts jobs needs ``if __name__ == "__main__":``.
"""
from __future__ import annotations

import multiprocessing
import os
import signal

import sqlalchemy as sa
from flask import Flask

# Imported once by the fork server, so that a job's process starts with them loaded (an import error is skipped).
PRELOAD = ["capacity", "capacity.models", "capacity.jobs.services", "capacity.reporting.batch",
           "capacity.reporting.cache", "capacity.reporting.charts", "capacity.reporting.pdf",
           "capacity.reporting.profile_model", "capacity.reporting.round_result"]


def _context():
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)  # takes effect when the fork server starts (once per process)
    return context


def _environment(app: Flask) -> dict[str, str]:
    """The settings read from the environment, as this process has them now (the fork server may be older)."""
    environment = {name: value for name, value in os.environ.items() if name.startswith("CAPACITY_")}
    environment["CAPACITY_INSTANCE_PATH"] = app.instance_path  # this app's folder, however it was chosen
    return environment


def _main(config: dict, environment: dict[str, str], job_id: str) -> None:
    """The job's process: the app as the web process has it, then the job as an RQ worker runs it."""
    from capacity.reporting.batch import die_with_parent

    die_with_parent()
    for name in [name for name in os.environ if name.startswith("CAPACITY_")]:
        del os.environ[name]
    os.environ.update(environment)
    from capacity import create_app
    from capacity.jobs.services import run_job

    with create_app(config, web=False).app_context():  # no pages: a job only prints
        run_job(job_id)


def _ended(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"signal {signal.Signals(-exitcode).name}"
    return f"exit code {exitcode}"


def run_in_process(app: Flask, job_id: str) -> None:
    """Run the job in a process of its own and wait for it (called by this web process's job thread)."""
    try:
        process = _context().Process(target=_main, args=(dict(app.config), _environment(app), job_id),
                                     name=f"capacity-job-{job_id[:8]}")
        process.start()
    except Exception as error:  # no process at all (out of memory, too many processes): say so on the job's page
        app.logger.exception("cannot start the process for report job %s", job_id)
        _fail_unfinished(app, job_id, f"the process printing the profiles could not start ({type(error).__name__}: "
                                      f"{error})")
        return
    process.join()
    if process.exitcode != 0:  # run_job records its own failures; this one died before it could
        app.logger.error("report job %s: its process ended with %s", job_id, _ended(process.exitcode))
        _fail_unfinished(app, job_id, f"the process printing the profiles ended unexpectedly "
                                      f"({_ended(process.exitcode)})")


def _fail_unfinished(app: Flask, job_id: str, reason: str) -> None:
    from capacity.database import write_intent
    from capacity.extensions import db
    from capacity.jobs.models import ReportJob
    from capacity.timeutil import utcnow

    with app.app_context(), write_intent(True):
        db.session.execute(sa.update(ReportJob)
                           .where(ReportJob.id == job_id, ReportJob.status.in_(("queued", "running")))
                           .values(status="failed", error=reason[:2000], finished_at=utcnow()))
        db.session.commit()
