"""One world per subject kind and assessment state, built with the services (not HTTP) once per world and
database backend.

In every world OWN-01 is the subject assessed, of the world's kind, and OTH-01 another subject of that kind:
- organisation: OWN-01 has a staff user and an assigned mentor, and is seen by a manager and an admin; OTH-01
  (with its own staff and its own mentor) has no answers and is there to catch leaks across organisations;
- service: OWN-01 is a service of organisation PRV-01, OTH-01 one of PRV-02; "staff" and "mentor" are PRV-01's
  staff (the provider) and mentor (the monitor), "other_staff" and "other_mentor" PRV-02's;
- municipality: OWN-01 is Batumi, OTH-01 Marneuli; "staff" is a municipal account (staff, no organisation) and
  "mentor" a facilitator, both assigned to Batumi; "other_staff" and "other_mentor" are assigned to Marneuli.
One open round "baseline" of the kind's instrument. Distinctive markers let a test tell which track a page, PDF,
spreadsheet or ZIP shows:

- self-assessment: level 1 on every scale indicator, comments SELF-NOTE-<code> on the first three rated
  indicators (all in the first domain), an evidence file SELF-FILE-<code>.pdf on the first;
- mentor assessment: level 4 everywhere, comments MENTOR-NOTE-<code>, evidence MENTOR-FILE-<code>.pdf;
- agreed (consensus) assessment: level 2 everywhere, rationale AGREED-WHY-<code> on every indicator.

Questions of other types (yes/no, numbers, text) are answered "not applicable" (a level cannot be 2 by yes or no)
and the computed indicators stay unanswered without profile data, so the overall index of each track is exactly
1.00, 4.00 or 2.00 (English locale).

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
from capacity.questionnaires.model import Questionnaire, Rubric
from capacity.rounds.models import AssessmentRound
from tests.conftest import postgres_config, postgres_schema
from tests.factories import Factory, instrument

@dataclass(frozen=True)
class Definitions:
    """The instrument a world's round uses, and the indicators the markers go on."""

    questionnaire: Questionnaire
    rubric: Rubric

    @property
    def domain(self) -> str:
        """The first domain: its page shows the commented indicators."""
        return self.questionnaire.domains[0].code

    @property
    def rated(self) -> list[str]:
        """The indicators answered with a level (every scale question that is not computed)."""
        return [i.code for i in self.questionnaire.indicators if i.computed is None and i.has_levels]

    @property
    def other(self) -> list[str]:
        """The questions of other types, answered "not applicable"."""
        return [i.code for i in self.questionnaire.indicators if i.computed is None and not i.has_levels]

    @property
    def noted(self) -> list[str]:
        """The indicators with a self or mentor comment: the first three rated ones, all in the first domain."""
        first = [i.code for i in self.questionnaire.domains[0].indicators if i.code in set(self.rated)]
        assert len(first) >= 3, f"the first domain of {self.questionnaire.key} has fewer than 3 scale questions"
        return first[:3]


def definitions(kind: str) -> Definitions:
    qid, version, rid, rversion = instrument(kind)
    library = load_directory()
    return Definitions(library.questionnaire(qid, version), library.rubric(rid, rversion))


KINDS = ("organisation", "service", "municipality")
ORGANISATION = definitions("organisation")
QUESTIONNAIRE, RUBRIC = ORGANISATION.questionnaire, ORGANISATION.rubric
RATED = ORGANISATION.rated
NOTED = ORGANISATION.noted  # the indicators with a self or mentor comment: all three in domain GOV
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
    kind: str = "organisation"                  # the kind of OWN-01 and OTH-01
    domain: str = "GOV"                         # the domain whose page shows the commented indicators
    noted: tuple[str, ...] = tuple(NOTED)       # the commented indicators
    # Each track's overall index as printed: 1.00, 4.00, 2.00 where every answer scores the track's level; a
    # consensus with yes/no questions (which score 1 or 4) gets another number, read from the scoring engine.
    index: dict[str, str] = field(default_factory=lambda: {"self": "1.00", "mentor": "4.00", "consensus": "2.00"})

    @property
    def level(self) -> int:
        return STATES.index(self.state) + 1


