"""The pages as a user sees them in Chromium: language, keyboard use, and axe-core's accessibility checks.

To check a new page, append (who, url) to PAGES: who is a key of USERS (or None for a
visitor who is not logged in); the page is checked in Georgian and in English.
"""
from __future__ import annotations

import pytest

from tests.browser.conftest import axe, describe, login, set_language

PAGES: list[tuple[str | None, str]] = [
    (None, "/login"),
    ("manager", "/"),
    ("mentor", "/"),
    ("manager", "/organisations/"),
    ("manager", "/organisations/TEL-01"),
    ("admin", "/admin/users/"),
    ("admin", "/admin/users/new"),
    ("admin", "/admin/organisations/new"),
    ("admin", "/admin/organisations/TEL-01/edit"),
    (None, "/no-such-page"),  # the error page (404)
]


def _focused(page) -> dict:
    """What has the keyboard focus, and whether the focus can be seen (an outline or the element on screen)."""
    return page.evaluate("""() => {
        const el = document.activeElement;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        return {
            tag: el.tagName.toLowerCase(), id: el.id, type: el.type || '', cls: el.className || '',
            text: (el.innerText || el.value || '').trim(),
            outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
            focusVisible: el.matches(':focus-visible'),
            onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0
                      && box.left < window.innerWidth && box.top < window.innerHeight,
        };
    }""")


def test_login_page_is_in_georgian(page):
    response = page.goto("/login")
    assert response.status == 200
    assert page.get_attribute("html", "lang") == "ka"
    assert page.inner_text("h1") == "შესვლა"
    assert page.title().startswith("შესვლა")


def test_manager_sees_the_27_organisations(page):
    login(page, "manager")
    assert page.url.endswith("/")
    # One section per kind of subject: the organisations first, then the demo's services and municipalities.
    organisations = page.locator("main section[aria-labelledby=kind-organisation]")
    rows = organisations.locator("table tbody tr")
    assert rows.count() == 27
    assert "27" in organisations.inner_text()
    assert page.locator("main section[aria-labelledby=kind-service] table tbody tr").count() == 6
    assert page.locator("main section[aria-labelledby=kind-municipality] table tbody tr").count() == 4
    # The row's heading is the organisation's name, linked to its page (its status cells link to the assessments).
    assert rows.first.locator("th a").get_attribute("href").startswith("/organisations/")


def test_language_switch_before_login_persists_after_reload(page):
    page.goto("/login")
    set_language(page, "en")
    assert page.inner_text("h1") == "Log in"
    assert page.get_attribute("form.language button[value=en]", "aria-pressed") == "true"
    page.reload()
    assert page.get_attribute("html", "lang") == "en"
    assert page.inner_text("h1") == "Log in"
    set_language(page, "ka")
    assert page.inner_text("h1") == "შესვლა"
    page.reload()
    assert page.get_attribute("html", "lang") == "ka"
    assert page.inner_text("h1") == "შესვლა"


def test_language_switch_is_kept_on_the_account(page, browser, live_server):
    # An account no other browser test uses: the choice is saved on it, for every later login.
    user = "gur-03@demo.example.org"
    login(page, user)
    set_language(page, "ka")
    set_language(page, "en")
    assert page.inner_text(".logout button") == "Log out"
    page.reload()
    assert page.get_attribute("html", "lang") == "en"
    # A new browser (no cookies) shows the saved choice once the user has logged in.
    other = browser.new_context(base_url=live_server).new_page()
    try:
        login(other, user)
        assert other.get_attribute("html", "lang") == "en"
    finally:
        other.context.close()
    set_language(page, "ka")
    assert page.inner_text(".logout button") == "გასვლა"
    page.reload()
    assert page.get_attribute("html", "lang") == "ka"


def test_keyboard_only_login(page):
    page.goto("/login")
    assert page.get_attribute("html", "lang") == "ka"

    # The first Tab from the top of the page reaches the skip link, which then shows on screen.
    page.keyboard.press("Tab")
    first = _focused(page)
    assert "skip-link" in first["cls"], first
    assert first["onScreen"] and first["outline"] and first["focusVisible"], first

    # Without the skip link, Tab still reaches the e-mail field, the password and the button, in that order.
    order = []
    for _ in range(15):
        page.keyboard.press("Tab")
        now = _focused(page)
        assert now["outline"] and now["focusVisible"] and now["onScreen"], f"focus not visible on {now}"
        order.append(now["id"] or now["text"])
        if now["type"] == "submit" and now["id"] == "submit":
            break
    assert [name for name in order if name in ("email", "password", "submit")] == ["email", "password", "submit"], order

    # With the skip link: Enter jumps to the content; the next Tab is the e-mail field.
    page.goto("/login")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "email"
    page.keyboard.type("manager@demo.example.org")
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "password"
    page.keyboard.type("capacity-demo")
    while _focused(page)["id"] != "submit":
        page.keyboard.press("Tab")
    assert _focused(page)["outline"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not page.url.rstrip("/").endswith("/login")
    assert page.locator("main section[aria-labelledby=kind-organisation] table tbody tr").count() == 27


# English first, then Georgian: a logged-in user's choice is saved on the account, so each account
# switches language once, and every account is left in Georgian (the default) for the tests after these.
CHECKS = [(who, url, language) for language in ("en", "ka") for who, url in PAGES]


@pytest.mark.parametrize(("who", "url", "language"), CHECKS,
                         ids=[f"{language}-{who or 'visitor'}:{url}" for who, url, language in CHECKS])
def test_no_serious_accessibility_violation(page, log_in_as, who, url, language):
    if who:
        log_in_as(who)
    page.goto(url)
    set_language(page, language)
    assert page.url.endswith(url), f"{url} as {who} ended at {page.url}"
    # Serious and critical ones, and content outside every landmark ("region", moderate: the demo banner once was).
    violations = [v for v in axe(page, impacts=()) if v.get("impact") in ("serious", "critical") or v["id"] == "region"]
    assert not violations, f"axe-core on {url} ({who or 'visitor'}, {language}):\n{describe(violations)}"
