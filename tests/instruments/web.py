"""Driving one round of a shipped instrument through the web, as its users do: a manager creates and opens it,
staff answer and submit the self-assessment, the mentor (monitor, facilitator) the independent one, then agrees
and validates the consensus; and reading the printed reports.

Subjects and municipality assignments are made here as rows (the shared factories make organisations, users,
mentor assignments).
"""
from __future__ import annotations

import html
import re
import tempfile
from pathlib import Path

import sqlalchemy as sa

from capacity.assessments.models import Assessment, Status, Track
from capacity.extensions import db
from capacity.organisations.models import MunicipalityAssignment, Organisation
from capacity.questionnaires.forms import field_name
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from tests.conftest import login
from tests.reporting.pdftext import covered, text_of


def add_subject(app, code: str, kind: str, municipality: str, name_ka: str, name_en: str,
                parent: str | None = None) -> None:
    with app.app_context():
        parent_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == parent)) if parent else None
        db.session.add(Organisation(code=code, kind=kind, parent_id=parent_id, municipality=municipality,
                                    name_ka=name_ka, name_en=name_en))
        db.session.commit()


def assign_municipality(app, email: str, municipality: str) -> None:
    from capacity.auth.models import User

    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.email == email))
        db.session.add(MunicipalityAssignment(user_id=user_id, municipality=municipality))
        db.session.commit()


def client_for(app, email: str, language: str | None = None):
    client = app.test_client()
    assert login(client, email).status_code == 302
    if language:
        assert client.post("/language", data={"language": language, "next": "/"}).status_code == 302
    return client


def text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, white space collapsed."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def create_round(manager, code: str, questionnaire: str, rubric: str) -> None:
    """The manager fills the new-round form and then opens the round."""
    response = manager.post("/rounds/new", data={
        "code": code, "name_ka": f"რაუნდი {code}", "name_en": f"Round {code}", "kind": "baseline",
        "starts_on": "2026-09-01", "ends_on": "2026-12-18", "questionnaire": questionnaire, "rubric": rubric})
    assert response.status_code == 302, text(response)[:1500]
    assert manager.post(f"/rounds/{code}/open").status_code == 302


def round_kind(app, code: str) -> tuple[str, bool]:
    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))
        return round_.subject_kind, round_.is_open


def _fields(indicator, answer) -> dict:
    """What the no-script domain form (and the consensus form) posts for one answer: a level, "na" or a value."""
    data = {field_name("comment", indicator.code): answer[1] if isinstance(answer, tuple) else "",
            field_name("evidence_url", indicator.code): "", field_name("revision", indicator.code): "0"}
    given = answer[0] if isinstance(answer, tuple) else answer
    if indicator.type == "scale":
        data[field_name("level", indicator.code)] = str(given)
    elif given == "na":
        data[field_name("na", indicator.code)] = "1"
    else:
        data[field_name("value", indicator.code)] = str(given)
    return data


def answer_track(client, subject: str, round_code: str, track: str, questionnaire_id: str, answers: dict) -> None:
    """Answer every domain on its page (``answers``: indicator code → level, "na" or value, optionally with a
    comment as (answer, comment)), then submit the track."""
    questionnaire = load_directory().latest(questionnaire_id)
    base = f"/organisations/{subject}/assessments/{round_code}/{track}"
    for domain in questionnaire.domains:
        data = {}
        for indicator in domain.indicators:
            if indicator.code in answers:
                data |= _fields(indicator, answers[indicator.code])
        response = client.post(f"{base}/{domain.code}", data=data)
        assert response.status_code == 302, (domain.code, text(response)[:2000])
    review = client.get(f"{base}/submit")
    assert review.status_code == 200, text(review)[:1000]
    submitted = client.post(f"{base}/submit")
    assert submitted.status_code == 302 and submitted.location.endswith(f"{base}/submitted"), text(client.get(base + "/"))[:2000]


def agree(client, subject: str, round_code: str, questionnaire_id: str, agreed: dict) -> None:
    """The mentor records the agreed answers (with a rationale where the two differ) and validates them."""
    questionnaire = load_directory().latest(questionnaire_id)
    base = f"/organisations/{subject}/assessments/{round_code}/consensus"
    assert client.get(base).status_code == 200
    data = {}
    for code, answer in agreed.items():
        data |= _fields(questionnaire.indicator(code), answer)
    saved = client.post(base, data=data)
    assert saved.status_code == 302, text(saved)[:3000]
    validated = client.post(f"{base}/submit")
    assert validated.status_code == 302
    page = client.get(base)
    assert "cannot be submitted" not in text(page) and "record why" not in text(page), text(page)[:2000]


def statuses(app, subject: str, round_code: str) -> dict[str, str]:
    with app.app_context():
        rows = db.session.execute(sa.select(Assessment.track, Assessment.status).join(Organisation).join(AssessmentRound)
                                  .where(Organisation.code == subject, AssessmentRound.code == round_code)).all()
    return {Track(track).value: Status(status).value for track, status in rows}


def pdf_text(response) -> str:
    """The text of a PDF response, after checking it prints nothing the shipped fonts cannot draw."""
    assert response.status_code == 200 and response.mimetype == "application/pdf", response.status_code
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(response.data)
        found = text_of(path)
    missing = sorted({f"{c} U+{ord(c):04X}" for c in found if not c.isspace() and ord(c) not in covered()})
    assert missing == [], missing
    return " ".join(found.split())


def assert_reports_titled_by_kind(staff, manager, subject: str, round_code: str, kind_code: str,
                                  names: tuple[str, str]) -> str:
    """The subject's profile (the staff's preview in Georgian, the manager's in English, PDFs in both) and the
    round's portfolio carry the subject's name and its kind's titles; returns the English portfolio's text."""
    kind = load_directory().kind(kind_code)
    preview_ka = text(staff.get(f"/organisations/{subject}/report/{round_code}?lang=ka"))
    assert names[0] in preview_ka and kind.profile.ka in preview_ka
    preview_en = text(manager.get(f"/organisations/{subject}/report/{round_code}?lang=en"))
    assert names[1] in preview_en and kind.profile.en in preview_en
    assert "Organisation profile" not in preview_en
    profile_ka = pdf_text(manager.get(f"/organisations/{subject}/report/{round_code}.pdf?lang=ka"))
    assert names[0] in profile_ka and kind.profile.ka in profile_ka
    profile_en = pdf_text(manager.get(f"/organisations/{subject}/report/{round_code}.pdf?lang=en"))
    assert names[1] in profile_en and kind.profile.en.lower() in profile_en.lower()
    portfolio_ka = pdf_text(manager.get(f"/rounds/{round_code}/portfolio.pdf?lang=ka"))
    assert (names[0] in portfolio_ka or subject in portfolio_ka) and kind.portfolio.ka in portfolio_ka
    portfolio_en = pdf_text(manager.get(f"/rounds/{round_code}/portfolio.pdf?lang=en"))
    assert (names[1] in portfolio_en or subject in portfolio_en) and kind.portfolio.en.lower() in portfolio_en.lower()
    return portfolio_en
