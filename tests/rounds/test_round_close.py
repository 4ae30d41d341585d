"""The rounds page: names people read, actions side by side, and closing a round only after a page that asks."""
from __future__ import annotations

import re

from capacity.assessments.models import Status, Track
from tests.conftest import login
from tests.rounds.helpers import add_assessment, client_as, rated_codes
from tests.rounds.test_round_admin import events, rounds


def text(html: str) -> str:
    main = re.search(r"<main.*</main>", html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


def test_the_rounds_page_names_rounds_and_versions_in_the_page_s_language(app, factory):
    factory.round("endline")
    client = client_as(app, factory, "manager")
    page = client.get("/rounds/").get_data(as_text=True)
    assert ">Round endline</a>" in page and "Code: <span class=\"code\">endline</span>" in page
    assert "GESI-sensitive organisational capacity assessment, version 1.0" in page
    assert "Organisational capacity assessment rubric (default), version 1.0" in page
    assert "gesi-oca 1.0" not in page and "gesi-oca-default" not in page
    client.post("/language", data={"language": "ka"})
    georgian = client.get("/rounds/").get_data(as_text=True)
    assert ">რაუნდი endline</a>" in georgian
    assert "ორგანიზაციული შესაძლებლობების შეფასების რუბრიკა (ძირითადი)" in georgian
    assert "Round endline" not in georgian


def test_every_action_of_a_round_sits_in_one_row_of_actions(app, factory):
    factory.round("endline")
    page = client_as(app, factory, "manager").get("/rounds/").get_data(as_text=True)
    actions = re.search(r'<div class="actions round-actions">(.*?)</div>', page, re.S).group(1)
    # Print-all is a button (it starts a job) among the links, in the same container: no table cell of its own.
    for words in ("Progress", "Edit", "Portfolio report (PDF)", "Print all profiles (ZIP)", "Close the round"):
        assert words in actions, words
    assert '<td class="actions"' not in page
    assert '<table class="cards rounds">' in page and 'data-label="Actions"' in page


def test_closing_asks_first_and_says_what_it_does(app, factory):
    factory.round("endline")
    codes = rated_codes()
    for code in ("TEL-01", "TEL-02", "TEL-03"):
        factory.org(code)
    add_assessment(app, "TEL-01", "endline", Track.SELF, Status.SUBMITTED, [(c, 2, False) for c in codes])
    add_assessment(app, "TEL-02", "endline", Track.SELF, Status.DRAFT, [(codes[0], 2, False)])
    client = client_as(app, factory, "manager")
    listing = client.get("/rounds/").get_data(as_text=True)
    # On the list, closing is a link to the question, not a button that closes at once.
    assert 'href="/rounds/endline/close">Close the round' in listing
    assert 'action="/rounds/endline/close"' not in listing
    page = client.get("/rounds/endline/close").get_data(as_text=True)
    words = text(page)
    assert "Close the round “Round endline”?" in words
    assert "can no longer change anything in it" in words and "Nothing is deleted" in words
    assert "You can open it again" in words
    assert "Self-assessment: not yet submitted by 2 of 3 organisations" in words
    assert "Mentor assessment: not yet submitted by 3 of 3 organisations" in words
    assert "Agreed assessment: not yet validated for 3 of 3 organisations" in words
    assert '<form method="post" action="/rounds/endline/close"' in page
    assert rounds(app)[0].is_open is True  # asking changed nothing
    closed = client.post("/rounds/endline/close", follow_redirects=True).get_data(as_text=True)
    assert "The round “Round endline” is now closed." in closed and rounds(app)[0].is_open is False
    assert len(events(app, "round.close")) == 1
    # A closed round has nothing to close: back to the list, saying so.
    again = client.get("/rounds/endline/close", follow_redirects=True).get_data(as_text=True)
    assert "was already closed" in again


def test_closing_needs_the_form_token(app, factory):
    factory.round("endline")
    client = client_as(app, factory, "manager")
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/rounds/endline/close").get_data(as_text=True)
    assert re.search(r'<form method="post" action="/rounds/endline/close"[^>]*>\s*<input[^>]+name="csrf_token"', page)
    assert client.post("/rounds/endline/close").status_code == 400
    assert rounds(app)[0].is_open is True


def test_staff_and_mentors_do_not_learn_the_round_pages_exist(app, factory):
    factory.round("endline")
    org = factory.org("TEL-01")
    mentor = factory.user("mentor", language="en")
    factory.assign(mentor, org)
    staff = factory.user("cso", org=org, language="en")
    for email in (mentor, staff):
        client = app.test_client()
        login(client, email)
        for url in ("/rounds/", "/rounds/new", "/rounds/endline/edit", "/rounds/endline/close", "/rounds/endline/portfolio.pdf"):
            response = client.get(url)
            assert response.status_code == 404 and "Round endline" not in response.get_data(as_text=True), (email, url)
        for url in ("/rounds/endline/close", "/rounds/endline/open", "/rounds/endline/profiles.zip"):
            assert client.post(url).status_code == 404, (email, url)
    assert rounds(app)[0].is_open is True
    cso = app.test_client()
    login(cso, staff)
    assert cso.get("/rounds/endline/progress").status_code == 404
