"""The heading of the report page says what happened: a file refused when checked "cannot be imported"; a file that
passed its check but was refused when confirmed (the round closed meanwhile) had nothing wrong with it — "Nothing was
imported" — in English and in Georgian."""
from __future__ import annotations

import re

from capacity.extensions import db
from capacity.rounds.queries import by_code
from tests.submissions import kobo
from tests.submissions.conftest import SHORT
from tests.submissions.test_web import english, token_of, upload

IMPORT = "/rounds/kobo/submissions/import"


def heading(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)).strip()


def closed_at_confirm(app, client, world, language: str) -> str:
    english(client, world["manager"])
    file = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    token = token_of(upload(client, "kobo", file).get_data(as_text=True))
    with app.app_context():
        by_code("kobo").is_open = False
        db.session.commit()
    client.post("/language", data={"language": language, "next": "/"})
    return client.post(IMPORT, data={"token": token}).get_data(as_text=True)


def test_a_round_closed_before_the_confirm_reads_nothing_was_imported(app, client, world):
    page = closed_at_confirm(app, client, world, "en")
    assert heading(page) == "Nothing was imported" and "The round is closed" in page
    assert "cannot be imported" not in page


def test_a_round_closed_before_the_confirm_reads_nothing_was_imported_in_georgian(app, client, world):
    page = closed_at_confirm(app, client, world, "ka")
    assert 'lang="ka"' in page and heading(page) == "იმპორტი არ გაკეთდა"
    assert "ფაილის იმპორტი შეუძლებელია" not in page


def test_a_file_refused_at_its_check_still_cannot_be_imported(app, client, world):
    english(client, world["manager"])
    page = upload(client, "kobo", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, filename="old.xls")
    assert heading(page.get_data(as_text=True)) == "The file cannot be imported"
