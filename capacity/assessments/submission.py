"""Before submitting: what the assessment holds, so nobody submits an irreversible answer sheet blind.

Submitting makes the assessment read-only, so the page before it lists, each linked to
its indicator: what is answered with a level, what is "not applicable", what is still
unanswered, and which levels stand without any support (no comment, link or file)
although the questionnaire names the evidence that backs that indicator.
"""
from __future__ import annotations

from dataclasses import dataclass

from capacity.assessments.answering import is_answered
from capacity.assessments.models import Answer
from capacity.questionnaires.model import Indicator, Questionnaire


@dataclass(frozen=True)
class Summary:
    """The rated indicators of one assessment, sorted by what their answer holds (questionnaire order)."""

    levelled: list[Indicator]        # answered with a level
    not_applicable: list[Indicator]  # answered "not applicable"
    unanswered: list[Indicator]
    unsupported: list[Indicator]     # a level, evidence expected, but no comment, link or file

    @property
    def answered(self) -> int:
        return len(self.levelled) + len(self.not_applicable)

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
    """Sort every rated (not computed) indicator of ``questionnaire`` by its answer in ``answers``.

    An indicator "expects evidence" when the questionnaire gives it evidence guidance
    (``evidence``: which documents back the score); "not applicable" needs none.
    """
    levelled, not_applicable, unanswered, unsupported = [], [], [], []
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue
        answer = answers.get(indicator.code)
        if not is_answered(answer):
            unanswered.append(indicator)
        elif answer.not_applicable:
            not_applicable.append(indicator)
        else:
            levelled.append(indicator)
            if indicator.evidence and not is_supported(answer):
                unsupported.append(indicator)
    return Summary(levelled, not_applicable, unanswered, unsupported)
