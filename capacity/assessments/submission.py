"""Before submitting: what the assessment holds, so nobody submits an irreversible answer sheet blind.

Submitting makes the assessment read-only, so the page before it lists, each linked to
its indicator: what is answered, what is "not applicable", what is still unanswered
(optional questions and questions whose condition is not met apart: neither is required),
and which levels stand without any support (no comment, link or file) although the
questionnaire names the evidence that backs that indicator.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from capacity.assessments.completion import is_answered, is_asked, raw_answers
from capacity.assessments.models import Answer
from capacity.questionnaires.model import Indicator, Questionnaire


@dataclass(frozen=True)
class Summary:
    """The answerable items of one assessment, sorted by what their answer holds (questionnaire order)."""

    levelled: list[Indicator]        # answered with a level (scale questions)
    not_applicable: list[Indicator]  # answered "not applicable"
    unanswered: list[Indicator]      # required (asked, not optional) and still without an answer
    unsupported: list[Indicator]     # a level, evidence expected, but no comment, link or file
    optional: list[Indicator] = field(default_factory=list)   # optional, asked, not answered: submitting is fine
    not_asked: list[Indicator] = field(default_factory=list)  # a condition not met: not asked (an answer kept is not counted)
    other: list[Indicator] = field(default_factory=list)  # answered, a question of another type (yes/no, choice, …)

    @property
    def answered(self) -> int:
        return len(self.levelled) + len(self.other) + len(self.not_applicable)

    @property
    def total(self) -> int:
        return self.answered + len(self.unanswered)

    @property
    def complete(self) -> bool:
        return not self.unanswered


def is_supported(answer: Answer) -> bool:
    """Whether the answer says what backs it: a comment, a link to evidence or an uploaded file."""
    return bool(answer.comment.strip() or answer.evidence_url.strip() or answer.evidence_files)


def summarise(questionnaire: Questionnaire, answers: dict[str, Answer]) -> Summary:
    """Sort every answerable (not computed) item of ``questionnaire`` by its answer in ``answers``.

    An indicator "expects evidence" when the questionnaire gives it evidence guidance
    (``evidence``: which documents back the score); "not applicable" needs none. An item whose
    condition is not met is "not asked", whatever was stored for it earlier.
    """
    levelled, not_applicable, unanswered, unsupported, optional, not_asked, other = [], [], [], [], [], [], []
    raw = raw_answers(questionnaire, answers)
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue
        answer = answers.get(indicator.code)
        if not is_asked(questionnaire, indicator, raw):
            not_asked.append(indicator)
        elif not is_answered(answer):
            (unanswered if indicator.required else optional).append(indicator)
        elif answer.not_applicable:
            not_applicable.append(indicator)
        elif not indicator.has_levels:
            other.append(indicator)
        else:
            levelled.append(indicator)
            if indicator.evidence and not is_supported(answer):
                unsupported.append(indicator)
    return Summary(levelled, not_applicable, unanswered, unsupported, optional, not_asked, other)
