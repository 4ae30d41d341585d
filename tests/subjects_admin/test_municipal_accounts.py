"""Accounts assigned to municipalities: a municipal working group's staff (no organisation) and facilitators.

The administrator ticks the municipalities on the account form; the account then sees the municipality
subjects of those municipalities, and only those, from its home page.
"""
from __future__ import annotations

import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import MunicipalityAssignment
from tests.organisations.html import parse
from tests.subjects_admin.rows import assign_municipality, client_for, municipality, round_of

NEW = {"email": "nino@batumi.example.org", "display_name": "ნინო ბერიძე", "language": "en",
       "password": "a long first password", "organisation": ""}


def assigned(app, email: str) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(sa.select(MunicipalityAssignment.municipality).join(
            User, User.id == MunicipalityAssignment.user_id).where(User.email == email)))


def admin(app, factory, language="en"):
    return client_for(app, factory.user("admin"), language)


def test_the_form_groups_the_municipalities_by_region(app, factory):
    page = parse(admin(app, factory).get("/admin/users/new").get_data(as_text=True))
    field = page.one("input", value="dmanisi").parent.parent.parent.parent  # li, ul, the region's fieldset
    assert field.one("legend").text == "Kvemo Kartli"
    assert [box.attrs["value"] for box in field.all("input")] == ["marneuli", "dmanisi"]
    assert len(page.all("input", type="checkbox", name="municipalities")) == 12


def test_a_staff_account_with_a_municipality_only_sees_that_municipality_from_its_home(app, factory):
    municipality(app, "batumi")
    municipality(app, "marneuli")
    factory.org("BAT-01", municipality="batumi")
    round_of(app, "mun-2026", "municipality")
    client = admin(app, factory)
    response = client.post("/admin/users/new", data={**NEW, "role": "cso", "municipalities": ["batumi"]})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert assigned(app, NEW["email"]) == ["batumi"]
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "user.municipalities"))
        assert event.before == {"municipalities": []} and event.after == {"municipalities": ["batumi"]}
    listing = parse(client.get("/admin/users/").get_data(as_text=True))
    row = next(tr for tr in listing.all("tr") if "nino@batumi.example.org" in tr.text)
    assert row.one("td", data_label="Municipalities").text == "Batumi"
    assert row.one("td", data_label="Organisation").text == "—"

    staff = client_for(app, NEW["email"], "en", NEW["password"])
    home = staff.get("/")
    assert home.status_code == 200  # no organisation to go to: the list
    page = parse(home.get_data(as_text=True))
    assert page.one("h1").text == "What you work on"
    section = page.one("section", aria_labelledby="kind-municipality")
    assert section.one("h2").text == "Municipalities"
    assert "Round mun-2026" in section.text
    assert [th.text for th in section.all("th", scope="row")] == ["Batumi"]
    # Staff answer the self-assessment: its status links to it.
    assert section.one("a", href="/organisations/MUN-BATUMI/assessments/mun-2026/self/")
    main = page.one("main").text
    assert "Marneuli" not in main and "BAT-01" not in main
    assert staff.get("/organisations/MUN-MARNEULI").status_code == 404
    assert staff.get("/organisations/MUN-BATUMI").status_code == 200


def test_a_municipality_s_page_lists_its_accounts_for_the_programme_only(app, factory):
    municipality(app, "batumi")
    facilitator = factory.user("mentor", display_name="Facilitator Giorgi")
    assign_municipality(app, facilitator, "batumi")
    other = factory.user("mentor", display_name="Facilitator Marneuli")
    assign_municipality(app, other, "marneuli")
    manager = parse(client_for(app, factory.user("manager")).get("/organisations/MUN-BATUMI").get_data(as_text=True))
    heading = next(h for h in manager.all("h2") if h.text == "Accounts of this municipality")
    accounts = heading.parent.all("ul")[-1].text
    assert "Facilitator Giorgi" in accounts and "Mentor" in accounts and "Facilitator Marneuli" not in accounts
    mentor = parse(client_for(app, facilitator).get("/organisations/MUN-BATUMI").get_data(as_text=True))
    assert "Accounts of this municipality" not in mentor.one("main").text


