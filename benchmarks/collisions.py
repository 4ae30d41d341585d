"""Saves that collide: 20 users, two per organisation, saving the same indicators at once under gunicorn.

On SQLite and PostgreSQL: how many 5xx (must be none), how many 409 (the promised
"someone else saved this answer", with both versions), how many acknowledged saves
are missing from the database afterwards (must be none), and the save p95.
Bounded: each user makes a fixed number of saves on 127.0.0.1, then stops.
"""
from __future__ import annotations

import os
import statistics
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from benchmarks.web import PASSWORD, TOKEN, Browser, percentile, gunicorn

COLLIDING_ORGS = 10  # x 2 people = 20 concurrent users
SAVES_PER_USER = 40
COLLIDE_CODES = ["GOV.01", "GOV.03", "GOV.04", "GOV.05"]
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _collision_world(url: str, instance: Path) -> list[str]:
    """Organisations with one staff login each and an open round, in the database at ``url``; the logins."""
    os.environ.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(instance))
    from werkzeug.security import generate_password_hash

    from capacity import create_app
    from capacity.auth.models import Role, User
    from capacity.extensions import db
    from capacity.organisations.models import Organisation
    from capacity.rounds.models import AssessmentRound, RoundKind

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    password = generate_password_hash(PASSWORD, method="scrypt")
    logins = []
    with app.app_context():
        db.create_all()
        db.session.add(AssessmentRound(code="collide", name_ka="ტესტი", name_en="Collisions", kind=RoundKind.MIDLINE,
                                       starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30), is_open=True,
                                       questionnaire_id="gesi-oca", questionnaire_version="1.0",
                                       rubric_id="gesi-oca-default", rubric_version="1.0"))
        for n in range(COLLIDING_ORGS):
            code = f"COL-{n + 1:02d}"
            org = Organisation(code=code, name_ka=f"ორგანიზაცია {code}", name_en=f"Organisation {code}", municipality="telavi")
            email = f"{code.lower()}@bench.example.org"
            db.session.add_all([org, User(email=email, display_name=code, role=Role.CSO, organisation=org,
                                          password_hash=password)])
            logins.append(email)
        db.session.commit()
        db.engine.dispose()
    return logins


def _collider(port: int, email: str, slot: int, barrier: threading.Barrier, out: dict, lock: threading.Lock) -> None:
    """One person: saves the organisation's four indicators in turn; after a 409 keeps their own answer (as the page's
    "Keep my answer" does), so the next save is based on the revision the other person stored."""
    import json
    from urllib.parse import urlencode

    browser = Browser(port)
    _, page, _ = browser.request("GET", "/login")
    status, _, _ = browser.request("POST", "/login", urlencode({"email": email, "password": PASSWORD,
                                                                "csrf_token": TOKEN.search(page.decode()).group(1)}))
    assert status == 302, f"login failed for {email}: {status}"
    org = email.split("@")[0].upper()
    base = f"/organisations/{org}/assessments/collide/self"
    _, page, _ = browser.request("GET", base + "/GOV")
    headers = {"X-CSRFToken": TOKEN.search(page.decode()).group(1), "Accept": "application/json"}
    revision = {code: 0 for code in COLLIDE_CODES}
    times, acks, conflicts, errors, other = [], [], 0, 0, 0
    barrier.wait(timeout=60)
    for i in range(SAVES_PER_USER):
        code = COLLIDE_CODES[i % len(COLLIDE_CODES)]
        comment = f"{email} #{slot} save {i}"  # every save changes the answer, so every stored save bumps the revision
        body = urlencode({"level": str(1 + (i + slot) % 4), "comment": comment, "evidence_url": "",
                          "revision": str(revision[code])})
        status, data, elapsed = browser.request("POST", f"{base}/answers/{code}", body, headers)
        times.append(elapsed)
        if status == 200:
            revision[code] = json.loads(data)["revision"]
            acks.append((org, code, revision[code], comment))
        elif status == 409:
            conflicts += 1
            revision[code] = json.loads(data)["theirs"]["revision"]
        elif status >= 500:
            errors += 1
        else:
            other += 1
    with lock:
        out["saves"] += times
        out["acks"] += acks
        out["conflicts"] += conflicts
        out["errors"] += errors
        out["other"] += other


def _postgres_schema(url: str) -> tuple[str | None, str]:
    """A fresh schema on the PostgreSQL server (name, reason it is unavailable)."""
    import uuid

    engine = sa.create_engine(url)
    schema = f"capacity_bench_{uuid.uuid4().hex[:10]}"
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        return schema, ""
    except Exception as error:  # any driver or network error: no PostgreSQL here, said in the report
        return None, f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
    finally:
        engine.dispose()


