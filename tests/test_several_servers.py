"""Several servers on one PostgreSQL and Redis share what users stored: two gunicorn servers and an RQ worker,
each with its own instance folder (as on separate machines).

Evidence uploaded through one server downloads through the other; a ZIP printed by the worker downloads
through either; nothing a user stored is left in any machine's instance folder.
"""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from capacity import create_app
from capacity.extensions import db
from capacity.migrating import init_migrate
from tests.conftest import POSTGRES_URL, _postgres_schema_or_skip, postgres_schema
from tests.factories import Factory
from tests.live import SECRET_KEY, Server, Visitor

REDIS_URL = os.environ.get("CAPACITY_TEST_REDIS_URL", "")
# Tests that use the shared RQ queue on the test Redis run on one worker, one after another (make test runs
# workers in parallel: a worker's SimpleWorker would otherwise take another's job).
pytestmark = pytest.mark.xdist_group("redis-queue")
PDF = b"%PDF-1.4\n" + os.urandom(4096) + b"\n%%EOF\n"
STAFF, MANAGER = "staff@shared.example.org", "manager@shared.example.org"
DOMAIN = "/organisations/SHR-01/assessments/shared/self/GOV"


def _redis_or_skip():
    if not REDIS_URL:
        pytest.skip("several-server test skipped: CAPACITY_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/15)")
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except Exception as error:  # the Redis that was asked for is not there: a failure, not a quiet skip
        pytest.fail(f"CAPACITY_TEST_REDIS_URL is set but {REDIS_URL} does not answer ({error})", pytrace=False)
    return redis


@pytest.fixture
def deployment(tmp_path):
    """One PostgreSQL schema built by the migrations, one Redis queue, three machines' instance folders."""
    _, schema = _postgres_schema_or_skip()
    redis = _redis_or_skip()
    from rq import Queue

    Queue("capacity", connection=redis).empty()
    postgres_schema("create", schema)
    url = f"{POSTGRES_URL}?options=-csearch_path%3D{schema}"
    previous = os.environ.get("CAPACITY_INSTANCE_PATH")
    os.environ["CAPACITY_INSTANCE_PATH"] = str(tmp_path / "setup")
    try:
        app = create_app({"TESTING": True, "SECRET_KEY": "setup", "SQLALCHEMY_DATABASE_URI": url})
    finally:
        os.environ.pop("CAPACITY_INSTANCE_PATH") if previous is None else os.environ.update(CAPACITY_INSTANCE_PATH=previous)
    init_migrate(app)
    with app.app_context():
        upgrade()
    factory = Factory(app)
    factory.org("SHR-01")
    factory.user("cso", org="SHR-01", email=STAFF)
    factory.user("manager", email=MANAGER)
    factory.round("shared")
    machines = {name: tmp_path / name for name in ("server-a", "server-b", "worker")}
    servers = []
    try:
        for name in ("server-a", "server-b"):
            machines[name].mkdir()
            server = Server(url, machines[name], env={"CAPACITY_REDIS_URL": REDIS_URL}, workers=2)
            servers.append(server)
            server.start()
        machines["worker"].mkdir()
        yield {"url": url, "servers": servers, "machines": machines, "app": app}
    finally:
        for server in servers:
            server.stop()
        with app.app_context():
            db.engine.dispose()
        postgres_schema("drop", schema)


