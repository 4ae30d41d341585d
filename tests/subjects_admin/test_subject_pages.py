"""The subjects list and a subject's page, per role: kinds named from configuration, services under their
organisation, and nobody learns of a subject they may not see."""
from __future__ import annotations

from tests.organisations.html import parse, selected
from tests.subjects_admin.rows import client_for, facts, municipality, service


def world(app, factory):
    factory.org("ORG-A", name_en="Alpha")
    factory.org("ORG-B", name_en="Beta", municipality="batumi")
    service(app, "SVC-A", "ORG-A", name_en="Alpha day centre")
    service(app, "SVC-B", "ORG-B", name_en="Beta family support", municipality="batumi")
    municipality(app, "dmanisi")


def test_the_list_filters_by_kind_and_names_kinds_from_configuration(app, factory):
    world(app, factory)
    client = client_for(app, factory.user("manager"))
    everything = parse(client.get("/organisations/").get_data(as_text=True))
    kind = everything.one("select", id="kind")
    assert [o.text for o in kind.all("option")] == ["All kinds", "Organisations", "Services", "Municipalities"]
    assert everything.one("p", role="status").text == "5 subjects"
    kinds = {tr.one("td", data_label="Code").text: tr.one("td", data_label="Kind").text
             for tr in everything.one("tbody").all("tr")}
    assert kinds == {"ORG-A": "Organisation", "ORG-B": "Organisation", "SVC-A": "Service (ORG-A)",
                     "SVC-B": "Service (ORG-B)", "MUN-DMANISI": "Municipality"}
    services = parse(client.get("/organisations/?kind=service").get_data(as_text=True))
    assert selected(services.one("select", id="kind")) == ["service"]
    assert [tr.one("td", data_label="Code").text for tr in services.one("tbody").all("tr")] == ["SVC-A", "SVC-B"]
    assert not services.all("td", data_label="Kind")  # one kind listed: no column for it
    organisations = parse(client.get("/organisations/?kind=organisation").get_data(as_text=True))
    assert organisations.one("p", role="status").text == "2 organisations"


def test_a_junk_kind_in_the_address_is_explained_not_an_error_page(app, factory):
    world(app, factory)
    client = client_for(app, factory.user("manager"))
    for junk in ("parish", "x" * 10000, "service'--", "%00"):
        response = client.get("/organisations/", query_string={"kind": junk})
        assert response.status_code == 400
        page = parse(response.get_data(as_text=True))
        assert page.one(id="kind-error").text.endswith("There is no such kind: choose one from the list.")
        assert selected(page.one("select", id="kind")) == [""]
    georgian = parse(client_for(app, factory.user("manager"), "ka").get("/organisations/?kind=parish").get_data(as_text=True))
    assert georgian.one(id="kind-error").text.endswith("ასეთი სახეობა არ არსებობს: აირჩიეთ სიიდან.")


def test_staff_of_an_organisation_see_its_service_and_not_another_s(app, factory):
    world(app, factory)
    staff = client_for(app, factory.user("cso", org="ORG-A"))
    page = parse(staff.get("/organisations/ORG-A").get_data(as_text=True))
    services = page.one("section", aria_labelledby="children-service")
    assert services.one("h2").text == "Services"
    assert [(a.text, a.attrs["href"]) for a in services.all("a")] == [("Alpha day centre", "/organisations/SVC-A")]
    assert "Beta" not in page.one("main").text
    # The service's page leads back to the organisation.
    service_page = parse(staff.get("/organisations/SVC-A").get_data(as_text=True))
    assert facts(service_page)["Organisation"] == "Alpha ORG-A"
    assert service_page.one("dl").one("a").attrs["href"] == "/organisations/ORG-A"
    assert service_page.one("p", class_="crumbs").one("a").attrs["href"] == "/organisations/ORG-A"
    assert staff.get("/organisations/SVC-B").status_code == 404
    assert staff.get("/organisations/MUN-DMANISI").status_code == 404


def test_a_mentor_sees_the_services_of_the_organisations_they_support(app, factory):
    world(app, factory)
    mentor = factory.user("mentor", display_name="Tamar")
    factory.assign(mentor, "ORG-B")
    client = client_for(app, mentor)
    listing = parse(client.get("/organisations/").get_data(as_text=True))
    assert [tr.one("td", data_label="Code").text for tr in listing.one("tbody").all("tr")] == ["ORG-B", "SVC-B"]
    page = parse(client.get("/organisations/SVC-B").get_data(as_text=True))
    assert facts(page)["Mentors"] == "Tamar"  # the organisation's mentors are the service's
    assert client.get("/organisations/SVC-A").status_code == 404


def test_a_service_has_no_mentors_or_next_steps_of_its_own(app, factory):
    world(app, factory)
    manager = client_for(app, factory.user("manager"))
    page = parse(manager.get("/organisations/SVC-A").get_data(as_text=True))
    assert not [a for a in page.all("a") if a.attrs.get("href", "").endswith("/mentors")]
    assert manager.get("/organisations/SVC-A/mentors").status_code == 404
    admin = client_for(app, factory.user("admin"))
    assert admin.get("/admin/organisations/SVC-A/setup").location == "/organisations/SVC-A"
    edit = parse(admin.get("/organisations/SVC-A").get_data(as_text=True))
    assert edit.one("a", href="/admin/organisations/SVC-A/edit").text == "Edit: Service"
