"""The survey sheet's rows, in order: groups as domains and sub-areas, questions as indicators, the profile group,
calculate rows as computed indicators. Called by ``Builder.walk``."""
from __future__ import annotations

import re

from capacity.xlsform import columns as c
from capacity.xlsform.build import BOUND, META_TYPES, Builder, words
from capacity.xlsform.conditions import ConditionError, parse_relevant
from capacity.xlsform.reading import Row
from capacity.xlsform.yaml_writer import Item

PROFILE_TYPES = {"integer": "count", "int": "count", "decimal": None}
# The columns each kind of row is read from; a filled cell in any other column would be lost, so it is refused.
_INDICATOR = {"type", "name", "label", "hint", "capacity_short", "required", "relevant", "capacity_gesi", "capacity_rba",
              "capacity_weight", "capacity_allow_na"}
ROW_COLUMNS = {
    "domain": {"type", "name", "label", "capacity_description", "capacity_weight"},
    "sub-area": {"type", "name", "label", "capacity_weight"},
    "profile group": {"type", "name", "label"},
    "end_group": {"type", "name"},
    "profile question": {"type", "name", "label", "hint", "required", "capacity_kind", "capacity_breakdown"},
    "number question": _INDICATOR | {"constraint", "constraint_message", "capacity_unit"},
    "computed": {"type", "name", "label", "capacity_short", "calculation", "capacity_rule", "capacity_numerator",
                 "capacity_denominator", "capacity_source", "capacity_thresholds", "capacity_sub_area", "capacity_gesi",
                 "capacity_rba", "capacity_weight"},
}


def unread_cells(b: Builder, row: Row, what: str) -> None:
    """Refuses the filled cells of columns a row of this kind is not read from (they would vanish on import)."""
    allowed = ROW_COLUMNS.get(what, _INDICATOR)
    for column in [k for k in row.cells if k not in allowed] + [k for k in row.texts if k not in allowed]:
        language = next(iter(row.texts[column]), None) if column in row.texts else None
        written = b.survey.headers.get(f"{column}::{language}" if language else column, column)
        b.refuse(row, written, f"'{column}' means nothing on {'an' if what[0] in 'aeiou' else 'a'} {what} row in Capacity "
                               "and would be lost; empty the cell")


def _type_words(written: str) -> list[str]:
    """"Begin Group" → ["begin_group"]; "select one levels" → ["select_one", "levels"]."""
    parts = written.strip().split()
    if len(parts) >= 2 and parts[0].lower() in ("begin", "end", "select"):
        parts = [f"{parts[0].lower()}_{parts[1].lower()}"] + parts[2:]
    return [parts[0].lower()] + parts[1:] if parts else []


def walk_survey(b: Builder) -> tuple[list[Item], list[Item], list[Item]]:
    domains: list[Item] = []
    profile: list[Item] = []
    computed: list[Item] = []
    stack: list[tuple[str, Row, Item | None]] = []  # ("domain" | "sub_area" | "profile", its begin row, its item)
    for row in b.survey.rows:
        kind = _type_words(row.get("type"))
        name = row.get("name")
        if not kind:
            b.refuse(row, "type", "the row has no type")
            continue
        base = kind[0]
        if base in ("begin_repeat", "end_repeat"):
            b.refuse(row, "type", "repeats have no place in Capacity: each question is asked once per organisation")
            continue
        if base == "end_group":
            if not stack:
                b.refuse(row, "type", "end_group without a begin_group above it")
            else:
                stack.pop()
                unread_cells(b, row, "end_group")
            continue
        if base in META_TYPES:
            continue  # metadata the collecting app records by itself: not a question
        if base != "begin_group" and not name:
            b.refuse(row, "name", "the question has no name")
            continue
        if name and name in b.names:
            b.refuse(row, "name", f"name '{name}' is used twice (first on row {b.names[name]})")
            continue
        if name:
            b.names[name] = row.number
        if name.startswith(c.RESERVED) and not _reserved_in_place(name, base, stack):
            b.refuse(row, "name", f"names starting '{c.RESERVED}' are Capacity's own ({c.PROFILE_GROUP} a first-level "
                                  f"group, {c.ORGANISATION} a question outside the groups); rename '{name}'")
            if base == "begin_group":
                stack.append(("ignored", row, Item()))
            continue
        if base == "begin_group":
            _group(b, row, stack, domains)
            continue
        if not stack:
            if name != c.ORGANISATION:
                b.refuse(row, "type", f"question '{name}' stands outside a group; every indicator belongs to a domain "
                                      "(begin_group … end_group)")
            continue
        if any(frame[0] == "ignored" for frame in stack):
            b.used_lists.update(kind[1:2])  # its list is not "unused": the group's own problem is the one to fix
            continue  # inside a group already refused: its questions have no domain to join
        if stack[0][0] == "profile":
            if (item := _profile_question(b, row, base)) is not None:
                profile.append(item)
                unread_cells(b, row, "profile question")
            continue
        found = b.kind_of(row, kind)
        if found is None:
            continue
        unread_cells(b, row, "computed" if found[0] == "computed" else f"{found[0]} question")
        domain = stack[0][2]
        sub_area = stack[1][2]["code"] if len(stack) > 1 else None
        if found[0] == "computed":
            if (item := _computed(b, row, domain, sub_area)) is not None:
                computed.append(item)
        else:
            domain["indicators"].append(_indicator(b, row, found[0], found[1], sub_area))
    for _, row, _item in stack:
        b.refuse(row, "type", f"group '{row.get('name')}' is never closed: add an end_group row")
    for domain in domains:
        if not domain["indicators"]:
            del domain["indicators"]
    return domains, profile, computed


