"""Importing an XLSForm workbook as a questionnaire: read, build, write YAML, validate with the format's own rules.

Every problem is an ``XlsProblem`` (sheet, row as the spreadsheet shows it, column, why), including those the
questionnaire validator finds in the YAML the workbook became.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from capacity.questionnaires.checker import Checker
from capacity.questionnaires.model import Questionnaire
from capacity.questionnaires.questionnaire_file import read_questionnaire
from capacity.questionnaires.yamlpos import PosDict, YamlProblem, load
from capacity.xlsform import columns as c
from capacity.xlsform.build import Builder
from capacity.xlsform.reading import XlsFormError, XlsProblem, open_workbook, read_sheet, sheet_names
from capacity.xlsform.yaml_writer import write_yaml

MISSING_LANGUAGE = re.compile(r"has no [A-Za-z]+ \((\w+)\) translation")
HEADER = "# Imported from the XLSForm {name} by `capacity questionnaire import-xlsform`.\n"


@dataclass
class Imported:
    """A valid imported questionnaire: its YAML text, the loaded Questionnaire, and the weights the form gave."""

    yaml: str
    questionnaire: Questionnaire
    weights: dict[str, dict[str, float]] = field(default_factory=dict)


def import_xlsform(data: bytes, name: str = "form.xlsx") -> Imported:
    """Read an XLSForm workbook into a questionnaire; raises XlsFormError listing every problem (never half a result)."""
    book = open_workbook(data)
    try:
        sheets = _sheets(book)
    except XlsFormError:
        raise
    except Exception as error:  # a sheet openpyxl cannot walk (a chart sheet named "survey", a damaged part)
        raise XlsFormError([XlsProblem("workbook", 1, "", f"cannot read the workbook's sheets ({type(error).__name__}); "
                                                          "save it again as Excel (.xlsx)")]) from None
    finally:
        book.close()
    builder = Builder(*sheets)
    document, weights = builder.document()
    if builder.problems:
        raise XlsFormError(builder.problems)
    text, origins = write_yaml(document, HEADER.format(name=name))
    questionnaire, problems = validate_yaml(text, origins, name)
    if problems:
        raise XlsFormError(problems)
    return Imported(text, questionnaire, weights)


def _sheets(book):
    problems: list[XlsProblem] = []
    names = sheet_names(book)
    if c.SURVEY not in names:
        raise XlsFormError([XlsProblem("workbook", 1, "", f"no 'survey' sheet (sheets: {', '.join(book.sheetnames) or 'none'}); "
                                                          "an XLSForm has survey, choices and settings sheets")])
    survey = read_sheet(book, names[c.SURVEY], c.SURVEY_TEXTS, c.SURVEY_PLAIN, problems)
    choices = read_sheet(book, names[c.CHOICES], c.CHOICE_TEXTS, c.CHOICE_PLAIN, problems) if c.CHOICES in names else None
    settings = read_sheet(book, names[c.SETTINGS], c.SETTINGS_TEXTS, c.SETTINGS_PLAIN, problems) \
        if c.SETTINGS in names else None
    crosswalk = read_sheet(book, names[c.CROSSWALK], (), c.CROSSWALK_PLAIN, problems) if c.CROSSWALK in names else None
    if survey.rows and "type" not in {k for r in survey.rows for k in r.cells} | set(survey.headers):
        problems.append(XlsProblem(survey.name, 1, "type", "the survey sheet has no 'type' column"))
    if settings is None or not settings.rows:
        problems.append(XlsProblem("settings", 2, "form_id", "no settings row: add a settings sheet with form_id (the "
                                                             "questionnaire's code) and version"))
    if not survey.rows:
        problems.append(XlsProblem(survey.name, 2, "", "the survey sheet has no rows"))
    if problems:
        raise XlsFormError(problems)
    return survey, choices, settings, crosswalk


def validate_yaml(text: str, origins: dict[int, tuple[str, int, str]], name: str):
    """The questionnaire the YAML holds, or the validator's problems placed on the spreadsheet rows they came from."""
    check = Checker(name, text)
    try:
        data = load(text)
    except YamlProblem as error:  # the writer's own fault, reported rather than hidden
        return None, [XlsProblem("workbook", 1, "", f"the imported YAML does not parse: {error.message}")]
    questionnaire = read_questionnaire(data, check, hashlib.sha256(text.encode("utf-8")).hexdigest()) \
        if isinstance(data, PosDict) else None
    problems = []
    for problem in check.problems:
        line = max((n for n in origins if n <= problem.line), default=None)
        sheet, row, column = origins[line] if line is not None else ("settings", 2, "")
        missing = MISSING_LANGUAGE.search(problem.message)
        if missing and "::" in column:  # point at the empty cell's column, not the language written first
            column = c.text_column(column.partition("::")[0], missing.group(1))
        problems.append(XlsProblem(sheet, row, column, problem.message))
    return questionnaire, problems
