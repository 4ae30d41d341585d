"""Importing XLSForms: a hand-written one imports and validates; what Capacity cannot hold is refused by sheet and row."""
from __future__ import annotations

import pytest

from capacity.xlsform.importing import import_xlsform
from tests.xlsform.helpers import CHOICES, HAND_WRITTEN, SETTINGS, SURVEY, problems_of, replaced, workbook


def test_the_hand_written_form_imports_and_validates():
    imported = import_xlsform(HAND_WRITTEN.read_bytes(), "hand-written.xlsx")
    q = imported.questionnaire
    assert q.key == "partner-check@2025.1"
    assert q.languages == ("en", "ka")  # the order of the label columns
    assert [d.code for d in q.domains] == ["ORG", "SRV"]
    assert [s.code for s in q.domains[1].sub_areas] == ["SRV.A", "SRV.B"]
    by_code = {i.code: i for i in q.indicators}
    assert {code: i.type for code, i in by_code.items()} == {
        "ORG.1": "scale", "ORG.2": "yes_no", "ORG.3": "multiple", "ORG.4": "number",
        "SRV.1": "scale", "SRV.2": "scale", "SRV.3": "single", "SRV.4": "text"}
    assert by_code["ORG.1"].levels[4].ka == "გეგმა ყოველ კვარტალში გადაიხედება."
    assert by_code["ORG.1"].evidence.en == "The work plan and its approval."
    assert by_code["SRV.2"].allow_na and not by_code["SRV.1"].allow_na
    assert by_code["ORG.4"].number.minimum == 0 and by_code["ORG.4"].number.integer
    assert [i.required for i in q.indicators] == [True, True, True, True, True, True, True, False]
    conditions = {code: (i.show_if.code, i.show_if.operator, i.show_if.value) for code, i in by_code.items() if i.show_if}
    assert conditions == {"ORG.3": ("ORG.2", "equals", "yes"), "SRV.1": ("ORG.1", "at_least", 2.0),
                          "SRV.3": ("SRV.2", "equals", 3), "SRV.4": ("SRV.3", "any_of", ("monthly", "weekly"))}
    assert q.title.ka == "პარტნიორის მოკლე შემოწმება"
    assert imported.weights == {"domain_weights": {}, "sub_area_weights": {}, "indicator_weights": {}}


def test_the_small_workbook_imports():
    assert import_xlsform(workbook()).questionnaire.key == "small@1.0"


@pytest.mark.parametrize("data, expected", [
    (b"", "workbook:1: the file is empty"),
    (b" \r\n \n", "workbook:1: the file is empty"),
    (b"just some words, not a workbook", "workbook:1: not an .xlsx workbook (it looks like a CSV or text file)"),
    (b"type;name;label\nselect_one x;A;B\n", "not an .xlsx workbook (it looks like a CSV"),
    (b"PK\x03\x04 broken zip", "workbook:1: cannot open the workbook"),
    (b"\x00\x01\x02\xff" * 50, "workbook:1: not an .xlsx workbook"),
])
def test_junk_files_are_refused_with_a_reason(data, expected):
    assert any(expected in p for p in problems_of(data))


def test_a_workbook_without_a_survey_sheet():
    assert problems_of(workbook(survey=False)) == [
        "workbook:1: no 'survey' sheet (sheets: choices, settings); an XLSForm has survey, choices and settings sheets"]


def test_a_formula_cell_is_refused():
    found = problems_of(workbook(formula="=CONCATENATE(\"a\",\"b\")"))
    assert found == ['survey:3: label::English (en): the cell holds a formula (=CONCATENATE("a","b")); type its value']


