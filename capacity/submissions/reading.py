"""Reading a submissions export (KoboToolbox or ODK Central) into a header and rows of plain strings.

Kobo writes XLSX or CSV (``;`` or ``,``), ODK Central CSV. Whatever arrives — an empty file, an old ``.xls``,
a PDF renamed ``.xlsx``, a CSV in Windows-1251 or UTF-16, a spreadsheet of a million rows, an export with labels
instead of XML values — is refused with a ``FileProblem`` that says what is wrong and what to do; nothing here
touches the database. Every value becomes a string as Kobo wrote it ("" for an empty cell): a number that Excel
stored as 2.0 reads "2", a date its ISO form. Formulas are never evaluated (values only).
"""
from __future__ import annotations

import csv
import io
import itertools
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from flask_babel import lazy_gettext as _l

from capacity.spreadsheets import Reason, SpreadsheetProblem, every_row, is_xlsx, number_text, open_workbook

# Kobo's exports of a few hundred organisations are far smaller; anything beyond is not a submissions export.
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 2000
MAX_CELL_CHARS = 10000
# Cells of a spreadsheet, all sheets together: 5000 submissions of 200 columns. Counted before the spreadsheet is
# read: a few MB packed can hold tens of millions of cells, which would take minutes and gigabytes to read.
MAX_CELLS = 1_000_000
MAX_SHARED_STRINGS = 1_000_000
# The header row is the first one holding the organisation column; Kobo writes it first, but a person may have
# put a title above it.
HEADER_SEARCH_ROWS = 20
ORGANISATION_COLUMN = "capacity_organisation"

# A zip bomb: the sheets would unpack to far more than any export holds.
MAX_UNPACKED = 20 * MAX_BYTES


class FileProblem(ValueError):
    """The file as a whole cannot be read; ``message`` (lazy, translated) says why and what to do."""

    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Table:
    """The header row and the rows below it; ``rows`` pairs each row's number in the file (1-based, as a
    spreadsheet or text editor shows it) with its cells, padded to the header's width."""

    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    kind: str  # "xlsx" or "csv"


