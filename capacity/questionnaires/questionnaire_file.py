"""Reading a questionnaire file into a validated ``Questionnaire``."""
from __future__ import annotations

import dataclasses

from capacity.questionnaires import question_file
from capacity.questionnaires.checker import Checker, suggestion
from capacity.questionnaires.model import (
    BREAKDOWNS, GESI_TAGS, PROFILE_KINDS, RBA_TAGS, ComputedRule, Crosswalk, Domain, Indicator,
    ProfileQuestion, Questionnaire, ScaleLevel, SubArea, Text,
)
from capacity.questionnaires.yamlpos import PosDict

TOP_KEYS = ("id", "version", "subject", "languages", "draft_languages", "title", "description", "method", "scale",
            "domains", "profile", "computed", "crosswalk")
DOMAIN_KEYS = ("code", "title", "description", "sub_areas", "indicators")
INDICATOR_KEYS = ("code", "type", "text", "short", "levels", "options", "min", "max", "integer", "unit", "evidence",
                  "allow_na", "required", "show_if", "gesi", "rba", "sub_area")
PROFILE_KEYS = ("code", "label", "help", "kind", "breakdown")
COMPUTED_KEYS = ("code", "domain", "sub_area", "text", "short", "rule", "numerator", "denominator", "source", "thresholds",
                 "levels", "gesi", "rba")
RULES = ("share", "balance", "value")
SHORT_MAX = 60  # a short title fits one line of a report table


def read_questionnaire(data: PosDict, check: Checker, content_hash: str) -> Questionnaire | None:
    check.keys(data, TOP_KEYS, ("id", "version", "title", "scale", "domains"), "the questionnaire")
    languages, drafts = question_file.languages(data, check)  # first: every text below is checked against them
    qid = check.code(data, "id", "the questionnaire")
    version = check.string(data, "version", "the questionnaire")
    # Checked against the configured kinds by the library, which reads them with the questionnaires.
    subject = check.code(data, "subject", "the questionnaire") if "subject" in data else "organisation"
    title = check.text(data, "title", "the questionnaire")
    description = check.text(data, "description", "the questionnaire", required=False)
    method = check.text(data, "method", "the questionnaire", required=False)
    scale = _scale(data, check)
    levels = tuple(s.level for s in scale)
    seen: dict[str, tuple[int, int]] = {}
    pending: dict = {}
    domains = [_domain(d, data["domains"].at(i), check, levels, seen, pending)
               for i, d in enumerate(check.sequence(data.get("domains"), data.value_at("domains"), "'domains'") or [])]
    profile = _profile(data, check)
    _computed(data, check, levels, seen, domains, profile)
    _sub_areas_used(domains, check)
    order = [i for d in domains for i in d["indicators"]]
    question_file.field_collisions([(i.code, seen[i.code]) for i in order if i.code in seen], check)
    found = question_file.conditions(pending, order, check)
    for domain in domains:
        domain["indicators"] = [dataclasses.replace(i, show_if=found[i.code]) if i.code in found else i
                                for i in domain["indicators"]]
    crosswalk = _crosswalk(data, check, seen)
    if check.problems:
        return None
    return Questionnaire(id=qid, version=version, title=title, description=description, scale=scale,
                         domains=tuple(Domain(d["code"], d["title"], d["description"], tuple(d["indicators"]), d["sub_areas"])
                                       for d in domains),
                         profile=tuple(profile.values()), crosswalk=crosswalk, languages=languages,
                         draft_languages=drafts, method=method, subject=subject, path=check.path,
                         content_hash=content_hash)


def _scale(data: PosDict, check: Checker) -> tuple[ScaleLevel, ...]:
    items = check.sequence(data.get("scale"), data.value_at("scale"), "'scale'") or []
    scale = []
    for index, item in enumerate(items):
        item = check.mapping(item, items.at(index), "a scale level")
        if item is None:
            continue
        check.keys(item, ("level", "name"), ("level", "name"), "a scale level")
        level, name = item.get("level"), check.text(item, "name", f"scale level {item.get('level')}")
        if level != index + 1 or isinstance(level, bool):
            check.problem(item.value_at("level"), f"scale levels must be numbered 1, 2, 3 … in order; expected {index + 1}, found {level!r}")
        elif name:
            scale.append(ScaleLevel(level, name))
    if items and len(items) < 2:
        check.problem(items.pos, "the scale needs at least two levels")
    return tuple(scale)