@pytest.mark.parametrize("index, row, expected", [
    (3, ["select_one d2", "D.1", "Second", "მეორე", "Proof", "მტკიცება", "yes"],
     "survey:4: name: name 'D.1' is used twice (first on row 3)"),
    (3, ["geopoint", "D.2", "Where?", "სად?"],
     "survey:4: type: type 'geopoint' has no place in Capacity"),
    (3, ["date", "D.2", "When?", "როდის?"], "survey:4: type: type 'date' has no place in Capacity"),
    (3, ["note", "D.2", "Read this", "წაიკითხეთ"], "survey:4: type: type 'note' has no place in Capacity"),
    (3, ["begin_repeat", "R", "Again", "ისევ"], "survey:4: type: repeats have no place in Capacity"),
    (3, ["select_one d2", "D.2", "Second", "მეორე", "Proof", "მტკიცება", "yes", "${D.1} > 1 and ${D.1} < 3"],
     "survey:4: relevant: cannot hold '${D.1} > 1 and ${D.1} < 3': a Capacity condition is one test"),
    (3, ["select_one d2", "D.2", "Second", "მეორე", "Proof", "მტკიცება", "yes", "${D.1} > 1"],
     "survey:4: relevant: cannot read '${D.1} > 1' as a condition"),
    (3, ["select_one d2", "D.2", "Second", "მეორე", "Proof", "მტკიცება", "yes", "${X.9} = '1'"],
     "survey:4: relevant: the condition names 'X.9', which is not a question above this one"),
    (3, ["select_one d1", "D.2", "Second", "მეორე", "Proof", "მტკიცება", "yes"],
     "survey:4: type: list 'd1' is also the list of D.1 (row 3); each scale indicator needs its own list"),
    (3, ["select_one d2", "D.2", "Second", "", "Proof", "მტკიცება", "yes"],
     "survey:4: label::Georgian (ka): 'text' of indicator D.2 has no Georgian (ka) translation; add it"),
    (3, ["select_one d2", "D.2", "Second", "მეორე", "Proof", "მტკიცება", "always"],
     "survey:4: required: 'always' is not yes or no"),
    (3, ["select_one nowhere", "D.2", "Second", "მეორე", "Proof", "მტკიცება", "yes"],
     "survey:4: type: no choices list 'nowhere' on the choices sheet"),
    (1, ["select_one d1", "D.1", "First", "პირველი", "Proof", "მტკიცება", "yes"],
     "survey:2: type: question 'D.1' stands outside a group"),
    (4, ["begin_group", "D.X", "Sub", "ქვე"], "survey:5: type: group 'D.X' is never closed"),
])
def test_what_capacity_cannot_hold_is_refused_by_row(index, row, expected):
    found = problems_of(workbook(survey=replaced(SURVEY, index, row)))
    assert any(p.startswith(expected) for p in found), found


def test_groups_nested_deeper_than_a_sub_area_are_refused():
    survey = SURVEY[:2] + [["begin_group", "S", "Sub", "ქვე"], ["begin_group", "T", "Deeper", "უფრო ღრმა"]] + SURVEY[2:4] + \
        [["end_group"], ["end_group"], ["end_group"]]
    assert "survey:4: type: group 'T' is nested too deep: Capacity has domains holding sub-areas, no deeper" in \
        problems_of(workbook(survey=survey))


def test_choice_names_off_the_scale_and_a_missing_scale_list():
    choices = CHOICES[:3] + [["d1", "1", "One low", "ერთი დაბალი"], ["d1", "5", "Five", "ხუთი"]] + CHOICES[5:]
    assert any(p.startswith("choices:5: name: choice '5' of list 'd1' is not a level of the scale")
               for p in problems_of(workbook(choices=choices)))
    without_scale = [CHOICES[0]] + CHOICES[3:]
    assert any(p.startswith("choices:1: list_name: no list 'capacity_scale'") for p in problems_of(workbook(choices=without_scale)))


def test_unknown_language_and_unknown_capacity_columns_are_refused():
    survey = [SURVEY[0] + ["label::Klingon (tlh)", "capacity_colour"]] + SURVEY[1:]
    found = problems_of(workbook(survey=survey))
    assert any(p.startswith("survey:1: label::Klingon (tlh): unknown language 'Klingon (tlh)'") for p in found)
    assert any(p.startswith("survey:1: capacity_colour: unknown Capacity column 'capacity_colour'") for p in found)


def test_a_column_capacity_cannot_hold_is_refused_where_filled():
    survey = [SURVEY[0] + ["default"]] + SURVEY[1:3] + [SURVEY[3] + ["", "1"]] + SURVEY[4:]
    assert "survey:4: default: Capacity has no place for 'default'; empty the column or remove it" in \
        problems_of(workbook(survey=survey))


def test_the_format_validator_still_applies_and_points_at_the_settings_row():
    settings = [SETTINGS[0], ["small form!", "1.0", "Small", "მცირე"]]
    found = problems_of(workbook(settings=settings))
    assert any(p.startswith("settings:2: form_id: code 'small form!' of the questionnaire must be ASCII") for p in found)


def test_a_duplicate_header_is_refused():
    survey = [SURVEY[0] + ["Label::English (en)"]] + SURVEY[1:]
    assert any("label::English (en)" in p and "given twice" in p for p in problems_of(workbook(survey=survey)))


def test_an_old_xls_workbook_is_named_as_such():
    assert problems_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500) == [
        "workbook:1: an Excel 97-2003 (.xls) workbook; save it as Excel Workbook (.xlsx)"]


def test_a_zip_that_is_no_workbook():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("hello.txt", "not a spreadsheet")
    assert problems_of(out.getvalue()) == [
        "workbook:1: cannot open the workbook (a ZIP archive holding no workbook); save the form as Excel (.xlsx)"]


def test_a_scale_list_missing_a_level_is_named():
    choices = CHOICES[:6]  # d2 lacks level 2
    assert problems_of(workbook(choices=choices)) == [
        "survey:4: type: list 'd2' has no choice for level 2; add one row per level of the scale to the choices sheet, "
        "its label the level's descriptor"]