def _reserved_in_place(name: str, base: str, stack: list) -> bool:
    """Whether a ``capacity_`` name is one of Capacity's own, where the export writes it."""
    if name == c.PROFILE_GROUP:
        return base == "begin_group" and not stack
    return name == c.ORGANISATION and base != "begin_group" and not stack


def _group(b: Builder, row: Row, stack: list, domains: list[Item]) -> None:
    name = row.get("name")
    if not name:
        b.refuse(row, "name", "the group has no name; a domain's or sub-area's code is its name")
        stack.append(("ignored", row, Item()))
        return
    if any(frame[0] == "ignored" for frame in stack):  # inside a refused group: already said on its row
        stack.append(("ignored", row, Item()))
        return
    if stack and (stack[0][0] == "profile" or len(stack) >= 2):
        b.refuse(row, "type", f"group '{name}' is nested too deep: Capacity has domains holding sub-areas, no deeper")
        stack.append(("ignored", row, Item()))
        return
    if not stack and name == c.PROFILE_GROUP:
        unread_cells(b, row, "profile group")
        stack.append(("profile", row, None))
        return
    unread_cells(b, row, "sub-area" if stack else "domain")
    item = Item({"code": name}, origin=(row.sheet, row.number), columns={"code": "name"})
    b.put_text(item, "title", row, "label")
    if not stack:
        b.put_text(item, "description", row, "capacity_description")
        b.weight(row, "domain_weights", name)
        item["indicators"] = []
        domains.append(item)
        stack.append(("domain", row, item))
    else:
        b.weight(row, "sub_area_weights", name)
        stack[0][2].setdefault("sub_areas", []).append(item)
        # sub_areas are written before the indicators, as the shipped files do
        indicators = stack[0][2].pop("indicators")
        stack[0][2]["indicators"] = indicators
        stack.append(("sub_area", row, item))


def _common(b: Builder, row: Row, item: Item) -> Item:
    b.put_text(item, "text", row, "label")
    b.put_text(item, "short", row, "capacity_short")
    return item


def _tags(b: Builder, row: Row, item: Item) -> None:
    for key in ("gesi", "rba"):
        if row.get(f"capacity_{key}"):
            item[key] = words(row.get(f"capacity_{key}"))
            item.columns[key] = f"capacity_{key}"


def _indicator(b: Builder, row: Row, kind: str, choices: list[Row], sub_area: str | None) -> Item:
    code = row.get("name")
    item = Item({"code": code}, origin=(row.sheet, row.number), columns={"code": "name", "type": "type"})
    if sub_area:
        item["sub_area"] = sub_area
    if kind != "scale":
        item["type"] = kind
    _common(b, row, item)
    allow_na = b.flag(row, "capacity_allow_na")
    if kind == "scale":
        allow_na = _levels(b, row, item, choices) or allow_na
    elif kind in ("single", "multiple"):
        item["options"] = [_option(b, choice, kind) for choice in choices]
    elif kind == "number":
        _bounds(b, row, item)
        if _type_words(row.get("type"))[0] in ("integer", "int"):
            item["integer"] = True
        b.put_text(item, "unit", row, "capacity_unit")
    b.put_text(item, "evidence", row, "hint")
    if allow_na:
        item["allow_na"] = True
    if not b.flag(row, "required"):
        item["required"] = False
        item.columns["required"] = "required"
    if row.get("relevant"):
        try:
            item["show_if"] = parse_relevant(row.get("relevant"), b.types)
        except ConditionError as error:
            b.refuse(row, "relevant", str(error))
        item.columns["show_if"] = "relevant"
    _tags(b, row, item)
    b.weight(row, "indicator_weights", code)
    b.types[code] = kind
    return item