def _levels(item: PosDict, check: Checker, levels: tuple[int, ...], what: str) -> dict:
    if "levels" not in item:
        check.problem(item.pos, f"{what} has no 'levels'; add one descriptor per scale level ({', '.join(map(str, levels))})")
        return {}
    given = check.mapping(item["levels"], item.value_at("levels"), f"'levels' of {what}")
    if given is None:
        return {}
    for key in given:
        if key not in levels:
            check.problem(given.at(key), f"{what} describes level {key!r}, which is not on the scale ({', '.join(map(str, levels))})")
    result = {}
    for level in levels:
        if level not in given:
            check.problem(given.pos, f"{what} has no descriptor for level {level}; add '{level}: {{ka: \"…\", en: \"…\"}}'")
        else:
            text = check.text(given, level, what)
            if text:
                result[level] = text
    return result


def _unique(code: str, where: tuple[int, int], seen: dict, check: Checker) -> None:
    if code in seen:
        check.problem(where, f"code '{code}' is used twice (first on line {seen[code][0]}); codes must be unique")
    elif code:
        seen[code] = where


def _domain(raw, where, check: Checker, levels, seen, pending: dict) -> dict:
    domain = check.mapping(raw, where, "a domain") or PosDict()
    check.keys(domain, DOMAIN_KEYS, ("code", "title", "indicators"), "a domain")
    code = check.code(domain, "code", "a domain")
    _unique(code, domain.value_at("code"), seen, check)
    what = f"domain {code}"
    sub_areas = []
    for i, sub in enumerate(check.sequence(domain.get("sub_areas"), domain.value_at("sub_areas"), f"'sub_areas' of {what}")
                            if "sub_areas" in domain else []):
        sub = check.mapping(sub, domain["sub_areas"].at(i), "a sub-area") or PosDict()
        check.keys(sub, ("code", "title"), ("code", "title"), f"a sub-area of {what}")
        sub_areas.append(SubArea(check.code(sub, "code", "a sub-area"), check.text(sub, "title", "a sub-area")))
    indicators = []
    items = check.sequence(domain.get("indicators"), domain.value_at("indicators"), f"'indicators' of {what}") or []
    for index, raw_indicator in enumerate(items):
        item = check.mapping(raw_indicator, items.at(index), f"an indicator of {what}")
        if item is None:
            continue
        scale_item = item.get("type", "scale") == "scale"
        check.keys(item, INDICATOR_KEYS, ("code", "text") + (("levels", "evidence") if scale_item else ()),
                   f"an indicator of {what}")
        icode = check.code(item, "code", f"an indicator of {what}")
        _unique(icode, item.value_at("code"), seen, check)
        label = f"indicator {icode}"
        kind = question_file.question_type(item, check, label)
        sub_area = _sub_area_of(item, sub_areas, check, label, what)
        if (condition := question_file.read_condition(item, label, check)) is not None and icode:
            pending[icode] = condition
        indicators.append(Indicator(
            code=icode, domain=code, text=check.text(item, "text", label), short=_short(item, check, label),
            levels=_levels(item, check, levels, label) if kind == "scale" else {},
            evidence=check.text(item, "evidence", label, required=kind == "scale"),
            allow_na=check.boolean(item, "allow_na", label, False), required=check.boolean(item, "required", label, True),
            gesi=check.tags(item, "gesi", GESI_TAGS, label), rba=check.tags(item, "rba", RBA_TAGS, label), sub_area=sub_area,
            type=kind, options=question_file.options(item, check, kind, label, levels),
            number=question_file.number_spec(item, check, kind, label),
        ))
    return {"code": code, "title": check.text(domain, "title", what), "description": check.text(domain, "description", what, required=False),
            "indicators": indicators, "sub_areas": tuple(sub_areas), "where": where}


