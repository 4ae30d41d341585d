"""Consensus on gaps, profile data with totals that add up, evidence files, and a login that ends mid-form."""
from __future__ import annotations

import io
import json
import re

import sqlalchemy as sa

from capacity.assessments.models import Assessment, EvidenceFile, Status, Track
from capacity.extensions import db
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.forms import field_name
from tests.assessments.helpers import BASE, RATED, answer_everything, client_for, domain_form, people  # noqa: F401

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def prepare_gap(app, people):
    """Self says 4 on GOV.01 and 3 elsewhere; the mentor says 2 on GOV.01 and 3 elsewhere."""
    answer_everything(client_for(app, people["cso"]), overrides={"GOV.01": "4"})
    client_for(app, people["cso"]).post(f"{BASE}/self/submit")
    mentor = client_for(app, people["mentor"])
    answer_everything(mentor, track="mentor", overrides={"GOV.01": "2"})
    mentor.post(f"{BASE}/mentor/submit")
    return mentor


def test_consensus_lists_gaps_first_and_needs_a_rationale_before_validation(app, people):
    mentor = prepare_gap(app, people)
    page = mentor.get(f"{BASE}/consensus").get_data(as_text=True)
    rows = re.findall(r'<tr id="ind-([A-Z]+\.\d+)"', page)
    assert rows[0] == "GOV.01" and len(rows) == len(RATED)
    assert 'class="gap--flagged"' in page
    agreed = {field_name("level", code): "3" for code in (i.code for i in RATED)}
    agreed |= {field_name("revision", code): "0" for code in (i.code for i in RATED)}  # as the page posts them
    assert mentor.post(f"{BASE}/consensus", data=agreed).status_code == 302
    refused = mentor.post(f"{BASE}/consensus/submit")
    assert refused.status_code == 302 and refused.location.endswith("/consensus")
    with app.app_context():
        status = db.session.scalar(sa.select(Assessment.status).where(Assessment.track == Track.CONSENSUS))
    assert status == Status.DRAFT
    with app.app_context():
        revision = db.session.execute(sa.text("SELECT revision FROM answers a JOIN assessments s ON s.id = a.assessment_id "
                                              "WHERE s.track = 'consensus' AND a.indicator_code = 'GOV.01'")).scalar()
    mentor.post(f"{BASE}/consensus", data={**agreed, field_name("comment", "GOV.01"): "პოლიტიკა დამტკიცებულია, პრაქტიკა ჯერ არა.",
                                           field_name("revision", "GOV.01"): str(revision)})
    assert mentor.post(f"{BASE}/consensus/submit").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Assessment.status).where(Assessment.track == Track.CONSENSUS)) == Status.VALIDATED
    assert mentor.post(f"{BASE}/consensus", data=agreed).status_code == 403  # locked
    cso_page = client_for(app, people["cso"]).get(f"{BASE}/consensus").get_data(as_text=True)
    assert "პოლიტიკა დამტკიცებულია" in cso_page


def test_profile_totals_must_add_up_and_counts_cannot_be_negative(app, people):
    cso = client_for(app, people["cso"])
    url = "/organisations/OWN-01/profile/baseline"
    bad = cso.post(url, data={"profile__staff__total": "10", "profile__staff__female": "7", "profile__staff__male": "2",
                              "profile__board__total": "-1", "sheet_revision": "0"})
    assert bad.status_code == 200
    page = bad.get_data(as_text=True)
    assert 'id="profile__board__total-error"' in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(ProfileValue.id))) == 0
    wrong_sum = cso.post(url, data={"profile__staff__total": "10", "profile__staff__female": "7", "profile__staff__male": "2",
                                    "sheet_revision": "0"})
    assert 'role="alert"' in wrong_sum.get_data(as_text=True)
    good = cso.post(url, data={"profile__staff__total": "10", "profile__staff__female": "7", "profile__staff__male": "3",
                               "profile__gesi_budget_share__total": "2.5", "sheet_revision": "0"})
    assert good.status_code == 302
    with app.app_context():
        values = dict(db.session.execute(sa.select(ProfileValue.category, ProfileValue.value)
                                         .where(ProfileValue.code == "staff")).all())
    assert values == {"total": 10, "female": 7, "male": 3}
    assert 'value="7"' in cso.get(url).get_data(as_text=True)
    assert client_for(app, people["manager"]).post(url, data={}).status_code == 403


