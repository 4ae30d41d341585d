"""Compressed responses and cacheable static files (capacity/compression.py, capacity/caching.py).

Pages, JSON and static CSS/JS go out brotli- or gzip-compressed as the browser asks; downloads
(PDFs, XLSX, ZIPs, evidence files) byte for byte as stored. Static files have content-hashed
addresses that browsers keep for a year; pages are kept by no cache.
"""
from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
import shutil
from pathlib import Path

import brotli
import pytest

from capacity import create_app
from capacity.demo.services import DEMO_PASSWORD
from tests.conftest import demo_app
from capacity.extensions import db

ORG = "TEL-01"  # its endline self-assessment is not started: its staff can answer it
DOMAIN_PAGE = f"/organisations/{ORG}/assessments/endline/self/GOV"
AUTOSAVE = f"/organisations/{ORG}/assessments/endline/self/answers/GOV.01"
STATIC = Path(__file__).resolve().parents[1] / "capacity" / "static"
YEAR = "public, max-age=31536000, immutable"
# A PDF of more than a few hundred bytes that gzip would shrink a lot, were it ever tried.
PDF = b"%PDF-1.4\n" + b"% padding padding padding\n" * 200 + b"trailer<<>>\n%%EOF\n"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("compression")) as app:
        yield app


def logged_in(app, email: str = "tel-01@demo.example.org"):
    client = app.test_client()
    assert client.post("/login", data={"email": email, "password": DEMO_PASSWORD}).status_code == 302
    return client


def decoded(response) -> bytes:
    """The body as the browser reads it, after undoing the Content-Encoding the response names."""
    encoding = response.headers.get("Content-Encoding")
    body = response.get_data()
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


def without_token(page: bytes) -> bytes:
    """A page with its CSRF token blanked: the token is signed with the time, so two loads may differ there."""
    return re.sub(rb'name="csrf_token"([^>]*)value="[^"]*"', rb'name="csrf_token"\1value=""', page)


