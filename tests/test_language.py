"""Georgian and English: switchable on every page, remembered per user."""
from __future__ import annotations

from tests.conftest import login


def test_language_switch_turns_the_page_english_and_back(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page
    client.post("/language", data={"language": "ka", "next": "/login"})
    assert "შესვლა" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "fr"}).status_code == 400


def test_language_choice_is_remembered_for_the_user(app, factory):
    email = factory.user("manager")
    first = app.test_client()
    login(first, email)
    first.post("/language", data={"language": "en", "next": "/"})
    # A new browser (no session) gets English once this user logs in.
    second = app.test_client()
    login(second, email)
    assert "Partner organisations" in second.get("/").get_data(as_text=True)


def test_language_switch_does_not_redirect_to_another_site(client):
    response = client.post("/language", data={"language": "en", "next": "//evil.example/x"})
    assert response.location == "/"
