"""A questionnaire as an XLSForm workbook (survey, choices, settings), lossless for Capacity and valid for pyxform.

The collection form (``organisations`` given) starts with the question ``capacity_organisation``, so answers
collected in KoboToolbox or ODK say which subject (an organisation, a service, a municipality) they are about;
the question is labelled with the subject kind's name (``subject_label``), "Organisation" by default. A
questionnaire that assesses another kind than organisations says so in the setting ``capacity_subject``.
"""
from __future__ import annotations

import io
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from capacity.questionnaires.model import Domain, Indicator, ProfileQuestion, Questionnaire, Rubric, Text
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.xlsform import columns as c
from capacity.xlsform.conditions import to_relevant

PROFILE_KIND_TYPES = {"count": "integer", "money": "decimal", "percent": "decimal"}
ORGANISATION_LABEL = {"ka": "ორგანიზაცია", "en": "Organisation", "ru": "Организация", "hy": "Կազմակերպություն",
                      "az": "Təşkilat"}


class ExportError(ValueError):
    """The questionnaire cannot be written as an XLSForm (the message says why)."""


def export_xlsform(questionnaire: Questionnaire, *, rubric: Rubric | None = None,
                   organisations: Sequence[tuple[str, Text]] = (), subject_label: Text | None = None) -> bytes:
    """The .xlsx workbook of ``questionnaire``; weights from ``rubric`` in ``capacity_weight``; with ``organisations``
    ((code, name) pairs of the subjects) the collection form whose first question names the subject, labelled
    ``subject_label`` (the subject kind's name; None: "Organisation" in every language the export knows)."""
    return _workbook(*build_sheets(questionnaire, rubric=rubric, organisations=organisations,
                                   subject_label=subject_label))


def build_sheets(questionnaire: Questionnaire, *, rubric: Rubric | None = None,
                 organisations: Sequence[tuple[str, Text]] = (), subject_label: Text | None = None):
    """The rows (dicts column → value) of the survey, choices, settings and crosswalk sheets."""
    writer = _Writer(questionnaire, rubric)
    if organisations:
        # Collected answers need every label: a draft translation's gaps are filled as the app shows them (English,
        # then Georgian), where pyxform would show "-". Only the authoring export keeps gaps, to round-trip them.
        writer.fill_drafts = True
        writer.organisations(organisations, subject_label)
    writer.profile(questionnaire.profile)
    for domain in questionnaire.domains:
        writer.domain(domain)
    writer.scale()
    settings = {"form_title": questionnaire.title.get(writer.languages[0]), "form_id": questionnaire.id,
                "version": questionnaire.version, "default_language": c.language_label(writer.languages[0])}
    if questionnaire.draft_languages:
        settings["capacity_draft_languages"] = " ".join(questionnaire.draft_languages)
    if questionnaire.subject != DEFAULT_KIND:
        settings["capacity_subject"] = questionnaire.subject
    writer.texts(settings, "capacity_title", questionnaire.title)
    writer.texts(settings, "capacity_description", questionnaire.description)
    writer.texts(settings, "capacity_method", questionnaire.method)
    crosswalk = [{"from_version": questionnaire.crosswalk.from_version, "old_code": old, "new_code": new or ""}
                 for old, new in questionnaire.crosswalk.mapping.items()] if questionnaire.crosswalk else []
    return writer.survey, writer.choices, [settings], crosswalk, writer.languages


