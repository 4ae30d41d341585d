"""A job whose worker died (server killed, RQ worker lost) is shown failed with "Print again", never "running" forever."""
from __future__ import annotations

import socket
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from capacity.extensions import db
from capacity.jobs.models import ReportJob
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import utcnow
from tests.conftest import login
from tests.jobs.test_print_all import small_round, wait_until_done  # noqa: F401  (fixture)

# Tests that use the shared RQ queue on the test Redis run on one worker, one after another (make test runs
# workers in parallel: a worker's SimpleWorker would otherwise take another's job).
pytestmark = pytest.mark.xdist_group("redis-queue")

# A pid no Linux system can have (pid_max is at most 2**22): the worker's process is certainly gone.
GONE_PID = 2**22 + 1


def stranded_job(app, minutes_silent: float, worker: str = "", status: str = "running", runner: str = "thread") -> str:
    """A job row as a crashed worker leaves it: "running 0/27" with its last heartbeat ``minutes_silent`` ago."""
    with app.app_context():
        round_id = db.session.scalar(sa.select(AssessmentRound.id).where(AssessmentRound.code == "endline"))
        job = ReportJob(id=uuid.uuid4().hex, round_id=round_id, language="en", status=status, total=27, done=0,
                        runner=runner, worker=worker, created_at=utcnow() - timedelta(minutes=minutes_silent),
                        heartbeat_at=utcnow() - timedelta(minutes=minutes_silent))
        db.session.add(job)
        db.session.commit()
        return job.id


def status_of(app, job_id: str) -> str:
    with app.app_context():
        return db.session.get(ReportJob, job_id).status


def manager_client(app, manager):
    client = app.test_client()
    login(client, manager)
    return client


def test_a_job_silent_for_too_long_is_shown_failed_with_print_again(app, small_round):
    job_id = stranded_job(app, minutes_silent=30, worker="elsewhere.example:4242")
    client = manager_client(app, small_round)
    state = client.get(f"/jobs/{job_id}.json").json
    assert state["status"] == "failed" and state["again"] is True and state["download"] is None
    assert "stopped" in state["message"]
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    # The reason, in the job's language, and a visible "Print again" button (the page itself is in Georgian).
    assert "The worker printing the profiles stopped (elsewhere.example:4242)" in page
    assert '<form id="job-again" method="post" action="/rounds/endline/profiles.zip">' in page
    assert 'data-final="true"' in page  # the script does not even start polling

    # "Print again" starts a new job, which prints.
    again = client.post("/rounds/endline/profiles.zip", data={"lang": "en"})
    assert again.status_code == 302 and again.location.startswith("/jobs/") and job_id not in again.location
    state, _ = wait_until_done(client, again.location)
    assert state["status"] == "done" and state["done"] == 2


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(app, small_round):
    job_id = stranded_job(app, minutes_silent=1, worker="elsewhere.example:4242")
    state = manager_client(app, small_round).get(f"/jobs/{job_id}.json").json
    assert state["status"] == "running" and state["again"] is False


def test_the_timeout_is_configurable(app, small_round):
    app.config["CAPACITY_JOB_HEARTBEAT_TIMEOUT"] = 20
    job_id = stranded_job(app, minutes_silent=1, worker="elsewhere.example:4242")
    assert manager_client(app, small_round).get(f"/jobs/{job_id}.json").json["status"] == "failed"


def test_a_job_of_a_killed_process_on_this_host_fails_at_the_first_request_after_restart(app, small_round):
    job_id = stranded_job(app, minutes_silent=0, worker=f"{socket.gethostname()}:{GONE_PID}")
    # Any first request of the (restarted) process sweeps, before anyone opens the job's page.
    assert app.test_client().get("/login").status_code == 200
    assert status_of(app, job_id) == "failed"


def test_a_job_rq_no_longer_knows_is_failed(app, small_round):
    from tests.jobs.test_print_all import REDIS_URL
    import pytest

    if not REDIS_URL:
        pytest.skip("RQ test skipped: CAPACITY_TEST_REDIS_URL is not set")
    app.config["CAPACITY_REDIS_URL"] = REDIS_URL
    # Queued a minute ago, recent enough for the heartbeat, but RQ lost it with its worker.
    job_id = stranded_job(app, minutes_silent=1, status="queued", runner="rq")
    state = manager_client(app, small_round).get(f"/jobs/{job_id}.json").json
    assert state["status"] == "failed"