def multipart(field: str, filename: str, content: bytes, fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                 f'Content-Type: application/pdf\r\n\r\n'.encode() + content + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def run_worker(deployment) -> None:
    """An RQ worker on its own machine: same settings as the web servers, its own instance folder; until the queue is empty."""
    env = {**os.environ, "CAPACITY_ENV": "production", "CAPACITY_SECRET_KEY": SECRET_KEY,
           "CAPACITY_DATABASE_URL": deployment["url"], "CAPACITY_REDIS_URL": REDIS_URL,
           "CAPACITY_INSTANCE_PATH": str(deployment["machines"]["worker"])}
    done = subprocess.run([str(Path(sys.executable).parent / "rq"), "worker", "capacity", "--url", REDIS_URL, "--burst"],
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]


def stored_on_disk(machines: dict[str, Path]) -> list[str]:
    """Anything a user stored that a machine keeps in its own folder (the PDF cache may stay per server)."""
    return sorted(str(path.relative_to(folder)) for folder in machines.values() for path in folder.rglob("*")
                  if path.is_file() and path.parts[len(folder.parts)] in ("evidence", "jobs"))


def test_evidence_and_print_all_zips_are_shared_by_every_server(deployment):
    server_a, server_b = deployment["servers"]
    staff_a = Visitor(server_a.port).login(STAFF, Factory.PASSWORD)
    body, content_type = multipart("file", "policy.pdf", PDF, {"csrf_token": staff_a.token(DOMAIN)})
    status, answer = staff_a.request("POST", "/organisations/SHR-01/assessments/shared/self/evidence/GOV.01",
                                     headers={"Content-Type": content_type, "Accept": "application/json"}, body=body)
    assert status == 200, answer
    download_url = json.loads(answer)["url"]

    staff_b = Visitor(server_b.port).login(STAFF, Factory.PASSWORD)
    status, data = staff_b.request("GET", download_url, raw=True)
    assert status == 200 and data == PDF  # uploaded through A, downloaded through B
    status, page = staff_b.request("GET", DOMAIN)
    assert status == 200 and "policy.pdf" in page

    manager_b = Visitor(server_b.port).login(MANAGER, Factory.PASSWORD)
    status, _ = manager_b.request("POST", "/rounds/shared/profiles.zip",
                                  {"lang": "en", "csrf_token": manager_b.token("/rounds/")})
    assert status == 302
    job = manager_b.last_headers["Location"]
    status, progress = manager_b.request("GET", job + ".json")
    assert json.loads(progress)["status"] == "queued"  # no web server printed it: it waits for a worker
    run_worker(deployment)

    manager_a = Visitor(server_a.port).login(MANAGER, Factory.PASSWORD)
    deadline = time.monotonic() + 30
    while True:
        state = json.loads(manager_a.request("GET", job + ".json")[1])
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert state["status"] == "done", state
    zips = []
    for manager in (manager_a, manager_b):
        status, data = manager.request("GET", state["download"], raw=True)
        assert status == 200
        zips.append(data)
    assert zips[0] == zips[1]
    names = zipfile.ZipFile(io.BytesIO(zips[0])).namelist()
    assert names == ["capacity-SHR-01-shared-en.pdf"]
    assert zipfile.ZipFile(io.BytesIO(zips[0])).read(names[0]).startswith(b"%PDF")

    assert stored_on_disk(deployment["machines"]) == []
    with deployment["app"].app_context():
        assert db.session.scalar(sa.text("SELECT count(*) FROM evidence_files WHERE content IS NOT NULL")) == 1


def test_a_submissions_file_checked_on_one_server_is_imported_once_through_another(deployment):
    """KoboToolbox/ODK import: the upload kept between the check and the confirm is in the database, so a confirm
    landing on the other server imports it; the same token again, on either server, imports nothing more."""
    import re

    from capacity.questionnaires.library import load_directory
    from tests.submissions import kobo

    server_a, server_b = deployment["servers"]
    questionnaire = load_directory().questionnaire("gesi-oca", "1.0")
    scale = [i for i in questionnaire.indicators if i.has_levels and i.computed is None][:3]
    answers = {indicator.code: "2" for indicator in scale}
    data = kobo.xlsx(kobo.rows(questionnaire, [("SHR-01", answers)]))

    manager_a = Visitor(server_a.port).login(MANAGER, Factory.PASSWORD)
    body, content_type = multipart("file", "kobo.xlsx", data,
                                   {"csrf_token": manager_a.token("/rounds/shared/submissions"), "track": "mentor"})
    status, page = manager_a.request("POST", "/rounds/shared/submissions", headers={"Content-Type": content_type},
                                     body=body)
    assert status == 200, page
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)

    def imported() -> tuple[int, int]:
        with deployment["app"].app_context():
            return (db.session.scalar(sa.text("SELECT count(*) FROM answers")),
                    db.session.scalar(sa.text("SELECT count(*) FROM audit_events WHERE action = 'submissions.import' "
                                                     "AND object_type = 'round'")))

    assert imported() == (0, 0)  # the check saved nothing
    manager_b = Visitor(server_b.port).login(MANAGER, Factory.PASSWORD)
    confirm = {"token": token, "csrf_token": manager_b.token("/rounds/shared/submissions")}
    status, page = manager_b.request("POST", "/rounds/shared/submissions/import", confirm)
    assert status == 200, page
    assert imported() == (3, 1)  # checked through A, imported through B
    for manager in (manager_a, manager_b):
        again = {"token": token, "csrf_token": manager.token("/rounds/shared/submissions")}
        status, _ = manager.request("POST", "/rounds/shared/submissions/import", again)
        assert status == 302 and manager.last_headers["Location"].endswith("/rounds/shared/submissions")
    assert imported() == (3, 1)
    with deployment["app"].app_context():
        levels = db.session.execute(sa.text(
            "SELECT a.indicator_code, a.level FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "WHERE s.track = 'mentor'")).all()
        assert sorted(levels) == sorted((code, 2) for code in answers)
        assert db.session.scalar(sa.text("SELECT count(*) FROM pending_imports")) == 0
    # Nothing of the upload in any machine's folder: no machine needs another's disk.
    kept = [p for folder in deployment["machines"].values() for p in folder.rglob("*")
            if p.is_file() and p.suffix not in (".log",) and "cache" not in p.parts]
    assert kept == [], kept

    # Two confirms of one upload at the same moment, one through each server: exactly one imports.
    from concurrent.futures import ThreadPoolExecutor

    data = kobo.xlsx(kobo.rows(questionnaire, [("SHR-01", {code: "3" for code in answers})]))
    body, content_type = multipart("file", "again.xlsx", data,
                                   {"csrf_token": manager_a.token("/rounds/shared/submissions"), "track": "mentor"})
    status, page = manager_a.request("POST", "/rounds/shared/submissions", headers={"Content-Type": content_type},
                                     body=body)
    token = re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)
    forms = [{"token": token, "csrf_token": m.token("/rounds/shared/submissions")} for m in (manager_a, manager_b)]
    with ThreadPoolExecutor(2) as pool:
        statuses = sorted(pool.map(lambda pair: pair[0].request("POST", "/rounds/shared/submissions/import", pair[1])[0],
                                   zip((manager_a, manager_b), forms)))
    assert statuses == [200, 302]
    assert imported() == (3, 2)
