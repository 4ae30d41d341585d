"""Helpers for the rounds tests: log in (in English), add assessments with answers, a second questionnaire version."""
from __future__ import annotations

import re
import shutil
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status, Track

from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_directory
from tests.conftest import login

# What the shipped instrument has: 59 indicators, of which 4 are computed from profile data.
RATED = 55


def client_as(app, factory, role: str, **fields):
    """A test client logged in as a new user of ``role`` who reads the pages in English."""
    client = app.test_client()
    email = factory.user(role, language="en", **fields)
    assert login(client, email).status_code == 302
    return client


def rated_codes() -> list[str]:
    questionnaire = load_directory(DEFAULT_DIRECTORY).questionnaire("gesi-oca", "1.0")
    return [i.code for i in questionnaire.indicators if i.computed is None]


def computed_codes() -> list[str]:
    questionnaire = load_directory(DEFAULT_DIRECTORY).questionnaire("gesi-oca", "1.0")
    return [i.code for i in questionnaire.indicators if i.computed is not None]


def add_assessment(app, org_code: str, round_code: str, track: Track, status: Status = Status.DRAFT,
                   answers: list[tuple[str, int | None, bool]] = (), updated_at: datetime | None = None) -> None:
    """An assessment with ``answers`` as (indicator code, level, not applicable) triples."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        assessment = Assessment(organisation_id=org.id, round_id=round_.id, track=track, status=status,
                                updated_at=updated_at or datetime.now(timezone.utc))
        assessment.answers = [Answer(indicator_code=code, level=level, not_applicable=na) for code, level, na in answers]
        db.session.add(assessment)
        db.session.commit()


def row(page: str, code: str) -> str:
    """The HTML of the table row that shows ``code``."""
    match = re.search(r"<tr>(?:(?!</tr>).)*?>" + re.escape(code) + r"<(?:(?!</tr>).)*</tr>", page, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


@pytest.fixture
def two_versions(tmp_path, monkeypatch):
    """A questionnaires folder with versions 1.0 and 2.0 of gesi-oca, each with its own rubric."""
    folder = tmp_path / "questionnaires"
    folder.mkdir()
    for name in ("gesi-oca.yaml", "gesi-oca.rubric.yaml"):
        shutil.copy(DEFAULT_DIRECTORY / name, folder / name)
    text = (DEFAULT_DIRECTORY / "gesi-oca.yaml").read_text(encoding="utf-8")
    (folder / "gesi-oca-2.yaml").write_text(_set_version(text, "2.0"), encoding="utf-8")
    rubric = (DEFAULT_DIRECTORY / "gesi-oca.rubric.yaml").read_text(encoding="utf-8")
    rubric = _set_version(rubric, "2.0").replace('questionnaire:\n  id: gesi-oca\n  version: "1.0"',
                                                 'questionnaire:\n  id: gesi-oca\n  version: "2.0"')
    (folder / "gesi-oca-2.rubric.yaml").write_text(rubric, encoding="utf-8")
    monkeypatch.setenv("CAPACITY_QUESTIONNAIRES", str(folder))
    library = load_directory()
    assert set(library.rubrics) == {"gesi-oca-default@1.0", "gesi-oca-default@2.0"}
    return folder


def _set_version(text: str, version: str) -> str:
    changed, count = re.subn(r'^version: "1\.0"$', f'version: "{version}"', text, count=1, flags=re.M)
    assert count == 1
    return changed
