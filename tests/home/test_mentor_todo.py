"""The mentor's to-do list: what to score, to agree and to validate, each linked to its page, and nothing to others."""
from __future__ import annotations

import re

from capacity.assessments.models import Status, Track
from tests.conftest import login
from tests.rounds.helpers import RATED, add_assessment, client_as, rated_codes

ROUND = "/organisations/{org}/assessments/endline"


def section(page: str) -> str:
    """The to-do section's text, tags removed (screen-reader-only text kept: it names the page each link opens)."""
    found = re.search(r'<section class="todo".*?</section>', page, re.S)
    assert found, "no to-do list on the page"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(0)).split())


def links(page: str) -> list[str]:
    found = re.search(r'<section class="todo".*?</section>', page, re.S)
    return re.findall(r'href="([^"]+)"', found.group(0)) if found else []


def all_levels(level: int, codes: list[str]) -> list[tuple[str, int, bool]]:
    return [(code, level, False) for code in codes]


def portfolio(app, factory) -> dict:
    """One Kakheti mentor's organisations, each at another point of the method, plus one they do not support."""
    factory.round("endline")
    codes = rated_codes()
    orgs = {name: factory.org(code, name_en=name) for code, name in [
        ("TEL-01", "Not Started Org"), ("TEL-02", "Drafting Org"), ("TEL-03", "Agreeing Org"),
        ("AKH-01", "Validating Org"), ("AKH-02", "Waiting Org"), ("GUR-01", "Finished Org"), ("GUR-02", "Half Agreed Org")]}
    other = factory.org("BAT-01", municipality="batumi", name_en="Someone Else's Org")
    mentor = factory.user("mentor", display_name="Nino", language="en")
    for code in orgs.values():
        factory.assign(mentor, code)
    factory.assign(factory.user("mentor"), other)
    add = add_assessment
    # Drafting: 10 answers of the mentor's own, and a submitted self-assessment the mentor may not read yet.
    add(app, orgs["Drafting Org"], "endline", Track.SELF, Status.SUBMITTED, all_levels(1, codes))
    add(app, orgs["Drafting Org"], "endline", Track.MENTOR, Status.DRAFT, all_levels(3, codes[:10]))
    # Agreeing: both submitted; 3 indicators differ (2 levels, 1 "not applicable" against a level).
    add(app, orgs["Agreeing Org"], "endline", Track.SELF, Status.SUBMITTED,
        all_levels(2, codes[:-3]) + [(codes[-3], 1, False), (codes[-2], 1, False), (codes[-1], None, True)])
    add(app, orgs["Agreeing Org"], "endline", Track.MENTOR, Status.SUBMITTED, all_levels(2, codes))
    # Half agreed: both submitted, every level differs, 5 agreed levels recorded.
    add(app, orgs["Half Agreed Org"], "endline", Track.SELF, Status.SUBMITTED, all_levels(1, codes))
    add(app, orgs["Half Agreed Org"], "endline", Track.MENTOR, Status.SUBMITTED, all_levels(4, codes))
    add(app, orgs["Half Agreed Org"], "endline", Track.CONSENSUS, Status.DRAFT, all_levels(2, codes[:5]))
    # Validating: every agreed level recorded, not validated yet.
    for track in (Track.SELF, Track.MENTOR):
        add(app, orgs["Validating Org"], "endline", track, Status.SUBMITTED, all_levels(2, codes))
    add(app, orgs["Validating Org"], "endline", Track.CONSENSUS, Status.DRAFT, all_levels(2, codes))
    # Waiting: the mentor has submitted, the organisation has not: nothing for the mentor to do.
    add(app, orgs["Waiting Org"], "endline", Track.SELF, Status.DRAFT, all_levels(2, codes[:3]))
    add(app, orgs["Waiting Org"], "endline", Track.MENTOR, Status.SUBMITTED, all_levels(2, codes))
    # Finished: validated.
    for track in (Track.SELF, Track.MENTOR):
        add(app, orgs["Finished Org"], "endline", track, Status.SUBMITTED, all_levels(2, codes))
    add(app, orgs["Finished Org"], "endline", Track.CONSENSUS, Status.VALIDATED, all_levels(2, codes))
    # The other mentor's organisation needs scoring too, but not by this mentor.
    return {"mentor": mentor, "orgs": orgs}


