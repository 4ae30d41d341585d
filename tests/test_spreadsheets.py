"""The shared opening of untrusted .xlsx files: what it refuses (and why, as a reason each import words itself)."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from capacity.spreadsheets import Reason, SpreadsheetProblem, every_row, is_xlsx, number_text, open_workbook


def xlsx(*rows, declared: str | None = None) -> bytes:
    """A workbook holding ``rows`` on its first sheet; ``declared`` rewrites the size its <dimension> claims."""
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    if declared is None:
        return out.getvalue()
    edited = io.BytesIO()
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(edited, "w") as target:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                part = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{declared}"'.encode(), part)
            target.writestr(info, part)
    return edited.getvalue()


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in parts.items():
            archive.writestr(name, part)
    return out.getvalue()


def reason(call) -> SpreadsheetProblem:
    with pytest.raises(SpreadsheetProblem) as caught:
        call()
    return caught.value


@pytest.mark.parametrize("data, why", [
    (b"", Reason.EMPTY),
    (b"  \r\n\t ", Reason.EMPTY),
    (b"x" * 101, Reason.TOO_LARGE),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, Reason.OLD_EXCEL),
])
def test_what_is_no_spreadsheet_at_all_is_refused_by_its_first_bytes(data, why):
    assert reason(lambda: is_xlsx(data, max_bytes=100)).reason is why


def test_a_zip_is_opened_as_xlsx_and_anything_else_left_to_the_caller():
    assert is_xlsx(xlsx(["a"]), max_bytes=10**7) is True
    assert is_xlsx(b"capacity_organisation;GOV/GOV.1\nORG-A;2\n", max_bytes=10**7) is False
    assert is_xlsx(b"%PDF-1.7 renamed .xlsx", max_bytes=10**7) is False


def test_a_damaged_zip_is_refused_naming_the_error():
    problem = reason(lambda: open_workbook(b"PK\x03\x04 broken", max_unpacked=10**7, data_only=True))
    assert (problem.reason, problem.detail) == (Reason.DAMAGED, "BadZipFile")


def test_a_zip_holding_no_workbook_is_refused():
    data = zipped({"hello.txt": b"not a spreadsheet"})
    assert reason(lambda: open_workbook(data, max_unpacked=10**7, data_only=True)).reason is Reason.NOT_WORKBOOK


def test_a_zip_bomb_is_refused_before_anything_reads_it():
    seen = []
    data = zipped({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b" " * 2_000_000})
    assert len(data) < 50_000
    problem = reason(lambda: open_workbook(data, max_unpacked=1_000_000, data_only=True, inspect=seen.append))
    assert problem.reason is Reason.UNPACKS_TOO_LARGE and seen == []


def test_what_the_caller_inspects_with_comes_first_and_its_refusal_passes_through():
    class TooManyCells(Exception):
        pass

    def inspect(data):
        raise TooManyCells

    with pytest.raises(TooManyCells):
        open_workbook(xlsx(["a"]), max_unpacked=10**7, data_only=True, inspect=inspect)


def test_a_workbook_openpyxl_cannot_read_is_refused_as_unreadable():
    data = zipped({"xl/workbook.xml": b"<not really", "[Content_Types].xml": b"<junk"})
    assert reason(lambda: open_workbook(data, max_unpacked=10**7, data_only=True)).reason is Reason.UNREADABLE


def test_formulas_are_kept_or_their_stored_values_read_as_the_caller_asks():
    data = xlsx(["=1+1"])
    formulas = open_workbook(data, max_unpacked=10**7, data_only=False)
    values = open_workbook(data, max_unpacked=10**7, data_only=True)
    assert next(every_row(formulas.active, values_only=True)) == ("=1+1",)
    assert next(every_row(values.active, values_only=True)) == (None,)  # openpyxl stores no computed value


def test_every_row_a_sheet_holds_is_read_though_it_declares_fewer():
    data = xlsx(["header", "x"], ["row 2", 2], ["row 3", 3], declared="A1")
    alone = open_workbook(data, max_unpacked=10**7, data_only=True).active.iter_rows(values_only=True)
    assert list(alone) == [("header",)]  # what read-only openpyxl gives by itself
    book = open_workbook(data, max_unpacked=10**7, data_only=True)
    assert list(every_row(book.active, values_only=True)) == [("header", "x"), ("row 2", 2), ("row 3", 3)]


@pytest.mark.parametrize("value, text", [(2.0, "2"), (-3.0, "-3"), (2.5, "2.5"), (0.1, "0.1"), (1e20, "100000000000000000000"),
                                         (float("nan"), "nan"), (float("inf"), "inf")])
def test_a_number_reads_as_typed(value, text):
    assert number_text(value) == text
