"""Printing all profiles of a round as a ZIP in the background, with progress — in-process and on RQ/Redis."""
from __future__ import annotations

import io
import os
import time
import zipfile

import pytest

from tests.conftest import login

REDIS_URL = os.environ.get("CAPACITY_TEST_REDIS_URL", "")
# Tests that use the shared RQ queue on the test Redis run on one worker, one after another (make test runs
# workers in parallel: a worker's SimpleWorker would otherwise take another's job).
pytestmark = pytest.mark.xdist_group("redis-queue")


@pytest.fixture
def small_round(factory):
    """Two organisations in an open round (no answers yet: their profiles say "—", and print quickly)."""
    factory.org("TEL-01")
    factory.org("BAT-01", municipality="batumi")
    factory.round("endline")
    return factory.user("manager", email="manager@example.org")


def start(app, manager):
    client = app.test_client()
    login(client, manager)
    response = client.post("/rounds/endline/profiles.zip", data={"lang": "en"})
    assert response.status_code == 302 and response.location.startswith("/jobs/")
    return client, response.location


def wait_until_done(client, location, seconds=90):
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        state = client.get(location + ".json").json
        seen.append(state["done"])
        if state["status"] in ("done", "failed"):
            return state, seen
        time.sleep(0.2)
    raise AssertionError(f"job not finished after {seconds} s: {state}")


def check_zip(client, state):
    assert state["status"] == "done" and state["done"] == state["total"] == 2
    response = client.get(state["download"])
    names = sorted(zipfile.ZipFile(io.BytesIO(response.data)).namelist())
    response.close()
    assert names == ["capacity-BAT-01-endline-en.pdf", "capacity-TEL-01-endline-en.pdf"]


def test_the_in_process_job_shows_progress_and_delivers_the_zip(app, small_round):
    client, location = start(app, small_round)
    page = client.get(location).get_data(as_text=True)
    assert "<progress" in page and 'max="2"' in page
    state, seen = wait_until_done(client, location)
    check_zip(client, state)
    assert seen == sorted(seen)  # progress only goes forward


def test_a_cso_user_cannot_follow_or_download_a_job(app, small_round, factory):
    _, location = start(app, small_round)
    other = app.test_client()
    login(other, factory.user("cso", org="TEL-01"))
    assert other.get(location).status_code == 404
    assert other.get(location + "/download").status_code == 404


def test_the_job_runs_on_rq_workers_when_redis_is_configured(app, small_round):
    if not REDIS_URL:
        pytest.skip("RQ test skipped: CAPACITY_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)")
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError
    from rq import Queue, SimpleWorker

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisConnectionError as error:
        pytest.skip(f"RQ test skipped: Redis at {REDIS_URL} is not reachable ({error})")
    queue = Queue("capacity", connection=redis)
    queue.empty()
    app.config["CAPACITY_REDIS_URL"] = REDIS_URL
    client, location = start(app, small_round)
    assert client.get(location + ".json").json["status"] == "queued"  # nothing ran in the web process
    with app.app_context():
        SimpleWorker([queue], connection=redis).work(burst=True)
    state, _ = wait_until_done(client, location, seconds=5)
    check_zip(client, state)
