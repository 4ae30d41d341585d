"""The account form asks for what the role needs: an organisation for staff, organisations for a mentor.

In the browser a script shows only the chosen role's fields (tests/browser/test_admin_forms.py);
here, without scripts, the server must refuse whatever does not belong to the role, and say so.
"""
from __future__ import annotations

import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment
from tests.conftest import login
from tests.organisations.html import main_text, parse, selected


def admin_client(app, factory, language="ka"):
    """A client logged in as the administrator (made on first use), showing pages in ``language``."""
    if account(app, "admin@example.org") is None:
        factory.user("admin", email="admin@example.org")
    client = app.test_client()
    login(client, "admin@example.org")
    if language != "ka":
        client.post("/language", data={"language": language, "next": "/"})
    return client


def org_ids(app) -> dict[str, int]:
    with app.app_context():
        return dict(db.session.execute(sa.text("SELECT code, id FROM organisations")).all())


def assignments(app, email: str) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(sa.text(
            "SELECT o.code FROM mentor_assignments a JOIN organisations o ON o.id = a.organisation_id "
            "JOIN users u ON u.id = a.mentor_id WHERE u.email = :email"), {"email": email}))


def account(app, email: str) -> User | None:
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


NEW = {"email": "new@example.org", "display_name": "ნინო ბერიძე", "language": "ka", "password": "a long first password"}


def test_the_new_account_form_chooses_no_role_and_groups_each_roles_fields(app, factory):
    factory.org("TEL-01")
    page = parse(admin_client(app, factory).get("/admin/users/new").get_data(as_text=True))
    role = page.one("select", id="role")
    # Nobody becomes an administrator by overlooking the field: the first option is "choose…".
    assert selected(role) == [""] and role.all("option")[0].attrs["value"] == ""
    assert role.all("option")[0].text == "აირჩიეთ…"
    staff_part = page.one(data_for_role="cso")
    mentor_part = page.one(data_for_role="mentor")
    assert page.one("select", id="organisation").has_ancestor(staff_part)
    boxes = page.all("input", type="checkbox", name="mentor_organisations")
    assert boxes and all(box.has_ancestor(mentor_part) for box in boxes)
    assert "ორგანიზაციები, რომლებსაც ეს მენტორი მხარს უჭერს" in mentor_part.text
    assert page.all("script", src=None)[0].attrs["src"].startswith("/static/user-form.js")


def test_an_account_without_a_role_is_refused_and_keeps_what_was_typed(app, factory):
    for language, message in (("ka", "აირჩიეთ ამ ანგარიშის როლი."), ("en", "Choose the role of this account.")):
        page = parse(admin_client(app, factory, language).post("/admin/users/new", data={**NEW, "role": ""})
                     .get_data(as_text=True))
        assert page.one(id="role-error").text.endswith(message)
        assert page.one("input", id="display_name").attrs["value"] == "ნინო ბერიძე"
        assert page.one("input", id="email").attrs["value"] == "new@example.org"
    assert account(app, "new@example.org") is None


def test_a_staff_account_with_mentor_organisations_is_refused_with_a_message(app, factory):
    factory.org("TEL-01")
    factory.org("BAT-01", municipality="batumi")
    ids = org_ids(app)
    data = {**NEW, "role": "cso", "organisation": "TEL-01", "mentor_organisations": [str(ids["BAT-01"])]}
    for language, message in (
        ("ka", "ორგანიზაციები მხოლოდ მენტორის ანგარიშს მიემაგრება: აირჩიეთ როლი „მენტორი“ ან მოხსენით ორგანიზაციების მონიშვნა."),
        ("en", "Only a mentor account is assigned organisations: choose the mentor role or untick the organisations."),
    ):
        response = admin_client(app, factory, language).post("/admin/users/new", data=data)
        assert response.status_code == 200
        page = parse(response.get_data(as_text=True))
        assert page.one(id="mentor_organisations-error").text.endswith(message)
        # Nothing typed or ticked is lost.
        assert selected(page.one("select", id="organisation")) == ["TEL-01"]
        assert [box.attrs["value"] for box in page.all("input", name="mentor_organisations", checked=None)] == [str(ids["BAT-01"])]
    assert account(app, "new@example.org") is None
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(MentorAssignment.id))) == 0


def test_a_staff_account_needs_its_organisation_or_a_municipality(app, factory):
    factory.org("TEL-01")
    page = parse(admin_client(app, factory, "en").post("/admin/users/new", data={**NEW, "role": "cso", "organisation": ""})
                 .get_data(as_text=True))
    # A municipal working group member has no organisation: a municipality will do instead.
    assert page.one(id="organisation-error").text.endswith("A staff account needs its organisation or at least one municipality.")
    assert account(app, "new@example.org") is None


def test_a_manager_given_an_organisation_is_refused_with_a_message(app, factory):
    factory.org("TEL-01")
    page = parse(admin_client(app, factory).post("/admin/users/new", data={**NEW, "role": "manager", "organisation": "TEL-01"})
                 .get_data(as_text=True))
    assert page.one(id="organisation-error").text.endswith(
        "ორგანიზაციას მხოლოდ ორგანიზაციის თანამშრომლის ანგარიში ეკუთვნის: "
        "აირჩიეთ როლი „ორგანიზაციის თანამშრომელი“ ან დატოვეთ ორგანიზაციის ველი ცარიელი.")
    assert account(app, "new@example.org") is None


