"""One round's answers, track statuses and scores on every track, for one organisation or many.

Reports never score "the official answers" blindly: each reader gets the track
``access.result_choice`` picks for them, so the scores of every track are
computed once (a vectorised pass, one row per organisation × track) and each
report takes the rows it may show.
"""
from __future__ import annotations

import dataclasses

import pandas as pd
import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from capacity import access, labels
from capacity.assessments.models import Assessment, Status, Track
from capacity.assessments.results import pinned_definitions
from capacity.assessments.scores import profile_frame, round_answers
from capacity.rounds.definitions import RoundDefinitions
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds.models import AssessmentRound
from capacity.scoring.rollup import Scores, score

STATUS_COLUMNS = ["org", "track", "status"]


def _statuses(round_id: int, org_ids: list[int] | None) -> pd.DataFrame:
    query = (sa.select(Organisation.code, Assessment.track, Assessment.status)
             .join(Organisation, Assessment.organisation_id == Organisation.id).where(Assessment.round_id == round_id))
    if org_ids is not None:
        query = query.where(Assessment.organisation_id.in_(org_ids))
    rows = [(org, Track(track).value, Status(status).value) for org, track, status in db.session.execute(query)]
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def _rows_of(frame: pd.DataFrame, column: str, value: str) -> pd.DataFrame:
    return frame.loc[frame[column] == value]


class RoundResult:
    """Answers (every track, rated and computed), statuses, scores and profile data of one round.

    Printing every profile of a round builds this once for all organisations
    (``RoundResult(round_, None)``) and hands each profile its ``only(code)`` slice.
    Raises DefinitionChanged when the round's questionnaire or rubric file changed
    since its answers were given (see ``pinned_definitions``).
    """

    def __init__(self, round_: AssessmentRound, org_ids: list[int] | None):
        self.definitions: RoundDefinitions = pinned_definitions(round_)
        self.profile = profile_frame([round_.id], org_ids)
        self.answers = round_answers(round_, self.definitions, org_ids, self.profile)
        self.statuses = _statuses(round_.id, org_ids)
        self.scores = score(self.answers, self.definitions.spec)

    def only(self, org_code: str) -> RoundResult:
        """The same round for one organisation (no database, no scoring)."""
        part = object.__new__(RoundResult)
        part.definitions = self.definitions
        part.profile = _rows_of(self.profile, "org", org_code)
        part.answers = _rows_of(self.answers, "org", org_code)
        part.statuses = _rows_of(self.statuses, "org", org_code)
        part.scores = Scores(**{f.name: _rows_of(getattr(self.scores, f.name), "org", org_code)
                                for f in dataclasses.fields(Scores)})
        return part

    def statuses_of(self, org_code: str) -> dict[Track, Status]:
        rows = _rows_of(self.statuses, "org", org_code)
        return {Track(t): Status(s) for t, s in zip(rows["track"], rows["status"])}

    def answered_tracks(self, org_code: str) -> set[str]:
        """Tracks with at least one rated answer (a level or N/A) for the organisation."""
        rows = self.answers.loc[(self.answers["org"] == org_code) & ~self.answers["computed"].fillna(False).astype(bool)
                                & (self.answers["level"].notna() | self.answers["na"])]
        return set(rows["track"])

    def choice(self, sight: access.Sight, org_code: str, prefer: str | None = None) -> access.ResultChoice:
        """Which track's numbers this viewer gets for the organisation (see access.result_choice)."""
        return access.result_choice(sight, self.definitions.rubric.official_track, self.answered_tracks(org_code), prefer)

    def track_answers(self, org_code: str, track: str | None) -> pd.DataFrame:
        rows = _rows_of(self.answers, "org", org_code)
        return rows.loc[rows["track"] == track] if track else rows.iloc[0:0]

    def track_scores(self, org_code: str, track: str | None) -> Scores:
        def pick(frame: pd.DataFrame) -> pd.DataFrame:
            rows = _rows_of(frame, "org", org_code)
            return rows.loc[rows["track"] == track] if track else rows.iloc[0:0]
        return Scores(**{f.name: pick(getattr(self.scores, f.name)) for f in dataclasses.fields(Scores)})


def standing_text(choice: access.ResultChoice, neutral: bool = False) -> str:
    """One sentence a reader sees beside a result: final, or provisional and why (in the current locale).

    ``neutral``: a sentence that names no kind of subject (a service's or a municipality's result: see
    ``wording``); an organisation's says whom the mentor agrees with, as it always did."""
    if choice.track is None:
        return str(_l("No result yet that you may see."))
    if choice.final:
        if choice.track == Track.CONSENSUS.value:
            return str(_l("Final result: the agreed assessment, validated."))
        return str(_l("Final result: %(track)s, submitted.", track=labels.TRACKS[Track(choice.track)]))
    sentence = {
        Track.SELF.value: _l("Provisional: self-assessment only, not verified."),
        Track.MENTOR.value: _l("Provisional: the mentor assessment, not yet agreed.") if neutral
        else _l("Provisional: the mentor assessment, not yet agreed with the organisation."),
        Track.CONSENSUS.value: _l("Provisional: the agreed assessment is not validated yet."),
    }[choice.track]
    if choice.status in (None, Status.DRAFT):
        return f"{sentence} {DRAFT_NOTE}"
    return str(sentence)


DRAFT_NOTE = _l("Still a draft: answers may change.")


def has_mentor_assessments(round_: AssessmentRound) -> bool:
    """Whether any organisation has a mentor assessment in the round: a round without one at all (a self-assessment
    instrument) prints no self/mentor comparison. One indexed query, for the profile and its cache key alike."""
    return bool(db.session.scalar(sa.select(sa.exists().where(Assessment.round_id == round_.id,
                                                                 Assessment.track == Track.MENTOR))))



def chosen_scores(result: RoundResult, chosen: dict[str, str]) -> Scores:
    """The scores of one track per organisation (``chosen``: org code → track), as if it were the only one."""
    def pick(frame: pd.DataFrame) -> pd.DataFrame:
        keep = [chosen.get(org) == track for org, track in zip(frame["org"], frame["track"])]
        return frame.loc[keep].assign(track="official") if len(frame) else frame
    return Scores(**{f.name: pick(getattr(result.scores, f.name)) for f in dataclasses.fields(Scores)})
