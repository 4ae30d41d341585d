"""What an assessment still needs: which items are asked, which of them must be answered, and how far it has got.

An item whose ``show_if`` condition is not met by the assessment's own answers is not asked
(``values.shown``; hiding cascades): it is neither required nor counted, and an answer stored
for it earlier is kept but reads "not asked". An item with ``required: false`` is never
required. Submission, the progress counts, the overview's "continue" link and the
organisation page's next step all read these functions, so they always agree.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import sqlalchemy as sa

from capacity.assessments.models import Answer
from capacity.extensions import db
from capacity.questionnaires.model import Indicator, Questionnaire
from capacity.questionnaires.values import Raw, decode, shown


@dataclass(frozen=True)
class Stored:
    """An answer's content without the row (what ``stored_answers`` reads in one query)."""

    level: int | None
    value: str | None
    not_applicable: bool


def stored_answers(assessment_id: int) -> dict[str, Stored]:
    """Every answer of an assessment as {code: Stored}, in one query (the autosave path's progress, the next step)."""
    rows = db.session.execute(sa.select(Answer.indicator_code, Answer.level, Answer.value, Answer.not_applicable)
                              .where(Answer.assessment_id == assessment_id))
    return {code: Stored(level, value, bool(na)) for code, level, value, na in rows}


def is_answered(answer: Any) -> bool:
    """Answered: a level, a value (an empty choice of options included) or "not applicable"."""
    return answer is not None and (answer.level is not None or answer.value is not None or bool(answer.not_applicable))


def raw_answers(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, Raw]:
    """The answers as conditions read them (``values.decode``); "not applicable" meets no condition."""
    raw: dict[str, Raw] = {}
    for code, answer in answers.items():
        indicator = questionnaire.indicator(code)
        if indicator is not None and answer is not None and not answer.not_applicable:
            raw[code] = decode(indicator, answer.level, answer.value)
    return raw


def is_asked(questionnaire: Questionnaire, indicator: Indicator, raw: Mapping[str, Raw]) -> bool:
    """Whether the assessment asks this item now: answerable (not computed) and its condition, if any, met."""
    return indicator.computed is None and shown(indicator, dict(raw), questionnaire.indicator)


def required_items(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Indicator]:
    """The items that must be answered before submitting, in questionnaire order."""
    raw = raw_answers(questionnaire, answers)
    return [i for i in questionnaire.indicators if i.required and is_asked(questionnaire, i, raw)]


def missing(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> list[Indicator]:
    """Required items without an answer, in questionnaire order."""
    return [i for i in required_items(questionnaire, answers) if not is_answered(answers.get(i.code))]


def progress(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> dict[str, tuple[int, int]]:
    """(answered, required) per domain code: the items a domain must have answered before submitting."""
    counts = {d.code: [0, 0] for d in questionnaire.domains}
    for indicator in required_items(questionnaire, answers):
        counts[indicator.domain][1] += 1
        counts[indicator.domain][0] += is_answered(answers.get(indicator.code))
    return {code: (done, total) for code, (done, total) in counts.items()}
