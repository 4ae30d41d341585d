"""The KoboToolbox/ODK pages: managers check a file, then import it; nobody else reaches them."""
from __future__ import annotations

import io
import re

import pytest

from capacity.assessments.models import Assessment, Track
from capacity.extensions import db
from tests.conftest import login
from tests.submissions import kobo
from tests.submissions.conftest import FULL, SHORT, stored


def english(client, email):
    assert login(client, email).status_code == 302
    client.post("/language", data={"language": "en", "next": "/"})
    return client


def upload(client, round_code, data: bytes, track="self", filename="kobo.xlsx"):
    return client.post(f"/rounds/{round_code}/submissions", data={"track": track, "file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def token_of(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def test_a_manager_checks_then_imports_and_the_upload_is_used_once(app, client, world):
    english(client, world["manager"])
    q = world["questionnaire"]
    response = upload(client, "kobo", kobo.xlsx(kobo.rows(q, [("ORG-A", FULL), ("ORG-B", SHORT)])), "mentor")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check before importing" in page and "16 answers will be imported" in page
    assert "Organisation ORG-A" in page and "Organisation ORG-B" in page and "Mentor assessment" in page
    assert stored(app, "ORG-A", "kobo", "mentor") == {}  # the check saves nothing
    token = token_of(page)
    response = client.post("/rounds/kobo/submissions/import", data={"token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Submissions imported" in page and "16 answers were imported" in page
    assert "stay drafts" in page
    assert stored(app, "ORG-A", "kobo", "mentor")["GOV.1"][0] == 3
    again = client.post("/rounds/kobo/submissions/import", data={"token": token})
    assert again.status_code == 302 and again.headers["Location"].endswith("/rounds/kobo/submissions")
    assert "no longer waiting" in client.get("/rounds/kobo/submissions").get_data(as_text=True)


def test_the_confirm_step_trusts_only_the_kept_file_not_the_browser(app, client, world, factory):
    english(client, world["manager"])
    q = world["questionnaire"]
    page = upload(client, "kobo", kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT)]))).get_data(as_text=True)
    token = token_of(page)
    # Another manager cannot use this manager's upload, and a forged token is refused.
    other = app.test_client()
    english(other, factory.user("manager", email="other-manager@example.org"))
    assert other.post("/rounds/kobo/submissions/import", data={"token": token}).status_code == 302
    for forged in ("../../capacity.db", "x" * 43, ""):
        response = client.post("/rounds/kobo/submissions/import", data={"token": forged})
        assert response.status_code in (302, 400)
    assert stored(app, "ORG-A", "kobo", "self") == {}


def test_a_bad_file_shows_row_column_value_and_offers_no_import(app, client, world):
    english(client, world["manager"])
    q = world["questionnaire"]
    data = kobo.csv_bytes(kobo.rows(q, [("ORG-A", FULL), ("ORG-B", dict(SHORT, **{"GOV.1": "9"})),
                                        ("ORG-NOPE", SHORT)]))
    page = upload(client, "kobo", data, filename="kobo.csv").get_data(as_text=True)
    assert "The file cannot be imported" in page and "Nothing was imported" in page
    assert "GOV/GOV.A/GOV.1" in page and ">9<" in page.replace(" ", "") and "1–4" in page
    assert "Row 4: nothing in the programme has the code “ORG-NOPE”." in page
    assert 'name="token"' not in page
    assert stored(app, "ORG-A", "kobo", "self") == {}


@pytest.mark.parametrize("data, filename, message", [
    (b"", "empty.xlsx", "The file is empty"),
    (b" \n", "blank.csv", "The file is empty"),
    (b"%PDF-1.4 binary\x00\x01\x02", "report.xlsx", "not a CSV or XLSX"),
    (b"PK\x03\x04garbage", "broken.xlsx", "damaged"),
    ("capacity_organisation;GOV/GOV.A/GOV.1\r\nORG-A;3\r\n".encode("cp1251") + "ქ".encode("utf-16-le"), "win.csv",
     "not in UTF-8"),
    ("capacity_organisation;x\r\n".encode("utf-16"), "utf16.csv", "UTF-16"),
    ("Organisation;The organisation has a written strategy.\r\nORG-A;A strategy is approved.\r\n".encode(),
     "labels.csv", "XML values"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls", "old Excel"),
])
def test_junk_gets_a_clear_message_never_a_server_error(app, client, world, data, filename, message):
    english(client, world["manager"])
    response = upload(client, "kobo", data, filename=filename)
    assert response.status_code in (200, 400)
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Assessment.id))) == 0


