"""Ending logins: logout, a new password, a role change and deactivation end every session; idle ones end too."""
from __future__ import annotations

import json
import re
import time

import sqlalchemy as sa

from capacity.extensions import db
from tests.assessments.helpers import BASE, client_for, domain_form, people  # noqa: F401
from tests.conftest import login

ORG_PAGE = "/organisations/TEL-01"


def staff(app, factory) -> str:
    factory.org("TEL-01")
    return factory.user("cso", org="TEL-01")


def copy_of(app, client, cookie: str = "session"):
    """A second browser holding the same cookie, as if it had been copied."""
    other = app.test_client()
    other.set_cookie(cookie, client.get_cookie(cookie).value)
    return other


def test_a_copied_session_cookie_stops_working_after_logout(app, factory):
    email = staff(app, factory)
    browser = client_for(app, email)
    thief = copy_of(app, browser)
    assert thief.get(ORG_PAGE).status_code == 200
    browser.post("/logout")
    response = thief.get(ORG_PAGE)
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_keep_me_logged_in_cookie_stops_working_after_logout(app, factory):
    email = staff(app, factory)
    browser = app.test_client()
    browser.post("/login", data={"email": email, "password": factory.PASSWORD, "remember": "y"})
    remember = browser.get_cookie("remember_token").value
    laptop = app.test_client()  # only the long-lived cookie, as after a browser restart
    laptop.set_cookie("remember_token", remember)
    assert laptop.get(ORG_PAGE).status_code == 200
    browser.post("/logout")
    later = app.test_client()
    later.set_cookie("remember_token", remember)
    assert later.get(ORG_PAGE).status_code == 302


def test_a_password_reset_by_an_administrator_logs_the_user_out_everywhere_but_not_the_admin(app, factory):
    email = staff(app, factory)
    user_browser = client_for(app, email)
    admin = client_for(app, factory.user("admin"))
    response = admin.post(f"/admin/users/{factory.user_id(email)}/password",
                          data={"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
    assert response.status_code == 302
    assert user_browser.get(ORG_PAGE).status_code == 302
    assert admin.get("/admin/users/").status_code == 200
    assert login(app.test_client(), email, "a brand new passphrase").status_code == 302


def test_an_administrator_who_changes_their_own_password_stays_logged_in(app, factory):
    email = factory.user("admin")
    admin = client_for(app, email)
    other_browser = client_for(app, email)
    admin.post(f"/admin/users/{factory.user_id(email)}/password",
               data={"password": "my own new passphrase", "confirm": "my own new passphrase"})
    assert admin.get("/admin/users/").status_code == 200
    assert other_browser.get("/admin/users/").status_code == 302


def test_a_role_change_logs_the_user_out(app, factory):
    email = factory.user("manager")
    browser = client_for(app, email)
    assert browser.get("/organisations/").status_code == 200
    client_for(app, factory.user("admin")).post(f"/admin/users/{factory.user_id(email)}/edit", data={
        "email": email, "display_name": "M", "role": "mentor", "organisation": "", "language": "ka"})
    assert browser.get("/organisations/").status_code == 302


def test_deactivation_ends_a_remembered_login_too(app, factory):
    email = factory.user("manager")
    browser = app.test_client()
    browser.post("/login", data={"email": email, "password": factory.PASSWORD, "remember": "y"})
    remembered = copy_of(app, browser, "remember_token")
    admin = client_for(app, factory.user("admin"))
    admin.post(f"/admin/users/{factory.user_id(email)}/active", data={"active": "0"})
    admin.post(f"/admin/users/{factory.user_id(email)}/active", data={"active": "1"})
    # Reactivated, but the old cookie does not come back to life.
    assert remembered.get("/").status_code == 302


def idle_for(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session["last_seen"] = int(time.time() - minutes * 60)


def test_a_session_unused_for_longer_than_the_idle_limit_ends(app, factory):
    browser = client_for(app, factory.user("manager"))
    idle_for(browser, 119)
    assert browser.get("/").status_code == 200
    idle_for(browser, 121)
    response = browser.get("/organisations/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_the_idle_limit_is_configurable(app, factory):
    app.config["CAPACITY_SESSION_IDLE_MINUTES"] = 5
    browser = client_for(app, factory.user("manager"))
    idle_for(browser, 6)
    assert browser.get("/").status_code == 302


def test_an_idle_timeout_in_the_middle_of_a_form_keeps_the_answers(app, people):
    browser = client_for(app, people["cso"])
    assert browser.get(f"{BASE}/self/GOV").status_code == 200
    idle_for(browser, 121)
    data = domain_form("GOV", "2")
    expired = browser.post(f"{BASE}/self/GOV", data=data)
    assert expired.status_code == 401
    page = expired.get_data(as_text=True)
    pending = re.search(r'name="pending" type="hidden" value="([^"]*)"', page).group(1)
    kept = json.loads(pending.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))
    assert kept["path"] == f"{BASE}/self/GOV"
    relogin = browser.post("/login", data={"email": people["cso"], "password": "correct horse battery",
                                           "pending": json.dumps(kept)})
    assert relogin.status_code == 200 and f'action="{BASE}/self/GOV"' in relogin.get_data(as_text=True)
    assert browser.post(f"{BASE}/self/GOV", data=kept["form"]).status_code == 302
    with app.app_context():
        saved = db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("answers")))
    assert saved == len(data) // 4
