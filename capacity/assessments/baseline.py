"""The organisation's level at baseline, shown quietly beside each indicator while answering.

Only what the person answering may see of the baseline round (``access.sight`` and
``access.result_choice`` decide, as for every report): organisation staff get the
validated agreement of that round, else their own baseline self-assessment, labelled
as such; nobody gets a track the rules hide from them. The baseline is the round a
profile would compare with (same questionnaire and scale, ``rounds.queries.baseline_for``);
indicator codes of an earlier questionnaire version go through its crosswalk.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from capacity import access
from capacity.assessments.models import Answer, Assessment, Track
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.model import Questionnaire
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for


@dataclass(frozen=True)
class BaselineLevel:
    level: int | None  # None with ``not_applicable``
    not_applicable: bool


@dataclass(frozen=True)
class BaselineLevels:
    """One baseline round's levels as one viewer may see them, by the indicator codes of the round being answered."""

    round: AssessmentRound
    track: str
    final: bool
    own: bool  # the viewer's own track (their self-assessment), shown because the official result is hidden from them
    levels: dict[str, BaselineLevel]


def _rated_answers(round_id: int, organisation_id: int) -> dict[str, dict[str, BaselineLevel]]:
    """Every track's answers with a level or N/A in one round, as {track: {code: level}} (one query)."""
    rows = db.session.execute(
        sa.select(Assessment.track, Answer.indicator_code, Answer.level, Answer.not_applicable)
        .join(Assessment, Answer.assessment_id == Assessment.id)
        .where(Assessment.round_id == round_id, Assessment.organisation_id == organisation_id,
               sa.or_(Answer.level.is_not(None), Answer.not_applicable.is_(True))))
    found: dict[str, dict[str, BaselineLevel]] = {}
    for track, code, level, na in rows:
        found.setdefault(Track(track).value, {})[code] = BaselineLevel(None if na else level, bool(na))
    return found


def baseline_levels(viewer, organisation: Organisation, round_: AssessmentRound,
                    questionnaire: Questionnaire) -> BaselineLevels | None:
    """What ``viewer`` may see of the organisation's levels in the baseline of ``round_``; None when nothing."""
    baseline = baseline_for(round_, None).round
    if baseline is None:
        return None
    try:
        earlier = definitions_for(baseline)
    except DefinitionMissing:
        return None
    by_track = _rated_answers(baseline.id, organisation.id)
    if not by_track:
        return None
    sight = access.sight(viewer, organisation, baseline)
    choice = access.result_choice(sight, earlier.rubric.official_track, set(by_track))
    if choice.track is None:
        return None
    levels = by_track[choice.track]
    crosswalk = questionnaire.crosswalk
    if earlier.questionnaire.version != questionnaire.version and crosswalk is not None \
            and crosswalk.from_version == earlier.questionnaire.version:
        # As the profile compares (scoring.change.translate_codes): a code the crosswalk does not name is unchanged.
        renamed = {code: crosswalk.mapping.get(code, code) for code in levels}
        levels = {new: levels[old] for old, new in renamed.items() if new}
    return BaselineLevels(baseline, choice.track, choice.final, choice.own, levels)
