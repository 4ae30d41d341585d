"""Autosaves at the same moment, against a live server: gunicorn with 4 workers, on SQLite and PostgreSQL.

What users were promised: answers to different indicators never get in each other's way; two people
saving the same indicator from the same revision get one "saved" and one "someone else saved this"
with both versions, never an error page; and every save the page reported as saved is in the database,
even when the server is killed in the middle of a burst.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.extensions import db
from tests.assessments.helpers import RATED
from tests.conftest import POSTGRES_URL, _postgres_schema_or_skip, postgres_schema
from tests.factories import Factory

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
BASE = "/organisations/LIVE-01/assessments/live/self"
PEOPLE = ("first@live.example.org", "second@live.example.org")


class Browser:
    """One logged-in person's cookie and CSRF token; each thread opens its own connection with them."""

    def __init__(self, port: int, email: str):
        self.port, self.cookie = port, ""
        status, page = self.request("GET", "/login")
        status, _ = self.request("POST", "/login", {"email": email, "password": Factory.PASSWORD,
                                                     "csrf_token": TOKEN.search(page).group(1)})
        assert status == 302, f"login of {email} answered {status}"
        status, page = self.request("GET", BASE + "/GOV")
        assert status == 200
        self.token = TOKEN.search(page).group(1)

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {**(headers or {}), **({"Cookie": self.cookie} if self.cookie else {})}
            if form is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            conn.request(method, path, body=urlencode(form) if form is not None else None, headers=headers)
            response = conn.getresponse()
            body = response.read().decode()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("session="):
                    self.cookie = value.split(";", 1)[0]
            return response.status, body
        finally:
            conn.close()

    def autosave(self, code: str, level: str, revision: int, comment: str):
        status, body = self.request("POST", f"{BASE}/answers/{quote(code)}",
                                    {"level": level, "comment": comment, "evidence_url": "", "revision": str(revision)},
                                    {"X-CSRFToken": self.token, "Accept": "application/json"})
        return status, (json.loads(body) if body.startswith("{") else body)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own process group (so kill -9 reaches the master and every worker)."""

    def __init__(self, database_url: str, instance: Path):
        self.database_url, self.instance, self.process, self.port, self.log = database_url, instance, None, 0, None

    def start(self) -> None:
        self.port = _free_port()
        self._close_log()
        self.log = open(self.instance / "gunicorn.log", "ab")
        env = {**os.environ, "CAPACITY_ENV": "production", "CAPACITY_SECRET_KEY": "live-test-" + "k" * 48,
               "CAPACITY_COOKIE_SECURE": "0", "CAPACITY_INSTANCE_PATH": str(self.instance),
               "CAPACITY_DATABASE_URL": self.database_url}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "4", "--preload", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "capacity:create_app()"],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/login")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return
            except OSError:
                time.sleep(0.1)
            finally:
                conn.close()
            assert self.process.poll() is None, (self.instance / "gunicorn.log").read_text()[-2000:]
        raise AssertionError("gunicorn did not answer within 20 s")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self.log is not None:
            self.log.close()
            self.log = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()


@contextmanager
def _database(kind: str, tmp: Path):
    """A database URL with the schema and a small world in it: one organisation, two staff, one open round."""
    if kind == "sqlite":
        url, schema = f"sqlite:///{tmp / 'live.db'}", None
    else:
        _, schema = _postgres_schema_or_skip()
        url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
        postgres_schema("create", schema)
    previous = os.environ.get("CAPACITY_INSTANCE_PATH")
    os.environ["CAPACITY_INSTANCE_PATH"] = str(tmp)
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "prepare", "SQLALCHEMY_DATABASE_URI": url})
    finally:
        os.environ.pop("CAPACITY_INSTANCE_PATH") if previous is None else os.environ.update(CAPACITY_INSTANCE_PATH=previous)
    with app.app_context():
        db.create_all()
    factory = Factory(app)
    org = factory.org("LIVE-01")
    for email in PEOPLE:
        factory.user("cso", org=org, email=email)
    factory.round("live")
    try:
        yield url, app
    finally:
        with app.app_context():
            db.engine.dispose()
        if schema:
            postgres_schema("drop", schema)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def live(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"live-{request.param}")
    with _database(request.param, tmp) as (url, app):
        server = Server(url, tmp)
        server.start()
        try:
            yield server, app
        finally:
            server.stop()


def stored(app) -> dict[str, tuple[int, int | None, str]]:
    """indicator → (revision, level, comment) as committed."""
    with app.app_context():
        rows = db.session.execute(sa.text("SELECT a.indicator_code, a.revision, a.level, a.comment FROM answers a "
                                          "JOIN assessments s ON s.id = a.assessment_id")).all()
        db.session.remove()
    return {code: (revision, level, comment) for code, revision, level, comment in rows}


def at_once(jobs: list) -> list:
    """Run the callables in threads released together by a barrier; their results in order."""
    barrier, results = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(i, job):
        barrier.wait(timeout=30)
        try:
            results[i] = job()
        except Exception as error:  # a dropped connection is a result too: the test says which
            results[i] = (None, repr(error))

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_thirty_people_saving_different_indicators_at_once_are_all_saved(live):
    server, app = live
    people = [Browser(server.port, email) for email in PEOPLE]
    codes = [i.code for i in RATED if i.code.startswith(("SRV", "MEL", "ADV", "GSI"))][:30]
    first = at_once([lambda i=i, code=code: people[i % 2].autosave(code, str(1 + i % 4), 0, f"first {i}")
                     for i, code in enumerate(codes)])
    assert [status for status, _ in first] == [200] * len(codes), first
    again = at_once([lambda i=i, code=code: people[i % 2].autosave(code, str(1 + (i + 1) % 4), 1, f"second {i}")
                     for i, code in enumerate(codes)])
    assert [status for status, _ in again] == [200] * len(codes), again
    now = stored(app)
    for i, code in enumerate(codes):
        assert now[code] == (2, 1 + (i + 1) % 4, f"second {i}")


def test_ten_saves_of_one_indicator_from_the_same_revision_give_one_saved_and_nine_conflicts(live):
    server, app = live
    people = [Browser(server.port, email) for email in PEOPLE]
    for seen, code in ((0, "HR.01"), (1, "HR.01")):  # the first answer (an insert), then an update
        results = at_once([lambda i=i: people[i % 2].autosave(code, str(1 + i % 4), seen, f"version {seen}-{i}")
                           for i in range(10)])
        statuses = sorted(status for status, _ in results)
        assert statuses == [200] + [409] * 9, results
        winner = next(i for i, (status, _) in enumerate(results) if status == 200)
        for status, body in results:
            if status == 409:  # the loser sees the winner's answer, to keep theirs or take it
                assert body["error"] == "stale" and body["theirs"]["comment"] == f"version {seen}-{winner}"
                assert body["theirs"]["revision"] == seen + 1 and body["who"]
        assert stored(app)["HR.01"] == (seen + 1, 1 + winner % 4, f"version {seen}-{winner}")


def test_every_acknowledged_save_survives_the_server_being_killed_mid_burst(live):
    server, app = live
    people = [Browser(server.port, email) for email in PEOPLE]
    codes = [i.code for i in RATED if i.code.startswith(("GOV", "STR", "FIN"))][:12]
    acknowledged: dict[str, tuple[int, str]] = {}
    attempted: dict[str, list[tuple[int, str]]] = {code: [] for code in codes}
    server_errors, lock, stop = [], threading.Lock(), threading.Event()

    def keep_saving(i: int, code: str) -> None:
        revision = stored(app).get(code, (0,))[0]
        for n in range(200):  # bounded: the kill comes long before
            if stop.is_set():
                return
            comment = f"burst {i}-{n}"
            attempted[code].append((revision + 1, comment))
            try:
                status, body = people[i % 2].autosave(code, str(1 + n % 4), revision, comment)
            except (OSError, http.client.HTTPException):  # e.g. IncompleteRead: killed mid-reply
                return  # the server is gone
            if status >= 500:
                with lock:
                    server_errors.append((code, status, body))
            if status != 200:
                return
            revision = body["revision"]
            with lock:
                acknowledged[code] = (revision, comment)

    threads = [threading.Thread(target=keep_saving, args=(i, code)) for i, code in enumerate(codes)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while sum(r for r, _ in acknowledged.values()) < 60 and time.monotonic() < deadline:
        time.sleep(0.02)
    server.kill()
    stop.set()
    for t in threads:
        t.join(timeout=40)
    assert not server_errors
    assert acknowledged, "no save was acknowledged before the kill"

    server.start()  # the same database, after a kill -9
    now = stored(app)
    for code, (revision, comment) in acknowledged.items():
        kept_revision, _level, kept_comment = now[code]
        # Saved, or saved and then one more save that was still on its way when the server died.
        assert (kept_revision, kept_comment) in {(revision, comment)} | set(attempted[code]), code
        assert kept_revision >= revision, f"{code}: acknowledged revision {revision}, stored {kept_revision}"
    person = Browser(server.port, PEOPLE[0])
    for code in acknowledged:
        status, body = person.autosave(code, "2", now[code][0], "after the restart")
        assert status == 200, body
    assert person.request("GET", BASE + "/GOV")[0] == 200