def static_urls(page: str) -> list[str]:
    """The stylesheets and scripts a page links (the icon is too small to compress: tests/test_favicon.py)."""
    return [url for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', page) if not url.startswith("/static/favicon.")]


# Pages and JSON


def test_questionnaire_page_is_brotli_or_gzip_as_asked_and_plain_otherwise(demo):
    cso = logged_in(demo)
    plain = cso.get(DOMAIN_PAGE)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert 'lang="ka"' in plain.get_data(as_text=True) and len(plain.data) > 20_000
    sizes = {}
    # Chrome's header, an old browser's and one that turns brotli down: br wins ties, gzip otherwise.
    for accept, expected in (("gzip, deflate, br, zstd", "br"), ("br", "br"), ("gzip", "gzip"),
                             ("br;q=0, gzip", "gzip"), ("identity", None)):
        response = cso.get(DOMAIN_PAGE, headers={"Accept-Encoding": accept})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == expected, accept
        assert without_token(decoded(response)) == without_token(plain.data), accept
        assert int(response.headers["Content-Length"]) == len(response.data)
        sizes[expected] = len(response.data)
        # Still a page of this person's: no cache keeps it, headers and the session cookie come through.
        assert "Accept-Encoding" in response.headers["Vary"] and "Cookie" in response.headers["Vary"]
        assert response.headers["Cache-Control"] == "no-store"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "session=" in response.headers.get("Set-Cookie", "")
    # The budget: the questionnaire page's HTML well under 25 KB on the wire (about 7 KB).
    assert sizes["br"] < sizes["gzip"] < 10_000 < sizes[None]


def test_a_page_another_site_asks_for_is_not_compressed(demo):
    """BREACH needs another site to load the page many times and measure it: such a request gets no compression."""
    cso = logged_in(demo)
    for origin, expected in (("cross-site", None), ("same-site", None), ("same-origin", "br"), ("none", "br")):
        # The language form repeats the address, query string included: what BREACH would guess with.
        response = cso.get(DOMAIN_PAGE + "?guess=abc", headers={"Accept-Encoding": "br", "Sec-Fetch-Site": origin})
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == expected, origin
        assert b"guess=abc" in decoded(response)
        assert {"Accept-Encoding", "Sec-Fetch-Site"} <= {v.strip() for v in response.headers["Vary"].split(",")}
    # A static file holds no secret: compressed whoever links to it.
    url = static_urls(cso.get(DOMAIN_PAGE).get_data(as_text=True))[0]
    css = demo.test_client().get(url, headers={"Accept-Encoding": "br", "Sec-Fetch-Site": "cross-site"})
    assert css.headers["Content-Encoding"] == "br"


def test_error_pages_and_json_errors_are_compressed_and_keep_their_status(demo):
    cso = logged_in(demo)
    missing = cso.get("/no/such/page", headers={"Accept-Encoding": "br"})
    assert missing.status_code == 404 and missing.headers["Content-Encoding"] == "br"
    assert b'class="site-header"' in decoded(missing)
    assert missing.headers["Cache-Control"] == "no-store"
    # A first save with a long comment; a second one from a page opened before it is stale (409) and
    # carries both answers back: JSON large enough to be worth compressing.
    long_comment = "ორგანიზაციას აქვს წერილობითი პოლიტიკა. " * 40
    first = cso.post(AUTOSAVE, data={"level": "2", "comment": long_comment, "evidence_url": "", "revision": "0"},
                     headers={"Accept": "application/json", "Accept-Encoding": "gzip"})
    assert first.status_code == 200
    stale = cso.post(AUTOSAVE, data={"level": "3", "comment": "", "evidence_url": "", "revision": "0"},
                     headers={"Accept": "application/json", "Accept-Encoding": "gzip"})
    assert stale.status_code == 409 and stale.headers["Content-Encoding"] == "gzip"
    reply = json.loads(decoded(stale))
    assert reply["error"] == "stale" and reply["theirs"]["comment"] == long_comment.strip()
    assert stale.headers["Cache-Control"] == "no-store"


def test_autosave_reply_is_compressed_only_when_large_enough(demo):
    cso = logged_in(demo)
    small = cso.post(f"/organisations/{ORG}/assessments/endline/self/answers/GOV.02",
                     data={"level": "2", "comment": "", "evidence_url": "", "revision": "0"},
                     headers={"Accept": "application/json", "Accept-Encoding": "br"})
    assert small.status_code == 200 and small.is_json
    # The usual reply (revision, time, progress) is a few hundred bytes: under COMPRESS_MIN_SIZE,
    # where compressing saves less than a network packet, it goes as it is.
    assert len(small.data) < demo.config["COMPRESS_MIN_SIZE"] and "Content-Encoding" not in small.headers
    assert "Accept-Encoding" in small.headers["Vary"]
    demo.config["COMPRESS_MIN_SIZE"] = 100
    try:
        larger = cso.post(f"/organisations/{ORG}/assessments/endline/self/answers/GOV.02",
                          data={"level": "3", "comment": "", "evidence_url": "", "revision": "1"},
                          headers={"Accept": "application/json", "Accept-Encoding": "br"})
    finally:
        demo.config["COMPRESS_MIN_SIZE"] = 500
    assert larger.status_code == 200 and larger.headers["Content-Encoding"] == "br"
    assert json.loads(decoded(larger))["revision"] == 2


# Downloads: sent byte for byte, whatever the browser accepts


def assert_sent_as_stored(response, starts_with: bytes) -> None:
    assert response.status_code == 200
    assert "Content-Encoding" not in response.headers
    assert response.get_data().startswith(starts_with)
    response.close()


def test_pdfs_spreadsheets_zips_and_evidence_files_are_never_compressed(demo):
    manager = logged_in(demo, "manager@demo.example.org")
    accept = {"Accept-Encoding": "gzip, deflate, br, zstd"}
    profile = manager.get(f"/organisations/{ORG}/report/endline.pdf?lang=en", headers=accept)
    assert_sent_as_stored(profile, b"%PDF")
    assert_sent_as_stored(manager.get("/rounds/endline/export.xlsx", headers=accept), b"PK\x03\x04")
    assert_sent_as_stored(manager.get("/rounds/endline/export.zip", headers=accept), b"PK\x03\x04")
    cso = logged_in(demo)
    uploaded = cso.post(f"/organisations/{ORG}/assessments/endline/self/evidence/GOV.03",
                        data={"file": (io.BytesIO(PDF), "policy.pdf")},
                        headers={"Accept": "application/json"}, content_type="multipart/form-data")
    assert uploaded.status_code == 200, uploaded.get_data(as_text=True)
    evidence = cso.get(uploaded.json["url"], headers=accept)
    assert evidence.headers["Content-Disposition"].startswith("attachment")
    assert_sent_as_stored(evidence, PDF)
    assert evidence.get_data() == PDF


# Static files


def test_static_urls_carry_the_content_hash_and_are_kept_for_a_year(demo):
    page = logged_in(demo).get(DOMAIN_PAGE).get_data(as_text=True)
    urls = static_urls(page)
    assert {u.split("?")[0] for u in urls} == {"/static/app.css", "/static/autosave.js"}
    anonymous = demo.test_client()
    for url in urls:
        path, version = re.fullmatch(r"/static/([\w./-]+)\?v=([0-9a-f]{12})", url).groups()
        assert version == hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:12]
        response = anonymous.get(url, headers={"Accept-Encoding": "br"})
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == YEAR
        assert decoded(response) == (STATIC / path).read_bytes()
        response.close()
    # The login page (no questionnaire script) links its stylesheet the same way.
    assert re.search(r'href="/static/app\.css\?v=[0-9a-f]{12}"', anonymous.get("/login").get_data(as_text=True))


