"""Reading an XLSForm workbook into plain rows, refusing what is not one (with sheet, row and column).

Headers are read as people type them: any case, spaces for underscores ("list name", "Begin Group"),
spaces around "::", and a language written "English (en)", "en" or "English".
"""
from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from capacity import spreadsheets
from capacity.spreadsheets import Reason, SpreadsheetProblem, every_row, is_xlsx, number_text
from capacity.xlsform import columns as c

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20000
MAX_UNPACKED = 20 * 1024 * 1024
MAX_PROBLEMS = 200
# Columns with meaning Capacity has no place for: a filled cell is refused (it would be lost silently).
REFUSED_COLUMNS = ("default", "choice_filter", "repeat_count", "read_only", "trigger", "parameters", "required_message",
                   "guidance_hint", "media", "image", "audio", "video", "big-image", "body", "instance_name",
                   "constraint_message_default")
IGNORED_COLUMNS = ("appearance", "comments", "note", "notes")  # display only: read and dropped, as documented


@dataclass(frozen=True)
class XlsProblem:
    """Something the import refuses: where in the workbook (sheet, row as the spreadsheet shows it, column) and why."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.sheet}:{self.row}: " + (f"{self.column}: " if self.column else "") + self.message


class XlsFormError(ValueError):
    """The workbook cannot be imported; ``problems`` lists every reason found."""

    def __init__(self, problems: list[XlsProblem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class Row:
    sheet: str
    number: int
    cells: dict[str, str]  # plain column → value
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # text column → language → value

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def text(self, column: str) -> dict[str, str]:
        return self.texts.get(column, {})


@dataclass
class Sheet:
    name: str
    rows: list[Row]
    languages: list[str]  # the languages of its text columns, in column order
    headers: dict[str, str]  # normalised column → header as written


def normal(header: str) -> str:
    """A column name as XLSForm means it: lower case, '_' for spaces and '-'  ("List Name" → "list_name")."""
    return re.sub(r"[\s]+", "_", header.strip().lower())


def _value(cell, sheet: str, row: int, column: str, problems: list[XlsProblem]) -> str:
    value = cell.value
    if value is None:
        return ""
    if cell.data_type == "f" or (isinstance(value, str) and value.startswith("=") and cell.data_type != "s"):
        problems.append(XlsProblem(sheet, row, column, f"the cell holds a formula ({str(value)[:40]}); type its value"))
        return ""
    if cell.data_type == "e":
        problems.append(XlsProblem(sheet, row, column, f"the cell holds the spreadsheet error {value}; type its value"))
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        # Excel turns "1.2" or "3-4" typed in a cell into a date: what was meant is lost, so say so
        problems.append(XlsProblem(sheet, row, column, f"the cell holds a date or time ({value}), which no XLSForm column "
                                                       "Capacity reads means; format the cell as Text and type it again"))
        return ""
    return str(value).strip()


def _header(written: str, sheet: str, texts: tuple[str, ...], plain: tuple[str, ...], problems: list[XlsProblem]):
    """(column, language or None) of a header, or None when it is ignored."""
    column, sep, language = written.partition("::")
    column = normal(column)
    if sep:
        code = c.language_of(language)
        if column not in texts:
            if column in REFUSED_COLUMNS or column.startswith("media"):
                return ("refused:" + column, None)
            problems.append(XlsProblem(sheet, 1, written, f"'{column}' is not a column Capacity reads per language "
                                                          f"(those are {', '.join(texts)})"))
            return None
        if code is None:
            problems.append(XlsProblem(sheet, 1, written, f"unknown language '{language.strip()}'; write one of "
                                                          + ", ".join(c.language_label(k) for k in c.KNOWN_LANGUAGES)))
            return None
        return (column, code)
    if column in texts:
        problems.append(XlsProblem(sheet, 1, written, f"say which language this column is in, e.g. '{column}::English (en)'"))
        return None
    if column in plain:
        return (column, None)
    if column in IGNORED_COLUMNS:
        return None
    if column in REFUSED_COLUMNS or column.startswith("media"):
        return ("refused:" + column, None)
    if column.startswith(c.RESERVED):
        problems.append(XlsProblem(sheet, 1, written, f"unknown Capacity column '{column}'; Capacity's columns here are "
                                                      + ", ".join(x for x in plain + texts if x.startswith(c.RESERVED))))
        return None
    return ("unknown:" + column, None)


def read_sheet(book, name: str, texts: tuple[str, ...], plain: tuple[str, ...], problems: list[XlsProblem]) -> Sheet:
    """The non-blank rows of one sheet, cells by normalised column; refuses formulas, duplicate and unknown columns."""
    shown = normal(name)
    rows_iter = every_row(book[name])  # every row the sheet holds, so no question is dropped unseen
    header_cells = next(rows_iter, ())
    columns: list[tuple[str, str | None] | None] = []
    seen: dict[tuple[str, str | None], str] = {}
    headers: dict[str, str] = {}
    languages: list[str] = []
    header_texts: list[str] = []
    for cell in header_cells:
        written = _value(cell, shown, 1, "", problems)
        header_texts.append(written)
        found = _header(written, shown, texts, plain, problems) if written else None
        if found in seen:
            problems.append(XlsProblem(shown, 1, written, f"the column is given twice (also as '{seen[found]}')"))
            found = None
        if found:
            seen[found] = written
            headers[found[0] if found[1] is None else f"{found[0]}::{found[1]}"] = written
            if found[1] and found[1] not in languages:
                languages.append(found[1])
        columns.append(found)
    rows = []
    for index, cells in enumerate(rows_iter, start=2):
        if all(cell.value is None for cell in cells):
            continue  # blank (perhaps only formatted) rows, down to the sheet's last row, cost nothing
        if index > MAX_ROWS:
            problems.append(XlsProblem(shown, index, "", f"more than {MAX_ROWS} rows; a questionnaire is far smaller"))
            break
        row = Row(shown, index, {})
        for position, cell in enumerate(cells):
            if len(problems) >= MAX_PROBLEMS:  # a sheet that is not a form at all: say enough, quickly
                raise XlsFormError(problems[:MAX_PROBLEMS] + [XlsProblem(
                    shown, index, "", f"stopped reading after {MAX_PROBLEMS} problems; fix those first (is this an "
                                      "XLSForm?)")])
            column = columns[position] if position < len(columns) else None
            if column is None:
                if position >= len(columns) or not header_texts[position]:
                    if _value(cell, shown, index, "", []):  # a value under no header would be lost silently
                        problems.append(XlsProblem(shown, index, _letter(position), "the cell has a value but its column "
                                                   "has no header; name the column or empty the cell"))
                continue
            value = _value(cell, shown, index, seen[column], problems)
            if not value:
                continue
            if column[0] == "version" and isinstance(cell.value, float) and not cell.value.is_integer():
                problems.append(XlsProblem(shown, index, seen[column], f"the version is a number cell ({cell.value}), "
                                           "so Excel may have changed it (1.10 becomes 1.1); format the cell as Text "
                                           "and type the version again"))
                continue
            if column[0].startswith("refused:"):
                problems.append(XlsProblem(shown, index, seen[column], f"Capacity has no place for '{column[0][8:]}'; "
                                                                       "empty the column or remove it"))
            elif column[0].startswith("unknown:"):
                problems.append(XlsProblem(shown, index, seen[column], f"unknown column '{column[0][8:]}'; Capacity reads "
                                                                       + ", ".join(plain + tuple(f"{t}::…" for t in texts))))
            elif column[1] is None:
                row.cells[column[0]] = value
            else:
                row.texts.setdefault(column[0], {})[column[1]] = value
        if row.cells or row.texts:
            rows.append(row)
    return Sheet(shown, rows, languages, headers)


def _letter(position: int) -> str:
    """The spreadsheet's name of a column (0 → "A", 26 → "AA")."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


