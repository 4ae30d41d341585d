"""The administrator's forms in a real browser: the account form shows only the chosen role's fields.

The live server is shared by the session and other tests count its 27 organisations, so these
tests add no organisation: the add-organisation form is only refused, and the next steps are those
of a demo organisation. Each leaves the administrator's account in Georgian.
"""
from __future__ import annotations

import uuid

from tests.browser.conftest import axe, describe, set_language

MENTOR_PART = "[data-for-role=mentor]"
STAFF_PART = "[data-for-role=cso]"
MUNICIPALITIES_PART = "[data-for-roles]"  # staff and mentors both: a municipal working group, a facilitator


def visible(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_the_account_form_shows_only_the_chosen_roles_fields(page, log_in_as):
    log_in_as("admin")
    page.goto("/admin/users/new")
    set_language(page, "ka")
    assert page.input_value("#role") == ""
    assert not visible(page, "#organisation") and not visible(page, "input[name=mentor_organisations]")

    page.select_option("#role", "cso")
    assert visible(page, "#organisation") and visible(page, MUNICIPALITIES_PART)
    assert page.get_by_text("ორგანიზაციები, რომლებსაც ეს მენტორი მხარს უჭერს").is_hidden()
    assert page.locator("input[name=mentor_organisations]:visible").count() == 0

    page.select_option("#role", "mentor")
    assert page.locator("input[name=mentor_organisations]:visible").count() == 27
    assert page.get_by_text("ორგანიზაციები, რომლებსაც ეს მენტორი მხარს უჭერს").is_visible()
    assert not visible(page, "#organisation") and visible(page, MUNICIPALITIES_PART)

    for role in ("manager", "admin"):
        page.select_option("#role", role)
        assert page.locator(f"{STAFF_PART}:visible, {MENTOR_PART}:visible, {MUNICIPALITIES_PART}:visible").count() == 0, role
    violations = axe(page)
    assert not violations, describe(violations)


def test_fields_hidden_after_a_change_of_role_are_not_sent(page, log_in_as):
    """Ticked for a mentor, then an organisation for staff, then the manager role: only a manager is saved."""
    log_in_as("admin")
    page.goto("/admin/users/new")
    set_language(page, "en")
    email = f"browser-{uuid.uuid4().hex[:8]}@example.org"
    page.fill("#display_name", "Browser Manager")
    page.fill("#email", email)
    page.fill("#password", "a long first password")
    page.select_option("#role", "mentor")
    page.locator("input[name=mentor_organisations]").nth(0).check()
    page.locator("input[name=mentor_organisations]").nth(1).check()
    page.select_option("#role", "cso")
    page.select_option("#organisation", "TEL-01")
    page.select_option("#role", "manager")
    with page.expect_navigation():
        page.click("main [type=submit]")
    assert page.url.endswith("/admin/users/"), page.inner_text("main")
    assert "The account has been created." in page.inner_text("main")
    row = page.locator("main tbody tr", has_text=email)
    assert row.locator("td[data-label='Role']").inner_text() == "Programme manager"
    assert row.locator("td[data-label='Organisation']").inner_text() == "—"

    # Back to the role the ticks were for: they are still there (switching only hid them).
    with page.expect_navigation():
        row.get_by_role("link", name="Edit").click()
    page.select_option("#role", "mentor")
    assert page.locator("input[name=mentor_organisations]:checked").count() == 0  # nothing was saved for a manager
    set_language(page, "ka")


def test_no_municipality_is_chosen_and_the_next_steps_lead_to_a_filled_in_form(page, log_in_as):
    log_in_as("admin")
    page.goto("/admin/organisations/new")
    set_language(page, "ka")
    assert page.input_value("#municipality") == ""
    page.fill("#code", "BRW-01")
    page.fill("#name_ka", "ბრაუზერის ორგანიზაცია")
    page.fill("#name_en", "Browser organisation")
    with page.expect_navigation():
        page.click("main [type=submit]")
    assert "აირჩიეთ მუნიციპალიტეტი." in page.inner_text("#municipality-error")
    assert page.input_value("#name_ka") == "ბრაუზერის ორგანიზაცია"  # nothing typed is lost

    page.goto("/admin/organisations/TEL-01/setup")
    assert page.inner_text("h1") == "შემდეგი ნაბიჯები: ასოციაცია „ნაბიჯი“"
    assert "tel-01@demo.example.org" in page.inner_text("main")
    with page.expect_navigation():  # until the page has loaded: its deferred script has then set the fields
        page.get_by_role("link", name="თანამშრომლის კიდევ ერთი ანგარიშის დამატება").click()
    assert page.input_value("#role") == "cso"
    assert page.input_value("#organisation") == "TEL-01"
    assert visible(page, "#organisation") and page.locator("input[name=mentor_organisations]:visible").count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name="გაუქმება").click()
    assert page.url.endswith("/admin/organisations/TEL-01/setup")
    violations = axe(page)
    assert not violations, describe(violations)


def test_a_field_the_server_refused_stays_in_view_to_be_corrected(page, log_in_as):
    """As if sent without the script: the ticks reach the server with the manager role and are refused."""
    log_in_as("admin")
    page.goto("/admin/users/new")
    set_language(page, "ka")
    page.fill("#display_name", "უსკრიპტო")
    page.fill("#email", f"browser-{uuid.uuid4().hex[:8]}@example.org")
    page.fill("#password", "a long first password")
    page.select_option("#role", "mentor")
    page.locator("input[name=mentor_organisations]").nth(0).check()
    page.select_option("#role", "manager")
    page.evaluate("() => document.querySelectorAll('[data-for-role] [disabled]').forEach(e => e.disabled = false)")
    with page.expect_navigation():
        page.click("main [type=submit]")
    assert page.input_value("#role") == "manager"
    error = page.locator("#mentor_organisations-error")
    assert error.is_visible()
    assert "აირჩიეთ როლი „მენტორი“ ან მოხსენით ორგანიზაციების მონიშვნა" in error.inner_text()
    assert page.locator("input[name=mentor_organisations]:checked").is_visible()
    assert not visible(page, "#organisation")  # the other role's field, not in error, stays hidden


def test_without_scripts_every_field_shows(browser, live_server, log_in_as, page):
    log_in_as("admin")  # cookies of the administrator, for a second context that runs no script
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        context.add_cookies(page.context.cookies())
        plain = context.new_page()
        plain.goto("/admin/users/new")
        assert plain.locator("#organisation").is_visible()
        assert plain.locator("input[name=mentor_organisations]").first.is_visible()
        assert plain.get_by_text("მხოლოდ მენტორების ანგარიშებისთვის.").is_visible()
    finally:
        context.close()
