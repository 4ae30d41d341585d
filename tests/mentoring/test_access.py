"""Only an assigned mentor records, corrects or removes; staff and the programme read; the others learn nothing."""
from __future__ import annotations

from tests.mentoring.conftest import LOG, VALID


def test_those_who_may_not_log_are_refused_and_nothing_changes(mw):
    session_id = mw.record()
    urls = [("get", f"{LOG}/new", {}), ("post", f"{LOG}/new", VALID), ("get", f"{LOG}/{session_id}", {}),
            ("post", f"{LOG}/{session_id}", {**VALID, "revision": "1", "notes": "Changed"}),
            ("post", f"{LOG}/{session_id}/delete", {})]
    expected = {"staff": 403, "manager": 403, "admin": 403, "other_mentor": 404, "other_staff": 404}
    for role, status in expected.items():
        client = mw.client(role)
        for method, url, data in urls:
            response = getattr(client, method)(url, data=data)
            assert response.status_code == status, (role, method, url, response.status_code)
            assert "Worked on the safeguarding policy." not in response.get_data(as_text=True), (role, url)
    [session] = mw.sessions()
    assert (session.notes, session.revision) == ("Worked on the safeguarding policy.", 1)


def test_other_staff_get_404_on_every_mentoring_url_of_own_01(mw):
    session_id = mw.record()
    client = mw.client("other_staff")
    for method, url in [("get", LOG), ("get", f"{LOG}/new"), ("post", f"{LOG}/new"), ("get", f"{LOG}/{session_id}"),
                        ("post", f"{LOG}/{session_id}"), ("post", f"{LOG}/{session_id}/delete"),
                        ("get", f"{LOG}/999999")]:
        assert getattr(client, method)(url, data=VALID).status_code == 404, (method, url)


def test_a_session_of_one_organisation_under_anothers_code_is_404(mw, factory):
    session_id = mw.record()
    # A mentor assigned to both organisations still gets 404 for OWN-01's session under OTH-01's code.
    factory.assign(mw.users["mentor"], "OTH-01")
    client = mw.client("mentor")
    other = "/organisations/OTH-01/mentoring"
    assert client.get(f"{other}/{session_id}").status_code == 404
    assert client.post(f"{other}/{session_id}", data={**VALID, "revision": "1", "notes": "x"}).status_code == 404
    assert client.post(f"{other}/{session_id}/delete").status_code == 404
    assert len(mw.sessions()) == 1 and mw.sessions()[0].notes == "Worked on the safeguarding policy."


def test_an_unassigned_mentor_cannot_record_for_an_organisation(mw):
    response = mw.client("other_mentor").post(f"{LOG}/new", data=VALID)
    assert response.status_code == 404 and mw.sessions() == []
