"""The mentoring log of a service (its organisation's mentors record sessions with it) and of a municipality (its
facilitators do); the rounds a session may support are those of the subject's kind."""
from __future__ import annotations

import re

import sqlalchemy as sa

from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from tests.assessments.helpers import text
from tests.subject_pages.conftest import client_for

SESSION = {"held_on": "2026-03-10", "hours": "1", "minutes": "30", "mode": "on_site", "participants_total": "6",
           "participants_female": "4", "participants_male": "2", "participants_with_disability": "1",
           "notes": "Went through the complaints box with the day-centre team.", "follow_ups": "Post the procedure"}


def _sessions(app, code: str) -> list[str]:
    """The round code of each session recorded with the subject."""
    from capacity.organisations.models import Organisation

    with app.app_context():
        return [s.round.code for s in db.session.scalars(sa.select(MentoringSession).join(Organisation)
                                                         .where(Organisation.code == code))]


def _options(page: str) -> list[str]:
    select = re.search(r'<select[^>]*name="round_code".*?</select>', page, re.S).group(0)
    return re.findall(r'<option[^>]*value="([^"]+)"', select)


def test_the_organisations_mentor_logs_a_session_with_its_service(app, world):
    mentor = client_for(app, "org_mentor")
    form = mentor.get("/organisations/SRV-01/mentoring/new").get_data(as_text=True)
    assert _options(form) == ["svc-base"]  # the service's rounds only
    saved = mentor.post("/organisations/SRV-01/mentoring/new", data={**SESSION, "round_code": "svc-base"},
                        follow_redirects=True)
    assert "The session has been recorded." in text(saved)
    assert "Went through the complaints box" in text(saved) and "Maka Mentor" in text(saved)
    assert _sessions(app, "SRV-01") == ["svc-base"]
    # Its organisation's staff read the service's log, and do not write it.
    staff = client_for(app, "org_staff")
    log = text(staff.get("/organisations/SRV-01/mentoring"))
    assert "Went through the complaints box" in log and "Record a session" not in log
    assert staff.get("/organisations/SRV-01/mentoring/new").status_code == 403
    # The organisation's own log is another one.
    assert "No mentoring session has been recorded yet." in text(mentor.get("/organisations/ORG-01/mentoring"))


def test_a_mentor_of_another_organisation_cannot_log_or_read_it(app, world):
    other = client_for(app, "other_mentor")
    assert other.get("/organisations/SRV-01/mentoring").status_code == 404
    assert other.post("/organisations/SRV-01/mentoring/new", data={**SESSION, "round_code": "svc-base"}
                      ).status_code == 404
    assert _sessions(app, "SRV-01") == []


def test_a_round_of_another_kind_is_refused_with_its_reason(app, world):
    mentor = client_for(app, "org_mentor")
    response = mentor.post("/organisations/SRV-01/mentoring/new", data={**SESSION, "round_code": "org-base"})
    assert response.status_code == 200
    page = text(response)
    assert ("The round “Round org-base” is not for this kind of subject (it assesses: Organisations). Choose one of "
            "the rounds in the list: the round whose plan this session supports.") in page
    assert "Nothing was saved." in page and _options(response.get_data(as_text=True)) == ["svc-base"]
    # An organisation's session may not name the service round either.
    response = mentor.post("/organisations/ORG-01/mentoring/new", data={**SESSION, "round_code": "svc-base"})
    assert "it assesses: Services" in text(response)
    assert _sessions(app, "SRV-01") == [] and _sessions(app, "ORG-01") == []
    # Asked for in the address, a round of another kind is not offered: the subject's own is.
    page = mentor.get("/organisations/SRV-01/mentoring/new?round=org-base").get_data(as_text=True)
    assert re.search(r'<option (selected )?value="svc-base"( selected)?>', page) and "org-base" not in _options(page)


def test_the_municipalitys_facilitator_logs_sessions_and_its_working_group_reads_them(app, world):
    facilitator = client_for(app, "facilitator")
    saved = facilitator.post("/organisations/MUN-BAT/mentoring/new", data={**SESSION, "round_code": "mun-base"},
                             follow_redirects=True)
    assert "The session has been recorded." in text(saved) and "Fatima Facilitator" in text(saved)
    group = client_for(app, "working_group")
    assert "Went through the complaints box" in text(group.get("/organisations/MUN-BAT/mentoring"))
    assert group.get("/organisations/MUN-BAT/mentoring/new").status_code == 403
    # A municipality the facilitator is not assigned to, and a mentor of organisations: nothing.
    assert facilitator.get("/organisations/MUN-DMA/mentoring/new").status_code == 404
    assert client_for(app, "org_mentor").get("/organisations/MUN-BAT/mentoring").status_code == 404
    georgian = text(client_for(app, "working_group", "ka").get("/organisations/MUN-BAT/mentoring"))
    assert "მენტორობის ჟურნალი" in georgian and "Fatima Facilitator" in georgian and "ბათუმი" in georgian
