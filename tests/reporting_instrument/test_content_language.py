"""Asking for a profile's content in another of the questionnaire's languages (``?content=``), and junk in its place.

The interface stays Georgian or English; the content may be any language the round's questionnaire declares.
A value it does not declare, or junk, is ignored (the report says which languages it is printed in): never a
500, never another report than the one asked for. A draft translation is said to be one.
"""
from __future__ import annotations

import dataclasses
import re

import pytest
import sqlalchemy as sa

from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.reporting import cache, instrument
from capacity.reporting.html import render_html
from capacity.reporting.profile_model import build_profile
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for
from tests.reporting_instrument.conftest import MANAGER, ORG, PASSWORD

JUNK = ["xx", "HY", "hy " * 40, "../../etc/passwd", "hy\x00", "<script>alert(1)</script>", "%", "ru", "ka,hy", "hy;en",
        "\u0570\u0575", "en" * 5, "" ]


@pytest.fixture(scope="module")
def client(instrument_app):
    client = instrument_app.test_client()
    assert client.post("/login", data={"email": MANAGER, "password": PASSWORD}).status_code == 302
    return client


def _words(response) -> str:
    return " ".join(re.sub(r"<[^>]*>", " ", response.get_data(as_text=True)).split())


def test_the_preview_shows_the_content_in_a_declared_language_with_the_languages_line(client):
    page = client.get(f"/organisations/{ORG}/report/et-end?lang=en&content=hy")
    assert page.status_code == 200
    text = _words(page)
    assert "Interface language: English. Content language: Armenian ( Հայերեն )." in text
    assert "Կառավարում" in text and "Rounds compared: Round et-base and Round et-end" in text
    html = page.get_data(as_text=True)
    assert '<span lang="hy">Կառավարում</span>' in html  # screen readers switch to Armenian for the content
    assert "content=hy" in re.search(r'href="([^"]*report/et-end\.pdf[^"]*)"', html).group(1)  # the PDF link keeps it


@pytest.mark.parametrize("junk", JUNK)
def test_junk_or_an_undeclared_content_language_is_ignored_never_a_500(client, junk):
    page = client.get(f"/organisations/{ORG}/report/et-end", query_string={"lang": "en", "content": junk})
    if "\x00" in junk:
        assert page.status_code == 400  # the app refuses NUL in any request, before the report
        return
    assert page.status_code == 200, junk
    text = _words(page)
    assert "Content language" not in text and "Կառավարում" not in text  # the English content, as without it
    assert "GOV Governance" in text


def test_the_pdf_takes_the_content_language_and_ignores_junk(client):
    armenian = client.get(f"/organisations/{ORG}/report/et-end.pdf?lang=en&content=hy")
    assert armenian.status_code == 200 and armenian.data.startswith(b"%PDF")
    assert 'filename="capacity-ORG-A-et-end-hy-en.pdf"' in armenian.headers["Content-Disposition"]
    for junk in ("../../x", "x" * 5000, "ru", "hy%"):
        response = client.get(f"/organisations/{ORG}/report/et-end.pdf", query_string={"lang": "en", "content": junk})
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), junk
        assert 'filename="capacity-ORG-A-et-end-en.pdf"' in response.headers["Content-Disposition"]
    # The GESI instrument declares Russian as a draft, not Armenian: asked for Armenian, it prints as without.
    assert client.get(f"/organisations/{ORG}/report/oca?lang=en&content=hy&baseline=none").status_code == 200


def test_the_portfolio_takes_junk_content_too(client):
    response = client.get("/rounds/et-end/portfolio.pdf", query_string={"lang": "en", "content": "<b>"})
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


def test_the_report_form_passes_the_content_language_on(client):
    response = client.get(f"/organisations/{ORG}/report?round=et-end&lang=en&content=hy&format=pdf")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/organisations/{ORG}/report/et-end.pdf?lang=en&content=hy")


def test_nobody_logged_in_gets_no_profile_whatever_the_content(instrument_app):
    response = instrument_app.test_client().get(f"/organisations/{ORG}/report/et-end.pdf?content=hy")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_draft_content_language_is_marked_as_a_draft(instrument_app):
    with instrument_app.app_context():
        questionnaire = load_directory().questionnaire("every-type", "1.0")
        drafted = dataclasses.replace(questionnaire, languages=("ka", "en"), draft_languages=("hy",))
        line = instrument.language_line(drafted, "en", "hy")
        assert line == {"interface": "English", "content": "Armenian", "own": "Հայերեն", "code": "hy", "draft": True}
        assert instrument.language_line(questionnaire, "en", "en") is None
        assert instrument.content_language(drafted, "en", "hy") == "hy"
        assert instrument.content_language(drafted, "ka", "xx") == "ka"
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == ORG))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "et-end"))
        data = build_profile(org, round_, baseline_for(round_, None), "en", content="hy")
        data["languages"] = line
        html = " ".join(re.sub(r"<[^>]*>", " ", render_html("profile.html", {"r": data}, "en")).split())
    assert "Interface language: English. Content language: Armenian ( Հայերեն ), draft translation." in html


def test_the_cached_profile_is_kept_per_content_language(instrument_app):
    with instrument_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == ORG))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "et-end"))
        baseline = baseline_for(round_, None)
        plain = cache.profile_fingerprint(org, round_, baseline, "en")
        assert cache.profile_fingerprint(org, round_, baseline, "en", content="hy") != plain
        assert cache.profile_fingerprint(org, round_, baseline, "en") == plain
