"""The confirm step attacked: tokens of others, old, forged or replayed; the world changing between the check and
the import (a round closed, an assessment submitted, an answer saved on the web); two confirms at once; blind
scoring; the audit trail of an import as people read it."""
from __future__ import annotations

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from capacity.assessments import answering
from capacity.assessments.answering import AnswerInput
from capacity.assessments.models import Assessment, Status, Track
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.queries import by_code
from capacity.submissions.models import PendingImport
from tests.conftest import login
from tests.questionnaire_fixtures import make_round
from tests.submissions import kobo
from tests.submissions.conftest import FULL, SHORT, stored
from tests.submissions.test_web import english, token_of, upload

IMPORT = "/rounds/kobo/submissions/import"


def checked(client, world, rows=(("ORG-A", SHORT),), track="self") -> str:
    """A manager's clean check of a file: the token its page offers."""
    page = upload(client, "kobo", kobo.xlsx(kobo.rows(world["questionnaire"], list(rows))), track).get_data(as_text=True)
    return token_of(page)


def imports(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "submissions.import", AuditEvent.object_type == "round"))


def web_save(app, org_code: str, track: Track, code: str, given: AnswerInput) -> None:
    """An answer saved as the web's answer page saves it (the same service, its own transaction)."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        library = load_directory()
        questionnaire = library.questionnaire("every-type", "1.0")
        assessment = answering.get_or_create_assessment(org, by_code("kobo"), track, questionnaire,
                                                        library.rubric("every-type-default", "1.0"))
        answering.save_answer(None, assessment, questionnaire, code, given)
        db.session.commit()


def test_a_token_works_only_on_its_own_round(app, client, world, questionnaire_dir):
    make_round(app, "other", "every-type", "1.0", "every-type-default", "1.0", date(2026, 4, 1))
    english(client, world["manager"])
    token = checked(client, world)
    response = client.post("/rounds/other/submissions/import", data={"token": token})
    assert response.status_code == 302 and response.headers["Location"].endswith("/rounds/other/submissions")
    assert imports(app) == 0
    assert client.post(IMPORT, data={"token": token}).status_code == 200  # not used up by the wrong round
    assert imports(app) == 1


def test_an_upload_older_than_a_day_is_refused_and_pruned_at_the_next_upload(app, client, world):
    english(client, world["manager"])
    token = checked(client, world)
    with app.app_context():
        db.session.execute(sa.update(PendingImport).values(created_at=PendingImport.created_at - timedelta(hours=25)))
        db.session.commit()
    response = client.post(IMPORT, data={"token": token})
    assert response.status_code == 302 and imports(app) == 0
    assert "no longer waiting" in client.get("/rounds/kobo/submissions").get_data(as_text=True)
    checked(client, world)
    with app.app_context():
        assert db.session.scalars(sa.select(PendingImport.token)).all() != [token]
        assert db.session.scalar(sa.select(sa.func.count(PendingImport.id))) == 1


@pytest.mark.parametrize("forge", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
    lambda t: t.upper(), lambda t: t + "x", lambda t: t[:20], lambda t: t + "' OR '1'='1",
    lambda t: "%" * 43, lambda t: "x" * 5000,
])
def test_a_forged_token_imports_nothing_and_leaves_the_real_one_usable(app, client, world, forge):
    english(client, world["manager"])
    token = checked(client, world)
    response = client.post(IMPORT, data={"token": forge(token)})
    assert response.status_code in (302, 400) and imports(app) == 0
    assert client.post(IMPORT, data={"token": token}).status_code == 200 and imports(app) == 1


def test_bytes_altered_in_the_database_fail_their_fingerprint(app, client, world):
    english(client, world["manager"])
    token = checked(client, world)
    other = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-B", FULL)]))
    with app.app_context():
        db.session.execute(sa.update(PendingImport).values(data=other))
        db.session.commit()
    assert client.post(IMPORT, data={"token": token}).status_code == 302
    assert imports(app) == 0 and stored(app, "ORG-B", "kobo", "self") == {}


def test_a_round_closed_between_check_and_import_imports_nothing(app, client, world):
    english(client, world["manager"])
    token = checked(client, world)
    with app.app_context():
        by_code("kobo").is_open = False
        db.session.commit()
    response = client.post(IMPORT, data={"token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "The round is closed" in page and "Nothing was imported" in page
    assert stored(app, "ORG-A", "kobo", "self") == {} and imports(app) == 0
    with app.app_context():
        by_code("kobo").is_open = True
        db.session.commit()
    assert client.post(IMPORT, data={"token": token}).status_code == 302  # used up: check the file again


def test_an_assessment_submitted_while_the_import_saves_stops_it_whole(app, client, world, monkeypatch):
    """The organisation submits after the import read its assessment as a draft but before it saves."""
    from capacity.submissions import services

    english(client, world["manager"])
    web_save(app, "ORG-B", Track.SELF, "GOV.1", AnswerInput(choice="2", revision=0))
    token = checked(client, world, [("ORG-A", SHORT), ("ORG-B", SHORT)])
    real = services._check_rows

    def then_submitted(*args, **kwargs):
        planned = real(*args, **kwargs)
        db.session.execute(sa.update(Assessment).values(status=Status.SUBMITTED)
                           .where(Assessment.organisation.has(code="ORG-B")))
        return planned

    monkeypatch.setattr(services, "_check_rows", then_submitted)
    page = client.post(IMPORT, data={"token": token}).get_data(as_text=True)
    assert "was submitted while the file was being imported" in page and "ORG-B" in page
    assert stored(app, "ORG-A", "kobo", "self") == {}  # ORG-A's row, before it, is not saved either
    assert stored(app, "ORG-B", "kobo", "self")["GOV.1"][0] == 2 and imports(app) == 0


def test_an_answer_saved_on_the_web_after_the_check_is_never_overwritten_unseen(app, client, world):
    english(client, world["manager"])
    web_save(app, "ORG-A", Track.SELF, "GOV.1", AnswerInput(choice="2", revision=0))
    token = checked(client, world)  # the check sees GOV.1 at level 2 (revision 1), to be replaced by 1
    web_save(app, "ORG-A", Track.SELF, "GOV.1", AnswerInput(choice="4", comment="typed by the CSO", revision=1))
    page = client.post(IMPORT, data={"token": token}).get_data(as_text=True)
    assert "saved on the web after the file was checked" in page and "Nothing was imported" in page
    assert stored(app, "ORG-A", "kobo", "self") == {"GOV.1": (4, None, False, "typed by the CSO")}
    assert imports(app) == 0
    # A first answer typed on the web after the check, to a question the file answers, stops it too.
    token = checked(client, world)
    web_save(app, "ORG-A", Track.SELF, "GOV.5", AnswerInput(choice="3", revision=0))
    page = client.post(IMPORT, data={"token": token}).get_data(as_text=True)
    assert "saved on the web after the file was checked" in page
    assert stored(app, "ORG-A", "kobo", "self")["GOV.5"][0] == 3 and imports(app) == 0
    # Saves on questions the file leaves alone do not: the file checked again imports.
    token = checked(client, world)
    web_save(app, "ORG-A", Track.SELF, "SRV.4", AnswerInput(choice="", values=("Ramps",), revision=0))
    assert "answers were imported" in client.post(IMPORT, data={"token": token}).get_data(as_text=True)
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][:3] == (1, None, False)
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][3] == "typed by the CSO"  # the comment is kept
    assert stored(app, "ORG-A", "kobo", "self")["SRV.4"][1] == "Ramps"


def test_two_confirms_at_the_same_moment_import_once(app, client, world):
    english(client, world["manager"])
    token = checked(client, world, [("ORG-A", FULL), ("ORG-B", SHORT)])
    second = app.test_client()
    english(second, world["manager"])
    start, statuses = threading.Barrier(2), []

    def confirm(one_client):
        start.wait()
        statuses.append(one_client.post(IMPORT, data={"token": token}).status_code)

    threads = [threading.Thread(target=confirm, args=(c,)) for c in (client, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200, 302]
    assert imports(app) == 1
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "answer.save")) == len(FULL) + len(SHORT)


@pytest.mark.parametrize("imported, other", [("mentor", Track.SELF), ("self", Track.MENTOR)])
def test_blind_scoring_the_report_never_shows_the_other_track(app, client, world, imported, other):
    web_save(app, "ORG-A", other, "GOV.1", AnswerInput(choice="4", comment="OTHER-TRACK-SECRET", revision=0))
    web_save(app, "ORG-A", other, "SRV.4", AnswerInput(choice="", values=("OTHER-TRACK-TEXT",), revision=0))
    english(client, world["manager"])
    page = upload(client, "kobo", kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", FULL)])),
                  imported).get_data(as_text=True)
    assert "OTHER-TRACK" not in page and "10 answers will be imported" in page
    page = client.post(IMPORT, data={"token": token_of(page)}).get_data(as_text=True)
    assert "OTHER-TRACK" not in page and "10 answers were imported" in page
    assert stored(app, "ORG-A", "kobo", other.value)["GOV.1"] == (4, None, False, "OTHER-TRACK-SECRET")


@pytest.mark.parametrize("who", ["cso", "mentor"])
def test_a_managers_token_gets_staff_and_mentors_nowhere(app, client, world, who):
    english(client, world["manager"])
    token = checked(client, world)
    intruder = app.test_client()
    assert login(intruder, world[who]).status_code == 302
    for method, path in (("post", IMPORT), ("get", IMPORT), ("get", "/rounds/kobo/submissions"),
                         ("post", "/rounds/kobo/submissions"), ("get", "/rounds/kobo/collection-form.xlsx")):
        assert getattr(intruder, method)(path, data={"token": token}).status_code == 404, (method, path)
    assert imports(app) == 0
    assert client.post(IMPORT, data={"token": token}).status_code == 200  # still the manager's to use


def test_the_import_is_audited_with_file_fingerprint_and_counts_readable_in_both_languages(app, client, world):
    english(client, world["manager"])
    data = kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", FULL), ("ORG-B", SHORT)]))
    page = upload(client, "kobo", data, "self", filename="მაისი-kobo.xlsx").get_data(as_text=True)
    client.post(IMPORT, data={"token": token_of(page)})
    import hashlib

    digest = hashlib.sha256(data).hexdigest()
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submissions.import",
                                                              AuditEvent.object_type == "round"))
        assert event.object_id == "kobo" and event.actor_id is not None
        assert event.after == {"file": "მაისი-kobo.xlsx", "sha256": digest, "round": "kobo", "track": "self",
                               "rows": 2, "organisations": ["ORG-A", "ORG-B"], "answers": len(FULL) + len(SHORT)}
        org_b = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "ORG-B"))
        mine = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submissions.import",
                                                             AuditEvent.object_type == "assessment",
                                                             AuditEvent.organisation_id == org_b))
        assert mine.after == {"file": "მაისი-kobo.xlsx", "sha256": digest, "track": "self", "answers": len(SHORT)}
    history = "/organisations/ORG-B/assessments/kobo/self/history"
    page = client.get(history).get_data(as_text=True)
    assert "Submissions imported from KoboToolbox/ODK" in page and "მაისი-kobo.xlsx" in page
    assert "Fingerprint of the file (SHA-256)" in page and digest[:12] in page
    assert "ORG-A" not in page  # another organisation's part of the file is not this page's business
    client.post("/language", data={"language": "ka", "next": "/"})
    page = client.get(history).get_data(as_text=True)
    assert "მაისი-kobo.xlsx" in page and digest[:12] in page
    assert "Submissions imported" not in page and "Fingerprint of the file" not in page  # all in Georgian


def test_a_manager_keeps_at_most_five_checked_uploads_waiting(app, client, world):
    english(client, world["manager"])
    tokens = [checked(client, world) for _ in range(7)]
    with app.app_context():
        assert sorted(db.session.scalars(sa.select(PendingImport.token))) == sorted(tokens[2:])
    assert client.post(IMPORT, data={"token": tokens[0]}).status_code == 302  # the oldest went
    assert client.post(IMPORT, data={"token": tokens[-1]}).status_code == 200


def test_the_refusals_of_a_changed_world_read_in_georgian(app, client, world):
    assert login(client, world["manager"]).status_code == 302  # Georgian: the default language
    web_save(app, "ORG-A", Track.SELF, "GOV.1", AnswerInput(choice="2", revision=0))
    token = checked(client, world)
    web_save(app, "ORG-A", Track.SELF, "GOV.1", AnswerInput(choice="4", revision=1))
    page = client.post(IMPORT, data={"token": token}).get_data(as_text=True)
    assert "ფაილის შემოწმების შემდეგ ვებგვერდზე პასუხი შეინახეს" in page
    assert "saved on the web" not in page
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"][0] == 4


def test_a_web_save_committed_while_the_import_runs_stops_it(app, client, world, backend, monkeypatch):
    """Truly at the same time (PostgreSQL, where a reader never blocks a writer): the import has read the stored
    answers when the organisation's save commits; the import then refuses whole and the saved answer stays."""
    if backend[0] != "postgres":
        pytest.skip("SQLite lets one writer in at a time: the web save would wait for the import to finish")
    from capacity.submissions import services

    english(client, world["manager"])
    web_save(app, "ORG-A", Track.SELF, "GOV.1", AnswerInput(choice="2", revision=0))
    token = checked(client, world)
    read, saved = threading.Event(), threading.Event()
    real = services._save

    def pausing(*args, **kwargs):
        read.set()
        assert saved.wait(30)
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_save", pausing)
    pages = []
    worker = threading.Thread(target=lambda: pages.append(client.post(IMPORT, data={"token": token})
                                                          .get_data(as_text=True)))
    worker.start()
    assert read.wait(30)
    web_save(app, "ORG-A", Track.SELF, "GOV.1", AnswerInput(choice="4", comment="while importing", revision=1))
    saved.set()
    worker.join(60)
    assert "saved on the web after the file was checked" in pages[0]
    assert stored(app, "ORG-A", "kobo", "self")["GOV.1"] == (4, None, False, "while importing")
    assert imports(app) == 0