def _answer_track(actor: User, org: Organisation, round_: AssessmentRound, track: Track, level: str,
                  comment: str, codes: list[str], evidence_name: str | None, defs: Definitions = ORGANISATION) -> int | None:
    assessment = answering.get_or_create_assessment(org, round_, track, defs.questionnaire, defs.rubric)
    for code in defs.rated:
        answering.save_answer(actor, assessment, defs.questionnaire, code, answering.AnswerInput(
            level, comment=f"{comment}-{code}" if code in codes else "", revision=0))
    for code in defs.other:
        given = _typed_answer(defs, code, int(level))
        if given is not None:
            answering.save_answer(actor, assessment, defs.questionnaire, code, given)
    file_id = None
    if evidence_name:
        first = defs.rated[0]
        answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment.id,
                                                           Answer.indicator_code == first))
        content = f"%PDF-1.4\n{evidence_name}-CONTENT\n".encode()
        record = evidence.store(actor, answer, f"{evidence_name}-{first}.pdf", io.BytesIO(content))
        file_id = record.id
    db.session.flush()
    return file_id


def _typed_answer(defs: Definitions, code: str, level: int) -> answering.AnswerInput | None:
    """An answer to a question that is not a scale, scoring ``level`` where its rubric rule can (a yes/no question
    scores only its two levels: the nearer one), "not applicable" where allowed; None: an optional text, left out.
    Unscored questions are answered so that the questions they open are asked (yes, a count of 3)."""
    indicator = defs.questionnaire.indicator(code)
    rule = defs.rubric.scoring.get(code)
    if indicator.allow_na:
        return answering.AnswerInput("", na=True, revision=0)
    if indicator.type == "yes_no":
        value = "yes" if rule is None or abs(rule.yes - level) <= abs(rule.no - level) else "no"
    elif indicator.type == "number":
        low = indicator.number.minimum or 0
        value = 3 if rule is None else (rule.thresholds[level - 2] if level > 1 else low)
        value = f"{value:g}"
    elif not indicator.required:
        return None
    else:
        value = "-"
    return answering.AnswerInput("", values=(value,), revision=0)


def _indexes(round_: AssessmentRound, org: Organisation) -> dict[str, str]:
    """The overall index of each answered track of OWN-01 as the reports print it (English locale)."""
    from capacity.assessments.scores import score_round

    found = {}
    for track in ("self", "mentor", "consensus"):
        overall = score_round(round_, track=track, organisation_ids=[org.id])[0].overall
        if len(overall) and overall["index"].notna().all():
            found[track] = f"{float(overall['index'].iloc[0]):.2f}"
    return found


def _submit(actor: User, org: Organisation, round_: AssessmentRound, track: Track,
            defs: Definitions = ORGANISATION) -> None:
    assessment = answering.get_assessment(org, round_, track)
    answering.submit(actor, assessment, defs.questionnaire)
    db.session.flush()