# What the shared opening refuses, said for the command line (the file and sheet are named by the caller)
_REFUSALS = {
    Reason.EMPTY: "the file is empty",
    Reason.TOO_LARGE: f"the file is larger than {MAX_BYTES // (1024 * 1024)} MB",
    Reason.OLD_EXCEL: "an Excel 97-2003 (.xls) workbook; save it as Excel Workbook (.xlsx)",
    # a questionnaire's form unpacks to a few MB (the shipped one: half a MB); reading hundreds of MB of cells
    # would take minutes
    Reason.UNPACKS_TOO_LARGE: f"the workbook unpacks to more than {MAX_UNPACKED // (1024 * 1024)} MB; a "
                              "questionnaire's form is far smaller",
}


def open_workbook(data: bytes):
    """The openpyxl workbook of ``data``, or XlsFormError saying why it is not one."""
    try:
        if not is_xlsx(data, max_bytes=MAX_BYTES):
            text = b"," in data[:2000] or b";" in data[:2000]
            raise XlsFormError([XlsProblem("workbook", 1, "", "not an .xlsx workbook" + (
                " (it looks like a CSV or text file)" if text else "") + "; save the form as Excel (.xlsx)")])
        # formulas are kept as formulas (data_only=False), so that a cell holding one is refused, not guessed
        return spreadsheets.open_workbook(data, max_unpacked=MAX_UNPACKED, data_only=False)
    except SpreadsheetProblem as problem:
        why = _REFUSALS.get(problem.reason) or ("cannot open the workbook ("
                                                 + (problem.detail or "a ZIP archive holding no workbook")
                                                 + "); save the form as Excel (.xlsx)")
        raise XlsFormError([XlsProblem("workbook", 1, "", why)]) from None


def sheet_names(book) -> dict[str, str]:
    """Normalised sheet name → sheet name as written."""
    return {normal(name): name for name in book.sheetnames}
