"""Shared set-up for the assessment workflow tests."""
from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.forms import field_name
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound, RoundKind
from tests.conftest import login

QUESTIONNAIRE = load_directory().questionnaire("gesi-oca", "1.0")
RUBRIC = load_directory().rubric("gesi-oca-default", "1.0")
RATED = [i for i in QUESTIONNAIRE.indicators if i.computed is None]
BASE = "/organisations/OWN-01/assessments/baseline"


def domain_codes(domain: str) -> list[str]:
    return [i.code for i in RATED if i.domain == domain]


def domain_form(domain: str, level: str = "3", revisions: dict | None = None, **overrides) -> dict:
    """What the no-script page posts: every field of every rated indicator, with the revision it showed (0: none yet)."""
    data = {}
    for code in domain_codes(domain):
        data[field_name("level", code)] = overrides.get(code, level)
        data[field_name("comment", code)] = ""
        data[field_name("evidence_url", code)] = ""
        data[field_name("revision", code)] = str((revisions or {}).get(code, 0))
    return data


def revisions_on(client, url: str) -> dict[str, int]:
    """The revision each indicator's hidden field carries on a domain page, as a browser would post it back."""
    page = client.get(url).get_data(as_text=True)
    return {code.replace("_", "."): int(value)
            for code, value in re.findall(r'name="revision__([A-Z]+_\d+)" value="(\d+)"', page)}


@pytest.fixture
def people(factory):
    own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
    mentor = factory.user("mentor", email="mentor@example.org")
    factory.assign(mentor, own)
    factory.round("baseline")
    return {
        "cso": factory.user("cso", org=own, email="staff@own.example.org"),
        "other_cso": factory.user("cso", org=other, email="staff@other.example.org"),
        "mentor": mentor,
        "manager": factory.user("manager", email="manager@example.org"),
    }


def client_for(app, email: str):
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def answer_everything(client, track: str = "self", level: str = "3", overrides: dict | None = None) -> None:
    for domain in QUESTIONNAIRE.domains:
        revisions = revisions_on(client, f"{BASE}/{track}/{domain.code}")
        data = domain_form(domain.code, level, revisions, **(overrides or {}))
        response = client.post(f"{BASE}/{track}/{domain.code}", data=data)
        assert response.status_code == 302, response.get_data(as_text=True)[:500]


def text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, white space collapsed."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def in_english(client):
    assert client.post("/language", data={"language": "en"}).status_code == 302
    return client


def save(client, code: str, level: str = "3", comment: str = "", evidence_url: str = "", track: str = "self"):
    response = client.post(f"{BASE}/{track}/answers/{code}",
                           data={"level": level, "comment": comment, "evidence_url": evidence_url, "revision": "0"})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def with_track(app, email: str, track: Track, level: int, *, submit: bool, round_code: str = "baseline") -> None:
    """Answer every rated indicator of a track at one level through the services (as a finished meeting would)."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        actor = db.session.scalar(sa.select(User).where(User.email == email))
        assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
        answers = answering.answers_by_code(answering.get_assessment(org, round_, track))
        for indicator in RATED:
            stored = answers.get(indicator.code)
            answering.save_answer(actor, assessment, QUESTIONNAIRE, indicator.code, answering.AnswerInput(
                str(level), comment=f"why {indicator.code}" if track == Track.CONSENSUS else "",
                revision=stored.revision if stored else 0))
        if submit:
            db.session.expire_all()  # the answers were written with SQL statements: read them again
            answering.submit(actor, answering.get_assessment(org, round_, track), QUESTIONNAIRE)
        db.session.commit()


def set_round(app, code: str = "baseline", **values) -> None:
    with app.app_context():
        db.session.execute(sa.update(AssessmentRound).where(AssessmentRound.code == code).values(**values))
        db.session.commit()


def add_earlier_round(app) -> None:
    """A closed round "earlier" of the same questionnaire, started a year before "baseline": its baseline."""
    with app.app_context():
        db.session.add(AssessmentRound(
            code="earlier", name_ka="საბაზისო 2025", name_en="Baseline 2025", kind=RoundKind.BASELINE,
            starts_on=date(2025, 3, 1), ends_on=date(2025, 4, 30), is_open=False,
            questionnaire_id="gesi-oca", questionnaire_version="1.0", rubric_id="gesi-oca-default", rubric_version="1.0"))
        db.session.commit()
