"""A questionnaire or rubric file changed under the same version is refused, not silently re-scored; re-pinning.

The folder is a copy (tests/questionnaire_fixtures.py): the tests edit the copy,
the way someone would edit questionnaires/gesi-oca.yaml without a new version.
"""
from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.assessments.results import DefinitionChanged, pinned_definitions
from capacity.assessments.scores import score_round
from capacity.audit.models import AuditEvent
from capacity.auth.models import User
from capacity.cli import cli
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.queries import by_code
from capacity.rounds.services import repin_round
from tests.questionnaire_fixtures import make_round, questionnaire_dir  # noqa: F401  (a fixture)
from tests.rounds.helpers import client_as

EDITED_TEXT = "There is no written mission or vision"
MESSAGE = ("questionnaires/gesi-oca.yaml (questionnaire gesi-oca, version 1.0) has changed since answers were given "
           "in round endline. Give the changed file a new version, or ask a programme manager to re-pin the round.")


def answered_round(app, factory, code: str = "endline", questionnaire=("gesi-oca", "1.0"),
                   rubric=("gesi-oca-default", "1.0"), hashes: bool = True) -> dict:
    """A round with TEL-01's submitted self-assessment, stored with the files' current hashes (or NULL)."""
    org = factory.org("TEL-01")
    make_round(app, code, *questionnaire, *rubric, date(2026, 9, 1))
    with app.app_context():
        library = load_directory()
        current = library.questionnaire(*questionnaire)
        codes = [i.code for i in current.indicators if i.computed is None]
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.code == org))
        assessment = Assessment(
            organisation_id=organisation.id, round_id=by_code(code).id, track=Track.SELF, status=Status.SUBMITTED,
            questionnaire_hash=current.content_hash if hashes else None,
            rubric_hash=library.rubric(*rubric).content_hash if hashes else None)
        assessment.answers = [Answer(indicator_code=c, level=1 + i % current.max_level) for i, c in enumerate(codes)]
        db.session.add(assessment)
        db.session.commit()
        return {"org": org, "questionnaire_hash": assessment.questionnaire_hash, "rubric_hash": assessment.rubric_hash}


