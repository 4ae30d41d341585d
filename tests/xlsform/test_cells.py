"""Cells as spreadsheets really hold them (dates, errors, booleans, rich text, stray values, far blank rows, sheet
names in any case), and groups whose name is missing or reserved: every problem named by sheet, row and column."""
from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from capacity.xlsform.importing import import_xlsform
from tests.xlsform.helpers import CHOICES, SETTINGS, SURVEY, problems_of, replaced, workbook


def book_with(change, names=("survey", "choices", "settings")) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in zip(names, (SURVEY, CHOICES, SETTINGS)):
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    change(book[names[0]], book[names[2]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _error(cell, text):
    cell.value, cell.data_type = text, "e"


@pytest.mark.parametrize("change, expected", [
    (lambda survey, _: _error(survey["C3"], "#REF!"), "survey:3: label::English (en): the cell holds the spreadsheet error #REF!"),
    (lambda survey, _: _error(survey["B3"], "#N/A"), "survey:3: name: the cell holds the spreadsheet error #N/A"),
    (lambda survey, _: survey.cell(3, 2, datetime.date(2024, 1, 2)), "survey:3: name: the cell holds a date or time"),
    (lambda survey, _: survey.cell(3, 3, datetime.datetime(2024, 1, 2, 9, 30)),
     "survey:3: label::English (en): the cell holds a date or time"),
    (lambda _, settings: settings.cell(2, 2, datetime.date(2025, 1, 1)), "settings:2: version: the cell holds a date"),
    (lambda _, settings: settings.cell(2, 2, 1.1), "settings:2: version: the version is a number cell (1.1)"),
    (lambda survey, _: survey.cell(3, 12, "lost note"), "survey:3: L: the cell has a value but its column has no header"),
])
def test_cells_that_would_be_misread_are_refused_by_place(change, expected):
    found = problems_of(book_with(change))
    assert any(p.startswith(expected) for p in found), found


def test_booleans_rich_text_and_a_whole_number_version_read_as_meant():
    def change(survey, settings):
        survey.cell(3, 7, True)  # required = TRUE as Excel writes a typed TRUE
        survey.cell(4, 7, False)
        survey["C3"] = CellRichText([TextBlock(InlineFont(b=True), "Fi"), "rst"])
        settings.cell(2, 2, 3)
    q = import_xlsform(book_with(change)).questionnaire
    assert q.key == "small@3"
    assert q.indicators[0].text.en == "First" and q.indicators[0].required and not q.indicators[1].required


def test_sheet_names_in_any_case_and_a_formatted_last_row_of_the_sheet():
    def change(survey, _):
        survey.cell(1048576, 3).font = Font(bold=True)  # a blank row far down, as Excel leaves after deleting rows
    data = book_with(change, names=("Survey", "CHOICES", "Settings "))
    assert import_xlsform(data).questionnaire.key == "small@1.0"


def test_a_value_far_below_the_form_is_still_refused():
    def change(survey, _):
        survey.cell(30000, 1, "note")
    assert problems_of(book_with(change)) == ["survey:30000: more than 20000 rows; a questionnaire is far smaller"]


@pytest.mark.parametrize("row, expected", [
    (["begin_group", "", "Domain", "სფერო"], "survey:2: name: the group has no name"),
    (["begin_group", "capacity_extra", "Domain", "სფერო"], "survey:2: name: names starting 'capacity_' are Capacity's own"),
])
def test_a_domain_group_without_a_usable_name_is_refused_not_a_crash(row, expected):
    assert problems_of(workbook(survey=replaced(SURVEY, 1, row)))[0].startswith(expected)


def test_reserved_names_only_where_capacity_writes_them():
    found = problems_of(workbook(survey=replaced(SURVEY, 2, ["select_one d1", "capacity_x", "First", "პირველი",
                                                             "Proof", "მტკიცება", "yes"])))
    assert found[0].startswith("survey:3: name: names starting 'capacity_' are Capacity's own")
    nested = SURVEY[:2] + [["begin_group", "capacity_profile", "P", "პ"], ["integer", "staff", "Staff", "შტატი"],
                           ["end_group"]] + SURVEY[2:]
    assert problems_of(workbook(survey=nested))[0].startswith("survey:3: name: names starting 'capacity_'")


HEADER = SURVEY[0] + ["constraint", "capacity_description::English (en)", "capacity_weight"]


def _row(row: list) -> list:
    return row + [""] * (len(HEADER) - len(row))


@pytest.mark.parametrize("index, cells, expected", [
    (1, {"relevant": "${X} = 'yes'"}, "survey:2: relevant: 'relevant' means nothing on a domain row"),
    (2, {"constraint": "regex(., '^[0-9]+$')"}, "survey:3: constraint: 'constraint' means nothing on a scale question row"),
    (4, {"capacity_weight": "2"}, "survey:5: capacity_weight: 'capacity_weight' means nothing on an end_group row"),
    (1, {"hint::Georgian (ka)": "მინიშნება"}, "survey:2: hint::Georgian (ka): 'hint' means nothing on a domain row"),
])
def test_cells_a_row_of_that_kind_is_not_read_from_are_refused(index, cells, expected):
    rows = [HEADER] + [_row(r) for r in SURVEY[1:]]
    for column, value in cells.items():
        rows[index][HEADER.index(column)] = value
    assert expected in problems_of(workbook(survey=rows))[0]


def test_a_sub_areas_description_and_a_text_questions_bounds_would_be_lost_so_are_refused():
    rows = [HEADER, _row(SURVEY[1]), _row(["begin_group", "D.A", "Area", "არე"]), _row(SURVEY[2]), _row(SURVEY[3]),
            _row(["text", "D.9", "Notes", "შენიშვნები", "What", "რა", "no"]), ["end_group"], _row(SURVEY[4])]
    rows[2][HEADER.index("capacity_description::English (en)")] = "About"
    rows[5][HEADER.index("constraint")] = ". >= 0"
    found = problems_of(workbook(survey=rows))
    assert found[:2] == [
        "survey:3: capacity_description::English (en): 'capacity_description' means nothing on a sub-area row in "
        "Capacity and would be lost; empty the cell",
        "survey:6: constraint: 'constraint' means nothing on a text question row in Capacity and would be lost; empty the cell"]


def test_a_list_no_question_uses_and_a_score_on_a_level_are_refused():
    typo = CHOICES[:3] + [["d 1", "1", "One low", "ერთი დაბალი"]] + CHOICES[3:]
    assert "choices:4: list_name: no question uses the list 'd 1'; correct its name or remove its rows" in problems_of(
        workbook(choices=typo))
    scored = [CHOICES[0] + ["capacity_score"]] + CHOICES[1:3] + [CHOICES[3] + ["5"]] + CHOICES[4:]
    assert problems_of(workbook(choices=scored)) == [
        "choices:4: capacity_score: a scale level scores as its level; capacity_score belongs to single-choice options only"]


def test_a_second_settings_row_is_refused_not_ignored():
    settings = SETTINGS + [["small", "2.0", "Small two", "მცირე ორი"]]
    assert problems_of(workbook(settings=settings)) == [
        "settings:3: the settings sheet holds one row (the questionnaire's); this one would be ignored"]


def test_a_group_inside_a_nameless_group_is_not_a_crash():
    rows = [SURVEY[0], ["begin_group", "", "Outer", "გარე"]] + SURVEY[1:] + [["end_group"]]
    assert problems_of(workbook(survey=rows)) == ["survey:2: name: the group has no name; a domain's or sub-area's code "
                                                  "is its name"]


def _sheet_xml_edited(data: bytes, edit) -> bytes:
    """The workbook with its first sheet's XML passed through ``edit`` (as another tool may have written it)."""
    import zipfile

    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            target.writestr(info, edit(body) if info.filename == "xl/worksheets/sheet1.xml" else body)
    return out.getvalue()


def test_rows_beyond_the_size_a_file_declares_are_still_read():
    # the survey's last question and end_group lie past the declared A1:H3, as a non-Excel tool may write it
    data = _sheet_xml_edited(workbook(), lambda xml: xml.replace(b'<dimension ref="A1:H5" />', b'<dimension ref="A1:H3" />'))
    assert b'ref="A1:H3"' in zipfile_sheet(data)
    assert [i.code for i in import_xlsform(data).questionnaire.indicators] == ["D.1", "D.2"]


def zipfile_sheet(data: bytes) -> bytes:
    import zipfile

    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


def test_a_sheet_full_of_stray_values_stops_after_200_problems():
    row = "".join(f'<c r="{col}99" t="inlineStr"><is><t>x</t></is></c>' for col in
                  [a + b for a in "IJKLMNOPQRSTUVWXYZ" for b in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"][:300])
    data = _sheet_xml_edited(workbook(), lambda xml: xml.replace(b"</sheetData>", f'<row r="99">{row}</row></sheetData>'.encode()))
    found = problems_of(data)
    assert len(found) == 201 and found[-1] == "survey:99: stopped reading after 200 problems; fix those first (is this an XLSForm?)"


def test_a_workbook_unpacking_to_more_than_20_mb_is_refused_before_reading():
    filler = b"<!--" + b" " * (21 * 1024 * 1024) + b"-->"
    data = _sheet_xml_edited(workbook(), lambda xml: xml.replace(b"<sheetData>", filler + b"<sheetData>", 1))
    assert problems_of(data) == ["workbook:1: the workbook unpacks to more than 20 MB; a questionnaire's form is far smaller"]
