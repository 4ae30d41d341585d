"""Reading a rubric file into a validated ``Rubric`` (checked against its questionnaire)."""
from __future__ import annotations

from capacity.questionnaires.checker import Checker, suggestion
from capacity.questionnaires.model import (
    PRESENTATIONS, TRACKS, Lens, PlanSettings, Questionnaire, Rubric, Stage, SupportType, TypedScoring, is_scored,
)
from capacity.questionnaires.questionnaire_file import _thresholds
from capacity.questionnaires.yamlpos import PosDict

TOP_KEYS = ("id", "version", "title", "description", "questionnaire", "presentation", "domain_weights",
            "sub_area_weights", "indicator_weights", "scoring", "min_answered_share", "stages", "lenses", "gap_threshold",
            "official_track", "hide_self_until_mentor_submits", "plan")
LENS_TAGS = ("gesi", "rba")


def read_rubric(data: PosDict, check: Checker, content_hash: str, questionnaires: dict[str, Questionnaire],
                broken: frozenset[str] = frozenset()) -> Rubric | None:
    """Validate a rubric; ``broken`` names questionnaire versions whose own file has problems (not repeated here)."""
    check.keys(data, TOP_KEYS, ("id", "version", "title", "questionnaire", "stages"), "the rubric")
    questionnaire = _questionnaire(data, check, questionnaires, broken)
    if questionnaire is not None:  # a rubric's texts come in its questionnaire's languages
        check.languages, check.drafts = questionnaire.languages, questionnaire.draft_languages
    rid = check.code(data, "id", "the rubric")
    version = check.string(data, "version", "the rubric")
    title = check.text(data, "title", "the rubric")
    check.text(data, "description", "the rubric", required=False)
    domain_codes = [d.code for d in questionnaire.domains] if questionnaire else []
    indicator_codes = [i.code for i in questionnaire.indicators] if questionnaire else []
    sub_area_codes = [s.code for d in questionnaire.domains for s in d.sub_areas] if questionnaire else []
    domain_weights = _weights(data, "domain_weights", domain_codes, check, questionnaire is not None)
    sub_area_weights = _weights(data, "sub_area_weights", sub_area_codes, check, questionnaire is not None)
    indicator_weights = _weights(data, "indicator_weights", indicator_codes, check, questionnaire is not None)
    presentation = data.get("presentation", "mean")
    if presentation not in PRESENTATIONS:
        check.problem(data.value_at("presentation"), f"'presentation' must be one of {', '.join(PRESENTATIONS)}"
                                                     f"{suggestion(str(presentation), PRESENTATIONS)}, not {presentation!r}")
        presentation = "mean"
    scoring = _scoring(data, check, questionnaire)
    share = data.get("min_answered_share", 0.5)
    share = check.number(share, data.value_at("min_answered_share"), "'min_answered_share'")
    if share is not None and not 0 < share <= 1:
        check.problem(data.value_at("min_answered_share"), f"'min_answered_share' must be above 0 and at most 1 (a share), not {share}")
    stages = _stages(data, check, _measure_range(questionnaire, presentation, scoring, domain_weights, indicator_weights))
    lenses = _lenses(data, check)
    gap = data.get("gap_threshold", 2)
    if isinstance(gap, bool) or not isinstance(gap, int) or gap < 1:
        check.problem(data.value_at("gap_threshold"), f"'gap_threshold' must be a whole number of levels, 1 or more, not {gap!r}")
    order = _official_track(data, check)
    hide = check.boolean(data, "hide_self_until_mentor_submits", "the rubric", True)
    plan = _plan(data, check, questionnaire)
    if check.problems or questionnaire is None:
        return None
    return Rubric(id=rid, version=version, title=title, questionnaire_id=questionnaire.id,
                  questionnaire_version=questionnaire.version, domain_weights=domain_weights,
                  indicator_weights=indicator_weights, min_answered_share=share, stages=stages, lenses=lenses,
                  gap_threshold=gap, official_track=order, hide_self_until_mentor_submits=hide, plan=plan,
                  sub_area_weights=sub_area_weights, presentation=presentation, scoring=scoring,
                  path=check.path, content_hash=content_hash)


