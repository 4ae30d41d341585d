"""An export reads each kind of row once, and scores exactly what the reports score."""
from __future__ import annotations

import re

import pandas as pd
import sqlalchemy as sa

from capacity.assessments.models import Answer
from capacity.assessments.results import pinned_definitions
from capacity.assessments.scores import round_answers
from capacity.exports import services
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.profiles.models import ProfileValue
from capacity.rounds.services import by_code


def organisations():
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.code)))


def test_answers_and_profile_data_are_read_once_for_all_three_sheets(app, world):
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        round_, orgs = by_code("baseline"), organisations()
        sa.event.listen(db.engine, "before_cursor_execute", seen)
        try:
            export = services.round_export(round_, orgs, "en")
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert len(export.long) and len(export.profile) and len(export.wide) == 2

    def reads(table: str) -> int:
        return sum(bool(re.search(rf"\bFROM {table}\b", s)) for s in statements)

    assert reads(Answer.__table__.name) == 1
    assert reads(ProfileValue.__table__.name) == 1


def test_the_scores_come_from_the_same_answers_the_reports_score(app, world):
    keys = ["org", "track", "indicator"]
    with app.app_context():
        for code in ("baseline", "endline"):
            round_, orgs = by_code(code), organisations()
            ids = [org.id for org in orgs]
            definitions = pinned_definitions(round_)
            reports = round_answers(round_, definitions, ids)
            export = services._scored_answers(services._answer_rows(round_.id, ids), services._statuses(round_.id, ids),
                                              services.profile_frame([round_.id], ids), definitions, round_.code)
            columns = ["org", "round", "track", "indicator", "level", "na", "final", "computed"]

            def comparable(frame: pd.DataFrame) -> pd.DataFrame:
                frame = frame.assign(final=frame["final"].astype(object).where(frame["final"].notna(), False))
                return frame[columns].sort_values(keys).reset_index(drop=True)

            assert len(export) == len(reports) > 0
            pd.testing.assert_frame_equal(comparable(export), comparable(reports), check_dtype=False)
