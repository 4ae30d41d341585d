"""The parts of a questionnaire file beyond levels: content languages, question types, conditions, field names.

Called by ``questionnaire_file``; every problem carries the file's line and column.
"""
from __future__ import annotations

from capacity.questionnaires.checker import Checker, suggestion
from capacity.questionnaires.model import (
    CONDITION_OPERATORS, KNOWN_LANGUAGES, QUESTION_TYPES, YES_NO, Condition, Indicator, NumberSpec, Option,
)
from capacity.questionnaires.yamlpos import PosDict, PosList

# Keys only some types take: which, and for which types.
TYPE_KEYS = {"levels": ("scale",), "options": ("single", "multiple"), "min": ("number",), "max": ("number",),
             "integer": ("number",), "unit": ("number",)}
# Which conditions each type of source answer can meet.
OPERATORS_BY_SOURCE = {
    "scale": ("equals", "any_of", "at_least", "at_most"), "yes_no": ("equals",), "single": ("equals", "any_of"),
    "multiple": ("includes",), "number": ("at_least", "at_most"), "text": (),
}


def languages(data: PosDict, check: Checker) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The declared content languages and draft languages; sets them on ``check`` for every text that follows."""
    declared = _language_list(data, "languages", check) or ("ka", "en")
    drafts = _language_list(data, "draft_languages", check, allow_empty=True) or ()
    for code in drafts:
        if code in declared:
            check.problem(data.value_at("draft_languages"), f"language '{code}' is both complete ('languages') and a "
                                                            "draft ('draft_languages'); keep it in one")
    drafts = tuple(code for code in drafts if code not in declared)
    check.languages, check.drafts = declared, drafts
    return declared, drafts


def _language_list(data: PosDict, key: str, check: Checker, allow_empty: bool = False) -> tuple[str, ...] | None:
    if key not in data:
        return None
    items = check.sequence(data[key], data.value_at(key), f"'{key}'", allow_empty=allow_empty)
    if items is None:
        return None
    result: list[str] = []
    for index, code in enumerate(items):
        if code not in KNOWN_LANGUAGES:
            known = ", ".join(f"{c} ({n[0]})" for c, n in KNOWN_LANGUAGES.items())
            check.problem(items.at(index), f"unknown language '{code}' in '{key}'{suggestion(str(code), list(KNOWN_LANGUAGES))}; "
                                           f"known: {known}")
        elif code in result:
            check.problem(items.at(index), f"language '{code}' is listed twice in '{key}'")
        elif not _font_shipped(code):
            check.problem(items.at(index), f"no font for the {KNOWN_LANGUAGES[code][2]} script of language '{code}' is "
                                           "shipped in reports/fonts, so reports could not print it")
        else:
            result.append(code)
    return tuple(result)


def _font_shipped(code: str) -> bool:
    try:
        from capacity.reporting.fonts import font_for_script
    except ImportError:  # reports not installed alongside (a bare questionnaire check): nothing to check against
        return True
    return bool(font_for_script(KNOWN_LANGUAGES[code][2]))


def question_type(item: PosDict, check: Checker, label: str) -> str:
    kind = item.get("type", "scale")
    if kind not in QUESTION_TYPES:
        check.problem(item.value_at("type"), f"type '{kind}' of {label} is unknown{suggestion(str(kind), QUESTION_TYPES)}; "
                                             f"use one of {', '.join(QUESTION_TYPES)}")
        return "scale"
    for key, types in TYPE_KEYS.items():
        if key in item and kind not in types:
            check.problem(item.at(key), f"'{key}' is only for {' and '.join(types)} questions; {label} is a {kind} question")
    return kind


def options(item: PosDict, check: Checker, kind: str, label: str, levels: tuple[int, ...]) -> tuple[Option, ...]:
    """The options of a single- or multiple-choice question: codes unique, scores on the scale (single only, all or none)."""
    if kind not in ("single", "multiple"):
        return ()
    if "options" not in item:
        check.problem(item.pos, f"{label} is a {kind}-choice question without 'options'; list at least two")
        return ()
    items = check.sequence(item["options"], item.value_at("options"), f"'options' of {label}") or PosList()
    if len(items) == 1:
        check.problem(items.pos, f"{label} has one option; a choice needs at least two")
    result: list[Option] = []
    scored = []
    for index, raw in enumerate(items):
        option = check.mapping(raw, items.at(index), f"an option of {label}")
        if option is None:
            continue
        check.keys(option, ("code", "text", "score"), ("code", "text"), f"an option of {label}")
        code = check.code(option, "code", f"an option of {label}")
        if code and any(o.code == code for o in result):
            check.problem(option.value_at("code"), f"option '{code}' of {label} is listed twice")
        score = None
        if "score" in option:
            if kind == "multiple":
                check.problem(option.at("score"), f"options of a multiple-choice question ({label}) have no score: the "
                                                  "rubric scores the number ticked ('scoring: {code: {thresholds: …}}')")
            else:
                score = check.number(option["score"], option.value_at("score"), f"the score of option {code} of {label}")
                if score is not None and levels and not levels[0] <= score <= levels[-1]:
                    check.problem(option.value_at("score"), f"the score of option {code} of {label} is {score:g}, off the "
                                                            f"scale {levels[0]}–{levels[-1]}")
        scored.append("score" in option)
        text = check.text(option, "text", f"option {code} of {label}")
        if code and text is not None:
            result.append(Option(code, text, score))
    if kind == "single" and any(scored) and not all(scored):
        check.problem(items.pos, f"some options of {label} have a score and some not: give every option a score, or none "
                                 "(then the question is not scored)")
    return tuple(result)


def number_spec(item: PosDict, check: Checker, kind: str, label: str) -> NumberSpec | None:
    if kind != "number":
        return None
    low = check.number(item["min"], item.value_at("min"), f"'min' of {label}") if "min" in item else None
    high = check.number(item["max"], item.value_at("max"), f"'max' of {label}") if "max" in item else None
    if low is not None and high is not None and high <= low:
        check.problem(item.value_at("max"), f"'max' of {label} ({high:g}) must be above its 'min' ({low:g})")
    integer = check.boolean(item, "integer", label, False)
    unit = check.text(item, "unit", label, required=False)
    return NumberSpec(low, high, integer, unit)


def read_condition(item: PosDict, label: str, check: Checker) -> tuple[PosDict, str] | None:
    """The raw ``show_if`` mapping (checked against its source once every indicator is read)."""
    if "show_if" not in item:
        return None
    raw = check.mapping(item["show_if"], item.value_at("show_if"), f"'show_if' of {label}")
    return (raw, label) if raw is not None else None


def conditions(pending: dict[str, tuple[PosDict, str]], order: list[Indicator], check: Checker) -> dict[str, Condition]:
    """Each ``show_if`` checked: it names an earlier answerable indicator, one operator its type allows, a valid value."""
    position = {indicator.code: index for index, indicator in enumerate(order)}
    by_code = {indicator.code: indicator for indicator in order}
    result = {}
    for code, (raw, label) in pending.items():
        operators = [key for key in raw if key in CONDITION_OPERATORS]
        check.keys(raw, ("code",) + CONDITION_OPERATORS, ("code",), f"'show_if' of {label}")
        source_code = raw.get("code")
        source = by_code.get(source_code)
        if len(operators) != 1:
            check.problem(raw.pos, f"'show_if' of {label} needs exactly one condition: one of {', '.join(CONDITION_OPERATORS)}")
            continue
        operator = operators[0]
        if source is None:
            check.problem(raw.value_at("code"), f"'show_if' of {label} names '{source_code}', which is not an indicator of "
                                                f"this questionnaire{suggestion(str(source_code), list(by_code))}")
            continue
        if source.computed is not None or position[source.code] >= position.get(code, -1):
            check.problem(raw.value_at("code"), f"'show_if' of {label} must name an indicator answered before it; "
                                                f"'{source_code}' is {'computed' if source.computed else 'not earlier'}")
            continue
        if operator not in OPERATORS_BY_SOURCE[source.type]:
            allowed = ", ".join(OPERATORS_BY_SOURCE[source.type]) or "none (a text cannot be a condition)"
            check.problem(raw.at(operator), f"'{operator}' cannot test {source.type} question {source_code}; use: {allowed}")
            continue
        value = _condition_value(raw, operator, source, check, label)
        if value is not None:
            result[code] = Condition(source.code, operator, value)
    return result


def _condition_value(raw: PosDict, operator: str, source: Indicator, check: Checker, label: str):
    value, where = raw[operator], raw.value_at(operator)
    what = f"'{operator}' of the condition of {label}"
    if check.boolean_trap(value, where, what):
        return None
    if operator in ("at_least", "at_most"):
        return check.number(value, where, what)
    values = value if operator == "any_of" else [value]
    if operator == "any_of" and not (isinstance(value, list) and value):
        check.problem(where, f"{what} must be a list of values")
        return None
    if source.type == "scale":
        allowed = list(source.levels)
    elif source.type == "yes_no":
        allowed = list(YES_NO)
    else:
        allowed = [o.code for o in source.options]
    for one in values:
        if check.boolean_trap(one, where, what):
            return None
        if one not in allowed:
            check.problem(where, f"{what}: {one!r} is not an answer of {source.code}; use one of "
                                 f"{', '.join(map(str, allowed))}")
            return None
    return tuple(values) if operator == "any_of" else value


def field_collisions(codes: list[tuple[str, tuple[int, int]]], check: Checker) -> None:
    """Refuse codes that become the same form field name ('.' and '-' become '_'): the form would lose one."""
    seen: dict[str, tuple[str, tuple[int, int]]] = {}
    for code, where in codes:
        name = code.replace(".", "_").replace("-", "_")
        if name in seen and seen[name][0] != code:
            check.problem(where, f"code '{code}' and '{seen[name][0]}' (line {seen[name][1][0]}) become the same form "
                                 f"field '{name}' ('.' and '-' are written '_'); rename one")
        else:
            seen.setdefault(name, (code, where))