def _cell(value: Any) -> str:
    """A cell as Kobo meant it: text; 2.0 → "2"; a date or time in ISO form; None → ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, datetime) and value.time() == time(0, 0):
        return value.date().isoformat()  # Excel keeps a date as a datetime at midnight
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value)


def _refusal(problem: SpreadsheetProblem, size: int) -> FileProblem:
    """What the shared opening refused, said for the submissions page."""
    reason = problem.reason
    if reason is Reason.EMPTY:
        return FileProblem(_l("The file is empty."))
    if reason is Reason.TOO_LARGE:
        return FileProblem(_l("The file is too large (%(size)s MB): a submissions export may be at most %(limit)d MB.",
                              size=f"{size / 1024 / 1024:.1f}", limit=MAX_BYTES // 1024 // 1024))
    if reason is Reason.OLD_EXCEL:
        return FileProblem(_l("This is an old Excel file (.xls). Export the submissions from KoboToolbox again as "
                              "XLSX or CSV."))
    if reason is Reason.DAMAGED:
        return FileProblem(_l("The file looks like an XLSX spreadsheet but is damaged or incomplete. "
                              "Export it from KoboToolbox again."))
    if reason is Reason.UNPACKS_TOO_LARGE:
        return FileProblem(_l("The spreadsheet unpacks to far more data than a submissions export holds."))
    if reason is Reason.NOT_WORKBOOK:
        return FileProblem(_l("The file is a ZIP archive, not an XLSX spreadsheet. Upload the XLSX or CSV file "
                              "KoboToolbox exported."))
    return _unreadable()


def _unreadable() -> FileProblem:
    return FileProblem(_l("The spreadsheet cannot be read: it is damaged or not an XLSX file. "
                          "Export it from KoboToolbox again."))


def read_table(data: bytes) -> Table:
    """The submissions in ``data`` (the bytes of an XLSX or CSV file); FileProblem when they cannot be read."""
    try:
        if is_xlsx(data, max_bytes=MAX_BYTES):
            # values, not formulas (data_only): a formula is never evaluated, its stored value is what Kobo wrote
            workbook = open_workbook(data, max_unpacked=MAX_UNPACKED, data_only=True, inspect=_count_cells)
            return _table(_xlsx_rows(workbook), "xlsx")
    except SpreadsheetProblem as problem:
        raise _refusal(problem, len(data)) from None
    return _table(_csv_rows(data), "csv")


def _xlsx_rows(workbook) -> list[tuple[int, list[str]]]:
    try:
        # Kobo puts the submissions on the first sheet (repeat groups, which Capacity's forms have none of,
        # would come on further sheets).
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileProblem(_l("The spreadsheet has no sheets."))
        rows, filled = [], 0
        for number, values in enumerate(every_row(sheet, values_only=True, max_col=MAX_COLUMNS + 1), start=1):
            cells = [_cell(v) for v in values]
            if not any(cells):
                continue  # a blank row (re-saved sheets carry formatted empty rows to their end): nothing to read
            filled += 1
            if filled > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileProblem(_l("The file has more than %(n)d rows: split it into smaller files.", n=MAX_ROWS))
            rows.append((number, cells))
        return rows
    except FileProblem:
        raise
    except Exception:
        raise _unreadable() from None
    finally:
        workbook.close()


def _count_cells(data: bytes) -> None:
    """Refuse a spreadsheet with too many cells, rows, cells in a row or shared strings, before openpyxl reads it.

    Every XML part is streamed (whichever part the workbook names as its sheet) and each row or string is dropped
    once counted, so this takes little memory whatever the part holds; it stops at the first limit passed.
    A part that is not well-formed is left to openpyxl, which refuses it as damaged.
    """
    from xml.etree.ElementTree import ParseError, iterparse

    cells = strings = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if not info.filename.endswith(".xml"):
                continue
            rows, in_row, open_elements = 0, 0, []
            try:
                with archive.open(info) as stream:
                    for event, element in iterparse(stream, events=("start", "end")):
                        if event == "start":
                            open_elements.append(element)
                            continue
                        open_elements.pop()
                        tag = element.tag.rpartition("}")[2]
                        if tag == "c":
                            cells, in_row = cells + 1, in_row + 1
                            if in_row > MAX_COLUMNS + 1:
                                raise FileProblem(_l("The file has more than %(n)d columns: this is not a submissions "
                                                     "export.", n=MAX_COLUMNS))
                            if cells > MAX_CELLS:
                                raise FileProblem(_l("The spreadsheet has more than %(n)d cells: split the submissions "
                                                     "into smaller files.", n=MAX_CELLS))
                        elif tag == "row":
                            rows, in_row = rows + 1, 0
                            if rows > MAX_ROWS + HEADER_SEARCH_ROWS:
                                raise FileProblem(_l("The file has more than %(n)d rows: split it into smaller files.",
                                                     n=MAX_ROWS))
                        elif tag in ("v", "t") and element.text and len(element.text) > MAX_CELL_CHARS:
                            raise FileProblem(_l("The spreadsheet holds a cell of more than %(n)d characters: this "
                                                 "is not a submissions export.", n=MAX_CELL_CHARS))
                        elif tag == "si":
                            strings += 1
                            if strings > MAX_SHARED_STRINGS:
                                raise FileProblem(_l("The spreadsheet has more than %(n)d different texts: split the "
                                                     "submissions into smaller files.", n=MAX_SHARED_STRINGS))
                        if tag in ("row", "si") and open_elements:
                            open_elements[-1].remove(element)  # counted: let it go
            except FileProblem:
                raise
            except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError):
                continue  # damaged: openpyxl says so


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileProblem(_l("The file is in UTF-16. Export the CSV from KoboToolbox again (it writes UTF-8), or "
                             "save it as “CSV UTF-8”."))
    if b"\x00" in data[:4096]:
        raise FileProblem(_l("This is not a CSV or XLSX file. Upload the submissions as KoboToolbox exported "
                             "them (XLSX or CSV)."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise FileProblem(_l("The file is not in UTF-8 (line %(line)d cannot be read): it may have been saved in "
                             "another encoding such as Windows-1251, or it is not a CSV file. Save it as "
                             "“CSV UTF-8” or export it from KoboToolbox again.", line=line)) from None
    if "\x00" in text:
        raise FileProblem(_l("This is not a CSV or XLSX file. Upload the submissions as KoboToolbox exported "
                             "them (XLSX or CSV)."))
    return text.removeprefix("\ufeff")


def _delimiter(first_line: str) -> str:
    """Kobo writes ';' or ','; ODK Central ','. The one the header line uses most (a header has no quoted text
    with separators in it, so counting is enough)."""
    counts = {d: first_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    text = _decode(data)
    # Only the first lines are looked at: a file of ten million empty lines is not split into a list of them.
    lines = list(itertools.islice(io.StringIO(text, newline=None), HEADER_SEARCH_ROWS))
    header_line = next((line for line in lines if ORGANISATION_COLUMN in line), lines[0] if lines else "")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    rows = []
    try:
        for values in reader:
            if reader.line_num > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileProblem(_l("The file has more than %(n)d rows: split it into smaller files.", n=MAX_ROWS))
            rows.append((reader.line_num, values[:MAX_COLUMNS + 1]))
    except csv.Error as error:
        raise FileProblem(_l("Line %(line)d of the CSV file cannot be read (%(why)s). Export it from KoboToolbox "
                             "again.", line=reader.line_num, why=str(error))) from None
    return rows


def _is_organisation_header(name: str) -> bool:
    return name == ORGANISATION_COLUMN or name.endswith(("/" + ORGANISATION_COLUMN, "-" + ORGANISATION_COLUMN))


def _table(raw: list[tuple[int, list[str]]], kind: str) -> Table:
    header_at = next((i for i, (_n, values) in enumerate(raw[:HEADER_SEARCH_ROWS])
                      if any(_is_organisation_header(v.strip()) for v in values)), None)
    if header_at is None:
        raise FileProblem(_l("No column “%(column)s” (whose answers they are) was found in the first rows. Export the "
                             "submissions of the collection form Capacity made, with “XML values and headers” "
                             "(not labels).", column=ORGANISATION_COLUMN))
    header_number, header = raw[header_at]
    headers = [h.strip() for h in header]
    while headers and not headers[-1]:
        headers.pop()
    if len(headers) > MAX_COLUMNS:
        raise FileProblem(_l("The file has more than %(n)d columns: this is not a submissions export.", n=MAX_COLUMNS))
    seen: dict[str, int] = {}
    for name in headers:
        if name:
            seen[name] = seen.get(name, 0) + 1
    twice = sorted(name for name, count in seen.items() if count > 1)
    if twice:
        raise FileProblem(_l("Row %(row)d names these columns more than once: %(names)s. Each column may appear "
                             "only once.", row=header_number, names=", ".join(twice)))
    width = len(headers)
    rows = []
    for number, values in raw[header_at + 1:]:
        cells = [v.strip() for v in values]
        if any(cells[width:]):
            raise FileProblem(_l("Row %(row)d has more cells than the header row has columns.", row=number))
        long = next((c for c in cells if len(c) > MAX_CELL_CHARS), None)
        if long is not None:
            raise FileProblem(_l("Row %(row)d holds a cell of more than %(n)d characters: this is not a "
                                 "submissions export.", row=number, n=MAX_CELL_CHARS))
        cells = (cells + [""] * width)[:width]
        rows.append((number, tuple(cells)))
    if len(rows) > MAX_ROWS:
        raise FileProblem(_l("The file has more than %(n)d rows: split it into smaller files.", n=MAX_ROWS))
    return Table(tuple(headers), tuple(rows), kind)
