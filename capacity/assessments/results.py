"""Whether a round's results can be trusted: its files are still those its answers were given against.

``pinned_definitions`` is the door to scoring: it refuses (DefinitionChanged) a round
whose questionnaire or rubric changed under the same version. Pages and commands
import this module at start-up, so it does not import pandas; the scoring itself is
in ``capacity.assessments.scores``.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from capacity.assessments.models import Assessment
from capacity.rounds.definitions import RoundDefinitions, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.questionnaires.library import DEFAULT_DIRECTORY, Library, load_directory


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
