"""Importing organisations from a CSV file: all rows or none.

Every bad row is reported with its line number, field and reason, and nothing
is imported while any row is bad, so a partly fixed file can simply be run again.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email

from capacity.organisations import geography, services

COLUMNS = ("code", "name_ka", "name_en", "municipality", "service_areas", "contact_name", "contact_email", "contact_phone")
REQUIRED = ("code", "name_ka", "name_en", "municipality")


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


class ImportFailed(ValueError):
    """The file cannot be imported; ``problems`` has one line per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


def read_rows(data: bytes, filename: str) -> list[tuple[int, dict[str, str]]]:
    """Decode and parse the CSV; return (line number, row) pairs. Raise ImportFailed on a bad file."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{filename}: not UTF-8 text (byte {exc.start}); save the file as CSV UTF-8"]) from exc
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    if not header:
        raise ImportFailed([f"{filename}: the file is empty; the first line must name the columns: {', '.join(COLUMNS)}"])
    problems = []
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in COLUMNS]
    if missing:
        problems.append(f"{filename}:1: missing column(s) {', '.join(missing)}; the columns are: {', '.join(COLUMNS)}")
    if unknown:
        problems.append(f"{filename}:1: unknown column(s) {', '.join(unknown)}; the columns are: {', '.join(COLUMNS)}")
    if problems:
        raise ImportFailed(problems)
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:  # more cells than columns
            raise ImportFailed([f"{filename}:{reader.line_num}: more cells than the {len(header)} columns of the header"])
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    return rows


def _check_row(row: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    problems, values = [], {}
    for name in REQUIRED:
        if not row.get(name):
            problems.append(f"{name}: required")
    code = row.get("code", "")
    if code and (why := services.code_problem(code)):
        problems.append(f"code: '{code}' is not valid: {why}")
    for name in ("name_ka", "name_en"):
        if len(row.get(name, "")) > 200:
            problems.append(f"{name}: longer than 200 characters")
    if row.get("municipality"):
        place = geography.find(geography.MUNICIPALITIES, row["municipality"])
        if place is None:
            known = ", ".join(geography.MUNICIPALITIES)
            problems.append(f"municipality: '{row['municipality']}' is not a programme municipality ({known})")
        else:
            values["municipality"] = place.code
    areas = []
    for item in filter(None, (a.strip() for a in row.get("service_areas", "").split(";"))):
        place = geography.find(geography.SERVICE_AREAS, item)
        if place is None:
            problems.append(f"service_areas: '{item}' is unknown (use {', '.join(geography.SERVICE_AREAS)}, separated by ';')")
        else:
            areas.append(place.code)
    values["service_areas"] = areas
    email = row.get("contact_email", "")
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            problems.append(f"contact_email: '{email}' is not an e-mail address ({exc})")
    values.update(name_ka=row.get("name_ka", ""), name_en=row.get("name_en", ""),
                  contact_name=row.get("contact_name", ""), contact_email=email,
                  contact_phone=row.get("contact_phone", ""))
    return values, problems


def import_organisations(actor: Any, data: bytes, filename: str, *, update: bool = False) -> ImportReport:
    """Check every row, then create (or with ``update``, also change) the organisations.

    Raises ImportFailed listing every problem as ``file:line: field: reason``;
    in that case nothing is added to the session.
    """
    rows = read_rows(data, filename)
    if not rows:
        raise ImportFailed([f"{filename}: no organisations below the header line"])
    problems: list[str] = []
    checked: list[tuple[str, dict[str, Any]]] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        values, row_problems = _check_row(row)
        code = row.get("code", "")
        if code in first_line:
            row_problems.append(f"code: '{code}' already appears on line {first_line[code]}")
        elif code:
            first_line[code] = line
            if not update and services.by_code(code) is not None:
                row_problems.append(f"code: '{code}' already exists (use --update to change existing organisations)")
        problems.extend(f"{filename}:{line}: {p}" for p in row_problems)
        checked.append((code, values))
    if problems:
        raise ImportFailed(problems)
    report = ImportReport()
    for code, values in checked:
        existing = services.by_code(code)
        if existing is None:
            services.create_organisation(actor, code, values)
            report.created.append(code)
        else:
            services.update_organisation(actor, existing, values)
            report.updated.append(code)
    return report
