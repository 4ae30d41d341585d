"""A private questionnaires folder for tests, with the mini-five fixture beside the shipped files.

Use it from a test module::

    from tests.questionnaire_fixtures import make_round, questionnaire_dir  # noqa: F401 (a fixture)

    def test_something(app, questionnaire_dir):
        make_round(app, "mini-base", "mini-five", "1.0", "mini-five-default", "1.0", date(2026, 1, 1))
        (questionnaire_dir / "gesi-oca.yaml").write_text(...)   # edit a copy, never the shipped file

``questionnaire_dir`` (a pytest fixture) copies questionnaires/*.yaml and
tests/fixtures/questionnaires/*.yaml into ``tmp_path / "questionnaires"``, points
CAPACITY_QUESTIONNAIRES at it (``load_directory()`` reads that variable; the
folder is named "questionnaires", so messages name files as
questionnaires/gesi-oca.yaml) and returns the folder's Path. The library then
holds gesi-oca@1.0 (1–4 scale) with rubric gesi-oca-default@1.0, and mini-five@1.0
(1–5 scale, stages starting/growing/leading, 2 domains LEAD and SERV, 5 indicators,
SERV.01 allows N/A) with rubric mini-five-default@1.0, and every-type@1.0 (every question type,
conditions, sub-areas, ka/en/hy; 1–4 scale) with rubrics every-type-default@1.0 (percent) and
every-type-points@1.0 (points).

``make_round(app, code, questionnaire_id, version, rubric_id, rubric_version,
starts_on, is_open=True)`` adds a round (kind baseline, ends 60 days after it
starts) and returns its code.
"""
from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from capacity.extensions import db
from capacity.questionnaires.library import DEFAULT_DIRECTORY, yaml_files
from capacity.rounds.models import AssessmentRound, RoundKind

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "questionnaires"


@pytest.fixture
def questionnaire_dir(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped questionnaires plus the test fixtures, used by load_directory() for this test."""
    folder = copy_questionnaires(tmp_path)
    monkeypatch.setenv("CAPACITY_QUESTIONNAIRES", str(folder))
    return folder


def copy_questionnaires(parent: Path) -> Path:
    """``parent / "questionnaires"`` holding the shipped files and the test fixtures (for CAPACITY_QUESTIONNAIRES)."""
    folder = parent / "questionnaires"
    folder.mkdir()
    for path in yaml_files(DEFAULT_DIRECTORY) + yaml_files(FIXTURES):
        shutil.copy(path, folder / path.name)
    # The learning resources' shipped files: the resources file is checked against them.
    shutil.copytree(DEFAULT_DIRECTORY / "resources", folder / "resources")
    return folder


def make_round(app, code: str, questionnaire_id: str, version: str, rubric_id: str, rubric_version: str,
               starts_on: date, is_open: bool = True) -> str:
    """Add a round using these questionnaire and rubric versions; return its code."""
    with app.app_context():
        db.session.add(AssessmentRound(
            code=code, name_ka=f"რაუნდი {code}", name_en=f"Round {code}", kind=RoundKind.BASELINE,
            starts_on=starts_on, ends_on=starts_on + timedelta(days=60), is_open=is_open,
            questionnaire_id=questionnaire_id, questionnaire_version=version,
            rubric_id=rubric_id, rubric_version=rubric_version))
        db.session.commit()
    return code
