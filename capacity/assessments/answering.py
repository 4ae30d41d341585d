"""Answering an assessment: saving answers safely, completeness, submission, reopening.

Rules live here, not in views: a save is checked against the questionnaire
(level on the scale, an answer of the question's type (``typed``), N/A only where
allowed), a save based on an older revision is refused with both versions, and every
change becomes an audit event. What must be answered before submitting (conditions,
optional items) is ``completion``'s.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from flask_babel import lazy_gettext as _l

from capacity.assessments import completion
from capacity.assessments.completion import is_answered, missing, progress  # noqa: F401 (this module's API too)
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.assessments.typed import RELOAD, InvalidAnswer, parse_value

from capacity.rounds.models import AssessmentRound
from capacity.audit import services as audit
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.parsing import ascii_int
from capacity.questionnaires.model import MAX_COMMENT, MAX_URL, Indicator, Questionnaire, Rubric
from capacity.timeutil import utcnow


class StaleAnswer(RuntimeError):
    """Someone saved this answer since the user loaded it; ``current`` is what is stored now.

    ``theirs`` (a snapshot) and ``who`` are read when raised, so they stay right after a rollback.
    """

    def __init__(self, current: Answer):
        super().__init__(current.indicator_code)
        self.current = current
        self.theirs = snapshot(current)
        self.who = current.answered_by.display_name if current.answered_by else ""


class Incomplete(RuntimeError):
    def __init__(self, missing: list[Indicator]):
        super().__init__(", ".join(i.code for i in missing))
        self.missing = missing


@dataclass(frozen=True)
class AnswerInput:
    """What a user sent for one indicator: for a scale question level '1'…'4', 'na' or '' (no level yet) in
    ``choice``; for any other type every value posted for the answer in ``values`` and the "not applicable"
    box in ``na`` (``typed.parse_value`` reads them).

    ``revision`` is the revision the page showed: 0 when there was no answer yet. It is required;
    ``None`` (a caller that could not read one) is refused, never taken as "overwrite whatever is there".
    """

    choice: str
    comment: str = ""
    evidence_url: str = ""
    revision: int | None = None
    values: tuple[str, ...] = ()
    na: bool = False

    @property
    def empty(self) -> bool:
        """Nothing given at all (a page's untouched row for an indicator without an answer)."""
        return not (self.choice.strip() or any(v.strip() for v in self.values) or self.na
                    or self.comment.strip() or self.evidence_url.strip())


def parse_revision(values: list[str]) -> int:
    """The revision a form carried, from all values posted under its name; InvalidAnswer unless exactly one valid one."""
    if not values:
        raise InvalidAnswer("revision", _l("The page did not say which version of the answer it showed. %(reload)s",
                                           reload=RELOAD))
    if len(values) > 1:
        raise InvalidAnswer("revision", _l("The version of the answer was sent more than once. %(reload)s", reload=RELOAD))
    revision = ascii_int(values[0])  # revisions and levels: ASCII digits of bounded length (capacity.parsing)
    if revision is None:
        raise InvalidAnswer("revision", _l("The version of the answer is not a valid number. %(reload)s", reload=RELOAD))
    return revision


FIELD_LABELS = {"level": _l("Level"), "value": _l("Answer"), "comment": _l("Comment"),
                "evidence_url": _l("Link to evidence"), "na": _l("Not applicable")}


def read_input(values: Callable[[str], list[str]], names: dict[str, str], *, optional: frozenset = frozenset(),
               indicator: Indicator | None = None) -> AnswerInput:
    """An AnswerInput from one indicator's posted fields, checked at the edge.

    ``values(name)`` gives every value posted under a name (``request.form.getlist``); ``names`` maps
    level (value and na for a question that is not a scale), comment, evidence_url and revision to the
    posted names. A field missing (unless ``optional``: an unticked radio group posts nothing) or sent
    twice is refused, so a broken or forged request never clears what is stored. The answer of a question
    that is not a scale (``indicator``) is read as every value posted (several for multiple choice);
    ``typed.parse_value`` then says what is wrong with them.
    """
    typed = indicator is not None and not indicator.has_levels
    answer_fields = ("value", "na") if typed else ("level",)
    fields: dict[str, Any] = {}
    for field in answer_fields + ("comment", "evidence_url"):
        given = values(names.get(field, ""))
        if field == "value":
            if not given and field not in optional:
                raise InvalidAnswer(field, _l("“%(field)s” is missing from what the page sent. %(reload)s",
                                              field=FIELD_LABELS[field], reload=RELOAD))
            fields[field] = tuple(given)
            continue
        if len(given) > 1:
            raise InvalidAnswer(field, _l("“%(field)s” was sent more than once. %(reload)s", field=FIELD_LABELS[field],
                                          reload=RELOAD))
        if not given and field not in optional and field != "na":  # an unticked box posts nothing
            raise InvalidAnswer(field, _l("“%(field)s” is missing from what the page sent. %(reload)s",
                                          field=FIELD_LABELS[field], reload=RELOAD))
        fields[field] = given[0] if given else ""
    # The other kind of answer than the question takes (a level for a typed question, values for a scale one) is
    # refused by the parser when given: read it too, never dropped silently.
    other = values(names.get("value" if not typed else "level", ""))
    if typed and len(other) > 1:
        raise InvalidAnswer("level", _l("“%(field)s” was sent more than once. %(reload)s", field=FIELD_LABELS["level"],
                                        reload=RELOAD))
    if typed:
        fields["level"] = other[0] if other else ""
    else:
        fields["value"] = tuple(other)
    na = fields.get("na", "")
    if na not in ("", "1", "y"):  # the "not applicable" box posts "1" (WTForms' BooleanField: "y")
        raise InvalidAnswer("na", _l("“%(field)s” holds something the page does not send. %(reload)s",
                                     field=FIELD_LABELS["na"], reload=RELOAD))
    return AnswerInput(choice=fields.get("level", ""), comment=fields["comment"], evidence_url=fields["evidence_url"],
                       revision=parse_revision(values(names["revision"])), values=fields.get("value", ()),
                       na=bool(na))


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


def get_or_create_assessment(organisation: Organisation, round_: AssessmentRound, track: Track,
                             questionnaire: Questionnaire, rubric: Rubric) -> Assessment:
    """The assessment, created as a draft on first use with the exact questionnaire and rubric hashes.

    Two first saves at once both find none: each inserts inside a savepoint, and the one that loses
    the unique (organisation, round, track) constraint uses the row the other made.
    """
    assessment = get_assessment(organisation, round_, track, with_answers=False)
    if assessment is not None:
        return assessment
    try:
        with db.session.begin_nested():
            assessment = Assessment(organisation_id=organisation.id, round_id=round_.id, track=track, status=Status.DRAFT,
                                    questionnaire_hash=questionnaire.content_hash, rubric_hash=rubric.content_hash)
            db.session.add(assessment)
        return assessment
    except IntegrityError:
        return get_assessment(organisation, round_, track, with_answers=False)


def answers_by_code(assessment: Assessment | None) -> dict[str, Answer]:
    return {a.indicator_code: a for a in assessment.answers} if assessment else {}


def snapshot(answer: Answer | None) -> dict[str, Any]:
    if answer is None:
        return {"level": None, "value": None, "na": False, "comment": "", "evidence_url": "", "revision": 0}
    return {"level": answer.level, "value": answer.value, "na": answer.not_applicable, "comment": answer.comment,
            "evidence_url": answer.evidence_url, "revision": answer.revision}


def _parse_answer(indicator: Indicator, questionnaire: Questionnaire, given: AnswerInput) -> tuple[int | None, str | None, bool]:
    """(level, value, not applicable): a level for a scale question, a value (``typed``) for any other."""
    if not indicator.has_levels:
        value, na = parse_value(indicator, given.values, given.na, given.choice)
        return None, value, na
    choice = (given.choice or "").strip()
    if [v for v in given.values if v.strip()]:
        raise InvalidAnswer("level", _l("This question is answered with a level. %(reload)s", reload=RELOAD))
    if choice == "na":
        if not indicator.allow_na:
            raise InvalidAnswer("level", _l("“Not applicable” is not allowed for this indicator."))
        level, na = None, True
    elif choice == "":
        level, na = None, False
    elif (level := ascii_int(choice, max_digits=2)) is not None and questionnaire.min_level <= level <= questionnaire.max_level:
        na = False
    else:
        raise InvalidAnswer("level", _l("Choose one of the levels %(low)d–%(high)d.", low=questionnaire.min_level,
                                        high=questionnaire.max_level))
    return level, None, na


def _parse(indicator: Indicator, questionnaire: Questionnaire, given: AnswerInput) -> tuple[int | None, str | None, bool, str, str]:
    level, value, na = _parse_answer(indicator, questionnaire, given)
    if "\x00" in given.comment or "\x00" in given.evidence_url:  # PostgreSQL cannot store NUL in text
        raise InvalidAnswer("comment" if "\x00" in given.comment else "evidence_url",
                            _l("The text contains an invisible control character (NUL) that cannot be stored. "
                               "Please remove it or type the text again."))
    comment = given.comment.strip()
    if len(comment) > MAX_COMMENT:
        raise InvalidAnswer("comment", _l("The comment is too long: at most %(n)d characters.", n=MAX_COMMENT))
    url = given.evidence_url.strip()
    if url:
        try:
            parts = urlsplit(url) if len(url) <= MAX_URL else None
            _ = parts and parts.port  # a port outside 0–65535 raises here too
        except ValueError:  # e.g. "http://[::1": an unclosed IPv6 address
            parts = None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise InvalidAnswer("evidence_url", _l("Enter a full web address starting with https:// or http://."))
    return level, value, na, comment, url


def validate(questionnaire: Questionnaire, code: str, given: AnswerInput) -> tuple[int | None, str | None, bool, str, str]:
    """(level, value, not applicable, comment, link) as they would be stored; InvalidAnswer if ``given`` cannot be saved.

    Touches no database, so a page can check every answer before saving any.
    """
    indicator = questionnaire.indicator(code)
    if indicator is None or indicator.computed is not None:
        raise InvalidAnswer("indicator", _l("This indicator is not part of the questionnaire."))
    parsed = _parse(indicator, questionnaire, given)
    if given.revision is None:
        raise InvalidAnswer("revision", _l("The page did not say which version of the answer it showed. %(reload)s",
                                           reload=RELOAD))
    return parsed


def _stored(assessment_id: int, code: str) -> Answer | None:
    """The answer as committed now (refreshing any copy this session holds)."""
    return db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment_id, Answer.indicator_code == code)
                             .execution_options(populate_existing=True))


