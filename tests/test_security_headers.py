"""Security headers: what a browser is told on every kind of response, and what the server says about itself."""
from __future__ import annotations

import io
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from capacity import create_app
from capacity.demo.services import DEMO_PASSWORD
from tests.conftest import demo_app

ORG = "TEL-01"  # its endline self-assessment is not started: staff can answer it
COMPARED = "TEL-02"  # baseline and endline both scored: its profile draws change bars
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("headers")) as app:
        yield app


def logged_in(app, email: str):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302
    return client


def directives(response) -> dict[str, str]:
    policy = response.headers.get("Content-Security-Policy", "")
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def assert_common_headers(response) -> None:
    policy = directives(response)
    assert policy, "no Content-Security-Policy"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-inline'" not in policy.get("script-src", "") and "'unsafe-inline'" not in policy.get("style-src", "")
    assert "'unsafe-inline'" not in policy.get("default-src", "")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # development is plain http


def test_login_page_cannot_be_framed_and_runs_only_its_own_scripts(demo):
    response = demo.test_client().get("/login")
    assert response.status_code == 200
    assert_common_headers(response)
    policy = directives(response)
    assert policy["script-src"] == "script-src 'self'" and policy["style-src"] == "style-src 'self'"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_json_reply_static_file_and_error_page_carry_the_headers(demo):
    cso = logged_in(demo, "tel-01@demo.example.org")
    saved = cso.post(f"/organisations/{ORG}/assessments/endline/self/answers/GOV.01",
                     data={"level": "2", "comment": "", "evidence_url": "", "revision": "0"},
                     headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.is_json
    assert_common_headers(saved)
    static = cso.get("/static/app.css")
    assert static.status_code == 200
    assert_common_headers(static)
    static.close()
    missing = cso.get("/no/such/page")
    assert missing.status_code == 404
    assert_common_headers(missing)


def test_profile_preview_may_draw_its_bars_and_charts_but_run_no_inline_script(demo):
    manager = logged_in(demo, "manager@demo.example.org")
    preview = manager.get(f"/organisations/{COMPARED}/report/endline?lang=en")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert 'style="width:' in page and 'src="data:' in page  # what the relaxed policy is for
    assert_common_headers(preview)
    policy = directives(preview)
    assert "data:" in policy["img-src"]
    assert policy["style-src-attr"] == "style-src-attr 'unsafe-inline'"
    # Only that one page: an ordinary page keeps inline style attributes and data: images out.
    ordinary = directives(manager.get(f"/organisations/{ORG}"))
    assert "style-src-attr" not in ordinary and "data:" not in ordinary["img-src"]


def test_pdf_carries_the_headers(demo):
    manager = logged_in(demo, "manager@demo.example.org")
    pdf = manager.get(f"/organisations/{ORG}/report/endline.pdf?lang=en")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert_common_headers(pdf)


def test_evidence_download_keeps_its_stricter_policy(demo):
    cso = logged_in(demo, "tel-01@demo.example.org")
    uploaded = cso.post(f"/organisations/{ORG}/assessments/endline/self/evidence/GOV.02",
                        data={"file": (io.BytesIO(PDF), "policy.pdf")},
                        headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert uploaded.status_code == 200, uploaded.get_data(as_text=True)
    download = cso.get(uploaded.json["url"])
    download.close()
    assert download.status_code == 200
    assert download.headers["Content-Security-Policy"] == "default-src 'none'"
    assert download.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize(("env", "cookie_secure", "expected"), [
    ("production", None, True),
    ("production", "0", False),  # plain-http production (no TLS in front): HSTS would lock users out
    ("development", None, False),
])
def test_strict_transport_security_only_where_https_is_expected(monkeypatch, tmp_path, env, cookie_secure, expected):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("CAPACITY_ENV", env)
    monkeypatch.setenv("CAPACITY_SECRET_KEY", "k" * 64)
    if cookie_secure is not None:
        monkeypatch.setenv("CAPACITY_COOKIE_SECURE", cookie_secure)
    response = create_app().test_client().get("/login")
    assert ("max-age=" in response.headers.get("Strict-Transport-Security", "")) is expected


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_development_server_names_no_server_or_python_version(tmp_path):
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CAPACITY_")}
    environment.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(tmp_path))
    server = subprocess.Popen([sys.executable, "-c", "from capacity.cli import main; main()", "run", "--port", str(port)],
                              env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as response:
                    server_header = response.headers.get("Server", "")
                    policy = response.headers.get("Content-Security-Policy", "")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert server_header == "Capacity"
    assert "frame-ancestors 'none'" in policy
