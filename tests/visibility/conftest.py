"""One world per assessment state, built with the services (not HTTP) once per state and database backend.

OWN-01 has a staff user, an assigned mentor, and is seen by a manager and an admin; OTH-01 (with its own
staff and its own mentor) has no answers and is there to catch leaks across organisations. One open round
"baseline". Distinctive markers let a test tell which track a page, PDF, spreadsheet or ZIP shows:

- self-assessment: level 1 everywhere, comments SELF-NOTE-<code> on the first three rated indicators
  (all in domain GOV), an evidence file SELF-FILE-GOV.01.pdf on the first;
- mentor assessment: level 4 everywhere, comments MENTOR-NOTE-<code>, evidence MENTOR-FILE-GOV.01.pdf;
- agreed (consensus) assessment: level 2 everywhere, rationale AGREED-WHY-<code> on every indicator.

With no profile data the computed indicators stay unanswered, so the overall index of each track is
exactly 1.00, 4.00 or 2.00 (English locale).

States: S1 self draft; S2 self submitted, mentor draft; S3 mentor submitted, consensus draft;
S4 consensus validated.
"""
from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from capacity import create_app
from capacity.assessments import answering, evidence
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.jobs.services import wait_for_jobs
from capacity.organisations.models import Organisation
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from tests.conftest import postgres_config, postgres_schema
from tests.factories import Factory

QUESTIONNAIRE = load_directory().questionnaire("gesi-oca", "1.0")
RUBRIC = load_directory().rubric("gesi-oca-default", "1.0")
RATED = [i.code for i in QUESTIONNAIRE.indicators if i.computed is None]
NOTED = RATED[:3]  # the indicators with a self or mentor comment: all three in domain GOV
assert all(code.startswith("GOV.") for code in NOTED)

STATES = ("S1", "S2", "S3", "S4")
STATE_NAMES = {"S1": "self draft", "S2": "self submitted, mentor draft",
               "S3": "mentor submitted, consensus draft", "S4": "consensus validated"}
ROLES = ("staff", "mentor", "manager", "admin", "other_staff", "other_mentor")


@dataclass
class World:
    app: object
    state: str
    backend: str
    users: dict[str, str]                       # role -> e-mail
    files: dict[str, int | None] = field(default_factory=dict)  # "self"/"mentor" -> evidence file id

    @property
    def level(self) -> int:
        return STATES.index(self.state) + 1


def _answer_track(actor: User, org: Organisation, round_: AssessmentRound, track: Track, level: str,
                  comment: str, codes: list[str], evidence_name: str | None) -> int | None:
    assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
    for code in RATED:
        answering.save_answer(actor, assessment, QUESTIONNAIRE, code, answering.AnswerInput(
            level, comment=f"{comment}-{code}" if code in codes else "", revision=0))
    file_id = None
    if evidence_name:
        answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment.id,
                                                           Answer.indicator_code == RATED[0]))
        content = f"%PDF-1.4\n{evidence_name}-CONTENT\n".encode()
        record = evidence.store(actor, answer, f"{evidence_name}-{RATED[0]}.pdf", io.BytesIO(content))
        file_id = record.id
    db.session.flush()
    return file_id


def _submit(actor: User, org: Organisation, round_: AssessmentRound, track: Track) -> None:
    assessment = answering.get_assessment(org, round_, track)
    answering.submit(actor, assessment, QUESTIONNAIRE)
    db.session.flush()


def build(app, state: str, backend: str) -> World:
    factory = Factory(app)
    own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
    users = {
        "staff": factory.user("cso", org=own, email="staff@own.example.org"),
        "mentor": factory.user("mentor", email="mentor@example.org"),
        "manager": factory.user("manager", email="manager@example.org"),
        "admin": factory.user("admin", email="admin@example.org"),
        "other_staff": factory.user("cso", org=other, email="staff@other.example.org"),
        "other_mentor": factory.user("mentor", email="other-mentor@example.org"),
    }
    factory.assign(users["mentor"], own)
    factory.assign(users["other_mentor"], other)
    factory.round("baseline")
    level = STATES.index(state) + 1
    files: dict[str, int | None] = {"self": None, "mentor": None}
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == own))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
        staff = db.session.scalar(sa.select(User).where(User.email == users["staff"]))
        mentor = db.session.scalar(sa.select(User).where(User.email == users["mentor"]))
        files["self"] = _answer_track(staff, org, round_, Track.SELF, "1", "SELF-NOTE", NOTED, "SELF-FILE")
        if level >= 2:
            _submit(staff, org, round_, Track.SELF)
            files["mentor"] = _answer_track(mentor, org, round_, Track.MENTOR, "4", "MENTOR-NOTE", NOTED,
                                            "MENTOR-FILE")
        if level >= 3:
            _submit(mentor, org, round_, Track.MENTOR)
            _answer_track(mentor, org, round_, Track.CONSENSUS, "2", "AGREED-WHY", RATED, None)
        if level >= 4:
            _submit(mentor, org, round_, Track.CONSENSUS)
        db.session.commit()
        # Sanity: the world is in the state it claims.
        statuses = {Track(t): Status(s).value for t, s in db.session.execute(
            sa.select(Assessment.track, Assessment.status).where(Assessment.organisation_id == org.id))}
    world = World(app, state, backend, users, files)
    expected = {1: {Track.SELF: "draft"},
                2: {Track.SELF: "submitted", Track.MENTOR: "draft"},
                3: {Track.SELF: "submitted", Track.MENTOR: "submitted", Track.CONSENSUS: "draft"},
                4: {Track.SELF: "submitted", Track.MENTOR: "submitted", Track.CONSENSUS: "validated"}}[level]
    assert statuses == expected, statuses
    return world


@pytest.fixture(scope="module", params=STATES)
def world(request, backend, tmp_path_factory):
    """The world in one state, on one backend, shared by every test of the module (read only)."""
    kind, _ = backend
    state = request.param
    folder = tmp_path_factory.mktemp(f"visibility-{kind}-{state}")
    config = {"TESTING": True, "SECRET_KEY": "test-secret", "WTF_CSRF_ENABLED": False,
              "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'test.db'}"}
    schema = None
    if kind == "postgres":
        schema = f"capacity_vis_{uuid.uuid4().hex[:10]}"
        postgres_schema("create", schema)
        config.update(postgres_config(schema))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder / "instance"))
        app = create_app(config)
    with app.app_context():
        db.create_all()
    try:
        yield build(app, state, kind)
    finally:
        wait_for_jobs()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            postgres_schema("drop", schema)
