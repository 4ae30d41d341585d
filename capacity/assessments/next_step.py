"""The one thing staff should do next, shown first on the page of a subject they answer for.

Staff land on their organisation's page; the first thing on it is this step, as one
button: start or continue the self-assessment of the current round (with how far it
has got), review and submit it once every indicator is answered, or, once it is
submitted, see the results (their own, provisional, until the agreement is validated).
The same holds on the page of any subject whose self-assessment they answer (a service of
their organisation, a municipality they are assigned to): the current round is the one of
the subject's kind. It reads only what staff may see (``access.sight``): never how far the
mentor has got.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import url_for

from capacity import access
from capacity.assessments.answering import get_assessment
from capacity.assessments.completion import missing, required_items, stored_answers
from capacity.assessments.models import Status, Track
from capacity.organisations.models import Organisation
from capacity.questionnaires.checker import DefinitionError
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import current_round

START, CONTINUE, REVIEW, WAITING, RESULTS, CLOSED = "start", "continue", "review", "waiting", "results", "closed"


@dataclass(frozen=True)
class NextStep:
    """``kind``: start, continue, review (all answered, not submitted), waiting (submitted, agreement not
    validated yet), results (validated) or closed (the round closed before the self-assessment was submitted)."""

    kind: str
    round: AssessmentRound
    answered: int
    total: int
    url: str | None
    ends_on: date | None


def _resume_url(org: Organisation, round_: AssessmentRound, first) -> str:
    """The domain page of the first required item still without an answer, scrolled to it."""
    return url_for("assessments.domain", code=org.code, round_code=round_.code, track=Track.SELF.value,
                   domain_code=first.domain) + f"#ind-{first.code}"


def next_step(user, org: Organisation) -> NextStep | None:
    """The next step of ``user`` (staff who answer ``org``'s self-assessment) in the current round of ``org``'s kind;
    None for anyone else or without such a round."""
    if not access.capabilities(user).belongs_to_organisation or not access.can_view_organisation(user, org):
        return None
    round_ = current_round(org.kind)
    if round_ is None:
        return None
    try:
        questionnaire = definitions_for(round_).questionnaire
    except (DefinitionMissing, DefinitionError):
        return None  # the assessment pages say what is wrong with the files
    sight = access.sight(user, org, round_)
    assessment = get_assessment(org, round_, Track.SELF, with_answers=False)
    if not any(i.computed is None for i in questionnaire.indicators):
        return None
    # Counted as submitting counts: the required items asked now (conditions met), optional ones left out.
    stored = stored_answers(assessment.id) if assessment else {}
    required, gaps = required_items(questionnaire, stored), missing(questionnaire, stored)
    answered = len(required) - len(gaps)
    args = {"code": org.code, "round_code": round_.code}
    results = url_for("results.page", **args)

    def step(kind: str, url: str | None) -> NextStep:
        return NextStep(kind, round_, answered, len(required), url, round_.ends_on)

    if sight.consensus_final:
        return step(RESULTS, results)
    status = sight.status(Track.SELF)
    if status in (Status.SUBMITTED, Status.VALIDATED):
        return step(WAITING, results)
    if not sight.may_edit(Track.SELF):
        return step(CLOSED, results if answered else None)
    if not answered and gaps:
        return step(START, _resume_url(org, round_, gaps[0]))
    if gaps:
        return step(CONTINUE, _resume_url(org, round_, gaps[0]))
    return step(REVIEW, url_for("assessments.review", track=Track.SELF.value, **args))