def test_a_huge_file_is_refused_with_its_limit(app, client, world):
    app.config["CAPACITY_SUBMISSIONS_MAX_BYTES"] = 4096  # the test client spools a real 10 MB upload to a file
    english(client, world["manager"])
    data = b"capacity_organisation;GOV.1\r\n" + b"ORG-A;3\r\n" * 1000
    response = upload(client, "kobo", data, filename="huge.csv")
    assert response.status_code == 400 and "larger than 4 KB" in response.get_data(as_text=True)


def test_consensus_cannot_be_chosen(app, client, world):
    english(client, world["manager"])
    data = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    response = upload(client, "kobo", data, track="consensus")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)


def test_a_mentor_track_report_never_shows_the_self_assessment(app, client, world):
    """Blind scoring: the report of a mentor-track import holds nothing of the organisation's own answers."""
    q = world["questionnaire"]
    with app.app_context():
        from capacity.assessments import answering
        from capacity.assessments.answering import AnswerInput
        from capacity.organisations.models import Organisation
        from capacity.rounds.queries import by_code

        org = db.session.scalar(db.select(Organisation).where(Organisation.code == "ORG-A"))
        round_ = by_code("kobo")
        rubric = __import__("capacity.questionnaires.library", fromlist=["x"]).load_directory().rubric(
            "every-type-default", "1.0")
        mine = answering.get_or_create_assessment(org, round_, Track.SELF, q, rubric)
        answering.save_answer(None, mine, q, "GOV.1", AnswerInput(choice="4", comment="SELF-SECRET-COMMENT", revision=0))
        answering.save_answer(None, mine, q, "SRV.4", AnswerInput(choice="", values=("SELF-SECRET-TEXT",), revision=0))
        db.session.commit()
    english(client, world["manager"])
    page = upload(client, "kobo", kobo.xlsx(kobo.rows(q, [("ORG-A", FULL)])), "mentor").get_data(as_text=True)
    assert "SELF-SECRET" not in page
    assert re.search(r"<td[^>]*>10</td>\s*<td[^>]*>0</td>", page)  # 10 answers, none replaced: the self ones are not counted
    client.post("/rounds/kobo/submissions/import", data={"token": token_of(page)})
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][:2] == (4, None)  # the self-assessment is untouched


@pytest.mark.parametrize("who", ["cso", "mentor"])
def test_staff_and_mentors_cannot_reach_the_pages(app, client, world, who):
    assert login(client, world[who]).status_code == 302
    data = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    assert client.get("/rounds/kobo/submissions").status_code == 404
    assert client.get("/rounds/kobo/collection-form.xlsx").status_code == 404
    assert upload(client, "kobo", data).status_code == 404
    assert client.post("/rounds/kobo/submissions/import", data={"token": "a" * 43}).status_code == 404
    assert stored(app, "ORG-A", "kobo", "self") == {}
    progress = client.get("/rounds/kobo/progress").get_data(as_text=True)
    assert "/submissions" not in progress and "collection-form" not in progress


def test_the_round_page_offers_the_collection_form_and_the_import_to_managers(app, client, world):
    english(client, world["manager"])
    page = client.get("/rounds/kobo/progress").get_data(as_text=True)
    assert "/rounds/kobo/collection-form.xlsx" in page and "/rounds/kobo/submissions" in page
    response = client.get("/rounds/kobo/collection-form.xlsx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    assert response.headers["Cache-Control"] == "no-store"
    import openpyxl

    survey = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)["survey"]
    names = [row for row in survey.iter_rows(values_only=True)]
    header = list(names[0])
    assert "capacity_organisation" in [r[header.index("name")] for r in names[1:]]


