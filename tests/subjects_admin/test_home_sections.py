"""Home lists the subjects a user sees in one section per kind, each with the current round of that kind."""
from __future__ import annotations

from datetime import date

from capacity.assessments.models import Status, Track
from tests.organisations.html import parse
from tests.subjects_admin.rows import (assessment, assign_municipality, client_for, municipality, round_of, service,
                                       staff_of_municipality)


def world(app, factory):
    factory.org("ORG-A", name_en="Alpha")
    service(app, "SVC-A", "ORG-A", name_en="Alpha day centre")
    municipality(app, "batumi")
    # The organisations' newest round is closed, the services' is open: each section has its own.
    round_of(app, "org-2025", "organisation", is_open=False, starts_on=date(2025, 1, 1))
    round_of(app, "org-2026", "organisation", is_open=False, starts_on=date(2026, 2, 1))
    round_of(app, "svc-2026", "service", starts_on=date(2026, 3, 1))


def sections(page) -> dict[str, str]:
    return {s.one("h2").text: s.text for s in page.all("section", class_="home-kind")}


def test_a_manager_s_home_has_a_section_per_kind_with_its_own_round(app, factory):
    world(app, factory)
    page = parse(client_for(app, factory.user("manager")).get("/").get_data(as_text=True))
    assert page.one("h1").text == "The programme's assessments"
    found = sections(page)
    assert list(found) == ["Organisations", "Services", "Municipalities"]
    assert "Round org-2026" in found["Organisations"] and "closed" in found["Organisations"]
    assert "Round svc-2026" in found["Services"] and "open" in found["Services"]
    assert "Round" not in found["Municipalities"].replace("No assessment round has been created yet.", "")
    assert "Alpha day centre" in found["Services"] and "Alpha day centre" not in found["Organisations"]
    assert "Batumi" in found["Municipalities"] and "Municipalities: 1" in found["Municipalities"]
    progress = [a.attrs["href"] for a in page.all("a") if a.text == "Progress of the round"]
    assert progress == ["/rounds/org-2026/progress", "/rounds/svc-2026/progress"]


def test_a_home_of_organisations_only_reads_as_before(app, factory):
    factory.org("ORG-A")
    round_of(app, "org-2026")
    page = parse(client_for(app, factory.user("manager")).get("/").get_data(as_text=True))
    assert page.one("h1").text == "Partner organisations"
    assert list(sections(page)) == ["Organisations"]
    assert "1 organisation" in sections(page)["Organisations"]


def test_in_georgian_the_sections_are_headed_by_the_kinds_plurals(app, factory):
    world(app, factory)
    page = parse(client_for(app, factory.user("manager"), "ka").get("/").get_data(as_text=True))
    assert page.one("h1").text == "პროგრამის შეფასებები"
    assert list(sections(page)) == ["ორგანიზაციები", "მომსახურებები", "მუნიციპალიტეტები"]
    assert "მუნიციპალიტეტები: 1" in sections(page)["მუნიციპალიტეტები"]


def test_staff_of_an_organisation_still_go_to_its_page(app, factory):
    world(app, factory)
    staff = client_for(app, factory.user("cso", org="ORG-A"))
    assert staff.get("/").location == "/organisations/ORG-A"


def test_a_mentor_s_to_do_takes_each_round_for_its_own_kind(app, factory):
    world(app, factory)
    round_of(app, "org-open", "organisation", starts_on=date(2026, 4, 1))
    mentor = factory.user("mentor")
    factory.assign(mentor, "ORG-A")
    assign_municipality(app, mentor, "batumi")
    assessment(app, "SVC-A", "svc-2026", Track.MENTOR, Status.DRAFT)
    page = parse(client_for(app, mentor).get("/").get_data(as_text=True))
    assert page.one("h1").text == "What you work on"
    todo = page.one("section", class_="todo")
    to_score = [li.one("a").attrs["href"] for li in todo.all("li")]
    # The organisation in the organisation round, the service in the service round, nothing crossed.
    assert sorted(to_score) == ["/organisations/ORG-A/assessments/org-open/mentor/",
                                "/organisations/SVC-A/assessments/svc-2026/mentor/"]
    found = sections(page)
    assert "Round org-open" in found["Organisations"] and "Round svc-2026" in found["Services"]
    assert "Batumi" in found["Municipalities"]


def test_municipal_staff_learn_nothing_of_the_mentor_s_assessment_on_their_home(app, factory):
    municipality(app, "dmanisi")
    round_of(app, "mun-2026", "municipality")
    assessment(app, "MUN-DMANISI", "mun-2026", Track.SELF, Status.SUBMITTED)
    assessment(app, "MUN-DMANISI", "mun-2026", Track.MENTOR, Status.SUBMITTED)
    assessment(app, "MUN-DMANISI", "mun-2026", Track.CONSENSUS, Status.DRAFT)
    staff = staff_of_municipality(app, "dmanisi")
    page = parse(client_for(app, staff).get("/").get_data(as_text=True))
    section = page.one("section", aria_labelledby="kind-municipality")
    assert [th.text for th in section.one("thead").all("th")] == ["Code", "Municipality", "Self-assessment",
                                                                   "Agreed assessment"]
    cells = {td.attrs["data-label"]: td.text for td in section.one("tbody").all("td")}
    assert cells["Self-assessment"].startswith("Submitted")
    assert cells["Agreed assessment"] == "Not validated yet"  # not even that a draft exists
    assert "Mentor assessment" not in section.text
    # A mentor of the municipality sees all three.
    facilitator = factory.user("mentor")
    assign_municipality(app, facilitator, "dmanisi")
    mentor_page = parse(client_for(app, facilitator).get("/").get_data(as_text=True))
    heads = [th.text for th in mentor_page.one("section", aria_labelledby="kind-municipality").one("thead").all("th")]
    assert heads == ["Code", "Municipality", "Self-assessment", "Mentor assessment", "Agreed assessment"]
