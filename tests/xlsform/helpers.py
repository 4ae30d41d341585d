"""Loading the instruments under test, and building small XLSForm workbooks row by row."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_files
from capacity.xlsform.importing import import_xlsform
from capacity.xlsform.reading import XlsFormError
from tests.questionnaire_fixtures import FIXTURES

HAND_WRITTEN = Path(__file__).resolve().parents[1] / "fixtures" / "xlsform" / "hand-written.xlsx"
INSTRUMENTS = {"gesi-oca": DEFAULT_DIRECTORY / "gesi-oca.yaml", "every-type": FIXTURES / "every-type.yaml"}
RUBRICS = {"gesi-oca": DEFAULT_DIRECTORY / "gesi-oca.rubric.yaml", "every-type": FIXTURES / "every-type.rubric.yaml"}


def load(name: str):
    """(questionnaire, its rubric) of an instrument under test."""
    library, problems = load_files([INSTRUMENTS[name], RUBRICS[name]])
    assert not problems, problems
    return next(iter(library.questionnaires.values())), next(iter(library.rubrics.values()))


SURVEY = [["type", "name", "label::English (en)", "label::Georgian (ka)", "hint::English (en)", "hint::Georgian (ka)",
           "required", "relevant"],
          ["begin_group", "D", "Domain", "სფერო"],
          ["select_one d1", "D.1", "First", "პირველი", "Proof", "მტკიცება", "yes"],
          ["select_one d2", "D.2", "Second", "მეორე", "Proof two", "მტკიცება ორი", "yes"],
          ["end_group", "D"]]
CHOICES = [["list_name", "name", "label::English (en)", "label::Georgian (ka)"],
           ["capacity_scale", "1", "Low", "დაბალი"], ["capacity_scale", "2", "High", "მაღალი"],
           ["d1", "1", "One low", "ერთი დაბალი"], ["d1", "2", "One high", "ერთი მაღალი"],
           ["d2", "1", "Two low", "ორი დაბალი"], ["d2", "2", "Two high", "ორი მაღალი"]]
SETTINGS = [["form_id", "version", "capacity_title::English (en)", "capacity_title::Georgian (ka)"],
            ["small", "1.0", "Small", "მცირე"]]


def workbook(survey=None, choices=None, settings=None, *, formula: str | None = None) -> bytes:
    """A small valid XLSForm (two indicators on a two-level scale), or one with the given sheets instead."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", SURVEY if survey is None else survey), ("choices", CHOICES if choices is None else choices),
                        ("settings", SETTINGS if settings is None else settings)):
        if rows is False:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if formula:
        book["survey"]["C3"] = formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def problems_of(data: bytes) -> list[str]:
    """The problems the import lists for ``data``, as printed (it must refuse it)."""
    with pytest.raises(XlsFormError) as caught:
        import_xlsform(data, "form.xlsx")
    return [str(p) for p in caught.value.problems]


def replaced(rows: list[list], index: int, row: list) -> list[list]:
    return rows[:index] + [row] + rows[index + 1:]
