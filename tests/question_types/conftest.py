"""A round on the every-type instrument (tests/fixtures/questionnaires/every-type.yaml) and on a variant of it.

The variant ``every-type-na`` (written beside it, never shipped) is the same instrument with "not applicable"
allowed for its yes/no (GOV.2), multiple-choice (GOV.3), single-choice (GOV.4), number (SRV.1) and text
(SRV.4) questions, and Russian as a draft translation with only the first domain's title translated.

``world(variant=False)`` makes OWN-01 with a staff member and an assigned mentor, and round "types" on the
instrument; it returns the users' e-mails and BASE, the self-assessment's address.
"""
from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from capacity.assessments.models import Answer
from capacity.extensions import db
from capacity.questionnaires.forms import field_name
from tests.conftest import login
from tests.questionnaire_fixtures import FIXTURES, make_round, questionnaire_dir  # noqa: F401  (a fixture)

BASE = "/organisations/OWN-01/assessments/types"


def _variant(folder) -> None:
    """every-type-na: "not applicable" on every typed question, Russian as a partial draft translation."""
    text = (FIXTURES / "every-type.yaml").read_text(encoding="utf-8")
    text = text.replace("id: every-type\n", "id: every-type-na\n", 1)
    text = text.replace("languages: [ka, en, hy]\n", "languages: [ka, en, hy]\ndraft_languages: [ru]\n", 1)
    text = text.replace('    title: {ka: "მმართველობა", en: "Governance", hy: "Կառավարում"}',
                        '    title: {ka: "მმართველობა", en: "Governance", hy: "Կառավարում", ru: "Управление"}', 1)
    for code in ("GOV.2", "GOV.3", "GOV.4", "SRV.1", "SRV.4"):
        text = text.replace(f"      - code: {code}\n", f"      - code: {code}\n        allow_na: true\n", 1)
    (folder / "every-type-na.yaml").write_text(text, encoding="utf-8")
    rubric = (FIXTURES / "every-type.rubric.yaml").read_text(encoding="utf-8")
    rubric = rubric.replace("id: every-type-default\n", "id: every-type-na-default\n", 1)
    rubric = rubric.replace("questionnaire: {id: every-type,", "questionnaire: {id: every-type-na,", 1)
    (folder / "every-type-na.rubric.yaml").write_text(rubric, encoding="utf-8")


@pytest.fixture
def world(app, factory, questionnaire_dir):  # noqa: F811  (the fixture imported above)
    def build(variant: bool = False) -> dict:
        if variant:
            _variant(questionnaire_dir)
        factory.org("OWN-01")
        people = {"cso": factory.user("cso", org="OWN-01", email="staff@own.example.org"),
                  "colleague": factory.user("cso", org="OWN-01", email="colleague@own.example.org"),
                  "mentor": factory.user("mentor", email="mentor@example.org")}
        factory.assign(people["mentor"], "OWN-01")
        questionnaire = "every-type-na" if variant else "every-type"
        make_round(app, "types", questionnaire, "1.0", f"{questionnaire}-default", "1.0", date(2026, 1, 1))
        return people
    return build


def client_for(app, email: str, language: str | None = None):
    client = app.test_client()
    assert login(client, email).status_code == 302
    if language:
        assert client.post("/language", data={"language": language}).status_code == 302
    return client


def text(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, white space collapsed."""
    page = response.get_data(as_text=True)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def fieldset(response, code: str) -> str:
    """The HTML of one indicator's fieldset on a domain page."""
    page = response.get_data(as_text=True)
    found = re.search(rf'<fieldset class="indicator[^"]*" id="ind-{re.escape(code)}".*?</fieldset>', page, re.S)
    assert found, f"no fieldset for {code}"
    return found.group(0)


def sent(revision: int = 0, *, level: str | None = None, value=None, na: bool = False, comment: str = "",
         evidence_url: str = "") -> dict:
    """What the page script sends on an autosave: level (a scale question) or value (once per entry), na, …"""
    data: dict = {"comment": comment, "evidence_url": evidence_url, "revision": str(revision)}
    if level is not None:
        data["level"] = level
    if value is not None:
        data["value"] = value if isinstance(value, list) else [value]
    if na:
        data["na"] = "1"
    return data


def form_fields(code: str, revision: int = 0, *, level: str | None = None, value=None, na: bool = False,
                comment: str = "") -> dict:
    """What the no-script domain form posts for one indicator."""
    data = {field_name("comment", code): comment, field_name("evidence_url", code): "",
            field_name("revision", code): str(revision)}
    if level is not None:
        data[field_name("level", code)] = level
    if value is not None:
        data[field_name("value", code)] = value if isinstance(value, list) else [value]
    if na:
        data[field_name("na", code)] = "1"
    return data


def stored(app) -> dict[str, tuple]:
    """{code: (level, value, not applicable, revision)} of every stored answer."""
    with app.app_context():
        rows = db.session.execute(sa.select(Answer.indicator_code, Answer.level, Answer.value, Answer.not_applicable,
                                            Answer.revision)).all()
    return {code: (level, value, na, revision) for code, level, value, na, revision in rows}
