"""The profile preview in Chromium: the app's frame around the report, each keeping its own look, and a way back."""
from __future__ import annotations

from tests.browser.conftest import AXE_URL, describe, set_language

PREVIEW = "/organisations/TEL-02/report/endline?lang=en"
REPORT_BLUE = "rgb(11, 79, 138)"  # print.css's headings


def test_the_report_keeps_its_look_inside_the_app_s_frame(page, log_in_as):
    log_in_as("manager")
    page.goto(PREVIEW)
    set_language(page, "en")
    # The frame: the app's header and its own heading, in the app's style.
    assert page.locator("header.site-header nav").is_visible()
    frame_heading = page.locator("main > h1")
    assert frame_heading.inner_text().startswith("Organisation profile: ")
    assert frame_heading.evaluate("h => getComputedStyle(h).color") != REPORT_BLUE
    # The report: print.css applies inside the sheet (Playwright's selectors reach into the shadow root).
    report_heading = page.locator(".report-sheet section.lead h1")
    assert report_heading.evaluate("h => getComputedStyle(h).color") == REPORT_BLUE
    assert report_heading.evaluate("h => getComputedStyle(h).fontSize") == "26.6667px"  # 20pt
    assert page.locator(".report-sheet .running-org").evaluate("e => getComputedStyle(e).display") == "none"
    widths = page.eval_on_selector_all(".change-bars .bar", "bars => bars.map(b => b.getBoundingClientRect().width)")
    assert widths and any(width > 0 for width in widths)
    # The report's own fonts, from the shipped files.
    page.evaluate("() => document.fonts.ready")
    families = page.evaluate("() => [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("Noto Sans" in family for family in families), families
    # axe-core reads the shadow root's stylesheets by copying them into an inline <style>, which the policy blocks
    # (rightly); preload off, it checks everything but the one CSS rule that needs them (orientation lock).
    page.add_script_tag(url=AXE_URL)
    found = page.evaluate("""async () => (await axe.run(document, {preload: false, resultTypes: ['violations']}))
        .violations.filter((v) => ['serious', 'critical'].includes(v.impact))""")
    assert not found, describe(found)


def test_the_pdf_link_and_the_way_back_work(page, log_in_as):
    log_in_as("manager")
    page.goto("/rounds/endline/progress?municipality=telavi&sort=self&order=desc")
    set_language(page, "en")
    with page.expect_navigation():
        page.click("tr:has(td:text-is('TEL-02')) a.profile-link")
    assert "/organisations/TEL-02/report/endline" in page.url
    pdf = page.get_attribute("main a.button--primary", "href")
    assert pdf.startswith("/organisations/TEL-02/report/endline.pdf?lang=")
    with page.expect_navigation():
        page.click("p.crumbs a")
    assert page.url.endswith("/rounds/endline/progress?municipality=telavi&sort=self&order=desc")
    assert page.locator("th[aria-sort=descending]").inner_text().startswith("Self-assessment")


def test_on_a_phone_the_preview_does_not_scroll_sideways(page, log_in_as):
    log_in_as("cso")
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/organisations/TEL-01/report/baseline")
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    assert page.locator(".report-sheet h1").count() == 1
    with page.expect_navigation():
        page.click("p.crumbs a")
    assert page.url.endswith("/organisations/TEL-01")