def test_managers_and_admins_get_no_municipalities(app, factory):
    for language, message in (
        ("en", "Only staff and mentor accounts are assigned municipalities: choose one of those roles or untick "
               "the municipalities."),
        ("ka", "მუნიციპალიტეტები მხოლოდ თანამშრომლისა და მენტორის ანგარიშს მიემაგრება: აირჩიეთ ერთ-ერთი ამ "
               "როლთაგანი ან მოხსენით მუნიციპალიტეტების მონიშვნა."),
    ):
        response = admin(app, factory, language).post("/admin/users/new", data={
            **NEW, "role": "manager", "municipalities": ["batumi", "dmanisi"]})
        assert response.status_code == 200
        page = parse(response.get_data(as_text=True))
        assert page.one(id="municipalities-error").text.endswith(message)
        # What was ticked stays ticked, to untick.
        assert [b.attrs["value"] for b in page.all("input", name="municipalities", checked=None)] == ["batumi", "dmanisi"]
    with app.app_context():
        assert db.session.scalar(sa.select(User).where(User.email == NEW["email"])) is None


def test_a_junk_municipality_is_refused_beside_the_field(app, factory):
    page = parse(admin(app, factory).post("/admin/users/new", data={
        **NEW, "role": "cso", "municipalities": ["atlantis"]}).get_data(as_text=True))
    assert page.one(id="municipalities-error").text.endswith("Choose the municipalities from the list.")


def test_a_mentor_s_municipalities_are_changed_on_the_edit_form_and_audited(app, factory):
    mentor = factory.user("mentor")
    assign_municipality(app, mentor, "batumi")
    client = admin(app, factory)
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == mentor))
    form = parse(client.get(f"/admin/users/{user_id}/edit").get_data(as_text=True))
    assert [b.attrs["value"] for b in form.all("input", name="municipalities", checked=None)] == ["batumi"]
    response = client.post(f"/admin/users/{user_id}/edit", data={
        "email": mentor, "display_name": "M", "role": "mentor", "language": "en",
        "municipalities": ["chokhatauri", "dmanisi"]})
    assert response.status_code == 302
    assert assigned(app, mentor) == ["chokhatauri", "dmanisi"]
    # Made a manager: the assignments go, as a mentor's organisations do.
    client.post(f"/admin/users/{user_id}/edit", data={"email": mentor, "display_name": "M", "role": "manager",
                                                      "language": "en"})
    assert assigned(app, mentor) == []
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.municipalities")
                                         .order_by(AuditEvent.id)))
        assert [(e.before, e.after) for e in events] == [
            ({"municipalities": ["batumi"]}, {"municipalities": ["chokhatauri", "dmanisi"]}),
            ({"municipalities": ["chokhatauri", "dmanisi"]}, {"municipalities": []})]


def test_from_a_municipality_s_page_the_administrator_adds_its_account_with_the_municipality_ticked(app, factory):
    municipality(app, "chokhatauri")
    client = admin(app, factory, "ka")
    page = parse(client.get("/organisations/MUN-CHOKHATAURI").get_data(as_text=True))
    section = page.one("section", aria_labelledby="municipal-accounts")
    assert "ამ მუნიციპალიტეტზე ჯერ არცერთი ანგარიში არ არის მიმაგრებული." in section.text
    link = section.one("a")
    assert link.text == "ამ მუნიციპალიტეტისთვის ანგარიშის დამატება"
    form = parse(client.get(link.attrs["href"]).get_data(as_text=True))
    assert [b.attrs["value"] for b in form.all("input", name="municipalities", checked=None)] == ["chokhatauri"]
    assert form.one("select", id="role").one("option", selected=None).attrs["value"] == "cso"
    # A manager reads the list, adds no account.
    manager = parse(client_for(app, factory.user("manager")).get("/organisations/MUN-CHOKHATAURI").get_data(as_text=True))
    assert not manager.one("section", aria_labelledby="municipal-accounts").all("a")