def _levels(b: Builder, row: Row, item: Item, choices: list[Row]) -> bool:
    """Reads a scale indicator's level descriptors from its own list; True when it offers "not applicable"."""
    list_name = _type_words(row.get("type"))[1]
    if list_name in b.scale_users:
        other, number = b.scale_users[list_name]
        b.refuse(row, "type", f"list '{list_name}' is also the list of {other} (row {number}); each scale indicator needs its "
                              "own list, since each has its own level descriptors")
    b.scale_users[list_name] = (row.get("name"), row.number)
    levels = Item(origin=(row.sheet, row.number), columns={})
    allow_na = False
    for choice in choices:
        name = choice.get("name")
        if choice.get("capacity_score"):
            b.refuse(choice, "capacity_score", "a scale level scores as its level; capacity_score belongs to single-choice "
                                               "options only")
        if name.lower() == c.NA:
            allow_na = True
        elif name not in b.levels:
            b.refuse(choice, "name", f"choice '{name}' of list '{list_name}' is not a level of the scale "
                                     f"({', '.join(sorted(b.levels)) or 'no capacity_scale list'}) nor '{c.NA}'")
        else:
            levels[int(name)] = b.text(choice, "label") or {}
            levels.columns[int(name)] = "label"
    missing = sorted(set(b.levels) - {str(level) for level in levels}, key=int)
    if missing and b.levels:
        b.refuse(row, "type", f"list '{list_name}' has no choice for level {', '.join(missing)}; add one row per level of "
                              "the scale to the choices sheet, its label the level's descriptor")
    item["levels"] = Item(sorted(levels.items()), origin=(row.sheet, row.number), columns=levels.columns)
    return allow_na


def _option(b: Builder, choice: Row, kind: str) -> Item:
    option = Item({"code": choice.get("name")}, origin=(choice.sheet, choice.number), columns={"code": "name"})
    b.put_text(option, "text", choice, "label")
    if choice.get("capacity_score"):
        option["score"] = b.number(choice, "capacity_score")
        option.columns["score"] = "capacity_score"
    return option


def _bounds(b: Builder, row: Row, item: Item) -> None:
    written = row.get("constraint")
    if not written:
        return
    for term in re.split(r"\s+and\s+", written.strip(), flags=re.IGNORECASE):
        match = BOUND.match(term.strip())
        if not match:
            b.refuse(row, "constraint", f"cannot read '{term}' as a bound; Capacity holds '. >= number', '. <= number' "
                                        "or both joined by 'and'")
            continue
        key = "min" if match.group(1) == ">=" else "max"
        item[key] = b.number(row, "constraint", match.group(2))
        item.columns[key] = "constraint"


def _profile_question(b: Builder, row: Row, base: str) -> Item | None:
    if base not in PROFILE_TYPES:
        b.refuse(row, "type", f"the profile group ({c.PROFILE_GROUP}) holds integer and decimal questions only, not "
                              f"'{row.get('type')}'")
        return None
    item = Item({"code": row.get("name")}, origin=(row.sheet, row.number),
                columns={"code": "name", "kind": "capacity_kind", "breakdown": "capacity_breakdown"})
    b.put_text(item, "label", row, "label")
    b.put_text(item, "help", row, "hint")
    kind = row.get("capacity_kind") or PROFILE_TYPES[base]
    if not kind:
        b.refuse(row, "capacity_kind", "say what this decimal holds: capacity_kind money or percent")
    item["kind"] = kind
    if row.get("capacity_breakdown"):
        item["breakdown"] = words(row.get("capacity_breakdown"))
    return item


def _computed(b: Builder, row: Row, domain: Item, sub_area: str | None) -> Item | None:
    if not row.get("capacity_rule"):
        b.refuse(row, "type", "a calculate row is a computed indicator in Capacity and needs capacity_rule (share, "
                              "balance or value); Capacity computes indicators from the organisation profile only")
        return None
    code = row.get("name")
    item = Item({"code": code, "domain": domain["code"]}, origin=(row.sheet, row.number),
                columns={"code": "name", "rule": "capacity_rule", "thresholds": "capacity_thresholds",
                         "numerator": "capacity_numerator", "denominator": "capacity_denominator",
                         "source": "capacity_source", "sub_area": "capacity_sub_area"})
    sub = row.get("capacity_sub_area") or sub_area
    if sub:
        item["sub_area"] = sub
    _common(b, row, item)
    item["rule"] = row.get("capacity_rule")
    for key in ("numerator", "denominator", "source"):
        if row.get(f"capacity_{key}"):
            item[key] = row.get(f"capacity_{key}")
    item["thresholds"] = [b.number(row, "capacity_thresholds", w) for w in words(row.get("capacity_thresholds"))]
    choices = b.lists.get(code)
    b.used_lists.add(code)
    if not choices:
        b.refuse(row, "name", f"computed indicator {code} needs a choices list named '{code}' with its level descriptors")
    else:
        b.scale_users[code] = (code, row.number)
        levels = Item(origin=(row.sheet, row.number))
        for choice in choices:
            if choice.get("name") not in b.levels:
                b.refuse(choice, "name", f"choice '{choice.get('name')}' of list '{code}' is not a level of the scale")
            else:
                levels[int(choice.get("name"))] = b.text(choice, "label") or {}
        item["levels"] = levels
    _tags(b, row, item)
    b.weight(row, "indicator_weights", code)
    return item
