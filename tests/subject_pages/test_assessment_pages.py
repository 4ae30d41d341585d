"""The assessment pages of a service and of a municipality: the next step is the round of the subject's kind, the
pages read right for a municipal working group, and a round of another kind is not found on any of them."""
from __future__ import annotations

import pytest

from capacity.assessments.models import Track
from capacity.extensions import db
from tests.assessments.helpers import text
from tests.subject_pages.conftest import answer_track, client_for


def test_each_subjects_next_step_is_in_the_round_of_its_kind(app, world):
    staff = client_for(app, "org_staff")
    # All three rounds are open and started the same day: each page names its own kind's round.
    own = text(staff.get("/organisations/ORG-01"))
    assert "Your next step Round org-base" in own and "Round mun-base" not in own
    service = staff.get("/organisations/SRV-01")
    assert "Your next step Round svc-base" in text(service)
    assert "/organisations/SRV-01/assessments/svc-base/self/" in service.get_data(as_text=True)
    group = client_for(app, "working_group")
    municipality = group.get("/organisations/MUN-BAT")
    assert "Your next step Round mun-base" in text(municipality)
    assert "/organisations/MUN-BAT/assessments/mun-base/self/" in municipality.get_data(as_text=True)
    # Mentors and the programme get no such step.
    assert "Your next step" not in text(client_for(app, "facilitator").get("/organisations/MUN-BAT"))


def test_the_overview_links_profile_data_only_where_the_questionnaire_asks_it(app, world):
    service = text(client_for(app, "org_staff").get("/organisations/SRV-01/assessments/svc-base/self/"))
    assert "Profile data (Current service users, Staff, People on the waiting list)" in service
    municipality = text(client_for(app, "working_group").get("/organisations/MUN-BAT/assessments/mun-base/self/"))
    assert "Answered: 0 /" in municipality and "Profile data" not in municipality


def test_a_municipal_working_group_reads_what_happens_next_without_an_organisation(app, world):
    with app.app_context():
        answer_track("MUN-BAT", "working_group", Track.SELF, "2")
        db.session.commit()
    group = client_for(app, "working_group")
    page = text(group.get("/organisations/MUN-BAT/assessments/mun-base/self/submitted"))
    assert "Then both sides meet: wherever the two levels differ" in page
    assert "shown on the results page and in the report “Municipal benchmark”." in page
    assert "Mentors: Fatima Facilitator" in page  # the mentor assigned to Batumi
    assert "organisation" not in page.split("Log out")[1].lower()  # the header names the account's role, not the page
    assert "Back to the page of “Batumi”" in page
    pending = text(group.get("/organisations/MUN-BAT/assessments/mun-base/consensus"))
    assert "The agreed assessment is shown here once you and your mentor have agreed it and it is validated." \
        in pending
    # The facilitator scores blind and is told so without naming an organisation.
    consensus = text(client_for(app, "facilitator").get("/organisations/MUN-BAT/assessments/mun-base/consensus"))
    assert "You score independently: the self-assessment is shown here once your own mentor assessment is " \
        "submitted." in consensus


def test_a_service_staff_member_is_told_of_the_organisations_mentors(app, world):
    with app.app_context():
        answer_track("SRV-01", "org_staff", Track.SELF, "2")
        db.session.commit()
    page = text(client_for(app, "org_staff").get("/organisations/SRV-01/assessments/svc-base/self/submitted"))
    assert "Mentors: Maka Mentor" in page and "“Service profile”" in page
    georgian = text(client_for(app, "org_staff", "ka").get("/organisations/SRV-01/assessments/svc-base/self/submitted"))
    assert "„მომსახურების პროფილი“" in georgian and "Maka Mentor" in georgian


PAGES = ["/self/", "/self/GOV", "/self/submit", "/self/submitted", "/self/history", "/mentor/", "/consensus"]


@pytest.mark.parametrize("subject, round_code, who", [
    ("SRV-01", "org-base", "org_staff"), ("ORG-01", "svc-base", "org_staff"), ("MUN-BAT", "svc-base", "working_group"),
    ("MUN-BAT", "org-base", "facilitator"), ("SRV-01", "mun-base", "manager"),
])
def test_assessment_and_profile_pages_of_a_round_of_another_kind_are_not_found(app, world, subject, round_code,
                                                                                who):
    client = client_for(app, who)
    for page in PAGES:
        assert client.get(f"/organisations/{subject}/assessments/{round_code}{page}").status_code == 404, page
    assert client.get(f"/organisations/{subject}/profile/{round_code}").status_code == 404
    assert client.post(f"/organisations/{subject}/assessments/{round_code}/self/submit").status_code == 404
    assert client.post(f"/organisations/{subject}/profile/{round_code}", data={"sheet_revision": "0"}
                       ).status_code == 404
    with app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM assessments")).scalar() == 0
