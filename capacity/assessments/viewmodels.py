"""Plain data for the assessment templates (and, later, reports): no ORM objects in templates' logic."""
from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l

from capacity.assessments import completion
from capacity.assessments.completion import is_answered
from capacity.assessments.content import ContentLanguage, answer_text, condition_note
from capacity.assessments.models import Track
from capacity.labels import TRACKS
from capacity.questionnaires.forms import (NA, NONE_OF_THESE, NOT_APPLICABLE, bounds_hint, choice_labels, domain_form_class,
                                           field_name, posted_values)
from capacity.questionnaires.model import Domain, Indicator, Questionnaire


def _given(source: Any, name: str) -> str | None:
    if source is None:
        return None
    value = source.get(name) if isinstance(source, dict) else (source[name].data if name in source else None)
    return None if value is None else str(value)


def _baseline_text(baseline, code: str, questionnaire: Questionnaire, language: str) -> str | None:
    """The indicator's level at baseline as one quiet line, saying whose level it is; None when there is none."""
    found = baseline.levels.get(code) if baseline else None
    if found is None:
        return None
    if found.not_applicable:
        level = str(_l("Not applicable"))
    else:
        name = questionnaire.level_name(found.level)
        level = str(_l("Level %(n)d", n=found.level)) + (f" — {name.get(language)}" if name else "")
    round_name = baseline.round.name(language)
    if baseline.own and baseline.track == Track.SELF.value:
        return str(_l("Your own self-assessment in %(round)s (not verified): %(level)s", round=round_name, level=level))
    if baseline.final and baseline.track == Track.CONSENSUS.value:
        return str(_l("Agreed result in %(round)s: %(level)s", round=round_name, level=level))
    track = TRACKS[Track(baseline.track)]
    if baseline.final:
        return str(_l("%(track)s in %(round)s: %(level)s", track=track, round=round_name, level=level))
    return str(_l("%(track)s in %(round)s (provisional): %(level)s", track=track, round=round_name, level=level))


def _condition(ctx, indicator: Indicator, raw: dict, content: ContentLanguage) -> dict | None:
    """What the page needs about an item's condition: the note for readers, the rule for the page's script."""
    condition = indicator.show_if
    if condition is None:
        return None
    value = list(condition.value) if isinstance(condition.value, (tuple, list)) else condition.value
    return {"note": condition_note(ctx.questionnaire, condition, content.code, content.interface),
            "source": condition.code, "operator": condition.operator, "value": json.dumps(value),
            "met": completion.is_asked(ctx.questionnaire, indicator, raw)}


def typed_fields(form, indicator: Indicator, answer, posted: bool, language: str, interface: str) -> dict:
    """The answer fields of a question that is not a scale: its choices ticked as stored (or as just posted)."""
    value_name, na_name = field_name("value", indicator.code), field_name("na", indicator.code)
    if posted:
        chosen, na = list(form[value_name].raw_data or []), bool(na_name in form and form[na_name].raw_data)
    else:
        chosen, na = posted_values(indicator, answer)
    item = {"na_box": indicator.allow_na and indicator.type in ("number", "text"), "na_box_checked": na,
            "value": chosen[0] if chosen and indicator.type in ("number", "text") else "", "unit": "", "integer": False}
    if indicator.type in ("yes_no", "single", "multiple"):
        item["choices"] = [{"value": value, "label": label, "checked": value in chosen,
                            "reserved": value in (NOT_APPLICABLE, NONE_OF_THESE)}
                           for value, label in choice_labels(form, indicator)]
    if indicator.type == "number":
        spec = indicator.number
        item["unit"] = spec.unit.get(language) if spec and spec.unit else ""
        item["integer"] = bool(spec and spec.integer)
        item["bounds"] = bounds_hint(spec)
        if item["value"] and not posted:  # as the interface writes numbers; a refused entry stays as typed
            item["value"] = format_decimal(Decimal(item["value"]), locale=interface, decimal_quantization=False)
    return item


def domain_view(ctx, domain: Domain, posted_form, content: ContentLanguage, baseline=None, form=None) -> list[dict]:
    """One dict per indicator: texts in the content language, the answer's choices (level descriptors, options,
    a number or text box), its condition, and the current (or re-shown) answer.

    ``posted_form``: the form just posted, whose values are shown again (a refused save keeps what was typed);
    ``baseline``: the organisation's baseline levels this user may see (assessments.baseline), shown beside each.
    """
    questionnaire: Questionnaire = ctx.questionnaire
    language, interface = content.code, content.interface
    form = posted_form or form or domain_form_class(questionnaire, domain, language)()
    raw = completion.raw_answers(questionnaire, ctx.answers)
    items = []
    for indicator in domain.indicators:
        answer = ctx.answers.get(indicator.code)
        names = {k: field_name(k, indicator.code)
                 for k in ("level", "value", "na", "comment", "evidence_url", "revision", "file")}
        posted = posted_form is not None and names["revision"] in posted_form and bool(posted_form[names["revision"]].raw_data)
        source = posted_form if posted else None
        stored_choice = "" if answer is None else (NA if answer.not_applicable else str(answer.level or ""))
        choice = _given(source, names["level"]) if indicator.has_levels else None
        choice = stored_choice if choice is None else choice
        comment = _given(source, names["comment"])
        url = _given(source, names["evidence_url"])
        condition = _condition(ctx, indicator, raw, content)
        item = {
            "code": indicator.code,
            "type": indicator.type,
            "text": indicator.text.get(language),
            "computed": indicator.computed is not None,
            "allow_na": indicator.allow_na,
            "required": indicator.required,
            "evidence": indicator.evidence.get(language) if indicator.evidence else "",
            "levels": [{"value": str(level), "number": level, "name": questionnaire.level_name(level).get(language),
                        "descriptor": text.get(language), "checked": choice == str(level)}
                       for level, text in sorted(indicator.levels.items())],
            "na_checked": choice == NA,
            "comment": (answer.comment if answer else "") if comment is None else comment,
            "evidence_url": (answer.evidence_url if answer else "") if url is None else url,
            "revision": answer.revision if answer else 0,
            "answered": is_answered(answer),
            "condition": condition,
            # An answer kept for an item its condition no longer asks: shown as "not asked", never deleted.
            "not_asked": bool(condition and not condition["met"] and is_answered(answer)),
            "files": [{"id": f.id, "name": f.filename, "size": f.size} for f in (answer.evidence_files if answer else [])],
            "names": names,
            "baseline": _baseline_text(baseline, indicator.code, questionnaire, language),
        }
        if not indicator.has_levels and indicator.computed is None:
            item.update(typed_fields(form, indicator, answer, posted, language, interface))
        items.append(item)
    return items


def answers_table(ctx, language: str, interface: str) -> list[dict]:
    """Every answerable item of the assessment with its answer as a reader sees it, by domain (review, overview,
    submitted): "not asked" where the item's condition is not met (an answer stored earlier is kept, not counted)."""
    questionnaire: Questionnaire = ctx.questionnaire
    raw = completion.raw_answers(questionnaire, ctx.answers)
    rows = []
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue
        answer = ctx.answers.get(indicator.code)
        rows.append({"code": indicator.code, "domain": indicator.domain, "title": indicator.title(language),
                     "answer": answer_text(questionnaire, indicator, answer, language, interface),
                     "asked": completion.is_asked(questionnaire, indicator, raw), "required": indicator.required})
    return rows
