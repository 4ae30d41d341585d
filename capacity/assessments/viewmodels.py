"""Plain data for the assessment templates (and, later, reports): no ORM objects in templates' logic."""
from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from capacity.assessments.answering import is_answered
from capacity.assessments.models import Track
from capacity.labels import TRACKS
from capacity.questionnaires.forms import NA, field_name
from capacity.questionnaires.model import Domain, Questionnaire


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


def domain_view(ctx, domain: Domain, posted_form, language: str, baseline=None) -> list[dict]:
    """One dict per indicator: texts, level choices with descriptors, the current (or re-shown) answer.

    ``baseline``: the organisation's baseline levels this user may see (assessments.baseline), shown beside each.
    """
    questionnaire: Questionnaire = ctx.questionnaire
    items = []
    for indicator in domain.indicators:
        answer = ctx.answers.get(indicator.code)
        names = {k: field_name(k, indicator.code) for k in ("level", "comment", "evidence_url", "revision", "file")}
        stored_choice = "" if answer is None else (NA if answer.not_applicable else str(answer.level or ""))
        source = posted_form
        choice = _given(source, names["level"])
        choice = stored_choice if choice is None else choice
        comment = _given(source, names["comment"])
        url = _given(source, names["evidence_url"])
        items.append({
            "code": indicator.code,
            "text": indicator.text.get(language),
            "computed": indicator.computed is not None,
            "allow_na": indicator.allow_na,
            "evidence": indicator.evidence.get(language) if indicator.evidence else "",
            "levels": [{"value": str(level), "number": level, "name": questionnaire.level_name(level).get(language),
                        "descriptor": text.get(language), "checked": choice == str(level)}
                       for level, text in sorted(indicator.levels.items())],
            "na_checked": choice == NA,
            "comment": (answer.comment if answer else "") if comment is None else comment,
            "evidence_url": (answer.evidence_url if answer else "") if url is None else url,
            "revision": answer.revision if answer else 0,
            "answered": is_answered(answer),
            "files": [{"id": f.id, "name": f.filename, "size": f.size} for f in (answer.evidence_files if answer else [])],
            "names": names,
            "baseline": _baseline_text(baseline, indicator.code, questionnaire, language),
        })
    return items
