"""What browsers and proxies may keep: static files for a year under content-hashed addresses, pages never.

Static files (capacity/static/) change only with a new release, and every page needs them: a
browser that keeps them loads a second page with its HTML alone. So every
``url_for('static', filename=...)`` gets ``?v=<hash of the file's bytes>`` (a ``url_defaults``
hook: templates need not know), and the static view answers that exact address with
``Cache-Control: public, max-age=31536000, immutable``. A changed file has a new hash, hence a
new address, so a year-long lifetime never shows an old stylesheet with a new page. An address
without the hash, or with another file's (an old page still in a browser after a release), gets
``no-cache`` instead: it may be kept but is checked with the server (ETag, a 304) every time, so
it can never pin an old file.

Pages and JSON replies are each user's own (answers, names, a CSRF token), so a response that
does not say otherwise gets ``Cache-Control: no-store``: no shared cache may keep it, and a
browser neither; pressing Back after logging out on a shared office computer asks the server
(which sends the login page) instead of showing the last person's answers from the cache, and
Back to a questionnaire page shows the answers autosave has stored since, not the page as it
was first loaded. The price, a fresh request on Back, is a few kilobytes once compressed.
Views that choose for themselves (downloads, the report preview's fonts) keep their choice.

The icon: pages link ``static/favicon.svg`` (hashed like any static file), but browsers still ask
for ``/favicon.ico`` by that fixed name wherever no page says otherwise (a PDF or JSON opened in a
tab), and a 404 there is logged on every first visit. ``/favicon.ico`` answers with the same
drawing (``static/favicon.ico``), public for a year but not ``immutable``: its address cannot
change with the file, and an old icon shown for a while after a release is harmless.
"""
from __future__ import annotations

import hashlib
import os

from flask import Flask, Response, current_app, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from werkzeug.security import safe_join

ONE_YEAR = 31536000  # seconds: the customary maximum (HTTP/1.1 once capped Expires at a year)
VERSION_ARG = "v"
HASH_LENGTH = 12  # hex digits of SHA-256: 48 bits, no collision between two releases of one file
FAVICON = "favicon.ico"
# Endpoints that serve files, the same for everybody: never a session cookie on them (see SessionInterface).
FILE_ENDPOINTS = frozenset({"static", "favicon"})

# (folder, filename) -> (mtime_ns, size, hash): a file is read and hashed once per process, again only if it
# changes on disk (a developer editing app.css under `capacity run` gets a new address at once).
_hashes: dict[tuple[str, str], tuple[int, int, str]] = {}


def static_hash(static_folder: str, filename: str) -> str | None:
    """The short content hash of a static file, or None when there is no such file."""
    path = safe_join(static_folder, filename)
    if path is None:
        return None
    try:
        stat = os.stat(path)
    except OSError:
        return None
    key = (static_folder, filename)
    known = _hashes.get(key)
    if known and known[:2] == (stat.st_mtime_ns, stat.st_size):
        return known[2]
    try:
        with open(path, "rb") as file:
            digest = hashlib.sha256(file.read()).hexdigest()[:HASH_LENGTH]
    except OSError:  # a folder, or unreadable: the view will answer 404 as before
        return None
    _hashes[key] = (stat.st_mtime_ns, stat.st_size, digest)
    return digest


def _add_static_hash(endpoint: str, values: dict) -> None:
    """``url_for('static', filename=...)`` → ``/static/<filename>?v=<hash>``, in every template and view."""
    if endpoint != "static" or VERSION_ARG in values or "filename" not in values:
        return
    digest = static_hash(current_app.static_folder or "", values["filename"])
    if digest:
        values[VERSION_ARG] = digest


def serve_static(filename: str) -> Response:
    """Flask's static view, with a year-long lifetime for the exact hashed address and no-cache for any other.

    Werkzeug's send_file still answers ETags (304), Range (206, or 416 for a range it cannot serve)
    and missing files (404). A whole file is read into the response (they are a few kilobytes) so
    that Flask-Compress compresses it like a page (see capacity/compression.py, which leaves
    file streams and partial contents alone).
    """
    folder = current_app.static_folder or ""
    current = static_hash(folder, filename)
    hashed = current is not None and request.args.get(VERSION_ARG) == current
    response = send_from_directory(folder, filename, max_age=ONE_YEAR if hashed else None)
    if hashed:
        response.cache_control.immutable = True  # not even revalidated on reload: this address never changes
    return _read_whole(response)


def serve_favicon() -> Response:
    """``/favicon.ico``: the app's icon at the address browsers ask for by themselves, kept for a year."""
    response = send_from_directory(current_app.static_folder or "", FAVICON, max_age=ONE_YEAR)
    response.cache_control.public = True
    return _read_whole(response)


def _read_whole(response: Response) -> Response:
    """A 200's file read into the response and closed at once (304s and errors carry no file)."""
    if response.status_code == 200:
        file = response.response  # Werkzeug's file wrapper
        try:
            body = b"".join(file)
        finally:
            file.close()
        response.direct_passthrough = False
        response.set_data(body)
    return response


def _no_store_by_default(response: Response) -> Response:
    """Pages, JSON and error pages are per user: kept by no cache unless their view chose otherwise."""
    if "Cache-Control" not in response.headers:
        response.headers["Cache-Control"] = "no-store"
    return response


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, except that a static file (or the icon) never sets or varies on the cookie.

    A logged-in user's every request rewrites the session cookie (the last-seen time that ends idle
    logins, and the refresh of a permanent session). On a static file that would put one person's
    ``Set-Cookie`` on a response marked ``public`` for a year, which a shared cache may store and
    hand to the next person. What a static request changed in the session (at most that time) is
    simply not saved; the next page saves its own.
    """

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if request.endpoint in FILE_ENDPOINTS:
            return
        super().save_session(app, session, response)


def register_caching(app: Flask) -> None:
    app.url_defaults(_add_static_hash)
    if "static" in app.view_functions:
        app.view_functions["static"] = serve_static
        app.add_url_rule("/" + FAVICON, "favicon", serve_favicon)
    app.session_interface = SessionInterface()
    app.after_request(_no_store_by_default)