def test_georgian_is_the_default_language_of_the_pages(app, client, world):
    assert login(client, world["manager"]).status_code == 302
    page = client.get("/rounds/kobo/submissions").get_data(as_text=True)
    assert "KoboToolbox" in page and 'lang="ka"' in page


def test_the_whole_flow_in_georgian(app, client, world):
    assert login(client, world["manager"]).status_code == 302
    q = world["questionnaire"]
    page = upload(client, "kobo", kobo.xlsx(kobo.rows(q, [("ORG-A", FULL)]))).get_data(as_text=True)
    assert "შემოწმება იმპორტამდე" in page and "იმპორტირდება 10 პასუხი." in page and "მონახაზად" in page
    page = client.post("/rounds/kobo/submissions/import", data={"token": token_of(page)}).get_data(as_text=True)
    assert "იმპორტირებულია 10 პასუხი." in page
    bad = kobo.csv_bytes(kobo.rows(q, [("ORG-B", dict(SHORT, **{"GOV.1": "5"})), ("ORG-B", SHORT)]))
    page = upload(client, "kobo", bad, filename="bad.csv").get_data(as_text=True)
    assert "ფაილის იმპორტი შეუძლებელია" in page and "უკვე არის სტრიქონ 2-ში" in page


def test_an_assessment_submitted_between_check_and_import_stops_the_import(app, client, world):
    english(client, world["manager"])
    q = world["questionnaire"]
    page = upload(client, "kobo", kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT)]))).get_data(as_text=True)
    token = token_of(page)
    from capacity.organisations.models import Organisation
    from capacity.assessments.models import Status

    with app.app_context():
        org = db.session.scalar(db.select(Organisation).where(Organisation.code == "ORG-A"))
        from capacity.rounds.queries import by_code

        db.session.add(Assessment(organisation_id=org.id, round_id=by_code("kobo").id, track=Track.SELF,
                                  status=Status.SUBMITTED))
        db.session.commit()
    page = client.post("/rounds/kobo/submissions/import", data={"token": token}).get_data(as_text=True)
    assert "Nothing was imported" in page and "already submitted" in page
    assert stored(app, "ORG-A", "kobo", "self") == {}


def kobo_columns_of(form: bytes) -> list[str]:
    """The columns KoboToolbox gives an export of this XLSForm: each question's group path joined by '/'."""
    import openpyxl

    rows = list(openpyxl.load_workbook(io.BytesIO(form), read_only=True)["survey"].iter_rows(values_only=True))
    header = list(rows[0])
    groups, columns = [], []
    for row in rows[1:]:
        kind, name = (row[header.index("type")] or "").strip(), row[header.index("name")]
        if kind == "begin_group":
            groups.append(name)
        elif kind == "end_group":
            groups.pop()
        elif kind and name and kind not in ("calculate", "note"):
            columns.append("/".join(groups + [name]))
    return columns


def test_the_downloaded_collection_form_names_the_columns_the_import_reads(app, client, world):
    """End to end through the contract: the form Capacity makes, filled the way Kobo exports it, imports clean."""
    english(client, world["manager"])
    form = client.get("/rounds/kobo/collection-form.xlsx").data
    columns = kobo_columns_of(form)
    assert columns[0] == "capacity_organisation"
    by_code = {name.rsplit("/", 1)[-1]: name for name in columns}
    cells = {name: "" for name in columns}
    cells["capacity_organisation"] = "ORG-C"
    for code, text in FULL.items():
        cells[by_code[code]] = text
    table = [["start", "end"] + columns + ["_id", "_uuid", "_submission_time"],
             ["2026-05-01T10:00:00", "2026-05-01T10:20:00"] + [cells[c] for c in columns] + [7, "u-7", "2026-05-01"]]
    page = upload(client, "kobo", kobo.xlsx(table), "self").get_data(as_text=True)
    assert "10 answers will be imported" in page, page
    assert "Columns not imported" not in page
    client.post("/rounds/kobo/submissions/import", data={"token": token_of(page)})
    assert stored(app, "ORG-C", "kobo", "self")["GOV.3"][1] == '["women", "youth"]'
