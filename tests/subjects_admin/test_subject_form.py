"""Administrators add and change subjects of every kind through the organisation form.

A service belongs to an organisation (and has its own municipality); a municipality belongs to nothing.
Each refusal names its field, in the page's language, and keeps what was typed.
"""
from __future__ import annotations

import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from tests.organisations.html import parse, selected
from tests.subjects_admin.rows import assessment, client_for, facts, municipality, round_of, service, subject

SERVICE = {"code": "SVC-01", "kind": "service", "parent": "TEL-01", "name_ka": "დღის ცენტრი „მზე“",
           "name_en": "Day centre Mze", "municipality": "akhmeta", "active": "y"}


def admin(app, factory, language="en"):
    return client_for(app, factory.user("admin"), language)


def test_the_form_offers_every_kind_and_the_organisations_to_belong_to(app, factory):
    factory.org("TEL-01", name_en="Nabiji")
    municipality(app, "batumi")
    page = parse(admin(app, factory).get("/admin/organisations/new?kind=service").get_data(as_text=True))
    assert page.one("h1").text == "Add: Service"
    kind = page.one("select", id="kind")
    assert [o.text for o in kind.all("option")] == ["Organisation", "Service", "Municipality"]
    assert selected(kind) == ["service"]
    parent = page.one("select", id="parent")
    # Only subjects something can belong to: the organisation, not the municipality.
    assert [o.text for o in parent.all("option")] == ["Belongs to none", "TEL-01 — Nabiji"]
    assert parent.one("optgroup").attrs["label"] == "Organisations"


def test_an_administrator_adds_a_service_under_an_organisation(app, factory):
    factory.org("TEL-01", name_en="Nabiji")
    round_of(app, "svc-2026", "service")
    client = admin(app, factory)
    response = client.post("/admin/organisations/new", data=SERVICE)
    # A service has no staff or mentors of its own: no next steps, its page.
    assert response.status_code == 302 and response.location == "/organisations/SVC-01"
    page = parse(client.get("/organisations/SVC-01").get_data(as_text=True))
    assert "Service added: Day centre Mze." in page.one("main").text
    shown = facts(page)
    assert shown["Kind"] == "Service" and shown["Organisation"] == "Nabiji TEL-01"
    assert shown["Municipality"] == "Akhmeta (Kakheti)"
    assert shown["Mentors"] == "none assigned"  # the organisation's mentors are the service's
    assert page.one("dl").one("a").attrs["href"] == "/organisations/TEL-01"
    assert page.one("h2", id="profile-report").text == "Service profile"
    assert page.one("h2", id="development-plans").text == "Quality improvement plan"
    # The organisation's page lists it.
    org_page = parse(client.get("/organisations/TEL-01").get_data(as_text=True))
    assert org_page.one("h2", id="children-service").text == "Services"
    assert [a.attrs["href"] for a in org_page.one("section", aria_labelledby="children-service").all("a")] == [
        "/organisations/SVC-01"]
    created = subject(app, "SVC-01")
    assert (created.kind, created.municipality) == ("service", "akhmeta")
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.create",
                                                              AuditEvent.object_id == "SVC-01"))
        assert event.after["kind"] == "service" and event.after["parent"] == "TEL-01"


def test_an_administrator_adds_a_municipality_in_georgian(app, factory):
    round_of(app, "mun-2026", "municipality")
    client = admin(app, factory, "ka")
    response = client.post("/admin/organisations/new", data={
        "code": "MUN-BATUMI", "kind": "municipality", "parent": "", "name_ka": "ბათუმის მუნიციპალიტეტი",
        "name_en": "Batumi Municipality", "municipality": "batumi", "active": "y"})
    assert response.status_code == 302 and response.location == "/organisations/MUN-BATUMI"
    page = parse(client.get("/organisations/MUN-BATUMI").get_data(as_text=True))
    assert "დაემატა მუნიციპალიტეტი: ბათუმის მუნიციპალიტეტი." in page.one("main").text
    assert facts(page)["სახეობა"] == "მუნიციპალიტეტი"
    assert "მენტორები" not in facts(page)  # nobody is assigned to it as to an organisation
    assert page.one("h2", id="profile-report").text == "მუნიციპალიტეტის შედარება (ბენჩმარკინგი)"
    assert page.one("h2", id="development-plans").text == "მოქალაქეთა მონაწილეობის სამოქმედო გეგმა"
    assert subject(app, "MUN-BATUMI").kind == "municipality"


def test_a_service_without_its_organisation_is_refused_and_keeps_what_was_typed(app, factory):
    factory.org("TEL-01")
    for language, message in (("en", "Choose what it belongs to: a subject of the kind “Organisation”."),
                              ("ka", "აირჩიეთ, რას ეკუთვნის (სახეობა „ორგანიზაცია“).")):
        response = admin(app, factory, language).post("/admin/organisations/new", data={**SERVICE, "parent": ""})
        assert response.status_code == 200
        page = parse(response.get_data(as_text=True))
        assert page.one(id="parent-error").text.endswith(message)
        assert page.one("input", id="code").attrs["value"] == "SVC-01"
        assert page.one("input", id="name_ka").attrs["value"] == "დღის ცენტრი „მზე“"
        assert selected(page.one("select", id="kind")) == ["service"]
        assert selected(page.one("select", id="municipality")) == ["akhmeta"]
    assert subject(app, "SVC-01") is None


