"""The web's print-all job prints like ``capacity report all``: in a process of its own (a web process never
forks), with a printer per core; and a printer that dies fails the job with a reason, leaving nothing running."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile

import pytest

from capacity.cli import cli
from capacity.extensions import db
from capacity.jobs.models import ReportJob
from tests.factories import Factory
from tests.jobs.test_print_all import start, wait_until_done
from tests.processes import children_of, cores, gone


@pytest.fixture
def round_of(factory):
    """A manager and an open round of ``count`` organisations (no answers: their profiles print quickly)."""
    def make(count: int) -> str:
        for n in range(count):
            factory.org(f"ORG-{n:02d}")
        factory.round("endline")
        return factory.user("manager", email="manager@example.org")
    return make


def job_process(app, job_id: str, seconds: float = 120) -> int:
    """The pid of the process running the job, once it has started."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with app.app_context():
            worker = db.session.get(ReportJob, job_id).worker
        if worker:
            return int(worker.rpartition(":")[2])
        time.sleep(0.02)
    raise AssertionError("the job never started")


def printers_of(pid: int, seconds: float = 120) -> set[int]:
    """The job process's printers, as soon as they exist."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = children_of(pid)
        if len(found) >= 2:
            return found
        time.sleep(0.01)
    raise AssertionError(f"no printers under process {pid}")


def test_the_job_prints_in_its_own_process_on_every_core_the_pdfs_report_all_prints(app, round_of, runner, tmp_path):
    if cores() < 2:
        pytest.skip("one core: the pool has one printer")
    client, location = start(app, round_of(6))
    job_id = location.rsplit("/", 1)[1]
    worker = job_process(app, job_id)
    assert worker != os.getpid()  # not this (web) process, which has other threads and must not fork
    printers = printers_of(worker)
    state, seen = wait_until_done(client, location)
    assert state["status"] == "done" and state["done"] == state["total"] == 6 and seen == sorted(seen)
    assert gone({worker} | printers)  # the job's process and its printers end with the job
    with zipfile.ZipFile(io.BytesIO(client.get(state["download"]).data)) as archive:
        zipped = {name: archive.read(name) for name in archive.namelist()}
    result = runner.invoke(cli, ["report", "all", "--round", "endline", "--lang", "en", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert zipped == {path.name: path.read_bytes() for path in tmp_path.glob("*.pdf")}


def test_a_job_whose_printer_is_killed_fails_with_a_reason_and_leaves_no_process(app, round_of):
    if cores() < 2:
        pytest.skip("one core: the pool has one printer")
    client, location = start(app, round_of(12))
    worker = job_process(app, location.rsplit("/", 1)[1])
    printers = printers_of(worker)
    os.kill(min(printers), signal.SIGKILL)  # as the kernel's out-of-memory killer would
    state, _ = wait_until_done(client, location)
    assert state["status"] == "failed" and state["again"] is True
    assert "stopped unexpectedly" in state["message"]
    assert gone({worker} | printers)


# A web process of its own, which a test can kill: it starts a print-all job and waits.
WEB_PROCESS = """
import json, os, sys, time
from capacity import create_app
client = create_app(json.loads(os.environ["TEST_APP_CONFIG"])).test_client()
assert client.post("/login", data={"email": sys.argv[1], "password": sys.argv[2]}).status_code == 302
print(client.post("/rounds/endline/profiles.zip", data={"lang": "en"}).location, flush=True)
time.sleep(600)
"""


def test_a_job_outlives_its_killed_web_process_finishes_and_then_nothing_is_left(app, round_of):
    if cores() < 2:
        pytest.skip("one core: the pool has one printer")
    manager = round_of(12)
    config = {name: app.config[name] for name in ("TESTING", "SECRET_KEY", "WTF_CSRF_ENABLED", "SQLALCHEMY_DATABASE_URI",
                                                  "SQLALCHEMY_ENGINE_OPTIONS")}
    environment = {**os.environ, "TEST_APP_CONFIG": json.dumps(config), "CAPACITY_INSTANCE_PATH": app.instance_path}
    web = subprocess.Popen([sys.executable, "-c", WEB_PROCESS, manager, Factory.PASSWORD], env=environment,
                           stdout=subprocess.PIPE, text=True)
    try:
        job_id = web.stdout.readline().strip().rsplit("/", 1)[1]
        worker = job_process(app, job_id)
        printers = printers_of(worker)
        helpers = children_of(web.pid)  # the fork server (and multiprocessing's resource tracker)
    finally:
        web.kill()  # as gunicorn kills a worker that stopped answering
        web.wait()
        web.stdout.close()
    deadline = time.monotonic() + 120
    while True:
        with app.app_context():
            job = db.session.get(ReportJob, job_id)
            status, done, total, size = job.status, job.done, job.total, job.archive_size
        if status != "running" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert (status, done, total) == ("done", 12, 12) and size
    assert gone({worker} | printers | helpers)
