"""Kobo-style submissions exports built in the test from a questionnaire, as KoboToolbox writes them for the
collection form Capacity makes: headers are group paths, metadata columns around, a multiple choice as
space-separated codes plus one 0/1 column per option."""
from __future__ import annotations

import io

KOBO_BEFORE = ["start", "end", "today", "deviceid"]
KOBO_AFTER = ["__version__", "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
              "_status", "_submitted_by", "_tags", "_index"]


def path(indicator, joiner: str = "/") -> str:
    return joiner.join([indicator.domain] + ([indicator.sub_area] if indicator.sub_area else []) + [indicator.code])


def headers(questionnaire, joiner: str = "/", *, bare: bool = False) -> list[str]:
    names = KOBO_BEFORE + ["capacity_organisation"]
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue
        name = indicator.code if bare else path(indicator, joiner)
        names.append(name)
        if indicator.type == "multiple":
            names += [f"{name}/{o.code}" for o in indicator.options]
    return names + KOBO_AFTER


def rows(questionnaire, submissions: list[tuple[str, dict[str, str]]], joiner: str = "/",
         *, bare: bool = False) -> list[list[object]]:
    """One row per (organisation code, {indicator code: cell text}); 0/1 columns follow the multiple answers."""
    out = [headers(questionnaire, joiner, bare=bare)]
    for n, (org, answers) in enumerate(submissions, start=1):
        row: list[object] = ["2026-05-01T10:00:00.000+04:00", "2026-05-01T10:30:00.000+04:00", "2026-05-01",
                             "enketo.kobotoolbox.org:abc", org]
        for indicator in questionnaire.indicators:
            if indicator.computed is not None:
                continue
            text = answers.get(indicator.code, "")
            row.append(text)
            if indicator.type == "multiple":
                ticked = text.split()
                row += [("1" if o.code in ticked else "0") if text else "" for o in indicator.options]
        row += ["vA1b2", f"uuid:{n:08d}", 1000 + n, f"{n:08d}-uuid", "2026-05-01T06:31:00", "", "", "submitted_via_web",
                "", "", n]
        out.append(row)
    return out


def xlsx(table: list[list[object]]) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Capacity collection"
    for row in table:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(table: list[list[object]], delimiter: str = ";", *, bom: bool = True, encoding: str = "utf-8") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if v is None else v for v in row])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode(encoding)