def insert_answer_row(assessment_id: int, code: str, **values: Any) -> bool:
    """Create the answer row inside a savepoint; False when another request created it first (nothing changed here)."""
    try:
        with db.session.begin_nested():
            db.session.execute(sa.insert(Answer).values(assessment_id=assessment_id, indicator_code=code, **values))
        return True
    except IntegrityError:
        return False


def save_answer(actor: Any, assessment: Assessment, questionnaire: Questionnaire, code: str, given: AnswerInput) -> Answer:
    """Store one answer. Raises InvalidAnswer (nothing saved) or StaleAnswer (someone saved in between).

    Locking is per answer, never per assessment: a first answer is an INSERT in a savepoint (losing the
    unique constraint to another request means it is stale), a later one a conditional
    ``UPDATE … WHERE revision = <the revision the user saw>``; no row updated means someone saved since.
    """
    level, value, na, comment, url = validate(questionnaire, code, given)
    seen, who, now = given.revision, getattr(actor, "id", None), utcnow()
    fields = {"level": level, "value": value, "not_applicable": na, "comment": comment, "evidence_url": url,
              "answered_by_id": who, "answered_at": now}
    answer = _stored(assessment.id, code)
    if answer is None:
        if seen != 0:
            raise InvalidAnswer("revision", _l("This answer no longer exists. %(reload)s", reload=RELOAD))
        _touch(assessment)
        if insert_answer_row(assessment.id, code, revision=1, **fields):
            answer = _stored(assessment.id, code)
            _audit(actor, assessment, code, snapshot(None), snapshot(answer))
            return answer
        answer = _stored(assessment.id, code)  # someone else's first save won: compare with theirs below
    before = snapshot(answer)
    if (level, value, na, comment, url) == (before["level"], before["value"], before["na"], before["comment"],
                                            before["evidence_url"]):
        # Already stored exactly so: nothing to overwrite, so no conflict even from an older revision (a page of
        # many rows re-sends the ones nobody touched). No new revision, no audit event.
        return answer
    if answer.revision != seen:
        raise StaleAnswer(answer)
    _touch(assessment)
    updated = db.session.execute(sa.update(Answer).where(Answer.id == answer.id, Answer.revision == seen)
                                 .values(revision=Answer.revision + 1, **fields)
                                 .execution_options(synchronize_session=False))
    answer = _stored(assessment.id, code)
    if updated.rowcount != 1:
        raise StaleAnswer(answer)
    _audit(actor, assessment, code, before, snapshot(answer))
    return answer


