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
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.extensions import db
from tests.assessments.helpers import RATED
from tests.conftest import POSTGRES_URL, _postgres_schema_or_skip, postgres_schema
from tests.factories import Factory
from tests.live import Server, Visitor

BASE = "/organisations/LIVE-01/assessments/live/self"
PEOPLE = ("first@live.example.org", "second@live.example.org")


class Browser(Visitor):
    """One logged-in person's cookie and CSRF token; each thread opens its own connection with them."""

    def __init__(self, port: int, email: str):
        super().__init__(port)
        self.login(email, Factory.PASSWORD)
        self.token = self.token(BASE + "/GOV")

    def autosave(self, code: str, level: str, revision: int, comment: str):
        status, body = self.request("POST", f"{BASE}/answers/{quote(code)}",
                                    {"level": level, "comment": comment, "evidence_url": "", "revision": str(revision)},
                                    {"X-CSRFToken": self.token, "Accept": "application/json"})
        return status, (json.loads(body) if body.startswith("{") else body)


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
