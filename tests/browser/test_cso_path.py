"""What the page script keeps right while someone answers, in a real browser (issue 12, the organisation's path).

Works on KUT-01's mentor assessment (mentor.imereti; not started in the demo, used by no other browser test),
since the live server is shared by the session.
"""
from __future__ import annotations

from tests.browser.conftest import login, set_language

BASE = "/organisations/KUT-01/assessments/endline/mentor"
SRV = ["SRV.01", "SRV.02", "SRV.03", "SRV.04", "SRV.05", "SRV.06", "SRV.07"]


def test_the_status_badge_and_the_domain_mark_follow_the_saved_answers(page):
    login(page, "mentor.imereti@demo.example.org")
    set_language(page, "en")
    page.goto(f"{BASE}/SRV")
    badge = page.locator("[data-assessment-status] .badge")
    assert badge.inner_text() == "Not started"
    assert page.locator("nav.domain-tabs [data-complete]").count() == 0
    for code in SRV:
        page.check(f"input[name='level__{code.replace('.', '_')}'][value='3']")
        page.wait_for_selector("#ind-" + code.replace(".", "\\.") + " .save-status--ok")
    # Without a reload: the heading says what the assessment is now, and the domain is marked complete.
    assert badge.inner_text() == "Draft"
    assert "badge--draft" in badge.get_attribute("class")
    srv_tab = page.locator("nav.domain-tabs li", has=page.locator("[data-progress=SRV]"))
    assert srv_tab.locator("[data-complete]").inner_text() == "complete"
    assert page.inner_text("[data-progress=SRV]") == "7/7"
    page.reload()
    assert page.locator("[data-assessment-status] .badge").inner_text() == "Draft"
    assert page.locator("nav.domain-tabs li", has=page.locator("[data-progress=SRV]")).locator("[data-complete]").count() == 1


def test_save_and_next_leaves_no_fragment_in_the_address(page):
    login(page, "mentor.imereti@demo.example.org")
    set_language(page, "en")
    page.goto(f"{BASE}/MEL#ind-MEL.02")
    assert page.url.endswith("#ind-MEL.02")
    with page.expect_navigation():
        page.get_by_role("button", name="Save and go to the next domain").click()
    assert page.url.endswith(f"{BASE}/ADV"), page.url
    assert "#" not in page.url