def _scoring(data: PosDict, check: Checker, questionnaire: Questionnaire | None) -> dict[str, TypedScoring]:
    """How yes/no answers, numbers and the count of ticked options become levels (by indicator code)."""
    if "scoring" not in data:
        return {}
    rules = check.mapping(data["scoring"], data.value_at("scoring"), "'scoring'") or {}
    result = {}
    for code, raw in rules.items():
        indicator = questionnaire.indicator(str(code)) if questionnaire else None
        what = f"the scoring of {code}"
        if questionnaire is not None and indicator is None:
            check.problem(rules.at(code), f"'scoring' names '{code}', which is not an indicator of the questionnaire"
                                          f"{suggestion(str(code), [i.code for i in questionnaire.indicators])}")
            continue
        item = check.mapping(raw, rules.value_at(code), what)
        if item is None or indicator is None:
            continue
        if indicator.type not in ("yes_no", "multiple", "number"):
            reason = {"scale": "its levels are its score", "single": "its options carry their scores in the questionnaire",
                      "text": "a text is never scored"}[indicator.type]
            check.problem(rules.at(code), f"{code} is a {indicator.type} question and takes no rubric scoring: {reason}")
            continue
        low, high = questionnaire.min_level, questionnaire.max_level
        if indicator.type == "yes_no":
            if [key for key in list(item) if check.boolean_trap(key, item.at(key), f"a key of {what}")]:
                continue  # unquoted yes: / no: keys; said once, not again as unknown and missing keys
            check.keys(item, ("yes", "no"), ("yes", "no"), what)
            levels = {}
            for answer in ("yes", "no"):
                number = check.number(item.get(answer), item.value_at(answer), f"'{answer}' of {what}") if answer in item else None
                if number is not None and not low <= number <= high:
                    check.problem(item.value_at(answer), f"'{answer}' of {what} is {number:g}, off the scale {low}–{high}")
                levels[answer] = number
            result[str(code)] = TypedScoring(yes=levels["yes"], no=levels["no"])
        else:
            check.keys(item, ("thresholds",), ("thresholds",), what)
            counted = "the number of options ticked" if indicator.type == "multiple" else "the number given"
            thresholds = _thresholds(item, check, tuple(range(low, high + 1)), f"{what} ({counted})")
            result[str(code)] = TypedScoring(thresholds=thresholds)
    return result


def _measure_range(questionnaire: Questionnaire | None, presentation: str, scoring: dict, domain_weights: dict,
                   indicator_weights: dict) -> tuple[float, float, str] | None:
    """The range the stages must cover: the scale (mean), 0–100 (percent) or 0–the most points answers can reach."""
    if questionnaire is None:
        return None
    if presentation == "percent":
        return 0.0, 100.0, "percent"
    if presentation == "points":
        total = sum(domain_weights.get(d.code, 1.0) * sum(indicator_weights.get(i.code, 1.0) * questionnaire.max_level
                                                           for i in d.indicators if is_scored(i, scoring))
                    for d in questionnaire.domains)
        return 0.0, float(total), "points"
    return float(questionnaire.min_level), float(questionnaire.max_level), "mean"


def _questionnaire(data: PosDict, check: Checker, questionnaires: dict[str, Questionnaire],
                   broken: frozenset[str]) -> Questionnaire | None:
    ref = check.mapping(data.get("questionnaire"), data.value_at("questionnaire"), "'questionnaire'") if "questionnaire" in data else None
    if ref is None:
        return None
    check.keys(ref, ("id", "version"), ("id", "version"), "'questionnaire'")
    qid, version = check.string(ref, "id", "'questionnaire'"), check.string(ref, "version", "'questionnaire'")
    found = questionnaires.get(f"{qid}@{version}")
    if found is None and qid and version and f"{qid}@{version}" not in broken:
        known = sorted(questionnaires) or ["none found"]
        check.problem(data.value_at("questionnaire"), f"the rubric is for questionnaire {qid} version {version}, which does not "
                                                      f"exist{suggestion(f'{qid}@{version}', known)}; known: {', '.join(known)}")
    return found