def test_the_mentor_s_home_starts_with_what_to_score_agree_and_validate(app, factory):
    world = portfolio(app, factory)
    client = app.test_client()
    login(client, world["mentor"])
    page = client.get("/").get_data(as_text=True)
    text = section(page)
    assert page.index('class="todo"') < page.index("<table")  # at the top, before the table
    assert "To score: 2 · To agree: 2 · To validate: 1" in text
    score = text[text.index("To score (2)"):text.index("To agree (2)")]
    assert "Not Started Org — Mentor assessment TEL-01 — not started yet" in score
    assert f"Drafting Org — Mentor assessment TEL-02 — 10 of {RATED} indicators answered" in score
    agree = text[text.index("To agree (2)"):text.index("To validate (1)")]
    assert "Agreeing Org — Agreed assessment TEL-03 — 3 differences to agree" in agree
    assert f"Half Agreed Org — Agreed assessment GUR-02 — {RATED} differences to agree; 5 of {RATED} agreed levels recorded" in agree
    validate = text[text.index("To validate (1)"):]
    assert "Validating Org — Agreed assessment AKH-01 — every agreed level is recorded: check it and validate" in validate
    for name in ("Waiting Org", "Finished Org", "Someone Else's Org"):
        assert name not in text
    # Each item opens the exact page: the mentor assessment to score, the agreed assessment to agree or validate.
    assert links(page) == [ROUND.format(org="TEL-01") + "/mentor/", ROUND.format(org="TEL-02") + "/mentor/",
                           ROUND.format(org="GUR-02") + "/consensus", ROUND.format(org="TEL-03") + "/consensus",
                           ROUND.format(org="AKH-01") + "/consensus"]
    for link in links(page):
        assert client.get(link).status_code == 200


def test_scoring_blind_the_list_says_nothing_of_the_self_assessment(app, factory):
    """Before submitting their own scores, a mentor learns from the list only that they have scoring to do."""
    world = portfolio(app, factory)
    client = app.test_client()
    login(client, world["mentor"])
    text = section(client.get("/").get_data(as_text=True))
    drafting = text[text.index("Drafting Org"):text.index("To agree (2)")]
    assert drafting == f"Drafting Org — Mentor assessment TEL-02 — 10 of {RATED} indicators answered "


def test_with_nothing_to_do_the_list_says_so(app, factory):
    factory.round("endline")
    org = factory.org("TEL-01")
    mentor = factory.user("mentor", language="en")
    factory.assign(mentor, org)
    codes = rated_codes()
    for track in (Track.SELF, Track.MENTOR):
        add_assessment(app, org, "endline", track, Status.SUBMITTED, all_levels(2, codes))
    add_assessment(app, org, "endline", Track.CONSENSUS, Status.VALIDATED, all_levels(2, codes))
    client = app.test_client()
    login(client, mentor)
    text = section(client.get("/").get_data(as_text=True))
    assert "Nothing needs you right now: no organisation is waiting to be scored, agreed or validated." in text
    assert "To score" not in text and "No assessment round is open" not in text


def test_a_closed_round_leaves_nothing_to_score_and_says_why(app, factory):
    factory.round("endline", is_open=False)
    mentor = factory.user("mentor", language="en")
    factory.assign(mentor, factory.org("TEL-01"))
    client = app.test_client()
    login(client, mentor)
    text = section(client.get("/").get_data(as_text=True))
    assert "Nothing needs you right now" in text and "No assessment round is open at the moment." in text


def test_in_georgian_the_list_reads_in_georgian(app, factory):
    world = portfolio(app, factory)
    client = app.test_client()
    login(client, world["mentor"])
    client.post("/language", data={"language": "ka"})
    text = section(client.get("/").get_data(as_text=True))
    assert "თქვენი მიმდინარე ამოცანები" in text and "შესაფასებელი (2)" in text and "დასადასტურებელი (1)" in text
    assert "3 შესათანხმებელი განსხვავება" in text
    assert "To score" not in text and "differences" not in text


def test_managers_and_admins_get_no_to_do_list(app, factory):
    portfolio(app, factory)
    for role in ("manager", "admin"):
        page = client_as(app, factory, role).get("/").get_data(as_text=True)
        assert 'class="todo"' not in page and "What needs you now" not in page
        assert "Someone Else&#39;s Org" in page or "Someone Else's Org" in page  # their home lists every organisation
