"""The domain page's scripts with typed questions, in Chromium (as tests/browser): a conditional question appears and
disappears as its condition's answer changes, each type is saved as it is given, "None of these" unticks the options,
and a refused number says why; no Content Security Policy violation. Skipped where tests/browser are skipped."""
from __future__ import annotations

import re
import threading
import time
from datetime import date

import pytest
import sqlalchemy as sa
from werkzeug.serving import make_server

from capacity import create_app
from capacity.assessments.models import Answer
from capacity.extensions import db
# In tests/browser, so it shares that folder's one Playwright and Chromium (a second sync Playwright in one
# process fails); its fixtures (browser, browser_available) come from tests/browser/conftest.py.
from tests.browser.conftest import REPORT_CSP_VIOLATIONS, _QuietHandler, login
from tests.factories import Factory
from tests.questionnaire_fixtures import copy_questionnaires, make_round

BASE = "/organisations/OWN-01/assessments/types/self"


@pytest.fixture(scope="module")
def typed_server(browser_available, tmp_path_factory):
    """A live server (SQLite) whose library holds the every-type instrument, with OWN-01's staff and round "types"."""
    folder = tmp_path_factory.mktemp("typed")
    library = copy_questionnaires(folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_QUESTIONNAIRES", str(library))  # read on every request: kept while the server runs
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder / "instance"))
        app = create_app({"SECRET_KEY": "typed-browser-secret", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}",
                          "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
        with app.app_context():
            db.create_all()
        factory = Factory(app)
        factory.org("OWN-01")
        factory.user("cso", org="OWN-01", email="staff@own.example.org")
        make_round(app, "types", "every-type", "1.0", "every-type-default", "1.0", date(2026, 1, 1))
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, name="typed-server", daemon=True)
        thread.start()
        yield app, f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def typed_page(browser, typed_server):
    violations: list[str] = []
    context = browser.new_context(base_url=typed_server[1], viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    context.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, violations


def stored(app, code: str):
    with app.app_context():
        return db.session.execute(sa.select(Answer.level, Answer.value).where(Answer.indicator_code == code)).first()


def status_starts(page, code: str, prefix: str) -> None:
    """Wait until the question's save status (the script's message) starts with ``prefix`` (no eval: the CSP)."""
    from playwright.sync_api import expect

    expect(page.locator(f"[id='ind-{code}'] .save-status")).to_have_text(re.compile("^" + re.escape(prefix)))


def saved(page, code: str) -> None:
    status_starts(page, code, "Saved")


def eventually(check, tries: int = 50) -> bool:
    for _ in range(tries):
        if check():
            return True
        time.sleep(0.1)
    return False


def test_conditions_show_and_hide_questions_live_and_each_type_is_saved(typed_page, typed_server):
    app, page = typed_server[0], typed_page
    login(page, "staff@own.example.org", Factory.PASSWORD)
    page.goto("/")
    page.click("form.language button[value=en]")
    page.goto(f"{BASE}/GOV")
    multiple = page.locator("#ind-GOV\\.3")
    assert multiple.is_hidden()  # "Which groups take part?" waits for "yes" to GOV.2
    page.locator("#ind-GOV\\.2 input[value=yes]").check()
    multiple.wait_for(state="visible")
    saved(page, "GOV.2")
    assert stored(app, "GOV.2") == (None, "yes")
    page.locator("#ind-GOV\\.3 input[value=women]").check()
    saved(page, "GOV.3")
    page.locator("#ind-GOV\\.3 input[value='-none-']").check()
    assert not page.locator("#ind-GOV\\.3 input[value=women]").is_checked()  # "None of these" excludes the options
    assert eventually(lambda: stored(app, "GOV.3") == (None, "[]"))  # saved after the first tick's save
    page.locator("#ind-GOV\\.2 input[value=no]").check()
    multiple.wait_for(state="hidden")
    saved(page, "GOV.2")
    assert stored(app, "GOV.3") == (None, "[]")  # hidden, never deleted
    page.locator("#ind-GOV\\.4 input[value=yearly]").check()
    saved(page, "GOV.4")

    page.goto(f"{BASE}/SRV")
    feedback, change = page.locator("#ind-SRV\\.3"), page.locator("#ind-SRV\\.4")
    assert feedback.is_hidden() and change.is_hidden()
    assert page.locator("#ind-SRV\\.5").is_visible()  # its condition (GOV.4 yearly) is on the other page: as saved
    number = page.locator("#ind-SRV\\.1 input[name='value__SRV_1']")
    number.fill("twelve")
    number.dispatch_event("change")
    status_starts(page, "SRV.1", "Not saved")
    assert "Enter a number with the digits 0–9" in page.locator("#ind-SRV\\.1 .save-status").inner_text()
    assert feedback.is_hidden()
    number.fill("40")
    number.dispatch_event("change")
    feedback.wait_for(state="visible")
    saved(page, "SRV.1")
    assert stored(app, "SRV.1") == (None, "40")
    page.locator("#ind-SRV\\.3 input[value='3']").check()
    change.wait_for(state="visible")  # level 3 or more: the optional free text is asked
    page.locator("#ind-SRV\\.4 textarea[name='value__SRV_4']").fill("Feedback boxes in large print.")
    saved(page, "SRV.4")  # typed text is saved a moment after the typing stops
    assert stored(app, "SRV.4") == (None, "Feedback boxes in large print.")
