"""Plans of every kind of subject: a service's quality improvement plan, a municipality's action plan for
citizen participation (which the benchmark's results feed), an organisation's development plan as before; and the
plan grid of a round, which lists the round's kind only, with each subject's mentors."""
from __future__ import annotations

import re

import pytest

from capacity.extensions import db
from tests.assessments.helpers import text
from tests.subject_pages.conftest import client_for, person, validate


def _h1(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", re.search(r"<h1>(.*?)</h1>", response.get_data(as_text=True), re.S)
                           .group(1)).split())


def test_a_service_plan_is_its_quality_improvement_plan_in_both_languages(app, world):
    staff = client_for(app, "org_staff")
    page = staff.get("/organisations/SRV-01/plans/svc-base")
    assert page.status_code == 200
    assert _h1(page) == "Quality improvement plan Round svc-base"
    assert "Development plan" not in text(page)
    assert "The plan opens once the assessment is validated." in text(page)
    history = staff.get("/organisations/SRV-01/plans/svc-base/history")
    assert "Quality improvement plan" in _h1(history)

    georgian = client_for(app, "org_staff", "ka")
    page = georgian.get("/organisations/SRV-01/plans/svc-base")
    assert _h1(page) == "ხარისხის გაუმჯობესების გეგმა რაუნდი svc-base"
    assert "განვითარების გეგმა" not in text(page)


def test_the_organisation_plan_keeps_its_title(app, world):
    page = client_for(app, "org_staff").get("/organisations/ORG-01/plans/org-base")
    assert _h1(page) == "Development plan Round org-base"
    assert _h1(client_for(app, "org_staff", "ka").get("/organisations/ORG-01/plans/org-base")) == \
        "განვითარების გეგმა რაუნდი org-base"


def test_a_validated_service_plan_is_started_by_the_organisation_and_linked_from_the_agreed_assessment(app, world):
    validate(app, "SRV-01", "org_staff", "org_mentor")
    staff = client_for(app, "org_staff")
    assert "Start the plan" in text(staff.get("/organisations/SRV-01/plans/svc-base"))
    started = staff.post("/organisations/SRV-01/plans/svc-base/start", follow_redirects=True)
    assert "The plan has been started with its suggested priorities." in text(started)
    assert "Priorities" in text(started) and _h1(started).startswith("Quality improvement plan")
    # The agreed assessment, once validated, leads to the plan that follows it.
    consensus = client_for(app, "org_mentor").get("/organisations/SRV-01/assessments/svc-base/consensus")
    assert "it is the final result for the round." in text(consensus)
    assert 'href="/organisations/SRV-01/plans/svc-base">Quality improvement plan</a>' in consensus.get_data(as_text=True)
    # The mentor of another organisation learns nothing of it.
    assert client_for(app, "other_mentor").get("/organisations/SRV-01/plans/svc-base").status_code == 404


def test_the_municipal_benchmark_feeds_the_action_plan_for_citizen_participation(app, world):
    group = client_for(app, "working_group")
    page = group.get("/organisations/MUN-BAT/plans/mun-base")
    assert _h1(page) == "Action plan for citizen participation Round mun-base"
    validate(app, "MUN-BAT", "working_group", "facilitator")
    # The working group's page after submitting and the agreed assessment both lead to the action plan.
    submitted = group.get("/organisations/MUN-BAT/assessments/mun-base/self/submitted")
    assert "it is the final result for this round." in text(submitted)
    assert ('href="/organisations/MUN-BAT/plans/mun-base">Action plan for citizen participation</a>'
            in submitted.get_data(as_text=True))
    started = group.post("/organisations/MUN-BAT/plans/mun-base/start", follow_redirects=True)
    assert "The plan has been started" in text(started)
    facilitator = client_for(app, "facilitator")
    consensus = facilitator.get("/organisations/MUN-BAT/assessments/mun-base/consensus")
    assert "Action plan for citizen participation" in text(consensus)
    assert "Priorities" in text(facilitator.get("/organisations/MUN-BAT/plans/mun-base"))
    # Assigned to Batumi, not to Dmanisi; the mentor of an organisation sees no municipality.
    assert facilitator.get("/organisations/MUN-DMA/plans/mun-base").status_code == 404
    assert client_for(app, "org_mentor").get("/organisations/MUN-BAT/plans/mun-base").status_code == 404
    # The programme reads it, and may not write it.
    manager = client_for(app, "manager")
    assert "You can read this plan; the staff and the mentors who work on the assessment write it." in \
        text(manager.get("/organisations/MUN-BAT/plans/mun-base"))
    # In Georgian (the account's language is remembered: asked for last).
    assert _h1(client_for(app, "working_group", "ka").get("/organisations/MUN-BAT/plans/mun-base")) == \
        "მოქალაქეთა მონაწილეობის სამოქმედო გეგმა რაუნდი mun-base"


def _grid_rows(page: str) -> list[str]:
    return re.findall(r'<td class="code" data-label="Code">([^<]+)</td>', page)


def test_the_plan_grid_lists_the_rounds_kind_with_each_subjects_mentors(app, world):
    manager = client_for(app, "manager")
    services = manager.get("/rounds/svc-base/plans").get_data(as_text=True)
    assert _grid_rows(services) == ["SRV-01"]
    assert '<th scope="col">Service</th>' in services and "Services: 1" in services
    assert "Quality improvement plan" in services and "Maka Mentor" in services  # its organisation's mentor

    municipalities = manager.get("/rounds/mun-base/plans").get_data(as_text=True)
    assert sorted(_grid_rows(municipalities)) == ["MUN-BAT", "MUN-DMA"]
    assert '<th scope="col">Municipality</th>' in municipalities
    assert "Fatima Facilitator" in municipalities and "Giorgi Group" not in municipalities  # staff are no mentors
    assert "none assigned" in municipalities  # Dmanisi
    with app.app_context():
        facilitator_id = person("facilitator").id
    chosen = manager.get(f"/rounds/mun-base/plans?mentor={facilitator_id}").get_data(as_text=True)
    assert _grid_rows(chosen) == ["MUN-BAT"]
    assert re.search(f'<option (selected )?value="{facilitator_id}"', chosen) and "Maka Mentor" not in chosen

    organisations = manager.get("/rounds/org-base/plans").get_data(as_text=True)
    assert sorted(_grid_rows(organisations)) == ["ORG-01", "ORG-02"]
    assert '<th scope="col">Organisation</th>' in organisations and "Development plan" in organisations

    georgian = client_for(app, "manager", "ka").get("/rounds/mun-base/plans").get_data(as_text=True)
    assert "მოქალაქეთა მონაწილეობის სამოქმედო გეგმა" in georgian and "მუნიციპალიტეტები: 2" in georgian


@pytest.mark.parametrize("address", [
    "/organisations/SRV-01/plans/org-base", "/organisations/SRV-01/plans/org-base/history",
    "/organisations/ORG-01/plans/svc-base", "/organisations/MUN-BAT/plans/svc-base",
    "/organisations/MUN-BAT/plans/org-base/history",
])
def test_a_plan_of_a_round_of_another_kind_is_not_found(app, world, address):
    for who in ("manager", "org_staff", "working_group"):
        assert client_for(app, who).get(address).status_code == 404
    assert client_for(app, "org_staff").post(address.removesuffix("/history") + "/start").status_code == 404
    with app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM development_plans")).scalar() == 0
