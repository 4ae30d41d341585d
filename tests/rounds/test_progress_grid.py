"""The progress grid at a glance: state by colour and words, links to each track, sorting, totals, shares."""
from __future__ import annotations

import re

from capacity.assessments.models import Status, Track
from tests.conftest import login
from tests.rounds.helpers import RATED, add_assessment, client_as, rated_codes, row

BASE = "/organisations/{org}/assessments/baseline"


def grid(app, factory) -> dict:
    """Five organisations in three municipalities of two regions, at different points of the method."""
    factory.round("baseline")
    orgs = {code: factory.org(code, municipality=place, name_en=name, name_ka=name_ka) for code, place, name, name_ka in [
        ("TEL-01", "telavi", "Zeta Union", "ზეტა"), ("TEL-02", "telavi", "Alpha Centre", "ალფა"),
        ("AKH-01", "akhmeta", "Mid Foundation", "მიდი"), ("BAT-01", "batumi", "Beta Home", "ბეტა"),
        ("BAT-02", "batumi", "Omega Club", "ომეგა")]}
    mentor = factory.user("mentor", display_name="Nino", language="en")
    for code in ("TEL-01", "TEL-02", "AKH-01"):
        factory.assign(mentor, code)
    codes = rated_codes()
    every = [(code, 2, False) for code in codes]
    add_assessment(app, "TEL-01", "baseline", Track.SELF, Status.SUBMITTED, every)
    add_assessment(app, "TEL-01", "baseline", Track.MENTOR, Status.DRAFT, every[:20])
    add_assessment(app, "TEL-02", "baseline", Track.SELF, Status.DRAFT, every[:5])
    for track in (Track.SELF, Track.MENTOR):
        add_assessment(app, "BAT-01", "baseline", track, Status.SUBMITTED, every)
    add_assessment(app, "BAT-01", "baseline", Track.CONSENSUS, Status.VALIDATED, every)
    add_assessment(app, "BAT-02", "baseline", Track.SELF, Status.SUBMITTED, every)
    return {"mentor": mentor, "orgs": orgs}


def order(page: str) -> list[str]:
    """The organisation codes in the grid's rows, top to bottom."""
    body = page[page.index('class="cards progress-grid"'):]
    body = body[:body.index("</table>")]
    return re.findall(r'<td class="code" data-label="Code">([A-Z]{3}-\d{2})</td>', body)


def test_each_state_has_its_colour_and_its_words_and_links_to_its_track(app, factory):
    grid(app, factory)
    page = client_as(app, factory, "manager").get("/rounds/baseline/progress").get_data(as_text=True)
    bat = row(page, "BAT-01")
    # The colour is the cell's class; the state is always written too (WCAG 1.4.1).
    assert re.search(r'<td class="state state--validated" data-label="Agreed assessment">\s*<a class="state-link" '
                     r'href="/organisations/BAT-01/assessments/baseline/consensus"><span class="badge badge--validated">'
                     r'Validated</span>', bat)
    assert f'href="{BASE.format(org="BAT-01")}/self/"' in bat and f'href="{BASE.format(org="BAT-01")}/mentor/"' in bat
    tel = row(page, "TEL-01")
    assert 'class="state state--submitted" data-label="Self-assessment"' in tel
    assert 'class="state state--draft" data-label="Mentor assessment"' in tel
    assert 'class="state state--none" data-label="Agreed assessment"' in tel and ">Not started</span>" in tel
    # Phones: a card per organisation, every value labelled.
    assert '<table class="cards progress-grid">' in page
    assert all("data-label=" in td for td in re.findall(r"<td[^>]*>", tel))


def test_a_mentor_s_self_assessment_cells_are_links_only_once_their_own_is_submitted(app, factory):
    world = grid(app, factory)
    client = app.test_client()
    login(client, world["mentor"])
    page = client.get("/rounds/baseline/progress").get_data(as_text=True)
    tel = row(page, "TEL-01")  # the mentor's own assessment is a draft: they score blind
    assert ">Submitted</span>" in tel and f'href="{BASE.format(org="TEL-01")}/self/"' not in tel
    assert f'href="{BASE.format(org="TEL-01")}/mentor/"' in tel
    assert "BAT-01" not in page  # not an organisation this mentor supports
    add_assessment(app, "AKH-01", "baseline", Track.MENTOR, Status.SUBMITTED, [(c, 3, False) for c in rated_codes()])
    add_assessment(app, "AKH-01", "baseline", Track.SELF, Status.DRAFT, [(rated_codes()[0], 1, False)])
    akh = row(client.get("/rounds/baseline/progress").get_data(as_text=True), "AKH-01")
    assert f'href="{BASE.format(org="AKH-01")}/self/"' in akh


