"""Reading exports: what Kobo and people do to files, each refused or read with a plain reason (no database)."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from flask_babel import force_locale

from capacity.submissions import reading
from capacity.submissions.mapping import map_columns, row_answers
from capacity.submissions.reading import FileProblem, read_table
from tests.submissions import kobo


def problem(app, data: bytes) -> str:
    with app.test_request_context(), force_locale("en"):
        with pytest.raises(FileProblem) as raised:
            read_table(data)
        return str(raised.value.message)


def test_excel_numbers_dates_and_a_title_row_above_the_header(app):
    import datetime

    table = kobo.xlsx([["Capacity collection, exported 2026-05-02"], [],
                       ["today", "capacity_organisation", "GOV/GOV.A/GOV.1", "SRV/SRV.1"],
                       [datetime.date(2026, 5, 1), "ORG-A", 3.0, 2.5], ["", "", None, None]])
    read = read_table(table)
    assert read.kind == "xlsx" and read.headers == ("today", "capacity_organisation", "GOV/GOV.A/GOV.1", "SRV/SRV.1")
    assert read.rows == ((4, ("2026-05-01", "ORG-A", "3", "2.5")),)  # the blank row 5 is no submission


def test_rows_beyond_the_size_the_file_declares_are_read_and_blank_rows_not_counted(app, monkeypatch):
    """A file whose <dimension> says less than it holds (another tool wrote it) loses no submission, and a sheet
    re-saved with formatted blank rows down to its end is not refused as too long."""
    table = [["capacity_organisation", "GOV.1"], ["ORG-A", 1], ["ORG-B", 2], ["ORG-C", 3]] + [[None, None]] * 10
    data = kobo.xlsx(table)
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:B2"/>', body)
                assert b'ref="A1:B2"' in body
            target.writestr(info, body)
    read = read_table(out.getvalue())
    assert [cells[0] for _number, cells in read.rows] == ["ORG-A", "ORG-B", "ORG-C"]
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    assert len(read_table(data).rows) == 3


def test_a_formula_is_never_evaluated_nor_kept(app):
    data = kobo.xlsx([["capacity_organisation", "SRV/SRV.4"], ["ORG-A", "=HYPERLINK(\"http://evil\")"]])
    # openpyxl writes the formula without a cached value: read with values only, the cell is empty.
    assert read_table(data).rows[0][1][1] == ""


def test_duplicate_headers_are_named(app):
    data = "capacity_organisation;GOV.1;GOV.1\r\nORG-A;1;2\r\n".encode()
    assert "GOV.1" in problem(app, data) and "more than once" in problem(app, data)


def test_a_zip_that_is_not_a_spreadsheet(app):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.jpg", b"\xff\xd8")
    assert "ZIP archive, not an XLSX" in problem(app, buffer.getvalue())


def test_too_many_rows_columns_and_a_stray_cell(app, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    rows = "capacity_organisation;GOV.1\r\n" + "ORG-A;1\r\n" * 30
    assert "more than 3 rows" in problem(app, rows.encode())
    wide = ";".join(["capacity_organisation"] + [f"c{n}" for n in range(2100)]) + "\r\n"
    assert "more than 2000 columns" in problem(app, wide.encode())
    assert "Row 2 has more cells" in problem(app, "capacity_organisation;GOV.1\r\nORG-A;1;oops\r\n".encode())
    monkeypatch.setattr(reading, "MAX_BYTES", 100)
    assert "too large" in problem(app, b"capacity_organisation\r\n" + b"ORG-A\r\n" * 40)


def test_a_cut_utf8_character_and_a_windows_1251_file_name_their_line(app):
    cut = "capacity_organisation;GOV.1\r\nORG-A;1\r\n".encode() + "ო".encode()[:2] + b";2\r\n"
    assert "not in UTF-8 (line 3" in problem(app, cut)
    assert "not in UTF-8 (line 2" in problem(app, "capacity_organisation;GOV.1\r\nОрг;1\r\n".encode("cp1251"))


def test_columns_are_mapped_by_path_bare_name_and_option_columns(app, world):
    q = world["questionnaire"]
    headers = ("start", "capacity_organisation", "GOV/GOV.A/GOV.1", "GOV.2", "GOV-GOV.A-GOV.3-women",
               "GOV/GOV.A/GOV.3/youth", "capacity_profile/staff", "notes_by_hand", "_id", "meta/instanceID",
               "SubmissionDate", "GOV/GOV.B/GOV.5", "GOV/GOV.5")
    found = map_columns(q, headers)
    assert found.organisation.header == "capacity_organisation"
    assert set(found.indicators) == {"GOV.1", "GOV.2", "GOV.5"}
    assert found.twice == [("GOV.5", ["GOV/GOV.B/GOV.5", "GOV/GOV.5"])]
    assert set(found.options["GOV.3"]) == {"women", "youth"}
    assert found.unknown == ["notes_by_hand"] and found.profile == ["capacity_profile/staff"]
    assert found.metadata == ["start", "_id", "meta/instanceID", "SubmissionDate"]
    cells = ("x", "ORG-A", "2", "yes", "1", "0", "", "", "", "", "", "3", "")
    answers = {a.code: a.given for a in row_answers(q, found, cells)}
    assert answers["GOV.3"].values == ("women",)  # read from the 0/1 columns when the list column is missing
    assert answers["GOV.1"].choice == "2" and answers["GOV.2"].values == ("yes",)