class _Writer:
    def __init__(self, questionnaire: Questionnaire, rubric: Rubric | None):
        self.q = questionnaire
        self.languages = questionnaire.content_languages
        self.rubric = rubric
        self.survey: list[dict] = []
        self.choices: list[dict] = []
        self.yes_no = False
        self.fill_drafts = False

    def texts(self, row: dict, column: str, text: Text | None) -> None:
        if text is not None:
            for code, value in c.texts_of(text, self.languages).items():
                row[c.text_column(column, code)] = text.get(code) if self.fill_drafts and not value else value

    def fixed(self, row: dict, column: str, texts: dict[str, str]) -> None:
        for code, value in c.fixed_text(texts, self.languages).items():
            row[c.text_column(column, code)] = value

    def weight(self, row: dict, table: str, code: str) -> None:
        weights = getattr(self.rubric, table, {}) if self.rubric else {}
        if code in weights:
            row["capacity_weight"] = c.number_text(weights[code])

    def choice(self, list_name: str, name: str, text: Text | dict, score: float | None = None) -> None:
        row = {"list_name": list_name, "name": name}
        if isinstance(text, dict):
            self.fixed(row, "label", text)
        else:
            self.texts(row, "label", text)
        if score is not None:
            row["capacity_score"] = c.number_text(score)
        self.choices.append(row)

    def organisations(self, organisations: Iterable[tuple[str, Text]], label: Text | None = None) -> None:
        row = {"type": f"select_one {c.ORGANISATIONS_LIST}", "name": c.ORGANISATION, "required": "yes"}
        if label is None:
            self.fixed(row, "label", ORGANISATION_LABEL)
        else:  # the kind's name: English where it has no text in a language of the questionnaire
            self.fixed(row, "label", {code: label.get(code) for code in ("en", *self.languages)})
        self.survey.append(row)
        for code, name in organisations:
            self.choice(c.ORGANISATIONS_LIST, code, name)

    def profile(self, questions: tuple[ProfileQuestion, ...]) -> None:
        if not questions:
            return
        self.survey.append({"type": "begin_group", "name": c.PROFILE_GROUP})
        for question in questions:
            row = {"type": PROFILE_KIND_TYPES[question.kind], "name": question.code, "capacity_kind": question.kind}
            if question.breakdown:
                row["capacity_breakdown"] = " ".join(question.breakdown)
            self.texts(row, "label", question.label)
            self.texts(row, "hint", question.help)
            self.survey.append(row)
        self.survey.append({"type": "end_group", "name": c.PROFILE_GROUP})

    def domain(self, domain: Domain) -> None:
        row = {"type": "begin_group", "name": domain.code}
        self.texts(row, "label", domain.title)
        self.texts(row, "capacity_description", domain.description)
        self.weight(row, "domain_weights", domain.code)
        self.survey.append(row)
        titles = {s.code: s for s in domain.sub_areas}
        asked = [i for i in domain.indicators if i.computed is None]
        runs: list[tuple[str | None, list[Indicator]]] = []
        for indicator in asked:
            if runs and runs[-1][0] == indicator.sub_area:
                runs[-1][1].append(indicator)
            else:
                runs.append((indicator.sub_area, [indicator]))
        done: set[str] = set()
        for sub_area, indicators in runs:
            if sub_area is None:
                for indicator in indicators:
                    self.indicator(indicator)
                continue
            if sub_area in done:
                raise ExportError(f"the indicators of sub-area {sub_area} are not listed together in domain "
                                  f"{domain.code}; an XLSForm group holds them in one place (reorder them first)")
            done.add(sub_area)
            start = {"type": "begin_group", "name": sub_area}
            self.texts(start, "label", titles[sub_area].title)
            self.weight(start, "sub_area_weights", sub_area)
            self.survey.append(start)
            for indicator in indicators:
                self.indicator(indicator)
            self.survey.append({"type": "end_group", "name": sub_area})
        for sub in domain.sub_areas:  # a sub-area holding computed indicators only
            if sub.code not in done:
                start = {"type": "begin_group", "name": sub.code}
                self.texts(start, "label", sub.title)
                self.weight(start, "sub_area_weights", sub.code)
                self.survey += [start, {"type": "end_group", "name": sub.code}]
        for indicator in domain.indicators:
            if indicator.computed is not None:
                self.computed(indicator)
        self.survey.append({"type": "end_group", "name": domain.code})

    def _common(self, row: dict, indicator: Indicator) -> dict:
        self.texts(row, "label", indicator.text)
        self.texts(row, "capacity_short", indicator.short)
        if indicator.gesi:
            row["capacity_gesi"] = " ".join(indicator.gesi)
        if indicator.rba:
            row["capacity_rba"] = " ".join(indicator.rba)
        self.weight(row, "indicator_weights", indicator.code)
        return row

    def indicator(self, indicator: Indicator) -> None:
        row = self._common({"name": indicator.code}, indicator)
        kind = indicator.type
        if kind == "scale":
            row["type"] = f"select_one {indicator.code}"
            self.levels(indicator)
            if indicator.allow_na:
                self.choice(indicator.code, c.NA, c.NA_TEXTS)
        elif kind == "yes_no":
            row["type"] = f"select_one {c.YES_NO_LIST}"
            if not self.yes_no:
                self.yes_no = True
                for answer in ("yes", "no"):
                    self.choice(c.YES_NO_LIST, answer, c.YES_NO_TEXTS[answer])
        elif kind in ("single", "multiple"):
            row["type"] = f"{'select_one' if kind == 'single' else 'select_multiple'} {indicator.code}"
            for option in indicator.options:
                self.choice(indicator.code, option.code, option.text, option.score)
        elif kind == "number":
            self.number(row, indicator)
        else:
            row["type"] = "text"
        if indicator.allow_na and kind != "scale":
            row["capacity_allow_na"] = "yes"
        self.texts(row, "hint", indicator.evidence)
        row["required"] = "yes" if indicator.required else "no"
        if indicator.show_if is not None:
            row["relevant"] = to_relevant(indicator.show_if)
        self.survey.append(row)

    def levels(self, indicator: Indicator) -> None:
        for level, text in sorted(indicator.levels.items()):
            self.choice(indicator.code, str(level), text)

    def number(self, row: dict, indicator: Indicator) -> None:
        spec = indicator.number
        row["type"] = "integer" if spec.integer else "decimal"
        self.texts(row, "capacity_unit", spec.unit)
        low, high = spec.minimum, spec.maximum
        bounds = ([f". >= {c.number_text(low)}"] if low is not None else []) + \
                 ([f". <= {c.number_text(high)}"] if high is not None else [])
        if bounds:
            row["constraint"] = " and ".join(bounds)
            which = 0 if low is not None and high is not None else (1 if low is not None else 2)
            lo = c.number_text(low) if low is not None else ""
            hi = c.number_text(high) if high is not None else ""
            self.fixed(row, "constraint_message", {code: texts[which].format(lo=lo, hi=hi)
                                                   for code, texts in c.BOUNDS_TEXTS.items()})

    def computed(self, indicator: Indicator) -> None:
        rule = indicator.computed
        row = self._common({"type": "calculate", "name": indicator.code, "calculation": "''",
                            "capacity_rule": rule.rule}, indicator)
        for key, value in (("capacity_numerator", rule.numerator), ("capacity_denominator", rule.denominator),
                           ("capacity_source", rule.source), ("capacity_sub_area", indicator.sub_area or "")):
            if value:
                row[key] = value
        row["capacity_thresholds"] = " ".join(c.number_text(t) for t in rule.thresholds)
        self.levels(indicator)
        self.survey.append(row)

    def scale(self) -> None:
        for level in self.q.scale:
            self.choice(c.SCALE_LIST, str(level.level), level.name)