def _people(factory: Factory, kind: str) -> dict[str, str]:
    """OWN-01 and OTH-01 of ``kind`` and the accounts of ROLES (role -> e-mail), each seeing what its role says."""
    if kind == "organisation":
        own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
        staff_of = {"staff": own, "other_staff": other}
        supported = {"mentor": own, "other_mentor": other}
    elif kind == "service":
        own_provider, other_provider = factory.org("PRV-01"), factory.org("PRV-02", municipality="batumi")
        factory.service("OWN-01", parent=own_provider, name_en="Day centre OWN-01")
        factory.service("OTH-01", parent=other_provider, municipality="batumi", name_en="Family support OTH-01")
        staff_of = {"staff": own_provider, "other_staff": other_provider}
        supported = {"mentor": own_provider, "other_mentor": other_provider}
    else:
        factory.municipality("batumi", code="OWN-01")
        factory.municipality("marneuli", code="OTH-01")
        staff_of = {"staff": None, "other_staff": None}
        supported = {}
    emails = {"staff": "staff@own.example.org", "mentor": "mentor@example.org", "manager": "manager@example.org",
              "admin": "admin@example.org", "other_staff": "staff@other.example.org",
              "other_mentor": "other-mentor@example.org"}
    roles = {"staff": "cso", "other_staff": "cso", "mentor": "mentor", "other_mentor": "mentor",
             "manager": "manager", "admin": "admin"}
    users = {role: factory.user(roles[role], org=staff_of.get(role), email=emails[role]) for role in ROLES}
    for role, organisation in supported.items():
        factory.assign(users[role], organisation)
    if kind == "municipality":
        for role in ("staff", "mentor"):
            factory.assign_municipality(users[role], "batumi")
        for role in ("other_staff", "other_mentor"):
            factory.assign_municipality(users[role], "marneuli")
    return users


def build(app, state: str, backend: str, kind: str = "organisation") -> World:
    factory = Factory(app)
    defs = definitions(kind)
    users = _people(factory, kind)
    factory.round("baseline", subject=kind)
    level = STATES.index(state) + 1
    noted = defs.noted
    files: dict[str, int | None] = {"self": None, "mentor": None}
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
        staff = db.session.scalar(sa.select(User).where(User.email == users["staff"]))
        mentor = db.session.scalar(sa.select(User).where(User.email == users["mentor"]))
        files["self"] = _answer_track(staff, org, round_, Track.SELF, "1", "SELF-NOTE", noted, "SELF-FILE", defs)
        if level >= 2:
            _submit(staff, org, round_, Track.SELF, defs)
            files["mentor"] = _answer_track(mentor, org, round_, Track.MENTOR, "4", "MENTOR-NOTE", noted,
                                            "MENTOR-FILE", defs)
        if level >= 3:
            _submit(mentor, org, round_, Track.MENTOR, defs)
            _answer_track(mentor, org, round_, Track.CONSENSUS, "2", "AGREED-WHY", defs.rated, None, defs)
        if level >= 4:
            _submit(mentor, org, round_, Track.CONSENSUS, defs)
        db.session.commit()
        index = {"self": "1.00", "mentor": "4.00", "consensus": "2.00", **_indexes(round_, org)}
        # Sanity: the world is in the state it claims.
        statuses = {Track(t): Status(s).value for t, s in db.session.execute(
            sa.select(Assessment.track, Assessment.status).where(Assessment.organisation_id == org.id))}
    world = World(app, state, backend, users, files, kind, defs.domain, tuple(noted), index)
    assert index["self"] == "1.00" and index["mentor"] == "4.00", index
    assert len(set(index.values())) == 3, f"the tracks' indexes must differ to tell them apart: {index}"
    expected = {1: {Track.SELF: "draft"},
                2: {Track.SELF: "submitted", Track.MENTOR: "draft"},
                3: {Track.SELF: "submitted", Track.MENTOR: "submitted", Track.CONSENSUS: "draft"},
                4: {Track.SELF: "submitted", Track.MENTOR: "submitted", Track.CONSENSUS: "validated"}}[level]
    assert statuses == expected, statuses
    return world


# Every kind in every state; the organisation worlds keep their old names (S1…S4).
WORLDS = [(kind, state) for kind in KINDS for state in STATES]


@pytest.fixture(scope="module", params=WORLDS,
                ids=[state if kind == "organisation" else f"{kind}-{state}" for kind, state in WORLDS])
def world(request, backend, tmp_path_factory):
    """The world of one subject kind in one state, on one backend, shared by every test of the module (read only)."""
    kind, _ = backend
    subject_kind, state = request.param
    folder = tmp_path_factory.mktemp(f"visibility-{kind}-{subject_kind}-{state}")
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
        yield build(app, state, kind, subject_kind)
    finally:
        wait_for_jobs()
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if schema:
            postgres_schema("drop", schema)
