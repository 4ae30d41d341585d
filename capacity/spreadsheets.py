"""Opening an untrusted .xlsx file safely, for the imports that read one (XLSForms, submissions exports).

What is refused here is refused the same way for every import: an empty file, one over the caller's size limit,
an old binary Excel file (.xls), a damaged ZIP, a ZIP that is no workbook, a workbook that unpacks to more than the
caller allows (a zip bomb) and one openpyxl cannot open. Each refusal is a ``SpreadsheetProblem`` naming a
``Reason``, never a message: each import says it in its own words (the XLSForm command in plain English for the
command line, the submissions page translated), and names its own limits.
"""
from __future__ import annotations

import enum
import io
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

ZIP_MAGIC = b"PK\x03\x04"  # an .xlsx is a ZIP archive
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary Excel format (.xls)


class Reason(enum.Enum):
    """Why a file is not a spreadsheet the imports will read."""

    EMPTY = "empty"  # no bytes, or only white space
    TOO_LARGE = "too large"  # more bytes than the caller's limit
    OLD_EXCEL = "old excel"  # an Excel 97-2003 (.xls) workbook
    DAMAGED = "damaged"  # starts like a ZIP but is not a readable one
    NOT_WORKBOOK = "not a workbook"  # a ZIP without xl/workbook.xml
    UNPACKS_TOO_LARGE = "unpacks too large"  # its parts unpack to more than the caller allows
    UNREADABLE = "unreadable"  # openpyxl could not open it


class SpreadsheetProblem(ValueError):
    """The file cannot be read as a spreadsheet: ``reason`` says why, ``detail`` the error's kind when one was
    raised (e.g. "BadZipFile"), for callers that name it."""

    def __init__(self, reason: Reason, detail: str = ""):
        super().__init__(reason.value + (f" ({detail})" if detail else ""))
        self.reason = reason
        self.detail = detail


def is_xlsx(data: bytes, *, max_bytes: int) -> bool:
    """Whether ``data`` is to be opened as an .xlsx (it is a ZIP archive); False for anything else (a CSV, or
    something that is neither: the caller decides). SpreadsheetProblem when it is empty, larger than ``max_bytes``
    or an old .xls workbook."""
    if not data or not data.strip():
        raise SpreadsheetProblem(Reason.EMPTY)
    if len(data) > max_bytes:
        raise SpreadsheetProblem(Reason.TOO_LARGE)
    if data.startswith(OLE_MAGIC):
        raise SpreadsheetProblem(Reason.OLD_EXCEL)
    return data.startswith(ZIP_MAGIC)


def open_workbook(data: bytes, *, max_unpacked: int, data_only: bool,
                  inspect: Callable[[bytes], None] | None = None) -> Any:
    """The openpyxl workbook (read-only) of the .xlsx ``data``, or SpreadsheetProblem.

    The archive is checked before openpyxl reads a cell: a damaged ZIP, one whose parts unpack to more than
    ``max_unpacked`` bytes (a few MB packed can hold gigabytes), or one without a workbook in it is refused. ``inspect``,
    when given, then looks at ``data`` before openpyxl does (to count cells, say); what it raises passes through.
    ``data_only`` False keeps formulas as formulas, so a caller can refuse them; True reads the values stored.
    The caller closes the workbook.
    """
    # openpyxl is loaded by the first import that needs it, not when the app starts
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception as error:  # zipfile raises more than BadZipFile on a broken archive; each means "damaged"
        raise SpreadsheetProblem(Reason.DAMAGED, type(error).__name__) from None
    if unpacked > max_unpacked:
        raise SpreadsheetProblem(Reason.UNPACKS_TOO_LARGE)
    if "xl/workbook.xml" not in names:
        raise SpreadsheetProblem(Reason.NOT_WORKBOOK)
    if inspect is not None:
        inspect(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as error:  # openpyxl raises many kinds on a broken file; every one means "cannot be read"
        raise SpreadsheetProblem(Reason.UNREADABLE, type(error).__name__) from None


def every_row(sheet: Any, **options: Any) -> Iterator[tuple]:
    """The rows of a read-only ``sheet`` (``options`` as openpyxl's ``iter_rows``), every one it holds.

    Read-only openpyxl stops at the size the sheet's <dimension> declares, and a file written by a tool other than
    Excel may declare less than it holds: rows would vanish without a word.
    """
    sheet.reset_dimensions()
    return sheet.iter_rows(**options)


def number_text(value: float) -> str:
    """A number cell as the person typed it: Excel stores every number as a float, so 2 reads "2", not "2.0"."""
    return str(int(value)) if value.is_integer() else repr(value)
