"""Questionnaire page and autosave under load: the app under gunicorn, 20 concurrent users on 127.0.0.1.

Bounded: each simulated user makes a fixed number of requests, then stops.
Afterwards the answers are counted in the database: every save that was
acknowledged must be there (the sum of answer revisions equals the saves).

A second run makes users collide on purpose, on SQLite and on PostgreSQL: two
people of each organisation answer the same indicators at the same moment, so
some saves are refused as stale (409, as promised) and none may fail (5xx) or be
acknowledged and then missing from the database.
"""
from __future__ import annotations

import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

USERS = 20
ROUNDS_PER_USER = 30
# People read and choose between answers: a pause of 0.5 s between actions is
# already a busy user. The saturation run (no pause) shows the ceiling.
THINK_SECONDS = 0.5
PASSWORD = "capacity-demo"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')


@contextmanager
def gunicorn(env: dict, *extra: str) -> Iterator[int]:
    """The app under gunicorn (4 workers) on a free loopback port, until the block ends; yields the port."""
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}",
                               "--log-level", "warning", *extra, "capacity:create_app()"], env=env)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _prepare(instance: Path) -> list[str]:
    """Demo portfolio plus an open 'bench' round; return the CSO logins that will answer."""
    os.environ.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(instance))
    from capacity import create_app
    from capacity.rounds.models import AssessmentRound, RoundKind
    from capacity.demo.services import build_demo
    from capacity.extensions import db

    app = create_app()
    with app.app_context():
        db.create_all()
        build_demo()
        for code in ("bench", "saturation"):
            db.session.add(AssessmentRound(code=code, name_ka="ტესტი", name_en="Bench", kind=RoundKind.MIDLINE,
                                           starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30), is_open=True,
                                           questionnaire_id="gesi-oca", questionnaire_version="1.0",
                                           rubric_id="gesi-oca-default", rubric_version="1.0"))
        db.session.commit()
        codes = [c.lower() for c in db.session.scalars(sa.text("SELECT code FROM organisations WHERE kind = 'organisation' ORDER BY code"))]
    return [f"{code}@demo.example.org" for code in codes[:USERS]]


class Browser:
    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        start = time.perf_counter()
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - start
        self.headers = dict(response.getheaders())
        for name, value in response.getheaders():
            if name.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        return response.status, data, elapsed


def _user(port: int, email: str, results: dict, lock: threading.Lock, think: float, round_code: str) -> None:
    from urllib.parse import urlencode

    browser = Browser(port)
    _, page, _ = browser.request("GET", "/login")
    token = TOKEN.search(page.decode()).group(1)
    status, _, _ = browser.request("POST", "/login", urlencode({"email": email, "password": PASSWORD, "csrf_token": token}))
    assert status == 302, f"login failed for {email}: {status}"
    org = email.split("@")[0].upper()
    base = f"/organisations/{org}/assessments/{round_code}/self"
    revision = {}
    pages, saves, failures = [], [], 0
    codes = ["GOV.01", "GOV.03", "GOV.04", "GOV.05"]
    for i in range(ROUNDS_PER_USER):
        time.sleep(think)
        status, page, elapsed = browser.request("GET", base + "/GOV")
        pages.append(elapsed)
        failures += status != 200
        token = TOKEN.search(page.decode()).group(1)
        code = codes[i % len(codes)]
        time.sleep(think)
        body = urlencode({"level": str(1 + i % 4), "comment": f"iteration {i}", "evidence_url": "",
                          "revision": str(revision.get(code, 0))})  # 0: the first answer
        status, data, elapsed = browser.request("POST", f"{base}/answers/{code}", body,
                                                {"X-CSRFToken": token, "Accept": "application/json"})
        saves.append(elapsed)
        if status == 200:
            revision[code] = int(re.search(rb'"revision":\s*(\d+)', data).group(1))
        else:
            failures += 1
    with lock:
        results["pages"] += pages
        results["saves"] += saves
        results["failures"] += failures
        results["acknowledged"] += sum(revision.values())


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        logins = _prepare(instance)
        env = {**os.environ, "CAPACITY_ENV": "production", "CAPACITY_SECRET_KEY": "benchmark-" + "x" * 40,
               "CAPACITY_COOKIE_SECURE": "0", "CAPACITY_INSTANCE_PATH": str(instance)}
        access_log = instance / "access.log"
        # The server's own time per request (%(D)s, microseconds), apart from the load generator's overhead.
        with gunicorn(env, "--access-logfile", str(access_log), "--access-logformat", "%(m)s %(U)s %(s)s %(D)s") as port:
            phases = {name: _phase(port, logins, think, name) for name, think in (("bench", THINK_SECONDS), ("saturation", 0.0))}
        for name, phase in phases.items():
            phase.update(_server_times(access_log, f"/assessments/{name}/"))
        engine = sa.create_engine(f"sqlite:///{instance / 'capacity.db'}")
        with engine.connect() as conn:
            for name, phase in phases.items():
                phase["stored"] = conn.execute(sa.text(
                    "SELECT COALESCE(SUM(a.revision), 0) FROM answers a JOIN assessments s ON s.id = a.assessment_id "
                    "JOIN assessment_rounds r ON r.id = s.round_id WHERE r.code = :code"), {"code": name}).scalar()
                phase["users"] = len(logins)
        engine.dispose()
    return [phases["bench"] | {"label": f"{THINK_SECONDS} s between actions"},
            phases["saturation"] | {"label": "no pause (saturation)"}]


