"""Answering an assessment: saving answers safely, completeness, submission, reopening.

Rules live here, not in views: a save is checked against the questionnaire
(level on the scale, N/A only where allowed), a save based on an older revision
is refused with both versions, and every change becomes an audit event.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Answer, Assessment, Status, Track

from capacity.rounds.models import AssessmentRound
from capacity.audit import services as audit
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.model import Indicator, Questionnaire, Rubric
from capacity.timeutil import utcnow

MAX_COMMENT = 5000
MAX_URL = 1000


class InvalidAnswer(ValueError):
    def __init__(self, field: str, message: Any):
        super().__init__(message)
        self.field, self.message = field, message


class StaleAnswer(RuntimeError):
    """Someone saved this answer since the user loaded it; ``current`` is what is stored now."""

    def __init__(self, current: Answer):
        super().__init__(current.indicator_code)
        self.current = current


class Incomplete(RuntimeError):
    def __init__(self, missing: list[Indicator]):
        super().__init__(", ".join(i.code for i in missing))
        self.missing = missing


@dataclass(frozen=True)
class AnswerInput:
    """What a user sent for one indicator: level '1'…'4', 'na' or '' (no level yet)."""

    choice: str
    comment: str = ""
    evidence_url: str = ""
    revision: int | None = None  # the revision the user started from; None for a first answer


def get_assessment(organisation: Organisation, round_: AssessmentRound, track: Track, *,
                   with_answers: bool = True) -> Assessment | None:
    """The assessment with its answers and their evidence files loaded in two more queries, not one per answer.

    ``with_answers=False`` loads the assessment alone (the autosave path reads one answer at a time).
    """
    query = sa.select(Assessment).where(
        Assessment.organisation_id == organisation.id, Assessment.round_id == round_.id, Assessment.track == track)
    if with_answers:
        query = query.options(selectinload(Assessment.answers).selectinload(Answer.evidence_files))
    return db.session.scalar(query)


def answered_codes(assessment_id: int) -> set[str]:
    """Indicator codes with a level or N/A, in one query (for the progress shown after an autosave)."""
    return set(db.session.scalars(sa.select(Answer.indicator_code).where(
        Answer.assessment_id == assessment_id, sa.or_(Answer.level.is_not(None), Answer.not_applicable))))


def get_or_create_assessment(organisation: Organisation, round_: AssessmentRound, track: Track,
                             questionnaire: Questionnaire, rubric: Rubric) -> Assessment:
    """The assessment, created as a draft on first use with the exact questionnaire and rubric hashes."""
    assessment = get_assessment(organisation, round_, track)
    if assessment is None:
        assessment = Assessment(organisation_id=organisation.id, round_id=round_.id, track=track, status=Status.DRAFT,
                                questionnaire_hash=questionnaire.content_hash, rubric_hash=rubric.content_hash)
        db.session.add(assessment)
        db.session.flush()
    return assessment


def answers_by_code(assessment: Assessment | None) -> dict[str, Answer]:
    return {a.indicator_code: a for a in assessment.answers} if assessment else {}


def snapshot(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"level": None, "na": False, "comment": "", "evidence_url": "", "revision": 0}
    return {"level": answer.level, "na": answer.not_applicable, "comment": answer.comment,
            "evidence_url": answer.evidence_url, "revision": answer.revision}


def _parse(indicator: Indicator, questionnaire: Questionnaire, given: AnswerInput) -> tuple[int | None, bool, str, str]:
    choice = (given.choice or "").strip()
    if choice == "na":
        if not indicator.allow_na:
            raise InvalidAnswer("level", _l("“Not applicable” is not allowed for this indicator."))
        level, na = None, True
    elif choice == "":
        level, na = None, False
    elif choice.isdigit() and questionnaire.min_level <= int(choice) <= questionnaire.max_level:
        level, na = int(choice), False
    else:
        raise InvalidAnswer("level", _l("Choose one of the levels %(low)d–%(high)d.", low=questionnaire.min_level,
                                        high=questionnaire.max_level))
    comment = given.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidAnswer("comment", _l("The comment is too long: at most %(n)d characters.", n=MAX_COMMENT))
    url = given.evidence_url.strip()
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > MAX_URL:
            raise InvalidAnswer("evidence_url", _l("Enter a full web address starting with https:// or http://."))
    return level, na, comment, url


def save_answer(actor: Any, assessment: Assessment, questionnaire: Questionnaire, code: str, given: AnswerInput) -> Answer:
    """Store one answer. Raises InvalidAnswer (nothing saved) or StaleAnswer (someone saved in between)."""
    indicator = questionnaire.indicator(code)
    if indicator is None or indicator.computed is not None:
        raise InvalidAnswer("indicator", _l("This indicator is not part of the questionnaire."))
    level, na, comment, url = _parse(indicator, questionnaire, given)
    answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment.id, Answer.indicator_code == code)
                               .with_for_update())
    if answer is not None and given.revision is not None and given.revision != answer.revision:
        raise StaleAnswer(answer)
    if answer is None and given.revision not in (None, 0):
        raise InvalidAnswer("revision", _l("This answer no longer exists. Please reload the page."))
    before = snapshot(answer)
    if answer is None:
        answer = Answer(assessment_id=assessment.id, indicator_code=code, revision=0)
        db.session.add(answer)
    changed = (level, na, comment, url) != (before["level"], before["na"], before["comment"], before["evidence_url"])
    if changed or answer.id is None:
        answer.level, answer.not_applicable, answer.comment, answer.evidence_url = level, na, comment, url
        answer.answered_by_id = getattr(actor, "id", None)
        answer.answered_at = utcnow()
        answer.revision += 1
        assessment.updated_at = utcnow()
        after = snapshot(answer)
        audit.record(actor, "answer.save", "answer", f"{assessment.id}/{code}", organisation_id=assessment.organisation_id,
                     before={k: v for k, v in before.items() if k != "revision" and after[k] != v} or None,
                     after={k: v for k, v in after.items() if k != "revision" and before[k] != v})
    db.session.flush()
    return answer


def is_answered(answer: Answer | None) -> bool:
    return answer is not None and (answer.level is not None or answer.not_applicable)


def progress(questionnaire: Questionnaire, answers: dict[str, Answer]) -> dict[str, tuple[int, int]]:
    """(answered, total) per domain code, rated indicators only."""
    return progress_of(questionnaire, {code for code, answer in answers.items() if is_answered(answer)})


def progress_of(questionnaire: Questionnaire, answered: set[str]) -> dict[str, tuple[int, int]]:
    return {d.code: (sum(i.code in answered for i in d.indicators if not i.computed),
                     sum(1 for i in d.indicators if not i.computed)) for d in questionnaire.domains}


def missing(questionnaire: Questionnaire, answers: dict[str, Answer]) -> list[Indicator]:
    return [i for i in questionnaire.indicators if i.computed is None and not is_answered(answers.get(i.code))]


def submit(actor: Any, assessment: Assessment, questionnaire: Questionnaire) -> None:
    """Submit a complete assessment (then read-only); raise Incomplete listing what is missing."""
    gaps = missing(questionnaire, answers_by_code(assessment))
    if gaps:
        raise Incomplete(gaps)
    new_status = Status.VALIDATED if assessment.track == Track.CONSENSUS else Status.SUBMITTED
    _set_status(actor, assessment, new_status, "assessment.validate" if new_status == Status.VALIDATED else "assessment.submit")
    assessment.submitted_at = utcnow()
    assessment.submitted_by_id = getattr(actor, "id", None)


def reopen(actor: Any, assessment: Assessment) -> None:
    """Make a submitted or validated assessment editable again (recorded in the audit trail)."""
    _set_status(actor, assessment, Status.DRAFT, "assessment.reopen")


def _set_status(actor: Any, assessment: Assessment, status: Status, action: str) -> None:
    audit.record(actor, action, "assessment", assessment.id, organisation_id=assessment.organisation_id,
                 before={"status": assessment.status.value}, after={"status": status.value})
    assessment.status = status
    assessment.updated_at = utcnow()
    db.session.flush()
