"""Writing an export: CSV files (UTF-8 with BOM) in a ZIP, or one XLSX workbook.

Both guard against spreadsheet formula injection: a comment typed as
``=HYPERLINK(...)`` must arrive as text, never run as a formula.

The workbook is written with XlsxWriter: about three times faster than
openpyxl's write-only mode for a whole round (95,000 cells), because it keeps no
cell objects and writes each one as a line of XML. This module is imported only
when an export is asked for (pandas and XlsxWriter are not loaded at start-up).
"""
from __future__ import annotations

import io
import math
import re
import zipfile

import numpy as np
import pandas as pd
import xlsxwriter

from capacity.exports.services import RoundExport

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MIMETYPE = "application/zip"
BOM = "\ufeff"
# Cells starting with these are read as formulas by Excel and LibreOffice (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Column widths in characters as a spreadsheet shows them; the file stores 0.71 more (the cell's padding),
# so the widest column stays within 60 there too.
MIN_WIDTH, MAX_WIDTH = 8, 59
# Control characters XML 1.0 cannot carry (tab, newline and carriage return can): a comment pasted with
# them must still export, so they are dropped (the same set openpyxl refuses).
ILLEGAL_CHARACTERS = re.compile(r"[\000-\010\013\014\016-\037]")


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def _formula_like(column: pd.Series) -> list[bool]:
    # A plain loop: pandas' string methods cost more than the test itself on object columns.
    return [isinstance(value, str) and value.startswith(FORMULA_STARTS) for value in column.tolist()]


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    # A CSV cell has no type: the only safe way to keep Excel from evaluating it is a leading apostrophe.
    copied = False
    for column in _text_columns(frame):
        risky = _formula_like(frame[column])
        if any(risky):
            if not copied:
                frame, copied = frame.copy(), True
            frame[column] = frame[column].astype(object)
            frame.loc[risky, column] = "'" + frame.loc[risky, column].astype(str)
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """One sheet as CSV: UTF-8 with a BOM, so Excel shows Georgian letters instead of mojibake; empty for N/A."""
    text = _neutralised(frame).to_csv(index=False, na_rep="", lineterminator="\r\n")
    return (BOM + text).encode("utf-8")


def csv_zip(export: RoundExport) -> bytes:
    """A ZIP holding one CSV file per sheet: long.csv, wide.csv, profile.csv, plan.csv and mentoring.csv."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in export.sheets().items():
            archive.writestr(f"{name}.csv", csv_bytes(frame))
    return buffer.getvalue()


def _width(frame: pd.DataFrame, column: str) -> float:
    values = frame[column].dropna()
    shown = values.map("{:.2f}".format) if pd.api.types.is_float_dtype(values) else values.astype(str)
    lengths = shown.astype(str).str.len()
    longest = max(len(column), int(lengths.max()) if not lengths.empty else 0)
    return float(min(max(longest + 1, MIN_WIDTH), MAX_WIDTH))


def _cells(column: pd.Series) -> list[object]:
    # Plain Python values; a missing value (NaN, None, pd.NA) becomes None: an empty cell, never 0 or "nan".
    return column.astype(object).where(column.notna(), None).tolist()


def _write_column(sheet, position: int, values: list[object], number_format) -> None:
    write_string, write_number = sheet.write_string, sheet.write_number
    for row, value in enumerate(values, start=1):
        if value is None:
            continue
        if isinstance(value, str):
            # write_string: always a text cell, so "=HYPERLINK(...)" is never a formula. An empty comment is
            # no cell at all (fewer cells, a smaller file); control characters would make the file unreadable.
            if value:
                write_string(row, position, ILLEGAL_CHARACTERS.sub("", value))
            continue
        if isinstance(value, np.generic):
            value = value.item()
        if isinstance(value, bool):
            sheet.write_boolean(row, position, value)
        elif isinstance(value, (int, float)):
            if not math.isfinite(value):  # a score that cannot be computed is empty, as in the CSV
                continue
            write_number(row, position, value, number_format)
        else:
            write_string(row, position, ILLEGAL_CHARACTERS.sub("", str(value)))


def _write_sheet(workbook, name: str, frame: pd.DataFrame, bold, decimals) -> None:
    sheet = workbook.add_worksheet(name)
    columns = list(frame.columns)
    for position, column in enumerate(columns):
        sheet.set_column(position, position, _width(frame, column))
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, len(frame), len(columns) - 1)
    sheet.write_row(0, 0, columns, bold)
    for position, column in enumerate(columns):
        # Scores keep their full precision in the cell and show two decimals, as the reports print them.
        number_format = decimals if pd.api.types.is_float_dtype(frame[column]) else None
        _write_column(sheet, position, _cells(frame[column]), number_format)


def xlsx_bytes(export: RoundExport) -> bytes:
    """One workbook with a sheet per table (long, wide, profile, plan, mentoring): bold, frozen header row with a
    filter, readable widths; an empty table still has its header row."""
    buffer = io.BytesIO()
    # Strings are never turned into formulas, numbers or links: what a user typed stays the text they typed
    # (an evidence address is text too; XlsxWriter would otherwise make it a link, and drop long ones).
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_numbers": False, "strings_to_urls": False})
    bold, decimals = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "0.00"})
    for name, frame in export.sheets().items():
        _write_sheet(workbook, name, frame, bold, decimals)
    workbook.close()
    return buffer.getvalue()
