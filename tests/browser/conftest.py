"""Browser tests: Debian's Chromium, driven by Playwright, against a live server with the demo portfolio.

One server and one browser serve the whole session; every test gets a fresh
browser context (no cookies, no session). The server runs on SQLite only.

The tests are skipped (never errors) when the browser cannot run here:
CAPACITY_SKIP_BROWSER=1 (or CAPACITY_TEST_SKIP_BROWSER=1), no Chromium at CHROMIUM, no axe-core file at
AXE_CORE (``make test`` installs both), or no Playwright package.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from capacity import create_app
from capacity.demo.services import DEMO_PASSWORD, build_demo
from capacity.extensions import db

HERE = Path(__file__).resolve().parent
PROJECT_ROOT = HERE.parent.parent
CHROMIUM = os.environ.get("CAPACITY_TEST_CHROMIUM", "/usr/bin/chromium")
AXE_CORE = PROJECT_ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_URL = "/__test__/axe.min.js"  # served by the page fixture from AXE_CORE, never by the app
# Without the background-networking flags Chromium keeps trying hosts this closed network refuses;
# --disable-gpu is deliberately absent: with it, screenshots failed on this machine.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Demo accounts (README.md, "Demo logins"); every one has the password DEMO_PASSWORD.
USERS = {
    "admin": "admin@demo.example.org",
    "manager": "manager@demo.example.org",
    "mentor": "mentor.kakheti@demo.example.org",
    "cso": "tel-01@demo.example.org",
}


def pytest_collection_modifyitems(config, items):
    """Every test under tests/browser carries the ``browser`` marker (select with -m browser)."""
    for item in items:
        if HERE in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _original_environment(name: str) -> str:
    """``name`` as the test run was started with it.

    tests/conftest.py removes every CAPACITY_* variable but CAPACITY_TEST_* from os.environ
    before this file is read; /proc/self/environ still holds the environment the process got.
    """
    if name in os.environ:
        return os.environ[name]
    try:
        with open("/proc/self/environ", "rb") as f:
            for entry in f.read().split(b"\0"):
                key, _, value = entry.partition(b"=")
                if key.decode(errors="replace") == name:
                    return value.decode(errors="replace")
    except OSError:
        pass
    return ""


def _why_no_browser() -> str | None:
    for name in ("CAPACITY_SKIP_BROWSER", "CAPACITY_TEST_SKIP_BROWSER"):
        if _original_environment(name) not in ("", "0"):
            return f"browser tests skipped: {name} is set"
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"browser tests skipped: no Chromium at {CHROMIUM} (Debian package chromium; `make test` installs it)"
    if not AXE_CORE.is_file():
        return (f"browser tests skipped: no axe-core at {AXE_CORE.relative_to(PROJECT_ROOT)} "
                "(`make test` installs it with npm)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "browser tests skipped: the Python package playwright is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="session")
def browser_available():
    reason = _why_no_browser()
    if reason and browser_required() and "is set" not in reason:
        pytest.fail(reason.replace("browser tests skipped", "browser tests cannot run") +
                    " — CAPACITY_TEST_REQUIRE_BROWSER is set (as in CI), so this is a failure", pytrace=False)
    if reason:
        pytest.skip(reason)


def browser_required() -> bool:
    """CI sets CAPACITY_TEST_REQUIRE_BROWSER: there a missing Chromium or axe-core fails the run instead of skipping."""
    return _original_environment("CAPACITY_TEST_REQUIRE_BROWSER") not in ("", "0")


@pytest.fixture(autouse=True)
def _skip_without_browser(browser_available):
    """Skip every browser test, with the reason, when the browser cannot run here."""


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # one line per request would drown the test output
        pass


@pytest.fixture(scope="session")
def live_app(browser_available, tmp_path_factory):
    """The app the live server serves, with the demo portfolio loaded (tests may read its database and URL map)."""
    folder = tmp_path_factory.mktemp("live")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'live.db'}",
            "SESSION_COOKIE_SECURE": False,  # plain http://127.0.0.1
            "REMEMBER_COOKIE_SECURE": False,
        })
    with app.app_context():
        db.create_all()
        build_demo()
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def live_server(live_app):
    """Base URL of the app served in a background thread, with the demo portfolio loaded."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture(scope="session")
def browser(browser_available, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    # Chromium's own profile and crash files go to a temporary folder, not the user's home.
    home = tmp_path_factory.mktemp("chromium-home")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            env={**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_CACHE_HOME": str(home)},
        )
        yield browser
        browser.close()


# Chromium reports a blocked script, style or image on the console; the event catches the rest.
REPORT_CSP_VIOLATIONS = """document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"}`));"""


@pytest.fixture
def csp_violations() -> list[str]:
    """The Content Security Policy violations seen by ``page`` (a test that provokes one clears it)."""
    return []


@pytest.fixture
def page(browser, live_server, csp_violations):
    """A page in a fresh browser context (no cookies); relative URLs resolve against the live server.

    Every page it visits must run under the app's Content-Security-Policy without a violation.
    """
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    # Every page of the context: some tests open a second one.
    context.on("console", lambda message: csp_violations.append(f"{message.page.url if message.page else ''}: "
                                                               f"{message.text}")
               if "Content Security Policy" in message.text else None)
    # axe-core comes from the app's own origin (intercepted here), as the policy allows scripts only from there.
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE_CORE), content_type="text/javascript"))
    page = context.new_page()
    yield page
    context.close()
    assert not csp_violations, "Content Security Policy violations:\n" + "\n".join(csp_violations)


def login(page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form and wait for the page after it. ``email`` may be a USERS key."""
    email = USERS.get(email, email)
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form:not(.language) [type=submit]")
    if page.url.rstrip("/").endswith("/login"):
        raise AssertionError(f"login as {email} failed: {page.inner_text('main')}")


@pytest.fixture(scope="session")
def _session_cookies() -> dict[str, list]:
    return {}


@pytest.fixture
def log_in_as(page, _session_cookies):
    """``log_in_as(who)``: the page's fresh context gets the cookies of an earlier login as ``who``.

    Logging in through the form (scrypt, two page loads) once per user per run instead of once
    per test keeps the page checks fast; tests about logging in itself use ``login``.
    """
    def log_in_as(who: str) -> None:
        if who not in _session_cookies:
            login(page, who)
            _session_cookies[who] = page.context.cookies()
        else:
            page.context.add_cookies(_session_cookies[who])
    return log_in_as


def set_language(page, code: str) -> None:
    """Press the header's language button for ``code`` (ka or en) unless that language is already shown.

    A logged-in user's choice is saved on the account, so tests set the language they need
    instead of relying on what an earlier test left.
    """
    if page.get_attribute("html", "lang") != code:
        with page.expect_navigation():
            page.click(f"form.language button[value={code}]")
    assert page.get_attribute("html", "lang") == code


def axe(page, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run axe-core on the page; return the violations whose impact is in ``impacts`` (all when empty)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [v for v in violations if not impacts or v.get("impact") in impacts]


def describe(violations: list[dict]) -> str:
    """Each violation's id, impact and help, and the elements it concerns: for assertion messages."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v.get('help')} — {v.get('helpUrl', '')}")
        for node in v.get("nodes", []):
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {' '.join(map(str, node.get('target', [])))}: {summary}")
    return "\n".join(lines)