def test_sorting_by_a_track_s_state_by_name_and_by_municipality(app, factory):
    grid(app, factory)
    client = client_as(app, factory, "manager")
    assert order(client.get("/rounds/baseline/progress").get_data(as_text=True)) == [
        "AKH-01", "BAT-01", "BAT-02", "TEL-01", "TEL-02"]  # by code at first
    # Not started first, then draft, then submitted (ties in code order)...
    by_self = client.get("/rounds/baseline/progress?sort=self").get_data(as_text=True)
    assert order(by_self) == ["AKH-01", "TEL-02", "BAT-01", "BAT-02", "TEL-01"]
    # ... and the other way round: the furthest along first.
    assert order(client.get("/rounds/baseline/progress?sort=self&order=desc").get_data(as_text=True)) == [
        "BAT-01", "BAT-02", "TEL-01", "TEL-02", "AKH-01"]
    assert order(client.get("/rounds/baseline/progress?sort=consensus&order=desc").get_data(as_text=True))[0] == "BAT-01"
    assert order(client.get("/rounds/baseline/progress?sort=organisation").get_data(as_text=True)) == [
        "TEL-02", "BAT-01", "AKH-01", "BAT-02", "TEL-01"]  # Alpha, Beta, Mid, Omega, Zeta
    assert order(client.get("/rounds/baseline/progress?sort=municipality").get_data(as_text=True)) == [
        "AKH-01", "BAT-01", "BAT-02", "TEL-01", "TEL-02"]  # Akhmeta, Batumi, Telavi
    # Georgian names sort in the Georgian alphabet: ალფა, ბეტა, ზეტა, მიდი, ომეგა.
    client.post("/language", data={"language": "ka"})
    assert order(client.get("/rounds/baseline/progress?sort=organisation").get_data(as_text=True).replace(
        'data-label="კოდი"', 'data-label="Code"')) == ["TEL-02", "BAT-01", "TEL-01", "AKH-01", "BAT-02"]


def test_column_headers_sort_keep_the_filters_and_say_which_column_is_sorted(app, factory):
    grid(app, factory)
    client = client_as(app, factory, "manager")
    page = client.get("/rounds/baseline/progress?municipality=telavi&sort=mentor").get_data(as_text=True)
    assert order(page) == ["TEL-02", "TEL-01"]  # Telavi only; not started before draft
    header = re.search(r'<th scope="col" aria-sort="ascending">\s*<a class="sort" href="([^"]+)">Mentor assessment', page)
    assert header, "the sorted column says so"
    assert header.group(1).replace("&amp;", "&") == "/rounds/baseline/progress?municipality=telavi&sort=mentor&order=desc"
    assert page.count("aria-sort=") == 1
    assert 'href="/rounds/baseline/progress?municipality=telavi&amp;sort=organisation&amp;order=asc">Organisation' in page
    assert '<option selected value="mentor">Mentor assessment</option>' in page  # the same choice in the form
    # Anything else in the query string is the default order, never an error.
    junk = client.get("/rounds/baseline/progress?sort=__class__&order=sideways")
    assert junk.status_code == 200 and order(junk.get_data(as_text=True))[0] == "AKH-01"


def test_totals_per_region_and_municipality_and_a_share_bar_per_track(app, factory):
    grid(app, factory)
    page = client_as(app, factory, "manager").get("/rounds/baseline/progress").get_data(as_text=True)
    totals = page[page.index('class="cards totals"'):]
    text = " ".join(re.sub(r"<[^>]+>", " ", totals[:totals.index("</table>")]).split())
    assert ("Kakheti 3 1 of 3 0 of 3 0 of 3 Telavi 2 1 of 2 0 of 2 0 of 2 Akhmeta 1 0 of 1 0 of 1 0 of 1 "
            "Adjara 2 2 of 2 1 of 2 1 of 2 Batumi 2 2 of 2 1 of 2 1 of 2 "
            "All organisations shown 5 3 of 5 1 of 5 1 of 5") in text
    assert 'data-label="Organisations"' in totals and 'data-label="Self-assessment"' in totals
    # The share complete per track: a bar, with the numbers in words beside it.
    assert re.search(r'<span id="share-self">Self-assessment: 3 of 5 submitted or validated\s*\(60%\)</span>\s*'
                     r'<progress class="share share--self" aria-labelledby="share-self" max="5" value="3">', page)
    assert 'aria-labelledby="share-consensus" max="5" value="1"' in page
    filtered = client_as(app, factory, "manager").get("/rounds/baseline/progress?municipality=batumi").get_data(as_text=True)
    assert "Kakheti" not in filtered[filtered.index('class="cards totals"'):] and "2 of 2" in filtered


def test_the_round_is_named_by_its_titles_not_its_keys(app, factory):
    grid(app, factory)
    page = client_as(app, factory, "manager").get("/rounds/baseline/progress").get_data(as_text=True)
    assert "GESI-sensitive organisational capacity assessment, version 1.0" in page
    assert "gesi-oca 1.0" not in page
    assert f"{RATED}" not in re.sub(r"<[^>]+>", " ", row(page, "AKH-01"))  # an untouched organisation: no counts
