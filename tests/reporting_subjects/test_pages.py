"""The programme's pages for rounds of services and municipalities: what each round assesses, the progress grid
headed by its kind with each subject's mentors, the results page and the report preview titled by the kind."""
from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from capacity.auth.models import User
from capacity.extensions import db
from tests.reporting_subjects.conftest import MANAGER, SERVICE_MENTOR, STAFF, TOWN_MENTOR, client_for


def text(page: str) -> str:
    """The words of the page's main content (the header names the app, "Organisational capacity assessment")."""
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main.group(1) if main else page)).split())


def user_id(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def grid_rows(page: str) -> list[str]:
    """The subject codes of the progress grid's rows, in order."""
    return re.findall(r'<td class="code" data-label="[^"]*">([A-Z0-9-]+)</td>', page)


def test_the_rounds_list_says_what_each_round_assesses(subjects_app):
    page = text(client_for(subjects_app, MANAGER, "en").get("/rounds/").get_data(as_text=True))
    for code, kind in (("srv-end", "Services"), ("mun-2026", "Municipalities"), ("oca", "Organisations")):
        assert re.search(rf"Round {code} Code: {code} Assesses: {kind}", page), code
    assert "Quality improvement plan" in page and "Action plan for citizen participation" in page
    georgian = text(client_for(subjects_app, MANAGER).get("/rounds/").get_data(as_text=True))
    assert "მომსახურებები" in georgian and "მუნიციპალიტეტები" in georgian


def test_the_service_grid_lists_services_headed_as_services_with_their_organisation_s_mentors(subjects_app):
    client = client_for(subjects_app, MANAGER, "en")
    page = client.get("/rounds/srv-end/progress").get_data(as_text=True)
    assert grid_rows(page) == ["SRV-1", "SRV-2", "SRV-3", "SRV-4"]
    words = text(page)
    assert '<h2 id="grid-heading">Services</h2>' in page and "Services: 4" in words
    assert "last activity: Services" in words and "All shown" in words
    assert "Organisation" not in words and "organisation" not in words
    # SRV-1..3 are ORG-1's: its mentor is theirs; ORG-2's service has none.
    assert words.count("Monitor Mentor") >= 4 and "none assigned" in words
    monitor = user_id(subjects_app, SERVICE_MENTOR)
    assert f'<option value="{monitor}">Monitor Mentor</option>' in page
    filtered = client.get(f"/rounds/srv-end/progress?mentor={monitor}").get_data(as_text=True)
    assert grid_rows(filtered) == ["SRV-1", "SRV-2", "SRV-3"]
    assert 'value="organisation">Service</option>' in page  # the sort by name says what it sorts


def test_the_municipality_grid_names_the_accounts_assigned_to_each_municipality(subjects_app):
    client = client_for(subjects_app, MANAGER, "en")
    page = client.get("/rounds/mun-2026/progress").get_data(as_text=True)
    assert grid_rows(page) == ["MUN-BAT", "MUN-CHO", "MUN-DMA", "MUN-MAR"]
    rows = dict(re.findall(r'data-label="Code">([A-Z-]+)</td>(.*?)</tr>', page, re.S))
    assert "ლევან ცეცხლაძე" in rows["MUN-BAT"] and "ლევან ცეცხლაძე" in rows["MUN-CHO"]
    assert "none assigned" in rows["MUN-MAR"] and "none assigned" in rows["MUN-DMA"]
    facilitator = user_id(subjects_app, TOWN_MENTOR)
    filtered = client.get(f"/rounds/mun-2026/progress?mentor={facilitator}").get_data(as_text=True)
    assert grid_rows(filtered) == ["MUN-BAT", "MUN-CHO"]
    assert "Municipalities: 4" in text(page) and "organisation" not in text(page).lower()


def test_a_mentor_sees_the_subjects_they_support_in_each_kind_of_round(subjects_app):
    monitor = client_for(subjects_app, SERVICE_MENTOR, "en")
    assert grid_rows(monitor.get("/rounds/srv-end/progress").get_data(as_text=True)) == ["SRV-1", "SRV-2", "SRV-3"]
    assert grid_rows(monitor.get("/rounds/mun-2026/progress").get_data(as_text=True)) == []
    facilitator = client_for(subjects_app, TOWN_MENTOR, "en")
    assert grid_rows(facilitator.get("/rounds/mun-2026/progress").get_data(as_text=True)) == ["MUN-BAT", "MUN-CHO"]
    empty = text(facilitator.get("/rounds/srv-end/progress").get_data(as_text=True))
    assert "Nothing has been assigned to you yet." in empty


def test_closing_a_service_round_counts_what_is_unfinished_in_services(subjects_app):
    words = text(client_for(subjects_app, MANAGER, "en").get("/rounds/srv-end/close").get_data(as_text=True))
    assert "not yet submitted: 1 of 4 (Services)" in words and "not yet validated: 1 of 4 (Services)" in words
    assert "Staff and mentors can no longer change anything in it" in words and "rganisation" not in words


def test_results_and_preview_are_titled_by_the_subject_s_kind(subjects_app):
    client = client_for(subjects_app, MANAGER, "en")
    results = text(client.get("/organisations/SRV-1/results/srv-end").get_data(as_text=True))
    assert "Service profile" in results and "Organisation profile" not in results
    assert "Back: Day centre" in results
    preview = client.get("/organisations/MUN-BAT/report/mun-2026").get_data(as_text=True)
    assert "<h1>Municipal benchmark: Batumi Municipality</h1>" in preview
    assert 'aria-label="Municipal benchmark"' in preview
    assert "<title>Municipal benchmark: Batumi Municipality · " in preview
    georgian = client_for(subjects_app, MANAGER).get("/organisations/SRV-1/report/srv-end").get_data(as_text=True)
    assert "<h1>მომსახურების პროფილი: დღის ცენტრი</h1>" in georgian


def test_the_provider_s_staff_see_a_service_s_self_assessment_as_their_own_and_provisional(subjects_app):
    client = client_for(subjects_app, STAFF, "en")
    results = text(client.get("/organisations/SRV-3/results/srv-end").get_data(as_text=True))
    assert "Your own self-assessment, provisional." in results
    assert "These scores come from your own self-assessment alone" in results
    assert "your organisation" not in results
    preview = text(client.get("/organisations/SRV-3/report/srv-end").get_data(as_text=True))
    assert "Service profile · Self-assessment" in preview or "SERVICE PROFILE · SELF-ASSESSMENT" in preview
    assert "This profile shows your own self-assessment. It is provisional" in preview
    assert "Organisation: Telavi Women's Centre · ORG-1" in preview
    # Not the service of another organisation, nor a municipality.
    assert client.get("/organisations/SRV-4/results/srv-end").status_code == 404
    assert client.get("/organisations/MUN-BAT/report/mun-2026").status_code == 404


def test_an_organisation_round_s_pages_read_as_before(subjects_app):
    client = client_for(subjects_app, MANAGER, "en")
    grid = client.get("/rounds/oca/progress").get_data(as_text=True)
    assert grid_rows(grid) == ["ORG-1", "ORG-2"]
    words = text(grid)
    assert "2 organisations" in words and "All organisations shown" in words
    assert "Download the data of this round (every organisation you can see):" in words
    assert "by organisation" in words and "Services" not in words
    results = text(client.get("/organisations/ORG-1/results/oca").get_data(as_text=True))
    assert "Organisation profile" in results and "Back to the organisation's page" in results