def _sub_area_of(item: PosDict, sub_areas: list[SubArea], check: Checker, label: str, what: str) -> str | None:
    """The indicator's sub-area: required in a domain that declares sub-areas (each then scores as a group)."""
    sub_area = item.get("sub_area")
    codes = [s.code for s in sub_areas]
    if sub_area is not None and sub_area not in codes:
        check.problem(item.value_at("sub_area"), f"{label} names sub-area '{sub_area}', which {what} does not declare"
                                                 f"{suggestion(str(sub_area), codes)}")
    elif sub_area is None and codes:
        check.problem(item.pos, f"{label} names no sub-area, but {what} declares sub-areas ({', '.join(codes)}); add "
                                f"'sub_area: …' (every indicator of a domain with sub-areas belongs to one)")
    return sub_area if sub_area in codes else None


def _sub_areas_used(domains: list[dict], check: Checker) -> None:
    """Every sub-area holds an indicator, and a sub-area code is used once in the questionnaire."""
    seen: dict[str, str] = {}
    for domain in domains:
        for sub in domain["sub_areas"]:
            if sub.code in seen:
                check.problem(domain["where"], f"sub-area '{sub.code}' is declared in domains {seen[sub.code]} and "
                                               f"{domain['code']}; sub-area codes must be unique")
            seen[sub.code] = domain["code"]
            if not any(i.sub_area == sub.code for i in domain["indicators"]):
                check.problem(domain["where"], f"sub-area '{sub.code}' of domain {domain['code']} has no indicator; "
                                               "remove it or name it in an indicator's 'sub_area'")


def _profile(data: PosDict, check: Checker) -> dict[str, ProfileQuestion]:
    result: dict[str, ProfileQuestion] = {}
    if "profile" not in data:
        return result
    items = check.sequence(data["profile"], data.value_at("profile"), "'profile'", allow_empty=True) or []
    for index, raw in enumerate(items):
        item = check.mapping(raw, items.at(index), "a profile question")
        if item is None:
            continue
        check.keys(item, PROFILE_KEYS, ("code", "label", "kind"), "a profile question")
        code = check.code(item, "code", "a profile question")
        if code in result:
            check.problem(item.value_at("code"), f"profile question '{code}' is given twice")
        kind = item.get("kind")
        if kind not in PROFILE_KINDS:
            check.problem(item.value_at("kind"), f"kind '{kind}' of profile question {code} is unknown; use {', '.join(PROFILE_KINDS)}")
        breakdown = check.tags(item, "breakdown", tuple(BREAKDOWNS), f"profile question {code}")
        if breakdown and kind != "count":
            check.problem(item.value_at("breakdown"), f"only counts can be broken down (profile question {code} is a {kind})")
        result[code] = ProfileQuestion(code, check.text(item, "label", f"profile question {code}"),
                                       check.text(item, "help", f"profile question {code}", required=False), kind, breakdown)
    return result


def _profile_ref(item: PosDict, key: str, profile: dict, check: Checker, what: str) -> str:
    ref = check.string(item, key, what)
    code, _, category = ref.partition(".")
    question = profile.get(code)
    valid = {"total"} | {c for b in (question.breakdown if question else ()) for c in BREAKDOWNS[b]}
    if ref and question is None:
        check.problem(item.value_at(key), f"'{key}' of {what} names profile question '{code}', which is not declared"
                                          f"{_hint(code, profile)}")
    elif ref and question.kind != "count":
        check.problem(item.value_at(key), f"'{key}' of {what} must name a count, and '{code}' is a {question.kind}")
    elif ref and category not in valid:
        check.problem(item.value_at(key), f"'{key}' of {what}: '{code}' has no category '{category}'; use one of {', '.join(sorted(valid))}")
    return ref


def _hint(code: str, known: dict) -> str:
    return suggestion(code, list(known))


