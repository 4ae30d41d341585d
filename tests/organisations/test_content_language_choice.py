"""The organisation page offers the profile in another of the questionnaire's content languages (GESI's draft Russian)."""
from __future__ import annotations

import re

from tests.conftest import login


def test_the_report_form_offers_a_declared_content_language_and_the_profile_prints_it(app, client, factory):
    factory.org("OWN-01")
    factory.round("baseline")
    login(client, factory.user("manager"))
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get("/organisations/OWN-01").get_data(as_text=True)
    picker = re.search(r'<select id="report-content" name="content">(.*?)</select>', page, re.S)
    assert picker, "no choice of the questionnaire's language"
    assert '<option value="ru" lang="ru">Русский</option>' in picker.group(1)
    assert '<span lang="ru">Русский</span>: draft translation.' in page  # the draft is said, not hidden

    sent = client.get("/organisations/OWN-01/report?round=baseline&baseline=none&lang=en&content=ru&format=html")
    assert sent.status_code == 302 and "content=ru" in sent.headers["Location"]
    preview = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "Content language: Russian" in preview and "draft translation" in preview
    assert "GESI и политика защиты (safeguarding)" in preview  # the GESI domain, in its Russian title


def test_no_choice_without_another_content_language(app, client, factory):
    factory.org("OWN-01")
    login(client, factory.user("manager"))
    page = client.get("/organisations/OWN-01").get_data(as_text=True)  # no round at all: nothing to offer
    assert 'id="report-content"' not in page
