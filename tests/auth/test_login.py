"""Logging in and out, as a user sees it."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.auth.models import User
from capacity.extensions import db
from tests.conftest import login


def test_login_page_is_in_georgian_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ka">' in page
    assert "შესვლა" in page  # "Log in"


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/organisations/")
    assert response.status_code == 302
    assert response.location.startswith("/login")


def test_wrong_password_and_unknown_user_get_the_same_clear_message(client, factory):
    email = factory.user("manager")
    wrong = login(client, email, "not the password")
    unknown = login(client, "nobody@example.org", "whatever")
    assert wrong.status_code == unknown.status_code == 200
    message = "ელ. ფოსტის მისამართი ან პაროლი არასწორია."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    assert client.get("/").status_code == 302  # still not logged in


def test_deactivated_user_is_told_so_and_not_let_in(client, factory):
    email = factory.user("mentor", active=False)
    page = login(client, email).get_data(as_text=True)
    assert "ეს ანგარიში დეაქტივირებულია." in page
    assert client.get("/").status_code == 302


def test_login_then_logout(client, factory):
    email = factory.user("manager")
    response = login(client, email)
    assert response.status_code == 302 and response.location == "/"
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_login_ignores_a_next_address_on_another_site(client, factory):
    email = factory.user("manager")
    response = client.post("/login", data={"email": email, "password": factory.PASSWORD, "next": "https://evil.example/"})
    assert response.location == "/"
    response = client.post("/logout")
    response = client.post("/login", data={"email": email, "password": factory.PASSWORD, "next": "/organisations/"})
    assert response.location == "/organisations/"


def test_email_is_matched_without_regard_to_case_and_spaces(client, factory):
    factory.user("manager", email="tamar@example.org")
    assert login(client, "  Tamar@Example.ORG ").status_code == 302


def test_passwords_are_stored_as_scrypt_hashes(app, factory):
    email = factory.user("admin", password="a long enough password")
    with app.app_context():
        stored = db.session.scalar(sa.select(User.password_hash).where(User.email == email))
    assert stored.startswith("scrypt:")
    assert "a long enough password" not in stored


def test_session_cookie_is_http_only_and_same_site(client, factory):
    response = login(client, factory.user("manager"))
    cookie = response.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_forms_without_a_csrf_token_are_refused_with_an_explanation(app, factory):
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    response = client.post("/login", data={"email": factory.user("manager"), "password": factory.PASSWORD})
    assert response.status_code == 400
    assert "ფორმის ვადა ამოიწურა" in response.get_data(as_text=True)  # "The form has expired"
    assert client.get("/").status_code == 302  # not logged in
