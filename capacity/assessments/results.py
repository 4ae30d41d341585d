"""From the database to scores: load answers and profile data as DataFrames and score them.

The only place where the pure scoring functions meet the database.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Answer, Assessment

from capacity.rounds.definitions import RoundDefinitions, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.library import DEFAULT_DIRECTORY, Library, load_directory
from capacity.scoring.computed import computed_answers
from capacity.scoring.frames import check_answers
from capacity.scoring.rollup import Scores, official_answers, score


class DefinitionChanged(Exception):
    """A questionnaire or rubric file changed under the same version after a round's answers were given.

    Scoring old answers against new content would silently change their meaning, so the
    round is refused until the file gets a new version or a manager re-pins the round.
    ``message`` is a lazy string (the web shows it in the user's language); ``str(error)``
    is the same sentence in English (the command line prints it). Plain attributes:
    ``path`` (relative to the repository, e.g. questionnaires/gesi-oca.yaml), ``kind``
    ("questionnaire" or "rubric"), ``key`` (its id), ``version`` and ``round_code``.
    """

    def __init__(self, kind: str, path: str, key: str, version: str, round_code: str):
        self.kind, self.path, self.key, self.version, self.round_code = kind, path, key, version, round_code
        values = {"path": path, "key": key, "version": version, "round": round_code}
        if kind == "questionnaire":
            self.message = _l("%(path)s (questionnaire %(key)s, version %(version)s) has changed since answers were "
                              "given in round %(round)s. Give the changed file a new version, or ask a programme "
                              "manager to re-pin the round.", **values)
        else:
            self.message = _l("%(path)s (rubric %(key)s, version %(version)s) has changed since answers were "
                              "given in round %(round)s. Give the changed file a new version, or ask a programme "
                              "manager to re-pin the round.", **values)
        with force_locale("en"):  # outside an app context this is the untranslated (English) text anyway
            super().__init__(str(self.message))


def repository_path(path: str) -> str:
    """``path`` relative to the repository (questionnaires/x.yaml); elsewhere its folder and name, same shape."""
    absolute = Path(path).resolve()
    try:
        return absolute.relative_to(DEFAULT_DIRECTORY.parent).as_posix()
    except ValueError:  # a folder named by CAPACITY_QUESTIONNAIRES outside the repository
        return f"{absolute.parent.name}/{absolute.name}"


def definition_changes(rounds: list[AssessmentRound], library: Library | None = None
                       ) -> dict[int, list[DefinitionChanged]]:
    """Per round id, the files whose content differs from what the round's answers were given against.

    One query for all ``rounds``: the distinct stored hashes. An assessment whose hashes
    are NULL (created before hashes were recorded) says nothing about the content it was
    answered against, so it never makes a round refused: it counts as pinned to the
    current files. Rounds whose versions are missing from the folder are left out
    (``definitions_for`` reports those).
    """
    if not rounds:
        return {}
    library = library or load_directory()
    stored: dict[int, tuple[set[str], set[str]]] = {}
    rows = db.session.execute(
        sa.select(Assessment.round_id, Assessment.questionnaire_hash, Assessment.rubric_hash).distinct()
        .where(Assessment.round_id.in_([r.id for r in rounds])))
    for round_id, questionnaire_hash, rubric_hash in rows:
        hashes = stored.setdefault(round_id, (set(), set()))
        hashes[0].add(questionnaire_hash)
        hashes[1].add(rubric_hash)
    changes: dict[int, list[DefinitionChanged]] = {}
    for round_ in rounds:
        questionnaire_hashes, rubric_hashes = stored.get(round_.id, (set(), set()))
        questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
        rubric = library.rubric(round_.rubric_id, round_.rubric_version)
        found = []
        if questionnaire is not None and questionnaire_hashes - {None, questionnaire.content_hash}:
            found.append(DefinitionChanged("questionnaire", repository_path(questionnaire.path), questionnaire.id,
                                           questionnaire.version, round_.code))
        if rubric is not None and rubric_hashes - {None, rubric.content_hash}:
            found.append(DefinitionChanged("rubric", repository_path(rubric.path), rubric.id, rubric.version,
                                           round_.code))
        if found:
            changes[round_.id] = found
    return changes


def pinned_definitions(round_: AssessmentRound, library: Library | None = None) -> RoundDefinitions:
    """``definitions_for(round_)``, refused (DefinitionChanged) when the files changed since answers were given.

    Use it wherever answers are scored, reported or exported: definitions_for alone
    would score old answers against whatever the file says today.
    """
    library = library or load_directory()
    definitions = definitions_for(round_, library)
    changed = definition_changes([round_], library).get(round_.id)
    if changed:
        raise changed[0]
    return definitions


def answers_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    """All answers of these rounds as (org, round, track, indicator, level, na) rows."""
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), Assessment.track,
                  Answer.indicator_code.label("indicator"), Answer.level, Answer.not_applicable.label("na"),
                  Assessment.status)
        .join(Assessment, Answer.assessment_id == Assessment.id)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .join(AssessmentRound, Assessment.round_id == AssessmentRound.id)
        .where(Assessment.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(Assessment.organisation_id.in_(organisation_ids))
    rows = db.session.execute(query).all()
    frame = pd.DataFrame(rows, columns=["org", "round", "track", "indicator", "level", "na", "status"])
    frame["track"] = frame["track"].map(lambda t: getattr(t, "value", t))
    frame["final"] = frame.pop("status").map(lambda s: getattr(s, "value", s)).isin(["submitted", "validated"])
    frame["level"] = frame["level"].astype(float)
    frame["na"] = frame["na"].astype(bool)
    return frame


def assessments_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    """Every assessment (even one without answers yet) as (org, round, track) rows."""
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), Assessment.track)
        .join(Organisation, Assessment.organisation_id == Organisation.id)
        .join(AssessmentRound, Assessment.round_id == AssessmentRound.id)
        .where(Assessment.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(Assessment.organisation_id.in_(organisation_ids))
    frame = pd.DataFrame(db.session.execute(query).all(), columns=["org", "round", "track"])
    frame["track"] = frame["track"].map(lambda t: getattr(t, "value", t))
    return frame


def profile_frame(round_ids: list[int], organisation_ids: list[int] | None = None) -> pd.DataFrame:
    query = (
        sa.select(Organisation.code.label("org"), AssessmentRound.code.label("round"), ProfileValue.code,
                  ProfileValue.category, ProfileValue.value)
        .join(Organisation, ProfileValue.organisation_id == Organisation.id)
        .join(AssessmentRound, ProfileValue.round_id == AssessmentRound.id)
        .where(ProfileValue.round_id.in_(round_ids))
    )
    if organisation_ids is not None:
        query = query.where(ProfileValue.organisation_id.in_(organisation_ids))
    return pd.DataFrame(db.session.execute(query).all(), columns=["org", "round", "code", "category", "value"])


def round_answers(round_: AssessmentRound, definitions: RoundDefinitions, organisation_ids: list[int] | None = None,
                  profile: pd.DataFrame | None = None) -> pd.DataFrame:
    """Rated answers plus computed indicators (from profile data) for one round, checked against the scale.

    ``profile``: this round's profile data (``profile_frame``) when the caller has it already.
    """
    rated = answers_frame([round_.id], organisation_ids)
    rated = rated.loc[~rated["indicator"].isin([i.code for i in definitions.questionnaire.indicators if i.computed])]
    check_answers(rated, definitions.spec)
    rated = rated.assign(computed=False)
    tracks = assessments_frame([round_.id], organisation_ids)
    if profile is None:
        profile = profile_frame([round_.id], organisation_ids)
    computed = computed_answers(profile, definitions.questionnaire, tracks)
    return pd.concat([rated, computed], ignore_index=True) if not computed.empty else rated


def score_round(round_: AssessmentRound, *, track: str = "official", organisation_ids: list[int] | None = None,
                library: Library | None = None) -> tuple[Scores, RoundDefinitions]:
    """Scores of one round: one track ("self", "mentor", "consensus") or the rubric's official choice.

    Raises DefinitionChanged when the round's files changed since its answers were given.
    """
    definitions = pinned_definitions(round_, library)
    answers = round_answers(round_, definitions, organisation_ids)
    if track == "official":
        answers = official_answers(answers, definitions.rubric.official_track)
    else:
        answers = answers.loc[answers["track"] == track]
    return score(answers, definitions.spec), definitions