def test_a_new_mentor_is_assigned_the_ticked_organisations_and_sees_only_them(app, factory):
    factory.org("TEL-01")
    factory.org("BAT-01", municipality="batumi")
    ids = org_ids(app)
    response = admin_client(app, factory).post("/admin/users/new", data={
        **NEW, "role": "mentor", "mentor_organisations": [str(ids["BAT-01"])]})
    assert response.status_code == 302
    assert assignments(app, "new@example.org") == {"BAT-01"}
    mentor = app.test_client()
    login(mentor, "new@example.org", NEW["password"])
    listing = main_text(parse(mentor.get("/organisations/").get_data(as_text=True)))
    assert "BAT-01" in listing and "TEL-01" not in listing
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assignment.create"))
        assert event.organisation_id == ids["BAT-01"]


def test_a_mentor_made_manager_with_the_script_loses_the_assignments(app, factory):
    """With the script, the hidden checkboxes are disabled and not sent: the assignments go."""
    factory.org("TEL-01")
    mentor = factory.user("mentor", email="m@example.org", display_name="მენტორი")
    factory.assign(mentor, "TEL-01")
    response = admin_client(app, factory).post(f"/admin/users/{factory.user_id(mentor)}/edit", data={
        "email": mentor, "display_name": "მენტორი", "role": "manager", "organisation": "", "language": "ka"})
    assert response.status_code == 302
    assert account(app, mentor).role == Role.MANAGER
    assert assignments(app, mentor) == set()
    with app.app_context():
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assignment.delete")) is not None


def test_a_mentor_made_manager_without_the_script_is_told_to_untick_and_nothing_changes(app, factory):
    factory.org("TEL-01")
    mentor = factory.user("mentor", email="m@example.org", display_name="მენტორი")
    factory.assign(mentor, "TEL-01")
    response = admin_client(app, factory, "en").post(f"/admin/users/{factory.user_id(mentor)}/edit", data={
        "email": mentor, "display_name": "მენტორი", "role": "manager", "organisation": "", "language": "ka",
        "mentor_organisations": [str(org_ids(app)["TEL-01"])]})
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert "choose the mentor role or untick the organisations" in page.one(id="mentor_organisations-error").text
    assert account(app, mentor).role == Role.MENTOR
    assert assignments(app, mentor) == {"TEL-01"}


def test_the_edit_form_shows_the_accounts_own_role_and_assignments(app, factory):
    factory.org("TEL-01")
    factory.org("BAT-01", municipality="batumi")
    mentor = factory.user("mentor", email="m@example.org")
    factory.assign(mentor, "BAT-01")
    page = parse(admin_client(app, factory).get(f"/admin/users/{factory.user_id(mentor)}/edit").get_data(as_text=True))
    assert selected(page.one("select", id="role")) == ["mentor"]
    assert page.one("select", id="role").all("option")[0].attrs["value"] == "admin"  # no "choose…" once chosen
    ticked = page.all("input", name="mentor_organisations", checked=None)
    assert [box.parent.text for box in ticked] == ["BAT-01 — ორგანიზაცია BAT-01"]


def test_the_form_opened_from_an_organisations_next_steps_is_filled_in_and_goes_back_there(app, factory):
    factory.org("TEL-01")
    client = admin_client(app, factory)
    url = "/admin/users/new?role=cso&organisation=TEL-01&setup=1"
    page = parse(client.get(url).get_data(as_text=True))
    assert selected(page.one("select", id="role")) == ["cso"]
    assert selected(page.one("select", id="organisation")) == ["TEL-01"]
    back = [a for a in page.one("main").all("a") if a.attrs["href"] == "/admin/organisations/TEL-01/setup"]
    assert [a.text for a in back] == ["შემდეგი ნაბიჯები: ორგანიზაცია TEL-01", "გაუქმება"]
    response = client.post(url, data={**NEW, "role": "cso", "organisation": "TEL-01"})
    assert response.status_code == 302 and response.location == "/admin/organisations/TEL-01/setup"
    setup = main_text(parse(client.get(response.location).get_data(as_text=True)))
    assert "ანგარიში შექმნილია." in setup
    assert "ნინო ბერიძე (new@example.org)" in setup
    assert account(app, "new@example.org").organisation_id == org_ids(app)["TEL-01"]


def test_a_mentor_account_opened_from_next_steps_has_the_organisation_ticked(app, factory):
    factory.org("TEL-01")
    factory.org("BAT-01", municipality="batumi")
    page = parse(admin_client(app, factory, "en").get("/admin/users/new?role=mentor&organisation=BAT-01&setup=1")
                 .get_data(as_text=True))
    assert selected(page.one("select", id="role")) == ["mentor"]
    assert selected(page.one("select", id="organisation")) == [""]
    assert [box.parent.text for box in page.all("input", name="mentor_organisations", checked=None)] == [
        "BAT-01 — Organisation BAT-01"]


def test_an_address_naming_no_role_or_organisation_fills_in_nothing(app, factory):
    factory.org("TEL-01")
    response = admin_client(app, factory).get("/admin/users/new?role=boss&organisation=NOPE&setup=1")
    assert response.status_code == 200
    page = parse(response.get_data(as_text=True))
    assert selected(page.one("select", id="role")) == [""]
    assert [a.attrs["href"] for a in page.one("main").all("a")] == ["/admin/users/"]  # no way back to a setup page


def test_the_accounts_table_becomes_labelled_cards(app, factory):
    factory.org("TEL-01")
    factory.user("cso", org="TEL-01")
    for language, label in (("ka", "ელ. ფოსტა"), ("en", "E-mail")):
        table = parse(admin_client(app, factory, language).get("/admin/users/").get_data(as_text=True)).one("table")
        assert table.attrs["class"] == "cards"
        cells = table.all("td")
        assert cells and all(cell.attrs.get("data-label") for cell in cells)
        emails = [cell for cell in cells if cell.attrs["data-label"] == label]
        assert "admin@example.org" in [cell.text for cell in emails]
