"""Which column of a submissions export answers which indicator, and what one row's cells say as answers.

Kobo names a column by the question's group path joined with '/' ("GOV/GOV.A/GOV.1"), ODK Central with '-'
("GOV-GOV.A-GOV.1"), and either may give the bare name ("GOV.1"). Capacity's collection form puts each domain in
a group named by its code and each sub-area in a nested group, so each indicator has exactly these names. A
multiple choice also gets one 0/1 column per option ("GOV/GOV.A/GOV.3/women"): the space-separated column is
what counts, the 0/1 columns are read only when it is missing. Kobo's and ODK's own columns (submission time,
ids, device, validation status, …) are known and left aside, and so are the profile questions the collection
form asks in its group ``capacity_profile`` (profile data is entered on the web); any other column is listed as
unknown.

Values are turned into what the web's answer form sends (``AnswerInput``), so ``answering.validate`` checks them
exactly as it checks a page: "na" means not applicable (the collection form's choice for it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from capacity.assessments.answering import AnswerInput
from capacity.questionnaires.model import Indicator, Questionnaire
from capacity.submissions.reading import ORGANISATION_COLUMN

NA = "na"
# Columns KoboToolbox adds to every export.
KOBO_METADATA = frozenset({
    "start", "end", "today", "deviceid", "subscriberid", "simserial", "phonenumber", "username", "audit",
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__",
    "_tags", "_index", "_parent_index", "_parent_table_name", "_version_", "_xform_id_string", "_attachments",
    "_geolocation", "_media_all_received", "_total_media", "_attachments_count",
    "meta/instanceid", "meta/instancename", "meta/deprecatedid", "meta/rootuuid", "meta/audit", "formhub/uuid",
})
# Columns ODK Central adds.
ODK_METADATA = frozenset({
    "submissiondate", "key", "meta-instanceid", "meta-instancename", "meta-deprecatedid", "meta-audit", "submitterid",
    "submittername", "attachmentspresent", "attachmentsexpected", "status", "reviewstate", "deviceid", "edits",
    "formversion", "instanceid",
})
METADATA = KOBO_METADATA | ODK_METADATA
# The collection form also asks the organisation's profile, in this group: not imported (entered on the web).
PROFILE_GROUP = "capacity_profile"


def is_metadata(header: str) -> bool:
    """Kobo's and ODK's own columns (compared without case: exports differ in "meta/instanceID")."""
    name = header.strip().lower()
    return name in METADATA or name.startswith(("_", "meta/", "meta-", "formhub/"))


@dataclass(frozen=True)
class Column:
    index: int
    header: str


@dataclass
class ColumnMap:
    """Where each thing is in the file: the organisation column, the indicator columns (by code), the 0/1
    option columns of multiple choices (by code, then option), the metadata and the unknown columns."""

    organisation: Column | None = None
    indicators: dict[str, Column] = field(default_factory=dict)
    options: dict[str, dict[str, Column]] = field(default_factory=dict)
    metadata: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    profile: list[str] = field(default_factory=list)
    twice: list[tuple[str, list[str]]] = field(default_factory=list)  # (indicator code, its headers)


def indicator_paths(questionnaire: Questionnaire, indicator: Indicator) -> set[str]:
    """Every name Kobo or ODK may give the indicator's column."""
    groups = [indicator.domain] + ([indicator.sub_area] if indicator.sub_area else [])
    names = {indicator.code}
    for joiner in ("/", "-"):
        names.add(joiner.join(groups + [indicator.code]))
        if indicator.sub_area:  # a form made without the sub-area group
            names.add(joiner.join([indicator.domain, indicator.code]))
    return names


def map_columns(questionnaire: Questionnaire, headers: tuple[str, ...]) -> ColumnMap:
    """Sort the file's columns: organisation, indicators, option columns, metadata, unknown."""
    paths: dict[str, str] = {}
    options: dict[str, tuple[str, str]] = {}
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue  # computed from profile data: never collected
        for path in indicator_paths(questionnaire, indicator):
            paths[path] = indicator.code
            if indicator.type == "multiple":
                for option in indicator.options:
                    for joiner in ("/", "-"):
                        options[f"{path}{joiner}{option.code}"] = (indicator.code, option.code)
    found = ColumnMap()
    by_code: dict[str, list[Column]] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = Column(index, header)
        if header == ORGANISATION_COLUMN or header.endswith(("/" + ORGANISATION_COLUMN, "-" + ORGANISATION_COLUMN)):
            found.organisation = found.organisation or column
        elif header in paths:
            by_code.setdefault(paths[header], []).append(column)
        elif header in options:
            code, option = options[header]
            found.options.setdefault(code, {})[option] = column
        elif header.startswith((PROFILE_GROUP + "/", PROFILE_GROUP + "-")):
            found.profile.append(header)
        elif is_metadata(header):
            found.metadata.append(header)
        else:
            found.unknown.append(header)
    for code, columns in by_code.items():
        if len(columns) > 1:
            found.twice.append((code, [c.header for c in columns]))
        found.indicators[code] = columns[0]
    return found


@dataclass(frozen=True)
class Cell:
    """One indicator's answer in one row: the column it came from, the text written, and the input built from it."""

    code: str
    header: str
    text: str
    given: AnswerInput


def row_answers(questionnaire: Questionnaire, columns: ColumnMap, cells: tuple[str, ...]) -> list[Cell]:
    """The answers one row gives, in questionnaire order; an empty cell gives none (what is stored stays)."""
    answers = []
    for indicator in questionnaire.indicators:
        column = columns.indicators.get(indicator.code)
        if column is not None:
            text, header = cells[column.index], column.header
        elif indicator.code in columns.options:  # only the 0/1 columns: the ticked ones are those holding 1
            ticked = {option: cells[c.index] for option, c in columns.options[indicator.code].items()}
            if not any(ticked.values()):
                continue
            text = " ".join(o.code for o in indicator.options if ticked.get(o.code, "").strip() in ("1", "1.0"))
            header = ", ".join(c.header for c in columns.options[indicator.code].values())
        else:
            continue
        if text == "":
            continue
        answers.append(Cell(indicator.code, header, text, as_input(indicator, text)))
    return answers


def as_input(indicator: Indicator, text: str) -> AnswerInput:
    """What the web's answer form would send for ``text`` (revision 0: the caller sets the stored one)."""
    if indicator.has_levels:
        return AnswerInput(choice=text, revision=0)
    if indicator.type == "multiple":
        ticked = tuple(text.split())
        if ticked == (NA,) and indicator.option(NA) is None:
            return AnswerInput(choice="", na=True, revision=0)
        return AnswerInput(choice="", values=ticked, revision=0)
    if indicator.type in ("yes_no", "single", "number") and text == NA and indicator.option(NA) is None:
        return AnswerInput(choice="", na=True, revision=0)
    return AnswerInput(choice="", values=(text,), revision=0)