def _order(rows: list[dict], plain: tuple[str, ...], texts: tuple[str, ...], languages: tuple[str, ...]) -> list[str]:
    """The sheet's columns: the plain ones and each text column per language, in a fixed order, only those used."""
    used = {key for row in rows for key in row}
    wanted = []
    for name in plain[:2] + tuple(c.text_column(t, code) for t in texts for code in languages) + plain[2:]:
        if name in used:
            wanted.append(name)
    return wanted


def _sheet(book: Workbook, title: str, rows: list[dict], header: list[str]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        for name in header:
            if isinstance(row.get(name), str) and (found := ILLEGAL_CHARACTERS_RE.search(row[name])):
                # openpyxl would raise mid-workbook; say which text holds what a spreadsheet cell cannot
                where = str(row.get("name") or row.get("form_id") or row.get("old_code"))
                where += f"' (list {row['list_name']})" if row.get("list_name") else "'"
                raise ExportError(f"{title}: {name} of '{where} holds the control character "
                                  f"U+{ord(found.group()):04X}, which a spreadsheet cannot store; remove it from the text")
        # Written as strings: a cell starting '=' must stay a text, never become a formula.
        sheet.append([row.get(name, "") for name in header])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # a text that starts with '=' stays a text, never a formula
    sheet.freeze_panes = "A2"


def _workbook(survey, choices, settings, crosswalk, languages) -> bytes:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, c.SURVEY, survey, _order(survey, c.SURVEY_PLAIN, c.SURVEY_TEXTS, languages))
    _sheet(book, c.CHOICES, choices, _order(choices, c.CHOICE_PLAIN, c.CHOICE_TEXTS, languages))
    _sheet(book, c.SETTINGS, settings, _order(settings, c.SETTINGS_PLAIN, c.SETTINGS_TEXTS, languages))
    if crosswalk:
        _sheet(book, c.CROSSWALK, crosswalk, list(c.CROSSWALK_PLAIN))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
