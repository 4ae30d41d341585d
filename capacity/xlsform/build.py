"""XLSForm rows → the mapping a questionnaire file holds (with each item's spreadsheet origin), plus the weights.

Refuses, by sheet, row and column, what Capacity cannot hold; everything else is left to the questionnaire
format's own validator (``capacity.xlsform.importing``), whose problems point back here through the origins.
"""
from __future__ import annotations

import re

from capacity.questionnaires.model import QUESTION_TYPES
from capacity.xlsform import columns as c
from capacity.xlsform.reading import Row, Sheet, XlsProblem
from capacity.xlsform.yaml_writer import Item

META_TYPES = ("start", "end", "today", "deviceid", "username", "phonenumber", "simserial", "subscriberid", "email",
              "audit", "start-geopoint", "background-audio", "imei")
TRUE_WORDS, FALSE_WORDS = ("yes", "true", "true()", "1", "y"), ("no", "false", "false()", "0", "n")
BOUND = re.compile(r"^\.\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)$")
SEPARATORS = re.compile(r"[\s,;]+")


def words(value: str) -> list[str]:
    return [w for w in SEPARATORS.split(value.strip()) if w]


class Builder:
    """Walks the survey rows once, keeping the domain / sub-area group they stand in."""

    def __init__(self, survey: Sheet, choices: Sheet | None, settings: Sheet | None, crosswalk: Sheet | None):
        self.problems: list[XlsProblem] = []
        self.survey, self.choices_sheet, self.settings, self.crosswalk_sheet = survey, choices, settings, crosswalk
        found = list(survey.languages)
        for sheet in (choices, settings):
            found += [code for code in (sheet.languages if sheet else []) if code not in found]
        setting = settings.rows[0] if settings and settings.rows else None
        self.drafts = words(setting.get("capacity_draft_languages")) if setting else []
        self.languages = [code for code in found if code not in self.drafts]
        self.weights: dict[str, dict[str, float]] = {"domain_weights": {}, "sub_area_weights": {}, "indicator_weights": {}}
        self.lists: dict[str, list[Row]] = {}
        self.scale_users: dict[str, tuple[str, int]] = {}
        self.types: dict[str, str] = {}  # earlier question → Capacity type (for conditions)
        self.names: dict[str, int] = {}
        self.used_lists: set[str] = {c.SCALE_LIST, c.ORGANISATIONS_LIST}

    def refuse(self, row: Row, column: str, message: str) -> None:
        self.problems.append(XlsProblem(row.sheet, row.number, column, message))

    # -- cells --------------------------------------------------------------------------------
    def text(self, row: Row, column: str) -> dict[str, str] | None:
        given = row.text(column)
        texts = Item({code: given[code] for code in self.languages + self.drafts if given.get(code)},
                     origin=(row.sheet, row.number), columns={code: c.text_column(column, code) for code in given})
        return texts or None

    def flag(self, row: Row, column: str) -> bool:
        value = row.get(column).lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS + ("",):
            self.refuse(row, column, f"'{row.get(column)}' is not yes or no (Capacity cannot hold an expression here)")
        return False

    def number(self, row: Row, column: str, value: str | None = None) -> float | None:
        value = row.get(column) if value is None else value
        try:
            number = float(value.replace(",", ".")) if value else None
        except ValueError:
            number = None
            self.refuse(row, column, f"'{value}' is not a number")
        return int(number) if number is not None and number.is_integer() else number

    def weight(self, row: Row, table: str, code: str) -> None:
        if row.get("capacity_weight"):
            number = self.number(row, "capacity_weight")
            if number is not None and number <= 0:
                self.refuse(row, "capacity_weight", "a weight must be greater than zero")
            elif number is not None:
                self.weights[table][code] = float(number)

    def put_text(self, item: Item, key: str, row: Row, column: str) -> None:
        texts = self.text(row, column)
        if texts:
            item[key] = texts
        item.columns[key] = column

    # -- choices and settings -----------------------------------------------------------------------
    def read_choices(self) -> None:
        for row in self.choices_sheet.rows if self.choices_sheet else []:
            list_name, name = row.get("list_name"), row.get("name")
            if not list_name or not name:
                self.refuse(row, "list_name" if not list_name else "name", "a choice needs a list_name and a name")
                continue
            rows = self.lists.setdefault(list_name, [])
            if any(r.get("name") == name for r in rows):
                first = next(r for r in rows if r.get("name") == name)
                self.refuse(row, "name", f"choice '{name}' is listed twice in list '{list_name}' (first on row {first.number})")
                continue
            rows.append(row)

    def scale(self) -> list[Item]:
        rows = self.lists.get(c.SCALE_LIST)
        if not rows:
            where = self.choices_sheet.name if self.choices_sheet else "choices"
            self.problems.append(XlsProblem(where, 1, "list_name", f"no list '{c.SCALE_LIST}': add one choice per level of "
                                                                  "the scale (names 1, 2, 3 …, labels the level names)"))
            return []
        result = []
        for index, row in enumerate(rows, start=1):
            if row.get("name") != str(index):
                self.refuse(row, "name", f"the levels of '{c.SCALE_LIST}' are named 1, 2, 3 … in order; expected {index}, "
                                         f"found '{row.get('name')}'")
            item = Item({"level": index}, origin=(row.sheet, row.number), columns={"level": "name"})
            self.put_text(item, "name", row, "label")
            result.append(item)
        return result

    def document(self) -> tuple[Item, dict]:
        """The questionnaire mapping and the weights read from ``capacity_weight``."""
        self.read_choices()
        setting = self.settings.rows[0] if self.settings and self.settings.rows else Row("settings", 2, {})
        for extra in self.settings.rows[1:] if self.settings else []:  # pyxform reads the first row only, as Capacity
            self.refuse(extra, "", "the settings sheet holds one row (the questionnaire's); this one would be ignored")
        doc = Item(origin=(setting.sheet, setting.number), columns={"id": "form_id", "version": "version"})
        doc["id"] = setting.get("form_id")
        doc["version"] = setting.get("version")
        if setting.get("capacity_subject"):  # the kind of subject assessed (questionnaires/subjects.yaml)
            doc["subject"] = setting.get("capacity_subject")
            doc.columns["subject"] = "capacity_subject"
        if tuple(self.languages) != ("ka", "en"):
            doc["languages"] = list(self.languages)
        if self.drafts:
            doc["draft_languages"] = list(self.drafts)
            doc.columns["draft_languages"] = "capacity_draft_languages"
        self.put_text(doc, "title", setting, "capacity_title")
        if "title" not in doc and setting.get("form_title") and self.languages:
            doc["title"] = {self.languages[0]: setting.get("form_title")}
            doc.columns["title"] = "form_title"
        for key in ("description", "method"):
            self.put_text(doc, key, setting, f"capacity_{key}")
        doc["scale"] = self.scale()
        self.levels = {str(item["level"]) for item in doc["scale"]}
        domains, profile, computed = self.walk()
        for list_name, rows in self.lists.items():
            if list_name not in self.used_lists:  # a typo in a list's name, or a question deleted: its rows would vanish
                self.refuse(rows[0], "list_name", f"no question uses the list '{list_name}'; correct its name or remove "
                                                  "its rows")
        doc["domains"] = domains
        if profile:
            doc["profile"] = profile
        if computed:
            doc["computed"] = computed
        crosswalk = self.crosswalk()
        if crosswalk:
            doc["crosswalk"] = crosswalk
        return doc, self.weights

    def crosswalk(self) -> Item | None:
        rows = self.crosswalk_sheet.rows if self.crosswalk_sheet else []
        if not rows:
            return None
        versions = {r.get("from_version") for r in rows}
        if len(versions) != 1:
            self.refuse(rows[0], "from_version", "a crosswalk maps from one earlier version; give the same from_version on every row")
        mapping = Item(origin=(rows[0].sheet, rows[0].number))
        for row in rows:
            mapping[row.get("old_code")] = row.get("new_code") or None
        return Item({"from_version": rows[0].get("from_version"), "map": mapping}, origin=(rows[0].sheet, rows[0].number),
                    columns={"from_version": "from_version", "map": "old_code"})

    # -- the survey ---------------------------------------------------------------------------------
    def walk(self) -> tuple[list[Item], list[Item], list[Item]]:
        from capacity.xlsform.survey import walk_survey

        return walk_survey(self)

    def kind_of(self, row: Row, words_: list[str]) -> tuple[str, list[Row]] | None:
        """The Capacity type of a question row (and its choices), or None when refused."""
        base = words_[0]
        if base in ("select_one", "select_multiple"):
            if len(words_) != 2:
                self.refuse(row, "type", f"'{row.get('type')}' is not one list: write '{base} LIST' ('or_other' and "
                                         "choices from files have no place in Capacity)")
                return None
            rows = self.lists.get(words_[1])
            self.used_lists.add(words_[1])
            if rows is None:
                self.refuse(row, "type", f"no choices list '{words_[1]}' on the choices sheet")
                return None
            names = [r.get("name") for r in rows]
            if base == "select_multiple":
                return "multiple", rows
            # A hand-made yes/no list counts as yes/no; a list named after its question (as the export writes a
            # single choice) or with scores stays a single choice, so a single choice of "yes" and "no" round-trips.
            if words_[1] == c.YES_NO_LIST or (sorted(names) == ["no", "yes"] and words_[1] != row.get("name")
                                               and not any(r.get("capacity_score") for r in rows)):
                return "yes_no", rows
            if any(n.isdigit() for n in names):
                return "scale", rows
            return "single", rows
        if base in ("integer", "int", "decimal"):
            return "number", []
        if base == "text":
            return "text", []
        if base == "calculate":
            return "computed", []
        self.refuse(row, "type", f"type '{row.get('type')}' has no place in Capacity; its questions are "
                                 f"{', '.join(QUESTION_TYPES)} (select_one with a list of levels, select_one, select_multiple, "
                                 "integer or decimal, text) and calculate rows with capacity_rule")
        return None
