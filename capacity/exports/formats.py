"""Writing an export: CSV files (UTF-8 with BOM) in a ZIP, or one XLSX workbook.

Both guard against spreadsheet formula injection: a comment typed as
``=HYPERLINK(...)`` must arrive as text, never run as a formula.
"""
from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from capacity.exports.services import RoundExport

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MIMETYPE = "application/zip"
BOM = "\ufeff"
# Cells starting with these are read as formulas by Excel and LibreOffice (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MIN_WIDTH, MAX_WIDTH = 8, 60


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]


def _formula_like(column: pd.Series) -> pd.Series:
    text = column.where(column.map(lambda v: isinstance(v, str)), "")
    return text.astype(str).str.startswith(FORMULA_STARTS)


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    # A CSV cell has no type: the only safe way to keep Excel from evaluating it is a leading apostrophe.
    frame = frame.copy()
    for column in _text_columns(frame):
        risky = _formula_like(frame[column])
        if risky.any():
            frame[column] = frame[column].astype(object)
            frame.loc[risky, column] = "'" + frame.loc[risky, column].astype(str)
    return frame


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """One sheet as CSV: UTF-8 with a BOM, so Excel shows Georgian letters instead of mojibake; empty for N/A."""
    text = _neutralised(frame).to_csv(index=False, na_rep="", lineterminator="\r\n")
    return (BOM + text).encode("utf-8")


def csv_zip(export: RoundExport) -> bytes:
    """A ZIP holding long.csv, wide.csv and profile.csv."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, frame in export.sheets().items():
            archive.writestr(f"{name}.csv", csv_bytes(frame))
    return buffer.getvalue()


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, str):
        if not value:
            return None  # an empty comment is an empty cell (and fewer cells make a faster, smaller file)
        # Control characters pasted into a comment are not allowed in XLSX: openpyxl would refuse the whole file.
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _cell_values(frame: pd.DataFrame) -> list[list[object]]:
    # openpyxl wants plain Python values; a missing value becomes an empty cell, never 0 or "nan".
    values = frame.astype(object).where(frame.notna(), None).to_numpy(dtype=object)
    return [[_plain(v) for v in row] for row in values]


def _width(frame: pd.DataFrame, column: str) -> float:
    values = frame[column].dropna()
    shown = values.map("{:.2f}".format) if pd.api.types.is_float_dtype(values) else values.astype(str)
    lengths = shown.astype(str).str.len()
    longest = max(len(column), int(lengths.max()) if not lengths.empty else 0)
    return float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH))


def _write_sheet(workbook: Workbook, name: str, frame: pd.DataFrame) -> None:
    # A write-only sheet streams rows: several times faster than the normal mode for a whole round.
    # Its layout (widths, frozen header, filter) has to be set before the first row.
    sheet = workbook.create_sheet(name)
    for position, column in enumerate(frame.columns, start=1):
        sheet.column_dimensions[get_column_letter(position)].width = _width(frame, column)
    sheet.freeze_panes = "A2"
    if len(frame.columns):
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(frame.columns))}{len(frame) + 1}"
    bold = Font(bold=True)
    sheet.append([_styled(sheet, column, bold) for column in frame.columns])
    # Scores keep their full precision in the cell and show two decimals, as the reports print them.
    decimals = {n for n, column in enumerate(frame.columns) if pd.api.types.is_float_dtype(frame[column])}
    for row in _cell_values(frame):
        sheet.append([_as_text(sheet, v) if isinstance(v, str) and v.startswith("=")
                      else _decimal(sheet, v) if n in decimals and v is not None else v for n, v in enumerate(row)])


def _styled(sheet, value: str, font: Font) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = font
    return cell


def _decimal(sheet, value: float) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = "0.00"
    return cell


def _as_text(sheet, value: str) -> WriteOnlyCell:
    # openpyxl turns any string starting with "=" into a formula: keep it a plain string.
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_bytes(export: RoundExport) -> bytes:
    """One workbook with the sheets long, wide and profile: bold, frozen header row and readable column widths."""
    workbook = Workbook(write_only=True)
    for name, frame in export.sheets().items():
        _write_sheet(workbook, name, frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
