"""The assessment workflow in a real browser: keyboard-only answering, autosave, an ended login, consensus.

Each test works on its own demo organisation, because the live server is shared by the session.
"""
from __future__ import annotations

import re

from tests.browser.conftest import axe, describe, login, set_language

ENDLINE = "/organisations/{code}/assessments/endline"
GOV = ["GOV.01", "GOV.02", "GOV.03", "GOV.04", "GOV.05", "GOV.06", "GOV.07"]


def radio(code: str, value: str) -> str:
    return f"input[name='level__{code.replace('.', '_')}'][value='{value}']"


def ind(code: str) -> str:
    """CSS selector of an indicator's fieldset (dots in ids need escaping)."""
    return "#ind-" + code.replace(".", "\\.")


def focused_name(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.name || ''")


def test_cso_completes_a_domain_with_the_keyboard_only_and_finds_it_after_reload(page):
    login(page, "tel-01@demo.example.org")
    url = ENDLINE.format(code="TEL-01") + "/self/GOV"
    page.goto(url)
    for code in GOV:
        name = f"level__{code.replace('.', '_')}"
        for _ in range(80):  # Tab through links and fields until the indicator's level group has the focus
            page.keyboard.press("Tab")
            if focused_name(page) == name:
                break
        else:
            raise AssertionError(f"Tab never reached {code}")
        page.keyboard.press("Space")  # choose level 1 …
        page.keyboard.press("ArrowDown")  # … then move to level 2, which selects it
        page.wait_for_selector(ind(code) + " .save-status--ok")
    page.reload()
    for code in GOV:
        assert page.is_checked(radio(code, "2")), code
    assert page.inner_text("[data-progress=GOV]") == "7/7"


def test_an_ended_login_loses_nothing(page):
    login(page, "kut-01@demo.example.org")
    url = ENDLINE.format(code="KUT-01") + "/self/HR"
    page.goto(url)
    page.context.clear_cookies()  # the session ends while the page is open
    page.check(radio("HR.01", "4"))
    page.fill("textarea[name='comment__HR_01']", "შეტყობინება, რომელიც არ უნდა დაიკარგოს")
    page.keyboard.press("Tab")
    status = page.locator("#ind-HR\\.01 .save-status")
    status.locator("a").wait_for()
    assert page.evaluate("() => Object.keys(localStorage).some(k => k.startsWith('capacity.pending:'))")
    with page.expect_navigation():
        status.locator("a").click()  # to the login page, coming back here afterwards
    page.fill("#email", "kut-01@demo.example.org")
    page.fill("#password", "capacity-demo")
    with page.expect_navigation():
        page.click("form:not(.language) [type=submit]")
    assert page.url.endswith(url)
    page.wait_for_selector("#ind-HR\\.01 .save-status--ok")
    page.reload()
    assert page.is_checked(radio("HR.01", "4"))
    assert page.input_value("textarea[name='comment__HR_01']") == "შეტყობინება, რომელიც არ უნდა დაიკარგოს"
    assert not page.evaluate("() => Object.keys(localStorage).some(k => k.startsWith('capacity.pending:'))")


def _fill_track(page, base: str, track: str, level: str) -> None:
    """Answer every still unanswered indicator of a track through the autosave endpoint (as the page script does)."""
    page.goto(f"{base}/{track}/")
    for link in page.locator("ol.domain-list a").all():
        href = link.get_attribute("href")
        domain_page = page.context.new_page()
        domain_page.goto(href)
        token = domain_page.get_attribute("input[name=csrf_token]", "value")
        for fieldset in domain_page.locator("fieldset.indicator[data-code]").all():
            if fieldset.locator("input[type=radio]:checked").count():
                continue
            code = fieldset.get_attribute("data-code")
            # Every save names the revision it starts from (0 for a first answer), as the page script does.
            revision = fieldset.get_attribute("data-revision") or "0"
            response = domain_page.request.post(f"{base}/{track}/answers/{code}", form={"level": level, "comment": "", "evidence_url": "", "revision": revision},
                                                headers={"X-CSRFToken": token, "Accept": "application/json"})
            assert response.ok, response.text()
        domain_page.close()


def test_mentor_scores_then_records_consensus_on_a_gap(page):
    base = ENDLINE.format(code="BAT-03")  # self-assessment submitted; the mentor is still scoring
    login(page, "mentor.adjara@demo.example.org")
    set_language(page, "en")
    _fill_track(page, base, "mentor", "1")
    page.goto(f"{base}/mentor/")
    with page.expect_navigation():
        page.get_by_role("link", name="Review and submit").click()  # the summary comes before the irreversible step
    with page.expect_navigation():
        page.get_by_role("button", name="Yes, submit the assessment").click()
    assert "submitted" in page.inner_text("main").lower()
    page.goto(f"{base}/consensus")
    flagged = page.locator("tr.gap--flagged").first
    code = flagged.get_attribute("id").removeprefix("ind-")
    assert "Difference of" in flagged.inner_text()
    for select in page.locator("table.consensus select").all():
        if not select.input_value():
            select.select_option(index=1)
    flagged.locator("select").select_option("2")
    flagged.locator("textarea").fill("Agreed after reviewing the staff policy together.")
    for row in page.locator("table.consensus tbody tr").all():
        textarea = row.locator("textarea")
        if row.get_attribute("class") and not textarea.input_value():
            textarea.fill("Agreed in the meeting.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save the agreed levels").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Validate the consensus").click()
    text = page.inner_text("main")
    assert "Validated" in text, text[:500]
    assert "The consensus has been validated" in text  # not "submitted": the wording says what happened
    # Read only now: the agreed level is printed with its name, there is no control left to change it.
    assert page.locator(ind(code) + " select").count() == 0
    assert "2 — Developing" in page.inner_text(ind(code) + " td.agreed")
    page.context.clear_cookies()
    login(page, "manager")
    set_language(page, "en")
    page.goto("/organisations/BAT-03")
    assert re.search(r"Endline assessment 2026.*Validated", page.inner_text("main table"), re.S)


ASSESSMENT_PAGES = [
    ("tel-01@demo.example.org", ENDLINE.format(code="TEL-01") + "/self/"),
    ("tel-01@demo.example.org", ENDLINE.format(code="TEL-01") + "/self/GESI"),
    ("tel-01@demo.example.org", "/organisations/TEL-01/profile/endline"),
    ("mentor.kakheti@demo.example.org", ENDLINE.format(code="AKM-01") + "/consensus"),
    ("mentor.kakheti@demo.example.org", ENDLINE.format(code="AKM-01") + "/mentor/history"),
    ("manager@demo.example.org", "/rounds/"),
    ("manager@demo.example.org", "/rounds/endline/progress"),
    ("manager@demo.example.org", "/rounds/new"),
    ("manager@demo.example.org", "/rounds/endline/edit"),
    ("manager@demo.example.org", "/organisations/TEL-01/mentors"),
    ("manager@demo.example.org", ENDLINE.format(code="TEL-02") + "/self/"),
    ("admin@demo.example.org", "/admin/users/2/password"),
]


def test_assessment_pages_pass_axe_in_both_languages(page):
    failures = []
    current = None
    for who, url in ASSESSMENT_PAGES:
        if who != current:
            page.context.clear_cookies()
            login(page, who)
            current = who
        for language in ("ka", "en"):
            page.goto(url)
            set_language(page, language)
            found = axe(page)
            if found:
                failures.append(f"{url} ({language}):\n{describe(found)}")
    assert not failures, "\n".join(failures)