def upload(client, name: str, data: bytes):
    return client.post(f"{BASE}/self/evidence/GOV.01", data={"file": (io.BytesIO(data), name)},
                       headers={"Accept": "application/json"}, content_type="multipart/form-data")


def test_evidence_upload_checks_type_content_and_size(app, people):
    cso = client_for(app, people["cso"])
    assert upload(cso, "policy.pdf", PDF).status_code == 200
    assert upload(cso, "virus.exe", b"MZ\x90\x00").status_code == 400
    mismatch = upload(cso, "fake.pdf", b"\x89PNG\r\n\x1a\nxx")
    assert mismatch.status_code == 400
    app.config["CAPACITY_EVIDENCE_MAX_BYTES"] = 100
    assert upload(cso, "big.pdf", PDF + b"0" * 200).status_code == 400
    with app.app_context():
        files = list(db.session.scalars(sa.select(EvidenceFile)))
    assert [f.filename for f in files] == ["policy.pdf"]
    assert "/static/" not in app.instance_path


def test_evidence_is_served_only_to_those_who_may_see_the_answer(app, people):
    cso = client_for(app, people["cso"])
    file_id = upload(cso, "policy.pdf", PDF).json["id"]
    mine = cso.get(f"/evidence/{file_id}")
    assert mine.status_code == 200 and mine.data == PDF
    assert "attachment" in mine.headers["Content-Disposition"]
    assert mine.headers["X-Content-Type-Options"] == "nosniff"
    mine.close()
    assert client_for(app, people["other_cso"]).get(f"/evidence/{file_id}").status_code == 404
    assert client_for(app, people["mentor"]).get(f"/evidence/{file_id}").status_code == 404  # self hidden until mentor submits
    assert client_for(app, people["other_cso"]).post(f"/evidence/{file_id}/delete").status_code == 404
    assert cso.post(f"/evidence/{file_id}/delete").status_code == 302
    assert cso.get(f"/evidence/{file_id}").status_code == 404


def test_a_login_that_ended_mid_form_loses_nothing(app, people):
    client = app.test_client()  # no session: as after the login expired
    data = domain_form("GOV", "2")
    expired = client.post(f"{BASE}/self/GOV", data=data)
    assert expired.status_code == 401
    page = expired.get_data(as_text=True)
    pending = re.search(r'name="pending" type="hidden" value="([^"]*)"', page).group(1)
    restored_data = json.loads(pending.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))
    assert restored_data["path"] == f"{BASE}/self/GOV"
    relogin = client.post("/login", data={"email": people["cso"], "password": "correct horse battery", "pending": json.dumps(restored_data)})
    assert relogin.status_code == 200
    restore_page = relogin.get_data(as_text=True)
    assert f'action="{BASE}/self/GOV"' in restore_page
    assert client.post(f"{BASE}/self/GOV", data=restored_data["form"]).status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(sa.text("answers"))) == len(data) // 4  # four fields per indicator


def test_pending_answers_cannot_point_to_another_site(app, people):
    client = app.test_client()
    response = client.post("/login", data={"email": people["cso"], "password": "correct horse battery",
                                           "pending": json.dumps({"path": "https://evil.example/x", "form": {}})})
    assert response.status_code == 302  # ignored: a normal login


def test_anonymous_autosave_gets_a_json_401(app, people):
    response = app.test_client().post(f"{BASE}/self/answers/GOV.01", data={"level": "2"}, headers={"Accept": "application/json"})
    assert response.status_code == 401 and response.json["error"] == "login"