def test_static_css_and_js_are_compressed_and_revalidate_per_encoding(demo):
    client = logged_in(demo)
    for url in static_urls(client.get(DOMAIN_PAGE).get_data(as_text=True)):
        original = (STATIC / url.split("?")[0].removeprefix("/static/")).read_bytes()
        for accept in ("br", "gzip"):
            response = client.get(url, headers={"Accept-Encoding": accept})
            assert response.headers["Content-Encoding"] == accept, url
            assert decoded(response) == original and len(response.data) < len(original) / 2
            assert "Accept-Encoding" in response.headers["Vary"]
            # A file is the same for everybody: a logged-in person's request neither sets nor varies on the
            # session cookie, which a shared cache would otherwise keep and hand to the next person.
            assert "Set-Cookie" not in response.headers and "Cookie" not in response.headers["Vary"]
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            etag = response.headers["ETag"]
            assert etag.endswith(f':{accept}"')  # the compressed copy has its own validator
            again = client.get(url, headers={"Accept-Encoding": accept, "If-None-Match": etag})
            assert again.status_code == 304
            again.close()
        plain = client.get(url)
        assert "Content-Encoding" not in plain.headers and plain.get_data() == original
        again = client.get(url, headers={"If-None-Match": plain.headers["ETag"]})
        assert again.status_code == 304
        again.close()


def test_a_wrong_or_missing_hash_gets_no_long_lifetime(demo):
    client = demo.test_client()
    for url in ("/static/app.css", "/static/app.css?v=000000000000", "/static/app.css?v="):
        response = client.get(url)
        assert response.status_code == 200
        # Kept only if checked with the server each time: an old page never pins a new file.
        assert response.headers["Cache-Control"] == "no-cache", url
        response.close()
    assert client.get("/static/no-such.css?v=000000000000").status_code == 404


def test_a_range_of_a_static_file_is_the_file_as_it_is(demo):
    response = demo.test_client().get("/static/app.css", headers={"Range": "bytes=0-1999", "Accept-Encoding": "br"})
    assert response.status_code == 206 and "Content-Encoding" not in response.headers
    assert response.get_data() == (STATIC / "app.css").read_bytes()[:2000]
    response.close()


def test_changing_a_static_file_changes_its_address(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path / "instance"))
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'db.sqlite'}"})
    with app.app_context():
        db.create_all()
    folder = tmp_path / "static"
    shutil.copytree(STATIC, folder)
    app.static_folder = str(folder)

    def address() -> str:
        with app.test_request_context():
            from flask import url_for
            return url_for("static", filename="app.css")

    before = address()
    assert address() == before  # stable while the file is
    client = app.test_client()
    assert client.get(before).headers["Cache-Control"] == YEAR
    (folder / "app.css").write_text((folder / "app.css").read_text() + "\n.new { color: red; }\n")
    after = address()
    assert after != before and after.startswith("/static/app.css?v=")
    assert client.get(after).headers["Cache-Control"] == YEAR
    old = client.get(before)  # an old page's address: today's file, but only briefly kept
    assert old.headers["Cache-Control"] == "no-cache" and b".new" in old.get_data()