def test_a_service_under_a_municipality_or_itself_a_parent_is_refused(app, factory):
    factory.org("TEL-01")
    municipality(app, "batumi")
    client = admin(app, factory)
    page = parse(client.post("/admin/organisations/new", data={**SERVICE, "parent": "MUN-BATUMI"}).get_data(as_text=True))
    assert page.one(id="parent-error").text.endswith("“MUN-BATUMI” is not of the kind “Organisation”: choose one that is.")
    page = parse(client.post("/admin/organisations/new", data={**SERVICE, "kind": "organisation"}).get_data(as_text=True))
    assert page.one(id="parent-error").text.endswith(
        "A subject of this kind belongs to no other: leave “Belongs to” empty.")
    page = parse(client.post("/admin/organisations/new", data={**SERVICE, "parent": "NOPE-99"}).get_data(as_text=True))
    assert page.one(id="parent-error").text.endswith("There is no subject with this code.")
    assert subject(app, "SVC-01") is None
    # An organisation edited to belong to itself.
    page = parse(client.post("/admin/organisations/TEL-01/edit", data={
        **SERVICE, "code": "TEL-01", "kind": "service", "parent": "TEL-01"}).get_data(as_text=True))
    assert page.one(id="parent-error").text.endswith("A subject cannot belong to itself.")
    assert subject(app, "TEL-01").kind == "organisation"


def test_a_junk_kind_is_refused_with_a_message_not_an_error_page(app, factory):
    client = admin(app, factory)
    for junk in ("parish", "x" * 5000, "organisation\n", ""):
        response = client.post("/admin/organisations/new", data={**SERVICE, "kind": junk, "parent": ""})
        assert response.status_code == 200
        page = parse(response.get_data(as_text=True))
        assert page.one(id="kind-error").text.endswith("Choose one of the kinds in the list.")
        assert page.one("input", id="name_en").attrs["value"] == "Day centre Mze"
    assert subject(app, "SVC-01") is None


def test_the_kind_cannot_change_once_the_subject_has_assessments(app, factory):
    factory.org("TEL-01")
    service(app, "SVC-01", "TEL-01")
    round_of(app, "svc-2026", "service")
    assessment(app, "SVC-01", "svc-2026")
    data = {"kind": "municipality", "parent": "", "name_ka": "ა", "name_en": "Renamed", "municipality": "telavi",
            "active": "y"}
    for language, message in (("en", "The kind cannot change: this subject already has assessments."),
                              ("ka", "სახეობის შეცვლა შეუძლებელია: ამ ობიექტს უკვე აქვს შეფასებები.")):
        response = admin(app, factory, language).post("/admin/organisations/SVC-01/edit", data=data)
        assert response.status_code == 200
        page = parse(response.get_data(as_text=True))
        assert page.one(id="kind-error").text.endswith(message)
        assert selected(page.one("select", id="kind")) == ["municipality"]  # as typed, to correct
        assert page.one("input", id="name_en").attrs["value"] == "Renamed"
    unchanged = subject(app, "SVC-01")
    assert (unchanged.kind, unchanged.name_en) == ("service", "Service SVC-01")
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.update")) is None


def test_moving_a_service_to_another_organisation_is_audited(app, factory):
    factory.org("TEL-01")
    factory.org("TEL-02")
    service(app, "SVC-01", "TEL-01")
    client = admin(app, factory)
    form = parse(client.get("/admin/organisations/SVC-01/edit").get_data(as_text=True))
    assert form.one("h1").text == "Edit: Service"
    assert selected(form.one("select", id="kind")) == ["service"]
    assert selected(form.one("select", id="parent")) == ["TEL-01"]
    assert [o.attrs["value"] for o in form.one("select", id="parent").all("option")] == ["", "TEL-01", "TEL-02"]
    response = client.post("/admin/organisations/SVC-01/edit", data={
        **SERVICE, "code": "SVC-01", "parent": "TEL-02", "name_ka": "მომსახურება SVC-01", "name_en": "Service SVC-01",
        "municipality": "telavi"})
    assert response.status_code == 302
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "organisation.update"))
        assert event.before == {"parent": "TEL-01"} and event.after == {"parent": "TEL-02"}
    assert facts(parse(client.get("/organisations/SVC-01").get_data(as_text=True)))["Organisation"] == "Organisation TEL-02 TEL-02"


def test_an_organisation_with_services_keeps_its_kind(app, factory):
    factory.org("TEL-01")
    service(app, "SVC-01", "TEL-01")
    page = parse(admin(app, factory).post("/admin/organisations/TEL-01/edit", data={
        "kind": "municipality", "parent": "", "name_ka": "ა", "name_en": "b", "municipality": "telavi"}).get_data(as_text=True))
    assert page.one(id="kind-error").text.endswith("The kind cannot change: other subjects belong to this one.")
    assert subject(app, "TEL-01").kind == "organisation"
