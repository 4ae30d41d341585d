"""Adding an organisation: no municipality chosen for the administrator, then the next steps (staff account, mentor)."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.extensions import db
from capacity.organisations.models import Organisation
from tests.conftest import login
from tests.organisations.html import main_text, parse, selected
from tests.organisations.test_admin_pages import NEW_ORG


def client_as(app, factory, role="admin", language="ka"):
    client = app.test_client()
    login(client, factory.user(role))
    if language != "ka":
        client.post("/language", data={"language": language, "next": "/"})
    return client


def links(page) -> dict[str, str]:
    """The links of the page's main part: their text → their address."""
    return {a.text: a.attrs["href"] for a in page.one("main").all("a")}


def test_the_new_organisation_form_chooses_no_municipality(app, factory):
    for language, choose in (("ka", "აირჩიეთ…"), ("en", "Choose…")):
        page = parse(client_as(app, factory, language=language).get("/admin/organisations/new").get_data(as_text=True))
        municipality = page.one("select", id="municipality")
        assert selected(municipality) == [""]
        assert municipality.all("option")[0].text == choose
        assert not [o for o in municipality.all("option") if "selected" in o.attrs]


def test_the_edit_form_shows_the_organisations_own_municipality(app, factory):
    factory.org("BAT-01", municipality="batumi")
    page = parse(client_as(app, factory).get("/admin/organisations/BAT-01/edit").get_data(as_text=True))
    assert selected(page.one("select", id="municipality")) == ["batumi"]


def test_an_organisation_without_a_municipality_is_refused_and_loses_nothing_typed(app, factory):
    data = {**NEW_ORG, "municipality": ""}
    for language, message in (("ka", "აირჩიეთ მუნიციპალიტეტი."), ("en", "Choose the municipality.")):
        response = client_as(app, factory, language=language).post("/admin/organisations/new", data=data)
        assert response.status_code == 200
        page = parse(response.get_data(as_text=True))
        assert page.one(id="municipality-error").text.endswith(message)
        assert page.one("select", id="municipality").attrs["aria-invalid"] == "true"
        assert page.one("input", id="code").attrs["value"] == "KUT-09"
        assert page.one("input", id="name_ka").attrs["value"] == "ასოციაცია „სინათლე“"
        assert page.one("input", id="contact_phone").attrs["value"] == "+995 555 00 00 00"
        assert [box.attrs["value"] for box in page.all("input", name="service_areas", checked=None)] == ["children", "disability"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Organisation.id))) == 0


def test_after_adding_an_organisation_the_admin_is_shown_the_next_steps(app, factory):
    factory.user("mentor", display_name="მენტორი იმერეთში")
    client = client_as(app, factory)
    response = client.post("/admin/organisations/new", data=NEW_ORG)
    assert response.location == "/admin/organisations/KUT-09/setup"
    page = parse(client.get(response.location).get_data(as_text=True))
    text = main_text(page)
    assert "ორგანიზაცია დამატებულია." in text
    assert page.one("h1").text == "შემდეგი ნაბიჯები: ასოციაცია „სინათლე“"
    assert [h.text for h in page.one("main").all("h2")] == ["თანამშრომლის ანგარიში შესასრულებელი", "მენტორი შესასრულებელი"]
    assert "ორგანიზაციას ჯერ არ აქვს თანამშრომლის ანგარიში" in text
    assert links(page)["თანამშრომლის ანგარიშის შექმნა"] == "/admin/users/new?role=cso&organisation=KUT-09&setup=1"
    assert links(page)["მენტორის მიმაგრება"] == "/organisations/KUT-09/mentors?setup=1"
    assert links(page)["ორგანიზაციის გვერდის გახსნა"] == "/organisations/KUT-09"


def test_the_next_steps_in_english_and_once_both_are_done(app, factory):
    factory.org("KUT-09", municipality="kutaisi", name_en="Association Sinatle")
    factory.user("cso", org="KUT-09", display_name="Eka", email="eka@example.org")
    mentor = factory.user("mentor", display_name="Giorgi")
    factory.assign(mentor, "KUT-09")
    page = parse(client_as(app, factory, language="en").get("/admin/organisations/KUT-09/setup").get_data(as_text=True))
    assert page.one("h1").text == "Next steps: Association Sinatle"
    assert [h.text for h in page.one("main").all("h2")] == ["Staff account set up", "Mentor set up"]
    text = main_text(page)
    assert "Eka (eka@example.org)" in text and "Mentors: Giorgi" in text
    assert links(page)["Add another staff account"] == "/admin/users/new?role=cso&organisation=KUT-09&setup=1"
    assert links(page)["Change the mentors"] == "/organisations/KUT-09/mentors?setup=1"


def test_without_any_mentor_account_the_next_steps_offer_to_add_one(app, factory):
    factory.org("KUT-09", municipality="kutaisi")
    page = parse(client_as(app, factory).get("/admin/organisations/KUT-09/setup").get_data(as_text=True))
    assert "მენტორის ანგარიში ჯერ არ არსებობს: ჯერ დაამატეთ ის, შემდეგ კი აქ მიამაგრეთ." in main_text(page)
    assert links(page)["მენტორის ანგარიშის დამატება"] == "/admin/users/new?role=mentor&organisation=KUT-09&setup=1"
    assert "მენტორის მიმაგრება" not in links(page)


def test_assigning_a_mentor_from_the_next_steps_comes_back_to_them(app, factory):
    factory.org("KUT-09", municipality="kutaisi")
    mentor = factory.user("mentor", display_name="მენტორი")
    client = client_as(app, factory)
    url = "/organisations/KUT-09/mentors?setup=1"
    assert links(parse(client.get(url).get_data(as_text=True)))["გაუქმება"] == "/admin/organisations/KUT-09/setup"
    response = client.post(url, data={"mentors": [str(factory.user_id(mentor))]})
    assert response.location == "/admin/organisations/KUT-09/setup"
    page = parse(client.get(response.location).get_data(as_text=True))
    assert "მენტორები: მენტორი" in main_text(page)
    assert page.one("main").all("h2")[1].text == "მენტორი შესრულებული"


def test_a_manager_assigning_mentors_goes_to_the_organisation_not_to_the_admin_page(app, factory):
    factory.org("KUT-09", municipality="kutaisi")
    mentor = factory.user("mentor")
    response = client_as(app, factory, role="manager").post(
        "/organisations/KUT-09/mentors?setup=1", data={"mentors": [str(factory.user_id(mentor))]})
    assert response.location == "/organisations/KUT-09"


def test_the_next_steps_of_an_unknown_organisation_are_not_found(app, factory):
    assert client_as(app, factory).get("/admin/organisations/NOPE-01/setup").status_code == 404


def test_the_organisations_table_becomes_labelled_cards(app, factory):
    factory.org("BAT-01", municipality="batumi", service_areas=["children"])
    for language, label, value in (("ka", "მუნიციპალიტეტი", "ბათუმი"), ("en", "Municipality", "Batumi")):
        table = parse(client_as(app, factory, role="manager", language=language).get("/organisations/")
                      .get_data(as_text=True)).one("table")
        assert table.attrs["class"] == "cards"
        cells = table.all("td")
        assert cells and all(cell.attrs.get("data-label") for cell in cells)
        assert [cell.text for cell in cells if cell.attrs["data-label"] == label] == [value]
