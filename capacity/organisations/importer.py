"""Importing subjects (organisations, services, municipalities) from a CSV file: all rows or none.

Every bad row is reported with its line number, field and reason, and nothing
is imported while any row is bad, so a partly fixed file can simply be run again.
The optional columns ``kind`` (a kind of questionnaires/subjects.yaml; empty:
organisation, or unchanged with --update) and ``parent`` (the code of the subject
a row belongs to, e.g. a service's organisation, in the database or in the file)
may be left out: a file without them imports organisations, as it always did.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from email_validator import EmailNotValidError, validate_email

from capacity.organisations import geography, services
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.subjects.lookup import all_kinds

COLUMNS = ("code", "kind", "parent", "name_ka", "name_en", "municipality", "service_areas", "contact_name",
           "contact_email", "contact_phone")
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
    kind = row.get("kind", "")
    if kind:
        kinds = all_kinds()
        if kind in kinds:
            values["kind"] = kind
        else:
            problems.append(f"kind: '{kind}' is not a subject kind (use {', '.join(kinds)})")
    if "parent" in row:
        values["parent"] = row["parent"] or None
    return values, problems


def _parent_problems(code: str, values: dict[str, Any], in_file: dict[str, dict[str, Any]], update: bool) -> list[str]:
    """What is wrong with a row's kind and parent, given the subjects in the database and the other rows."""
    existing = services.by_code(code) if code else None
    kinds = all_kinds()
    kind_code = values.get("kind") or (existing.kind if existing is not None and update else DEFAULT_KIND)
    kind = kinds.get(kind_code)
    if kind is None:
        return []  # an unknown kind is reported already
    problems = []
    if existing is not None and update and kind_code != existing.kind:
        if services.has_assessments(existing):
            problems.append(f"kind: '{code}' already has assessments (kind '{existing.kind}'); its kind cannot change")
        elif existing.children:
            problems.append(f"kind: other subjects belong to '{code}'; its kind cannot change")
    parent_code = values["parent"] if "parent" in values else (
        existing.parent.code if existing is not None and update and existing.parent is not None else None)
    if kind.parent is None:
        if parent_code:
            problems.append(f"parent: a subject of kind '{kind_code}' belongs to no other; leave the column empty")
        return problems
    if not parent_code:
        problems.append(f"parent: required for kind '{kind_code}': the code of the '{kind.parent}' it belongs to")
        return problems
    if parent_code == code:
        problems.append(f"parent: '{parent_code}' is the row's own code; a subject cannot belong to itself")
        return problems
    if parent_code in in_file:
        parent_kind = in_file[parent_code].get("kind") or DEFAULT_KIND
        found = services.by_code(parent_code)
        if not in_file[parent_code].get("kind") and found is not None and update:
            parent_kind = found.kind
    else:
        found = services.by_code(parent_code)
        if found is None:
            problems.append(f"parent: there is no subject '{parent_code}' (in the database or in this file)")
            return problems
        parent_kind = found.kind
    if parent_kind != kind.parent:
        problems.append(f"parent: '{parent_code}' is of kind '{parent_kind}', not '{kind.parent}'")
    return problems


def import_organisations(actor: Any, data: bytes, filename: str, *, update: bool = False) -> ImportReport:
    """Check every row, then create (or with ``update``, also change) the organisations.

    Raises ImportFailed listing every problem as ``file:line: field: reason``;
    in that case nothing is added to the session.
    """
    rows = read_rows(data, filename)
    if not rows:
        raise ImportFailed([f"{filename}: no organisations below the header line"])
    problems: dict[int, list[str]] = {}
    checked: list[tuple[int, str, dict[str, Any]]] = []
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
        problems[line] = row_problems
        checked.append((line, code, values))
    in_file = {code: values for _line, code, values in checked if code}
    for line, code, values in checked:
        problems[line].extend(_parent_problems(code, values, in_file, update))
    listed = [f"{filename}:{line}: {p}" for line, _code, _values in checked for p in problems[line]]
    if listed:
        raise ImportFailed(listed)
    report = ImportReport()
    # A subject comes after the one it belongs to, wherever the file has it.
    for line, code, values in sorted(checked, key=lambda item: bool(item[2].get("parent"))):
        existing = services.by_code(code)
        try:
            if existing is None:
                services.create_organisation(actor, code, values)
                report.created.append(code)
            else:
                services.update_organisation(actor, existing, values)
                report.updated.append(code)
        except services.SubjectProblem as problem:  # checked above; the service has the last word
            raise ImportFailed([f"{filename}:{line}: {problem.field}: {problem.message}"]) from problem
    return report
