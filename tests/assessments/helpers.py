"""Shared set-up for the assessment workflow tests."""
from __future__ import annotations

import re

import pytest

from capacity.questionnaires.forms import field_name
from capacity.questionnaires.library import load_directory
from tests.conftest import login

QUESTIONNAIRE = load_directory().questionnaire("gesi-oca", "1.0")
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
