"""The workbook writer on its own: what a spreadsheet user sees cell by cell, whatever was typed."""
from __future__ import annotations

import io
import math
import zipfile

import openpyxl
import pandas as pd

from capacity.exports.formats import csv_zip, xlsx_bytes
from capacity.exports.services import RoundExport

FORMULA = '=HYPERLINK("http://evil.example/","click")'


def export() -> RoundExport:
    long = pd.DataFrame({
        "org_name": ["ასოციაცია „ნაბიჯი“", "Org\x01 with\x0b control\x1f", "Plain"],
        "level": pd.array([3, None, 1], dtype="Int64"),
        "comment": [FORMULA, "", "+1 and -1 @home"],
        "evidence_url": ["https://docs.example.org/" + "x" * 3000, "", ""],
    })
    wide = pd.DataFrame({"org_code": ["BAT-01", "TEL-01"], "index": [float("nan"), 2.3456],
                         "domain_GOV": [None, 2.0], "answered_indicators": [3, 60]})
    profile = pd.DataFrame({"org_code": ["TEL-01", "TEL-01"], "value": pd.Series([12, 4.5], dtype=object)})
    plan = pd.DataFrame({"org_code": ["TEL-01", "BAT-01"], "action_id": pd.array([7, None], dtype="Int64"),
                         "description": ["-1 budget line", None]})
    mentoring = pd.DataFrame({"org_code": pd.Series(dtype=object), "hours": pd.Series(dtype=float)})
    return RoundExport("endline", "ka", long, wide, profile, plan, mentoring)


def book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export())))


def test_typed_text_stays_text_georgian_included_and_control_characters_are_dropped():
    long = book()["long"]
    rows = list(long.iter_rows(min_row=2))
    assert rows[0][0].value == "ასოციაცია „ნაბიჯი“"
    assert rows[1][0].value == "Org with control"
    formula = rows[0][2]
    assert formula.value == FORMULA and formula.data_type == "s"
    assert rows[2][2].value == "+1 and -1 @home" and rows[2][2].data_type == "s"
    # An address stays the text typed (not a link, not cut short).
    assert rows[0][3].value == "https://docs.example.org/" + "x" * 3000 and rows[0][3].hyperlink is None


def test_missing_values_are_empty_cells_never_zero():
    workbook = book()
    long, wide = workbook["long"], workbook["wide"]
    assert [c.value for c in long["B"][1:]] == [3, None, 1]
    assert long["C3"].value is None  # an empty comment
    assert [c.value for c in wide[2]] == ["BAT-01", None, None, 3]
    tel = [c.value for c in wide[3]]
    assert tel[0] == "TEL-01" and math.isclose(tel[1], 2.3456) and tel[2] == 2.0 and tel[3] == 60


def test_scores_show_two_decimals_counts_do_not_and_profile_values_keep_their_kind():
    workbook = book()
    wide = workbook["wide"]
    assert wide["B3"].number_format == "0.00" and wide["C3"].number_format == "0.00"
    assert wide["D3"].number_format == "General"
    assert [c.value for c in workbook["profile"]["B"][1:]] == [12, 4.5]


def test_every_sheet_has_a_bold_frozen_header_a_filter_and_readable_widths():
    workbook = book()
    assert workbook.sheetnames == ["long", "wide", "profile", "plan", "mentoring"]
    for sheet in workbook.worksheets:
        header = sheet[1]
        assert all(cell.font.bold for cell in header) and sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{header[-1].column_letter}{sheet.max_row}"
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in header]
        assert all(8 <= width <= 60 for width in widths), widths
    long = workbook["long"]
    assert long.column_dimensions["D"].width > long.column_dimensions["B"].width  # the long address is wider


def test_the_csv_zip_neutralises_formulas_and_leaves_the_frames_alone():
    data = export()
    before = data.long.copy()
    with zipfile.ZipFile(io.BytesIO(csv_zip(data))) as archive:
        long = pd.read_csv(io.BytesIO(archive.read("long.csv")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(long["comment"]) == ["'" + FORMULA, "", "'+1 and -1 @home"]
    assert list(long["level"]) == ["3", "", "1"]
    pd.testing.assert_frame_equal(data.long, before)


def test_a_plan_without_actions_is_an_empty_cell_and_an_empty_table_keeps_its_header():
    workbook = book()
    plan, mentoring = workbook["plan"], workbook["mentoring"]
    assert [[c.value for c in row] for row in plan.iter_rows()] == [
        ["org_code", "action_id", "description"], ["TEL-01", 7, "-1 budget line"], ["BAT-01", None, None]]
    assert [[c.value for c in row] for row in mentoring.iter_rows()] == [["org_code", "hours"]]
    with zipfile.ZipFile(io.BytesIO(csv_zip(export()))) as archive:
        assert archive.read("mentoring.csv").decode("utf-8-sig") == "org_code,hours\r\n"
        plan_csv = pd.read_csv(io.BytesIO(archive.read("plan.csv")), encoding="utf-8-sig", dtype=str,
                               keep_default_na=False)
    assert plan_csv.values.tolist() == [["TEL-01", "7", "'-1 budget line"], ["BAT-01", "", ""]]