def _weights(data: PosDict, key: str, codes: list[str], check: Checker, known: bool) -> dict[str, float]:
    if key not in data:
        return {}
    weights = check.mapping(data[key], data.value_at(key), f"'{key}'")
    result = {}
    for code, value in (weights or {}).items():
        if known and code not in codes:
            check.problem(weights.at(code), f"'{key}' names '{code}', which is not in the questionnaire{suggestion(code, codes)}")
        number = check.number(value, weights.value_at(code), f"the weight of {code}", positive=True)
        if number is not None:
            result[code] = number
    return result


def _stages(data: PosDict, check: Checker, span: tuple[float, float, str] | None) -> tuple[Stage, ...]:
    items = check.sequence(data.get("stages"), data.value_at("stages"), "'stages'") if "stages" in data else []
    stages = []
    for index, raw in enumerate(items or []):
        item = check.mapping(raw, items.at(index), "a stage")
        if item is None:
            continue
        check.keys(item, ("code", "name", "from", "to"), ("code", "name", "from", "to"), "a stage")
        code = check.code(item, "code", "a stage")
        low = check.number(item.get("from"), item.value_at("from"), f"'from' of stage {code}")
        high = check.number(item.get("to"), item.value_at("to"), f"'to' of stage {code}")
        name = check.text(item, "name", f"stage {code}")
        if low is not None and high is not None:
            if high <= low:
                check.problem(item.value_at("to"), f"stage {code} ends ({high}) where it starts or before ({low})")
            if stages and low < stages[-1].upper:
                check.problem(item.value_at("from"), f"stage {code} starts at {low}, inside stage {stages[-1].code} "
                                                     f"(which ends at {stages[-1].upper}): stages overlap")
            elif stages and low > stages[-1].upper:
                check.problem(item.value_at("from"), f"stage {code} starts at {low} but stage {stages[-1].code} ends at "
                                                     f"{stages[-1].upper}: scores in between would have no stage")
            stages.append(Stage(code, name, low, high))
    if stages and span is not None:
        low, high, measure = span
        first = {"mean": "the lowest level", "percent": "0 %", "points": "0 points"}[measure]
        last = {"mean": "the highest level", "percent": "100 %",
                "points": "the most points the scored indicators can reach"}[measure]
        if stages[0].lower != low:
            check.problem(items.at(0), f"the first stage must start at {first}, {low:g} (the rubric presents {measure})")
        if stages[-1].upper != high:
            check.problem(items.at(len(items) - 1), f"the last stage must end at {last}, {high:g} (the rubric presents "
                                                    f"{measure})")
    return tuple(stages)


def _lenses(data: PosDict, check: Checker) -> tuple[Lens, ...]:
    if "lenses" not in data:
        return ()
    lenses = check.mapping(data["lenses"], data.value_at("lenses"), "'lenses'") or {}
    result = []
    for code, raw in lenses.items():
        item = check.mapping(raw, lenses.value_at(code), f"lens {code}")
        if item is None:
            continue
        check.keys(item, ("title", "tag", "only"), ("title", "tag"), f"lens {code}")
        tag = item.get("tag")
        if tag not in LENS_TAGS:
            check.problem(item.value_at("tag"), f"'tag' of lens {code} must be one of {', '.join(LENS_TAGS)}{suggestion(str(tag), LENS_TAGS)}")
        only = tuple(item.get("only") or ())
        result.append(Lens(str(code), check.text(item, "title", f"lens {code}"), str(tag), only))
    return tuple(result)