def _server_times(log: Path, marker: str) -> dict:
    pages, saves = [], []
    for line in log.read_text().splitlines():
        method, path, _status, micros = line.split()
        if marker not in path:
            continue
        (saves if method == "POST" else pages).append(int(micros) / 1e6)
    pages.sort()
    saves.sort()
    return {"server_page_p95": percentile(pages, 0.95), "server_save_p95": percentile(saves, 0.95)}


def percentile(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _phase(port: int, logins: list[str], think: float, round_code: str) -> dict:
    results = {"pages": [], "saves": [], "failures": 0, "acknowledged": 0}
    lock = threading.Lock()
    threads = [threading.Thread(target=_user, args=(port, email, results, lock, think, round_code)) for email in logins]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    wall = time.perf_counter() - start
    pages, saves = sorted(results["pages"]), sorted(results["saves"])
    requests = len(pages) + len(saves)
    return {"requests": requests, "wall": wall, "throughput": requests / wall,
            "page_p50": statistics.median(pages), "page_p95": percentile(pages, 0.95),
            "save_p50": statistics.median(saves), "save_p95": percentile(saves, 0.95),
            "failures": results["failures"], "acknowledged": results["acknowledged"]}


def markdown(results: list[dict]) -> str:
    lines = [
        "## Questionnaire page and autosave under load",
        "",
        f"gunicorn with 4 workers and SQLite on this machine; {results[0]['users']} concurrent users on 127.0.0.1, each "
        f"loading the governance domain page and saving one answer, {ROUNDS_PER_USER} times. Targets: p95 under 50 ms "
        "for the page and under 20 ms for a save.",
        "",
        "| load | requests | throughput | page p50 | page p95 | save p50 | save p95 | failed | saves acknowledged / found in the database |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lost = r["acknowledged"] - r["stored"]
        page = "✓" if r["page_p95"] <= 0.050 else "✗"
        save = "✓" if r["save_p95"] <= 0.020 else "✗"
        lines.append(
            f"| {r['label']} | {r['requests']:,} in {r['wall']:.1f} s | {r['throughput']:.0f}/s | {r['page_p50'] * 1000:.1f} ms | "
            f"{r['page_p95'] * 1000:.1f} ms {page} | {r['save_p50'] * 1000:.1f} ms | {r['save_p95'] * 1000:.1f} ms {save} | "
            f"{r['failures']} | {r['acknowledged']:,} / {r['stored']:,}{'' if lost == 0 else f' ({lost} LOST)'} |")
    r = results[0]
    lines += ["", "Targets apply to the first row (people pause between answers); the saturation row shows the ceiling "
              "of two cores, where waiting in the queue dominates. The load generator runs on the same two cores; the "
              f"server's own time (gunicorn's access log) in the first row: page p95 {r['server_page_p95'] * 1000:.1f} ms, "
              f"save p95 {r['server_save_p95'] * 1000:.1f} ms.", ""]
    return "\n".join(lines)


# --- Deliberate collisions: two people of each organisation answering the same indicators at once ------------