def _computed(data: PosDict, check: Checker, levels, seen, domains: list[dict], profile: dict) -> None:
    if "computed" not in data:
        return
    by_code = {d["code"]: d for d in domains}
    items = check.sequence(data["computed"], data.value_at("computed"), "'computed'", allow_empty=True) or []
    for index, raw in enumerate(items):
        item = check.mapping(raw, items.at(index), "a computed indicator")
        if item is None:
            continue
        check.keys(item, COMPUTED_KEYS, ("code", "domain", "text", "rule", "thresholds", "levels"), "a computed indicator")
        code = check.code(item, "code", "a computed indicator")
        _unique(code, item.value_at("code"), seen, check)
        what = f"computed indicator {code}"
        domain = by_code.get(item.get("domain"))
        if domain is None and "domain" in item:
            check.problem(item.value_at("domain"), f"{what} belongs to domain '{item['domain']}', which is not declared")
        rule = item.get("rule")
        numerator = denominator = source = ""
        if rule not in RULES:
            check.problem(item.value_at("rule"), f"rule '{rule}' of {what} is unknown; use {', '.join(RULES)}")
        elif rule == "value":
            source = check.string(item, "source", what)
            if source and (source not in profile or profile[source].breakdown):
                check.problem(item.value_at("source"), f"'source' of {what} must name a profile question without breakdown")
        else:
            numerator = _profile_ref(item, "numerator", profile, check, what)
            denominator = _profile_ref(item, "denominator", profile, check, what)
        thresholds = _thresholds(item, check, levels, what)
        sub_codes = [s.code for s in domain["sub_areas"]] if domain is not None else []
        sub_area = item.get("sub_area")
        if sub_codes and sub_area not in sub_codes:
            check.problem(item.value_at("sub_area") if "sub_area" in item else item.pos,
                          f"{what} must name one of the sub-areas of its domain ({', '.join(sub_codes)}) in 'sub_area'")
        elif not sub_codes and sub_area is not None:
            check.problem(item.value_at("sub_area"), f"{what} names sub-area '{sub_area}', but its domain has none")
        indicator = Indicator(code=code, domain=item.get("domain", ""), text=check.text(item, "text", what),
                              sub_area=sub_area if sub_area in sub_codes else None,
                              short=_short(item, check, what),
                              levels=_levels(item, check, levels, what), evidence=None,
                              gesi=check.tags(item, "gesi", GESI_TAGS, what), rba=check.tags(item, "rba", RBA_TAGS, what),
                              computed=ComputedRule(rule or "", thresholds, numerator, denominator, source))
        if domain is not None:
            domain["indicators"].append(indicator)


def _short(item: PosDict, check: Checker, what: str) -> Text | None:
    """The optional short title that tables and reports print instead of the full indicator text."""
    short = check.text(item, "short", what, required=False)
    for language in check.languages + check.drafts if short else ():
        if len(short.own(language)) > SHORT_MAX:
            check.problem(item["short"].value_at(language),
                          f"'short' of {what} is {len(short.own(language))} characters long in {language}; "
                          f"a short title has at most {SHORT_MAX}")
    return short


def _thresholds(item: PosDict, check: Checker, levels, what: str) -> tuple[float, ...]:
    if "thresholds" not in item:
        return ()
    values = check.sequence(item["thresholds"], item.value_at("thresholds"), f"'thresholds' of {what}") or []
    numbers = [check.number(v, values.at(i), f"threshold {i + 1} of {what}") for i, v in enumerate(values)]
    if len(values) != len(levels) - 1:
        check.problem(item.value_at("thresholds"), f"{what} needs {len(levels) - 1} thresholds (one less than the levels), not {len(values)}")
    if None not in numbers and any(b <= a for a, b in zip(numbers, numbers[1:])):
        check.problem(item.value_at("thresholds"), f"thresholds of {what} must increase: {numbers}")
    return tuple(n for n in numbers if n is not None)


def _crosswalk(data: PosDict, check: Checker, seen: dict) -> Crosswalk | None:
    if "crosswalk" not in data:
        return None
    raw = check.mapping(data["crosswalk"], data.value_at("crosswalk"), "'crosswalk'")
    if raw is None:
        return None
    check.keys(raw, ("from_version", "map"), ("from_version", "map"), "the crosswalk")
    from_version = check.string(raw, "from_version", "the crosswalk")
    mapping = check.mapping(raw.get("map"), raw.value_at("map"), "'map' of the crosswalk") or {}
    result = {}
    for old, new in mapping.items():
        if new is not None and new not in seen:
            check.problem(mapping.value_at(old), f"the crosswalk maps '{old}' to '{new}', which is not an indicator of this "
                                                 f"questionnaire{_hint(str(new), seen)}; use an existing code or null")
        result[str(old)] = new
    return Crosswalk(from_version, result)
