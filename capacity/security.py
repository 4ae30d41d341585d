"""Security headers on every response, and a development server that does not announce its versions.

Why a small ``after_request`` hook and not Flask-Talisman: Talisman (1.1.0, the latest
release, from 2023) is a kept library, but here it would cost more than it gives:

- it overwrites a Content-Security-Policy a view has already set, so the evidence
  download's stricter ``default-src 'none'`` would need a per-view decorator to survive;
  this hook only adds what a response does not carry yet;
- its defaults (forcing HTTPS redirects, rewriting the session cookie's ``Secure`` flag)
  fight settings Capacity already owns in capacity/config.py and the TLS-terminating proxy
  README.md asks for; each would have to be switched off again;
- it does nothing about the ``Server`` header, which is the WSGI server's business;
- what is left — five fixed header values — is shorter to write than to configure.

Why a static policy and not per-request nonces: the app's pages carry no inline
``<script>`` or ``style=""`` (behaviour lives in capacity/static/*.js, looks in app.css),
so ``'self'`` is enough and cached pages stay byte-identical. The one exception is the
HTML profile preview: it is the PDF template (reports/profile.html), whose bar widths are
inline ``style="width: N%"`` so that WeasyPrint lays the PDF out exactly as before. That
one response may use inline style *attributes* (``style-src-attr``), never inline
``<style>`` or scripts, and ``data:`` images for its embedded charts.
"""
from __future__ import annotations

from flask import Flask, Response, current_app, request
from werkzeug.serving import WSGIRequestHandler

# Everything from this origin only; nothing may frame a page (clickjacking); no plugins;
# forms post and <base> point nowhere else.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# The profile preview: the PDF template's inline bar widths and data: chart images (see above).
PREVIEW_POLICY = CONTENT_SECURITY_POLICY.replace("img-src 'self'", "img-src 'self' data:") + (
    "; style-src-attr 'unsafe-inline'"
)
POLICY_BY_ENDPOINT = {"reports.profile_preview": PREVIEW_POLICY}

# One year: browsers remember to use HTTPS only; sent only where HTTPS is expected (see below).
HSTS = "max-age=31536000"
SERVER_NAME = "Capacity"


def _policy() -> str:
    """The policy for the view answering this request: the default unless it is listed in POLICY_BY_ENDPOINT."""
    return POLICY_BY_ENDPOINT.get(request.endpoint or "", CONTENT_SECURITY_POLICY)


def add_security_headers(response: Response) -> Response:
    """Add the headers a response does not carry yet: a view's own, stricter choice wins."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _policy())
    headers.setdefault("X-Frame-Options", "DENY")  # frame-ancestors for browsers without CSP level 2
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Addresses carry organisation codes and round names: other sites need not learn them.
    headers.setdefault("Referrer-Policy", "same-origin")
    config = current_app.config
    # Only where cookies are Secure, i.e. HTTPS is expected: on plain-http development or a
    # production install that deliberately turned Secure cookies off, HSTS would lock users out.
    if config.get("CAPACITY_ENV") == "production" and config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response


def register_security_headers(app: Flask) -> None:
    """Send the headers on every response, error pages and static files included."""
    app.after_request(add_security_headers)


def _plain_version_string(_handler: WSGIRequestHandler) -> str:
    """The Server header's value: the application, without Werkzeug's or Python's version."""
    return SERVER_NAME


def hide_server_version() -> None:
    """Make Werkzeug's development server say ``Server: Capacity``, not ``Werkzeug/x Python/y``.

    ``capacity run`` (Flask's run command) builds the default WSGIRequestHandler itself, so
    the class is changed; only that command calls this. gunicorn already sends a bare
    ``Server: gunicorn`` (no version since gunicorn 20), so nothing is needed there.
    """
    WSGIRequestHandler.version_string = _plain_version_string  # type: ignore[method-assign]
