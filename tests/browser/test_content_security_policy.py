"""The Content-Security-Policy in Chromium: what it stops, and that the app's own pages still work under it.

Every browser test already fails on a policy violation (the ``page`` fixture); these
check the pages the policy treats specially and that it is really enforced.
"""
from __future__ import annotations

BLOCKED_INLINE = """() => {
    const script = document.createElement("script");
    script.textContent = "window.__inlineRan = true";
    document.head.appendChild(script);
    return window.__inlineRan === true;
}"""


def test_an_injected_inline_script_does_not_run(page, csp_violations):
    page.goto("/login")
    assert page.evaluate(BLOCKED_INLINE) is False
    page.wait_for_timeout(100)  # the violation report arrives asynchronously
    assert any("script-src" in v for v in csp_violations), csp_violations
    csp_violations.clear()  # provoked on purpose


def test_profile_preview_draws_its_bars_charts_and_fonts(page, log_in_as):
    log_in_as("manager")
    response = page.goto("/organisations/TEL-02/report/endline?lang=en")
    assert response.status == 200
    widths = page.eval_on_selector_all(".change-bars .bar", "bars => bars.map(b => b.getBoundingClientRect().width)")
    assert widths and any(width > 0 for width in widths)  # inline widths applied: the bars are drawn
    charts = page.eval_on_selector_all("img[src^='data:']", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
    assert charts and all(charts)  # the data: charts are shown, not blocked


def test_autosave_script_runs_under_the_policy(page, log_in_as):
    log_in_as("cso")
    page.goto("/organisations/TEL-01/assessments/endline/self/GOV")
    page.locator("input[type=radio]").first.check()
    page.wait_for_function("() => [...document.querySelectorAll('.save-status')].some(s => s.textContent.trim())")
