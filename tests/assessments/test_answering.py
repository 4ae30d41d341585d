"""Answering, saving as you go, stale saves, submission and reopening — as users see it."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.questionnaires.forms import field_name
from tests.assessments.helpers import BASE, QUESTIONNAIRE, RATED, answer_everything, client_for, domain_codes, domain_form, people  # noqa: F401


def sent(level: str, revision: int | str = 0, comment: str = "", evidence_url: str = "") -> dict:
    """The fields the page script sends on every autosave (revision 0: the page showed no answer yet)."""
    return {"level": level, "comment": comment, "evidence_url": evidence_url, "revision": str(revision)}


def test_the_domain_page_shows_each_level_descriptor_as_a_choice(app, people):
    page = client_for(app, people["cso"]).get(f"{BASE}/self/GOV").get_data(as_text=True)
    first = QUESTIONNAIRE.indicator("GOV.01")
    assert first.text.ka in page
    for level in (1, 2, 3, 4):
        assert first.levels[level].ka in page
    assert "დონე 2 — განვითარებადი" in page
    assert 'value="na"' in page  # GOV.02 allows "not applicable"
    assert "არ ეხება" in page


def test_saving_a_domain_without_scripts_keeps_the_answers(app, people):
    client = client_for(app, people["cso"])
    response = client.post(f"{BASE}/self/GOV", data=domain_form("GOV", "2", **{"GOV.02": "na"}))
    assert response.status_code == 302
    page = client.get(f"{BASE}/self/GOV").get_data(as_text=True)
    assert f'name="{field_name("level", "GOV.01")}" value="2" checked' in page
    assert f'name="{field_name("level", "GOV.02")}" value="na" checked' in page
    overview = client.get(f"{BASE}/self/").get_data(as_text=True)
    assert f"შევსებულია: {len(domain_codes('GOV'))} / {len(RATED)}" in overview


def test_autosave_saves_one_answer_and_refuses_a_stale_one_with_both_values(app, people):
    cso = client_for(app, people["cso"])
    first = cso.post(f"{BASE}/self/answers/GOV.01", data=sent("2", 0, "ჩვენი ვერსია"),
                     headers={"Accept": "application/json"})
    assert first.status_code == 200 and first.json["revision"] == 1
    colleague = client_for(app, people["cso"])
    second = colleague.post(f"{BASE}/self/answers/GOV.01", data=sent("3", 1))
    assert second.status_code == 200 and second.json["revision"] == 2
    stale = cso.post(f"{BASE}/self/answers/GOV.01", data=sent("4", 1))
    assert stale.status_code == 409
    assert stale.json["theirs"]["level"] == 3 and stale.json["theirs"]["revision"] == 2
    with app.app_context():
        assert db.session.scalar(sa.select(Answer.level)) == 3  # nothing overwritten silently
    kept = cso.post(f"{BASE}/self/answers/GOV.01", data=sent("4", 2))
    assert kept.status_code == 200 and kept.json["revision"] == 3


def test_answers_outside_the_scale_or_na_where_not_allowed_are_refused(app, people):
    cso = client_for(app, people["cso"])
    assert cso.post(f"{BASE}/self/answers/GOV.01", data=sent("7")).json["field"] == "level"
    refused = cso.post(f"{BASE}/self/answers/GOV.01", data=sent("na"))
    assert refused.status_code == 400 and "არ ეხება" in refused.json["message"]
    assert cso.post(f"{BASE}/self/answers/NOPE.1", data=sent("2")).status_code == 400
    bad_url = cso.post(f"{BASE}/self/answers/GOV.01", data=sent("2", evidence_url="javascript:alert(1)"))
    assert bad_url.status_code == 400 and bad_url.json["field"] == "evidence_url"
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Answer.id))) == 0


def test_html_typed_into_a_comment_comes_back_escaped(app, people):
    cso = client_for(app, people["cso"])
    cso.post(f"{BASE}/self/answers/GOV.01", data=sent("2", comment="<script>alert('x')</script>"))
    page = cso.get(f"{BASE}/self/GOV").get_data(as_text=True)
    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page


def test_submit_lists_what_is_missing_then_locks_the_assessment(app, people):
    cso = client_for(app, people["cso"])
    cso.post(f"{BASE}/self/GOV", data=domain_form("GOV"))
    response = cso.post(f"{BASE}/self/submit")
    assert response.status_code == 302
    page = cso.get(response.location).get_data(as_text=True)
    missing = [i for i in RATED if i.domain != "GOV"]
    assert f"{len(missing)}" in page
    assert f'href="{BASE}/self/STR#ind-STR.01"' in page
    answer_everything(cso)
    assert cso.post(f"{BASE}/self/submit").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Assessment.status)) == Status.SUBMITTED
    assert cso.post(f"{BASE}/self/answers/GOV.01", data=sent("1", 1)).status_code == 403
    assert cso.post(f"{BASE}/self/GOV", data=domain_form("GOV", "1", {c: 1 for c in domain_codes("GOV")})).status_code == 403
    assert "disabled" in cso.get(f"{BASE}/self/GOV").get_data(as_text=True)


def test_manager_reopens_and_the_history_shows_who_changed_what(app, people):
    cso = client_for(app, people["cso"])
    answer_everything(cso)
    assert cso.post(f"{BASE}/self/answers/GOV.01", data=sent("1", 1)).status_code == 200
    cso.post(f"{BASE}/self/submit")
    manager = client_for(app, people["manager"])
    assert manager.post(f"{BASE}/self/reopen").status_code == 302
    with app.app_context():
        assert db.session.scalar(sa.select(Assessment.status)) == Status.DRAFT
        assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "assessment.reopen")) is not None
    history = manager.get(f"{BASE}/self/history").get_data(as_text=True)
    assert "ხელახლა გახსნილია" in history or "Reopened" in history
    assert "3 — ჩამოყალიბებული → 1 — საწყისი" in history
    assert cso.post(f"{BASE}/self/answers/GOV.01", data=sent("2", 2)).status_code == 200


def test_cso_cannot_reopen_and_nobody_edits_in_a_closed_round(app, people):
    cso = client_for(app, people["cso"])
    assert cso.post(f"{BASE}/self/reopen").status_code == 403
    with app.app_context():
        db.session.execute(sa.text("UPDATE assessment_rounds SET is_open = false"))
        db.session.commit()
    assert cso.post(f"{BASE}/self/answers/GOV.01", data=sent("2")).status_code == 403


def test_mentor_sees_the_self_assessment_only_after_submitting_their_own(app, people):
    answer_everything(client_for(app, people["cso"]))
    mentor = client_for(app, people["mentor"])
    assert mentor.get(f"{BASE}/self/GOV").status_code == 404
    answer_everything(mentor, track="mentor")
    assert mentor.post(f"{BASE}/mentor/submit").status_code == 302
    assert mentor.get(f"{BASE}/self/GOV").status_code == 200
    # The organisation never sees the mentor's independent scores.
    assert client_for(app, people["cso"]).get(f"{BASE}/mentor/GOV").status_code == 404


def test_csrf_token_is_required_for_autosave(app, people):
    app.config["WTF_CSRF_ENABLED"] = True
    cso = client_for_csrf(app, people["cso"])
    refused = cso.post(f"{BASE}/self/answers/GOV.01", data=sent("2"), headers={"Accept": "application/json"})
    assert refused.status_code == 400 and refused.json["error"] == "csrf"


def client_for_csrf(app, email):
    import re

    client = app.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    client.post("/login", data={"email": email, "password": "correct horse battery", "csrf_token": token})
    return client


def test_the_overview_resumes_at_the_first_unanswered_indicator(app, people):
    cso = client_for(app, people["cso"])
    assert f'href="{BASE}/self/GOV#ind-GOV.01"' in cso.get(f"{BASE}/self/").get_data(as_text=True)
    cso.post(f"{BASE}/self/GOV", data=domain_form("GOV"))
    assert f'href="{BASE}/self/STR#ind-STR.01"' in cso.get(f"{BASE}/self/").get_data(as_text=True)


def test_the_largest_questionnaire_page_with_its_assets_stays_under_150_kb(app, people):
    """Regional offices have slow connections: the heaviest domain page, its CSS and script, uncompressed."""
    cso = client_for(app, people["cso"])
    largest = max(QUESTIONNAIRE.domains, key=lambda d: len(d.indicators)).code
    total = 0
    for url in (f"{BASE}/self/{largest}", "/static/app.css", "/static/autosave.js"):
        response = cso.get(url)
        assert response.status_code == 200
        total += len(response.data)
        response.close()
    page = cso.get(f"{BASE}/self/{largest}").get_data(as_text=True)
    assert "http://" not in page.replace('placeholder="https://"', "") and "//cdn" not in page  # nothing from elsewhere
    assert total < 150 * 1024, f"{total / 1024:.0f} KB"