def collisions(backend: str) -> dict:
    """20 users (two per organisation) saving the same indicators under gunicorn; 5xx, 409, lost saves, save p95."""
    result = {"kind": "collisions", "backend": "SQLite" if backend == "sqlite" else "PostgreSQL",
              "users": COLLIDING_ORGS * 2}
    with tempfile.TemporaryDirectory() as tmp:
        instance, schema = Path(tmp), None
        if backend == "sqlite":
            url = f"sqlite:///{instance / 'collide.db'}"
        else:
            server_url = os.environ.get("CAPACITY_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
            schema, problem = _postgres_schema(server_url)
            if schema is None:
                return result | {"unavailable": f"PostgreSQL at {server_url} is not reachable ({problem})"}
            url = f"{server_url}?options=-csearch_path%3D{schema}"
        try:
            logins = _collision_world(url, instance)
            result |= _run_collisions(url, instance, logins)
        finally:
            if schema:
                engine = sa.create_engine(os.environ.get("CAPACITY_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
                with engine.begin() as conn:
                    conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                engine.dispose()
    return result


def _run_collisions(url: str, instance: Path, logins: list[str]) -> dict:
    env = {**os.environ, "CAPACITY_ENV": "production", "CAPACITY_SECRET_KEY": "benchmark-" + "x" * 40,
           "CAPACITY_COOKIE_SECURE": "0", "CAPACITY_INSTANCE_PATH": str(instance), "CAPACITY_DATABASE_URL": url}
    out = {"saves": [], "acks": [], "conflicts": 0, "errors": 0, "other": 0}
    with gunicorn(env) as port:
        people = [(email, slot) for email in logins for slot in (0, 1)]
        barrier, lock = threading.Barrier(len(people)), threading.Lock()
        threads = [threading.Thread(target=_collider, args=(port, email, slot, barrier, out, lock)) for email, slot in people]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=600)
        wall = time.perf_counter() - start
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT o.code, a.indicator_code, a.revision, a.comment FROM answers a JOIN assessments s ON s.id = a.assessment_id "
            "JOIN organisations o ON o.id = s.organisation_id JOIN assessment_rounds r ON r.id = s.round_id "
            "WHERE r.code = 'collide'")).all()
    engine.dispose()
    stored = {(org, code): (revision, comment) for org, code, revision, comment in rows}
    lost = 0
    by_key: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for org, code, revision, comment in out["acks"]:
        by_key.setdefault((org, code), []).append((revision, comment))
    for key, acks in by_key.items():
        kept_revision, kept_comment = stored.get(key, (0, ""))
        # Every stored save is one revision: fewer revisions than acknowledgements means saves went missing,
        # and the last acknowledged save must be what is stored now.
        lost += max(0, len(acks) - kept_revision) + (max(acks)[1] != kept_comment)
    saves = sorted(out["saves"])
    return {"saves": len(saves), "wall": wall, "save_p50": statistics.median(saves), "save_p95": percentile(saves, 0.95),
            "errors": out["errors"], "conflicts": out["conflicts"], "other": out["other"],
            "acknowledged": len(out["acks"]), "lost": lost}


def run() -> list[dict]:
    return [collisions("sqlite"), collisions("postgresql")]


def markdown(results: list[dict]) -> str:
    if not results:
        return ""
    lines = [
        "",
        "## Saves that collide",
        "",
        f"gunicorn with 4 workers; {COLLIDING_ORGS} organisations with two people each ({COLLIDING_ORGS * 2} concurrent "
        f"users), both saving the same {len(COLLIDE_CODES)} indicators in turn, {SAVES_PER_USER} saves each, no pause. "
        "A 409 is the promised “someone else saved this answer” with both versions; the person then keeps their answer. "
        "Targets: no 5xx and no lost save (acknowledged but not in the database).",
        "",
        "| database | saves | 5xx | 409 (stale, both versions shown) | other 4xx | acknowledged | lost | save p50 | save p95 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if "unavailable" in r:
            lines.append(f"| {r['backend']} | not measured: {r['unavailable']} | | | | | | | |")
            continue
        lines.append(
            f"| {r['backend']} | {r['saves']:,} in {r['wall']:.1f} s | {r['errors']} {'✓' if r['errors'] == 0 else '✗'} | "
            f"{r['conflicts']} | {r['other']} | {r['acknowledged']:,} | {r['lost']} {'✓' if r['lost'] == 0 else '✗'} | "
            f"{r['save_p50'] * 1000:.1f} ms | {r['save_p95'] * 1000:.1f} ms |")
    return "\n".join(lines) + "\n"