def _touch(assessment: Assessment) -> None:
    """Record the assessment's last activity. A plain UPDATE that cannot fail on a version; it comes before any
    answer row is written, so two transactions on PostgreSQL always lock in the same order (no deadlock)."""
    db.session.execute(sa.update(Assessment).where(Assessment.id == assessment.id).values(updated_at=utcnow())
                       .execution_options(synchronize_session=False))


def _audit(actor: Any, assessment: Assessment, code: str, before: dict, after: dict) -> None:
    audit.record(actor, "answer.save", "answer", f"{assessment.id}/{code}", organisation_id=assessment.organisation_id,
                 before={k: v for k, v in before.items() if k != "revision" and after[k] != v} or None,
                 after={k: v for k, v in after.items() if k != "revision" and before[k] != v})


def submit(actor: Any, assessment: Assessment, questionnaire: Questionnaire) -> None:
    """Submit a complete assessment (then read-only); raise Incomplete listing the required items still missing
    (an item whose condition is not met, or that is optional, is not required: ``completion``)."""
    gaps = completion.missing(questionnaire, answers_by_code(assessment))
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
    # No longer an optimistic lock (answers carry their own revisions), but still a change counter:
    # report caches include it in their fingerprint.
    assessment.version = Assessment.version + 1
    db.session.flush()