def edit(folder, name: str, old: str, new: str) -> None:
    """Change a text of the copied file, keeping its version (the mistake this refusal is about)."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def current_hashes(app) -> tuple[str, str]:
    with app.app_context():
        library = load_directory()
        return (library.questionnaire("gesi-oca", "1.0").content_hash,
                library.rubric("gesi-oca-default", "1.0").content_hash)


def stored_hashes(app, code: str = "endline") -> set[tuple[str, str]]:
    with app.app_context():
        return set(db.session.execute(sa.select(Assessment.questionnaire_hash, Assessment.rubric_hash)
                                      .where(Assessment.round_id == by_code(code).id)).all())


def repin_events(app) -> list[AuditEvent]:
    with app.app_context():
        events = list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "round.repin")))
        db.session.expunge_all()
        return events


def test_unchanged_files_are_pinned_and_score(app, factory, questionnaire_dir):
    answered_round(app, factory)
    with app.app_context():
        definitions = pinned_definitions(by_code("endline"))
        assert definitions.questionnaire.key == "gesi-oca@1.0"
        assert not score_round(by_code("endline"))[0].overall.empty


def test_a_questionnaire_changed_under_the_same_version_is_refused_naming_file_version_and_round(
        app, factory, questionnaire_dir):
    answered_round(app, factory)
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    with app.app_context():
        round_ = by_code("endline")
        with pytest.raises(DefinitionChanged) as refused:
            pinned_definitions(round_)
        assert str(refused.value) == MESSAGE
        assert (refused.value.path, refused.value.kind, refused.value.key, refused.value.version,
                refused.value.round_code) == ("questionnaires/gesi-oca.yaml", "questionnaire", "gesi-oca", "1.0", "endline")
        with pytest.raises(DefinitionChanged):
            score_round(round_)


def test_a_changed_rubric_is_refused_too(app, factory, questionnaire_dir):
    answered_round(app, factory)
    edit(questionnaire_dir, "gesi-oca.rubric.yaml", "gap_threshold: 2", "gap_threshold: 3")
    with app.app_context(), pytest.raises(DefinitionChanged) as refused:
        pinned_definitions(by_code("endline"))
    assert refused.value.kind == "rubric" and refused.value.path == "questionnaires/gesi-oca.rubric.yaml"
    assert "(rubric gesi-oca-default, version 1.0) has changed" in str(refused.value)


def test_assessments_without_hashes_count_as_pinned(app, factory, questionnaire_dir):
    # Created before hashes were recorded: nothing says which content they were answered against.
    answered_round(app, factory, hashes=False)
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    with app.app_context():
        assert pinned_definitions(by_code("endline")).questionnaire.id == "gesi-oca"


def test_the_five_level_fixture_is_pinned_the_same_way(app, factory, questionnaire_dir):
    answered_round(app, factory, "mini", ("mini-five", "1.0"), ("mini-five-default", "1.0"))
    with app.app_context():
        scores, definitions = score_round(by_code("mini"))
        assert definitions.questionnaire.max_level == 5 and not scores.overall.empty
    edit(questionnaire_dir, "mini-five.yaml", "Every space is accessible.", "Every room and path is accessible.")
    with app.app_context(), pytest.raises(DefinitionChanged) as refused:
        pinned_definitions(by_code("mini"))
    assert refused.value.path == "questionnaires/mini-five.yaml" and refused.value.key == "mini-five"


def test_rounds_page_warns_and_reports_are_refused_with_a_409_page(app, factory, questionnaire_dir):
    org = answered_round(app, factory)["org"]
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    manager = client_as(app, factory, "manager")
    page = manager.get("/rounds/").get_data(as_text=True)
    assert MESSAGE in page
    assert 'action="/rounds/endline/repin"' in page and "Re-pin to the current files" in page
    portfolio = manager.get("/rounds/endline/portfolio.pdf")
    assert portfolio.status_code == 409 and MESSAGE in portfolio.get_data(as_text=True)
    assert "Traceback" not in portfolio.get_data(as_text=True)
    profile = manager.get(f"/organisations/{org}/report/endline.pdf?baseline=none")
    assert profile.status_code == 409 and MESSAGE in profile.get_data(as_text=True)


def test_score_command_prints_the_message_and_fails(app, factory, questionnaire_dir, runner):
    org = answered_round(app, factory)["org"]
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    result = runner.invoke(cli, ["score", "--org", org, "--round", "endline"])
    assert result.exit_code == 1 and MESSAGE in result.output


def test_repin_on_the_command_line_then_scoring_works_and_is_audited(app, factory, questionnaire_dir, runner):
    old = answered_round(app, factory)
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    listing = runner.invoke(cli, ["round", "list"])
    assert listing.exit_code == 0 and MESSAGE in listing.output
    result = runner.invoke(cli, ["round", "repin", "endline"])
    assert result.exit_code == 0, result.output
    assert "Re-pinned round endline: 1 assessment(s) now scored against questionnaires/gesi-oca.yaml" in result.output
    new_questionnaire, new_rubric = current_hashes(app)
    assert stored_hashes(app) == {(new_questionnaire, new_rubric)}
    with app.app_context():
        assert not score_round(by_code("endline"))[0].overall.empty
    [event] = repin_events(app)
    assert event.actor_id is None and event.object_id == "endline"  # None: the command line
    assert event.before == {"questionnaire_hash": [old["questionnaire_hash"]], "rubric_hash": [old["rubric_hash"]]}
    assert event.after["questionnaire_hash"] == new_questionnaire and event.after["rubric_hash"] == new_rubric
    assert event.after["assessments"] == 1
    again = runner.invoke(cli, ["round", "repin", "endline"])
    assert again.exit_code == 0 and "already uses questionnaires/gesi-oca.yaml" in again.output
    assert len(repin_events(app)) == 1  # nothing changed, nothing recorded
    assert runner.invoke(cli, ["round", "repin", "nope"]).exit_code == 2


def test_a_manager_repins_on_the_web(app, factory, questionnaire_dir):
    old = answered_round(app, factory)
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    manager = client_as(app, factory, "manager", email="pm@example.org")
    response = manager.post("/rounds/endline/repin")
    assert response.status_code == 302 and response.headers["Location"].endswith("/rounds/")
    page = manager.get("/rounds/").get_data(as_text=True)
    assert "is re-pinned: 1 assessment is now scored against the current questionnaire and rubric files" in page
    assert MESSAGE not in page and "/rounds/endline/repin" not in page
    assert manager.get("/rounds/endline/portfolio.pdf").status_code == 200
    [event] = repin_events(app)
    assert event.actor_id == factory.user_id("pm@example.org")
    assert event.before["questionnaire_hash"] == [old["questionnaire_hash"]]
    assert event.after["questionnaire_hash"] == current_hashes(app)[0]


@pytest.mark.parametrize("role", ["cso", "mentor"])
def test_staff_and_mentors_cannot_repin(app, factory, questionnaire_dir, role):
    old = answered_round(app, factory)
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    fields = {"org": old["org"]} if role == "cso" else {}
    # 404, not 403: staff and mentors do not learn that the programme's round pages exist
    assert client_as(app, factory, role, **fields).post("/rounds/endline/repin").status_code == 404
    assert stored_hashes(app) == {(old["questionnaire_hash"], old["rubric_hash"])}
    assert repin_events(app) == []


def test_a_round_with_old_and_new_hashes_stays_refused_until_repinned(app, factory, questionnaire_dir):
    # Someone started an assessment after the edit: it carries the new hash, the old answers still the old one.
    answered_round(app, factory)
    edit(questionnaire_dir, "gesi-oca.yaml", EDITED_TEXT, "No written mission or vision exists at all")
    other = factory.org("TEL-02")
    manager = factory.user("manager")
    with app.app_context():
        organisation = db.session.scalar(sa.select(Organisation).where(Organisation.code == other))
        library = load_directory()
        db.session.add(Assessment(organisation_id=organisation.id, round_id=by_code("endline").id, track=Track.SELF,
                                  questionnaire_hash=library.questionnaire("gesi-oca", "1.0").content_hash,
                                  rubric_hash=library.rubric("gesi-oca-default", "1.0").content_hash))
        db.session.commit()
        with pytest.raises(DefinitionChanged):
            pinned_definitions(by_code("endline"))
        actor = db.session.scalar(sa.select(User).where(User.email == manager))
        assert repin_round(actor, by_code("endline"), library) == 1  # only the old one changes
        db.session.commit()
        assert pinned_definitions(by_code("endline")).questionnaire.id == "gesi-oca"
