"""What a user sees when part of a save cannot be accepted, and what junk requests get: never an error page.

The no-script domain form saves every answer it can and says exactly which were not saved and why,
beside the field; the autosave endpoint refuses malformed input with a 4xx and a message, and nothing
already saved is lost either way.
"""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from capacity.assessments.answering import MAX_COMMENT
from capacity.assessments.models import Answer
from capacity.extensions import db
from capacity.questionnaires.forms import field_name
from tests.assessments.helpers import BASE, client_for, domain_codes, domain_form, people  # noqa: F401

GOV = domain_codes("GOV")
TOO_LONG = "ა" * (MAX_COMMENT + 1)


def stored(app) -> dict[str, tuple[int | None, str, int]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Answer.indicator_code, Answer.level, Answer.comment, Answer.revision)).all()
    return {code: (level, comment, revision) for code, level, comment, revision in rows}


def test_one_comment_too_long_on_the_form_saves_the_other_answers_and_says_which_was_not_saved(app, people):
    cso = client_for(app, people["cso"])
    cso.post("/language", data={"language": "en", "next": "/"})  # the message is checked in English
    data = domain_form("GOV", "2")
    data[field_name("comment", "GOV.03")] = TOO_LONG
    data[field_name("comment", "GOV.01")] = "kept as typed"
    response = cso.post(f"{BASE}/self/GOV", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    saved = len(GOV) - 1
    summary = re.search(r'<div class="flash flash--error" role="alert" id="save-summary">(.*?)</div>', page, re.S).group(1)
    summary = " ".join(re.sub(r"<[^>]+>", " ", summary).split())
    assert f"{saved} answers were saved." in summary
    assert "1 was not saved: GOV.03 — The comment is too long: at most 5000 characters." in summary
    # The message sits beside the comment field, which points to it; the typed text is still there.
    error_id = "ind-GOV.03-error"
    field = re.search(rf'<textarea id="{field_name("comment", "GOV.03")}"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field and f'aria-describedby="{error_id}"' in field
    assert re.search(rf'{TOO_LONG}</textarea>\s*<p class="error" id="{error_id}">', page)
    assert ">kept as typed</textarea>" in page
    now = stored(app)
    assert "GOV.03" not in now
    assert {code: level for code, (level, _c, _r) in now.items()} == {c: 2 for c in GOV if c != "GOV.03"}
    assert now["GOV.01"][1] == "kept as typed"


def test_a_stale_row_on_the_form_is_named_and_the_rest_is_saved(app, people):
    cso, colleague = client_for(app, people["cso"]), client_for(app, people["cso"])
    colleague.post(f"{BASE}/self/answers/GOV.01", data={"level": "4", "comment": "theirs", "evidence_url": "", "revision": "0"})
    response = cso.post(f"{BASE}/self/GOV", data=domain_form("GOV", "2"))  # the page was opened before that save
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    # Their comment is shown, marked as English on this Georgian page (WCAG 3.1.2).
    assert '„<span lang="en">theirs</span>“' in page and 'href="#ind-GOV.01"' in page
    now = stored(app)
    assert now["GOV.01"] == (4, "theirs", 1)  # nothing overwritten
    assert all(now[c][0] == 2 for c in GOV if c != "GOV.01")


AUTOSAVE_JUNK = {
    "revision letters": {"revision": "abc"},
    "revision superscript two": {"revision": "²"},
    "revision of 5000 digits": {"revision": "9" * 5000},
    "revision negative": {"revision": "-1"},
    "revision missing": {"revision": None},
    "revision twice": {"revision": ["1", "1"]},
    "level Arabic-Indic three": {"level": "٣"},
    "level 1e3": {"level": "1e3"},
    "level -1": {"level": "-1"},
    "level of 5000 digits": {"level": "1" * 5000},
    "level missing": {"level": None},
    "comment too long": {"comment": TOO_LONG},
    "comment huge": {"comment": "x" * 300_000},
    "comment with a NUL byte": {"comment": "before\x00after"},
    "link with a NUL byte": {"evidence_url": "https://example.org/\x00"},
    "comment missing": {"comment": None},
    "comment twice": {"comment": ["a", "b"]},
}


@pytest.mark.parametrize("junk", AUTOSAVE_JUNK.values(), ids=AUTOSAVE_JUNK.keys())
def test_junk_sent_to_autosave_is_refused_with_a_message_and_loses_nothing(app, people, junk):
    cso = client_for(app, people["cso"])
    good = cso.post(f"{BASE}/self/answers/GOV.01", data={"level": "3", "comment": "saved before", "evidence_url": "",
                                                         "revision": "0"})
    assert good.status_code == 200
    data = {"level": "2", "comment": "", "evidence_url": "", "revision": "1"} | junk
    data = {k: v for k, v in data.items() if v is not None}
    response = cso.post(f"{BASE}/self/answers/GOV.01", data=data, headers={"Accept": "application/json"})
    assert 400 <= response.status_code < 500
    if response.is_json:
        assert response.json["message"].strip()
    assert stored(app)["GOV.01"] == (3, "saved before", 1)


FORM_JUNK = {
    "revision letters": "abc", "revision superscript two": "²", "revision of 5000 digits": "7" * 5000,
    "revision missing": None,
}


@pytest.mark.parametrize("revision", FORM_JUNK.values(), ids=FORM_JUNK.keys())
def test_a_bad_revision_on_the_form_refuses_that_answer_only(app, people, revision):
    cso = client_for(app, people["cso"])
    data = domain_form("GOV", "2")
    if revision is None:
        del data[field_name("revision", "GOV.02")]
    else:
        data[field_name("revision", "GOV.02")] = revision
    response = cso.post(f"{BASE}/self/GOV", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "reload the page" in page or "ხელახლა" in page or "განაახლეთ" in page
    assert 'href="#ind-GOV.02"' in page
    assert set(stored(app)) == set(GOV) - {"GOV.02"}


@pytest.mark.parametrize("level", ["٣", "1e3", "-1", "9" * 5000])
def test_a_bad_level_on_the_form_is_shown_beside_the_levels(app, people, level):
    cso = client_for(app, people["cso"])
    response = cso.post(f"{BASE}/self/GOV", data=domain_form("GOV", "2", **{"GOV.04": level}))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert re.search(r'<div class="levels" role="radiogroup" aria-labelledby="ind-GOV.04-levels" '
                     r'aria-invalid="true" aria-describedby="ind-GOV.04-error">', page)
    assert set(stored(app)) == set(GOV) - {"GOV.04"}


def test_a_nul_byte_on_the_form_is_refused_not_a_server_error(app, people):
    cso = client_for(app, people["cso"])
    data = domain_form("GOV", "2")
    data[field_name("comment", "GOV.01")] = "a\x00b"
    response = cso.post(f"{BASE}/self/GOV", data=data)
    assert response.status_code == 400
    assert "GOV.01" not in stored(app) and len(stored(app)) == len(GOV) - 1