def _official_track(data: PosDict, check: Checker) -> tuple[str, ...]:
    if "official_track" not in data:
        return ("consensus", "mentor", "self")
    order = check.sequence(data["official_track"], data.value_at("official_track"), "'official_track'") or []
    for index, track in enumerate(order):
        if track not in TRACKS:
            check.problem(order.at(index), f"unknown track '{track}' in 'official_track'{suggestion(str(track), TRACKS)}; "
                                           f"use {', '.join(TRACKS)}")
    if len(set(order)) != len(order):
        check.problem(data.value_at("official_track"), "'official_track' names a track twice")
    return tuple(order)


PRIORITY_RULES = {"lowest": ("count", "below"), "gesi": ("count", "below"), "gaps": ("count", "at_least")}


def _plan(data: PosDict, check: Checker, questionnaire: Questionnaire | None) -> PlanSettings:
    """The development plan's settings: which indicators become suggested priorities, and the support types."""
    if "plan" not in data:
        return PlanSettings()
    plan = check.mapping(data["plan"], data.value_at("plan"), "'plan'")
    if plan is None:
        return PlanSettings()
    check.keys(plan, ("priorities", "support_types"), (), "'plan'")
    values: dict = {}
    priorities = check.mapping(plan["priorities"], plan.value_at("priorities"), "'plan: priorities'") \
        if "priorities" in plan else None
    if priorities is not None:
        check.keys(priorities, tuple(PRIORITY_RULES), (), "'plan: priorities'")
        for rule, keys in PRIORITY_RULES.items():
            item = check.mapping(priorities[rule], priorities.value_at(rule), f"priority rule '{rule}'") \
                if rule in priorities else None
            if item is None:
                continue
            check.keys(item, keys, (), f"priority rule '{rule}'")
            count = item.get("count", 0)
            if isinstance(count, bool) or not isinstance(count, int) or count < 0:
                check.problem(item.value_at("count"), f"'count' of priority rule '{rule}' must be a whole number, "
                                                      f"0 (off) or more, not {count!r}")
                count = 0
            field = {"lowest": "lowest", "gesi": "gesi", "gaps": "gap"}[rule]
            values[f"{field}_count"] = count
            limit_key = keys[1]
            if limit_key in item:
                limit = check.number(item.get(limit_key), item.value_at(limit_key), f"'{limit_key}' of priority rule '{rule}'")
                if limit is not None and rule == "gaps" and (limit != int(limit) or limit < 1):
                    check.problem(item.value_at(limit_key), f"'at_least' of priority rule 'gaps' must be a whole "
                                                            f"number of levels, 1 or more, not {limit}")
                elif limit is not None and rule != "gaps" and questionnaire is not None \
                        and not questionnaire.min_level < limit <= questionnaire.max_level + 1:
                    check.problem(item.value_at(limit_key), f"'below' of priority rule '{rule}' must be above the lowest "
                                                            f"level ({questionnaire.min_level}) and at most one above the "
                                                            f"highest ({questionnaire.max_level + 1}), not {limit}")
                elif limit is not None:
                    values[{"lowest": "lowest_below", "gesi": "gesi_below", "gaps": "gap_at_least"}[rule]] = \
                        int(limit) if rule == "gaps" else limit
    if "support_types" in plan:
        items = check.sequence(plan["support_types"], plan.value_at("support_types"), "'plan: support_types'")
        found: list[SupportType] = []
        for index, raw in enumerate(items or []):
            item = check.mapping(raw, items.at(index), "a support type")
            if item is None:
                continue
            check.keys(item, ("code", "name"), ("code", "name"), "a support type")
            code = check.code(item, "code", "a support type")
            name = check.text(item, "name", f"support type {code}")
            if code and any(s.code == code for s in found):
                check.problem(item.value_at("code"), f"support type '{code}' is listed twice; keep one")
            elif code and name is not None:
                found.append(SupportType(code, name))
        values["support_types"] = tuple(found)
    return PlanSettings(**values)
