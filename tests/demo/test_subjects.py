"""The demo's services and municipalities: after `capacity demo` a round of each instrument holds every subject of its
kind with the self and independent assessments submitted, the agreement validated for all but one subject per round
(left provisional), accounts that see what they should, and the organisations' rounds exactly as before."""
from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from capacity import access
from capacity.assessments import completion
from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.assessments.scores import score_round
from capacity.audit.models import AuditEvent
from capacity.auth.models import Role, User
from capacity.demo import subjects_data as sd
from capacity.demo.data import DOMAIN
from capacity.demo.services import DEMO_PASSWORD, build_demo
from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from capacity.organisations.models import MunicipalityAssignment, Organisation
from capacity.plans.models import DevelopmentPlan, PlanAction
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from tests.conftest import demo_app, login

SERVICE_ROUND, MUNICIPAL_ROUND = sd.SERVICE_ROUND["code"], sd.MUNICIPAL_ROUND["code"]
# The organisations' rounds as the demo made them before it had services and municipalities: per round, track and
# status, (answers, sum of levels, not applicable); profile values; plans, actions, mentoring sessions.
ORGANISATION_ROUNDS = {
    ("baseline", "consensus", "validated"): (1485, 3021, 12), ("baseline", "mentor", "submitted"): (1485, 2970, 12),
    ("baseline", "self", "submitted"): (1485, 3414, 12),
    ("endline", "consensus", "draft"): (66, 185, 0), ("endline", "consensus", "validated"): (1100, 2890, 8),
    ("endline", "mentor", "draft"): (76, 230, 2), ("endline", "mentor", "submitted"): (1265, 3305, 11),
    ("endline", "self", "draft"): (28, 96, 0), ("endline", "self", "submitted"): (1375, 3972, 13),
}
ORGANISATION_PROFILE = (1674, 12820944.8)
DEVELOPMENT = (23, 87, 127)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("demo-subjects")) as app:
        yield app


@pytest.fixture
def demo(built):
    """The demo app with an application context for the test's queries (pages are asked for without it: a request
    inside a context that is already pushed shares its ``g``, and with it the last logged-in user)."""
    with built.app_context():
        yield built


def _round(code: str) -> AssessmentRound:
    return db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))


def _subjects(kind: str) -> dict[str, Organisation]:
    return {o.code: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.kind == kind))}


def _organisation_rounds() -> dict:
    rows = db.session.execute(
        sa.select(AssessmentRound.code, Assessment.track, Assessment.status, sa.func.count(Answer.id),
                  sa.func.coalesce(sa.func.sum(Answer.level), 0),
                  sa.func.sum(sa.case((Answer.not_applicable, 1), else_=0)))
        .join(Assessment, Assessment.round_id == AssessmentRound.id).join(Answer, Answer.assessment_id == Assessment.id)
        .where(AssessmentRound.subject_kind == "organisation")
        .group_by(AssessmentRound.code, Assessment.track, Assessment.status))
    return {(code, Track(track).value, Status(status).value): (n, int(levels), int(na))
            for code, track, status, n, levels, na in rows}


def _development() -> tuple[int, int, int]:
    return (db.session.scalar(sa.select(sa.func.count(DevelopmentPlan.id))),
            db.session.scalar(sa.select(sa.func.count(PlanAction.id))),
            db.session.scalar(sa.select(sa.func.count(MentoringSession.id))))


def _organisation_profile() -> tuple[int, float]:
    count, total = db.session.execute(sa.select(sa.func.count(ProfileValue.id), sa.func.sum(ProfileValue.value))
                                      .join(Organisation).where(Organisation.kind == "organisation")).one()
    return count, round(total, 1)


def test_the_organisations_rounds_are_exactly_as_before(demo):
    assert {r.code for r in db.session.scalars(sa.select(AssessmentRound).where(
        AssessmentRound.subject_kind == "organisation"))} == {"baseline", "endline"}
    assert len(_subjects("organisation")) == 27
    assert _organisation_rounds() == ORGANISATION_ROUNDS
    assert _organisation_profile() == ORGANISATION_PROFILE
    assert _development() == DEVELOPMENT
    # Nothing of a service or municipality crept into an organisation round, nor the reverse.
    kinds = set(db.session.execute(sa.select(AssessmentRound.subject_kind, Organisation.kind)
                                   .join(Assessment, Assessment.round_id == AssessmentRound.id)
                                   .join(Organisation, Organisation.id == Assessment.organisation_id)).all())
    assert kinds == {("organisation", "organisation"), ("service", "service"), ("municipality", "municipality")}


def test_a_round_of_each_instrument_covers_the_services_and_the_pilot_municipalities(demo):
    services, municipalities = _subjects("service"), _subjects("municipality")
    assert sorted(services) == sorted(code for code, *_ in sd.SERVICES) and len(services) == 6
    organisations = {o.id: o for o in _subjects("organisation").values()}
    for service in services.values():
        parent = organisations[service.parent_id]
        assert service.municipality == parent.municipality and service.is_demo and service.active
    assert sorted(m.municipality for m in municipalities.values()) == ["batumi", "chokhatauri", "dmanisi", "marneuli"]
    assert all(m.parent_id is None for m in municipalities.values())
    for spec, kind, questionnaire in ((sd.SERVICE_ROUND, "service", "service-quality"),
                                      (sd.MUNICIPAL_ROUND, "municipality", "municipal-participation")):
        round_ = _round(spec["code"])
        assert (round_.subject_kind, round_.questionnaire_id, round_.is_open) == (kind, questionnaire, True)
        # Made as a manager makes a round: through the service, which records it.
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
            AuditEvent.action == "round.create", AuditEvent.object_id == spec["code"])) == 1


@pytest.mark.parametrize("round_code, kind", [(SERVICE_ROUND, "service"), (MUNICIPAL_ROUND, "municipality")])
def test_every_subject_has_both_assessments_submitted_and_all_but_one_a_validated_agreement(demo, round_code, kind):
    round_ = _round(round_code)
    library = load_directory()
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    subjects = _subjects(kind)
    found = {}
    for assessment in db.session.scalars(sa.select(Assessment).where(Assessment.round_id == round_.id)):
        code = next(c for c, s in subjects.items() if s.id == assessment.organisation_id)
        found[(code, assessment.track.value)] = assessment.status.value
        answers = {a.indicator_code: a for a in assessment.answers}
        if assessment.status != Status.DRAFT:  # what is submitted is complete, as submitting requires
            assert completion.missing(questionnaire, answers) == [], (code, assessment.track)
            assert assessment.submitted_by_id is not None
        assert any(a.value is not None for a in answers.values()), code  # yes/no facts and numbers are answered
    expected = {}
    for code in subjects:
        expected[(code, "self")] = expected[(code, "mentor")] = "submitted"
        if code not in sd.CONSENSUS_NOT_STARTED:
            expected[(code, "consensus")] = "draft" if code in sd.CONSENSUS_DRAFT else "validated"
    assert found == expected
    provisional = [c for c in subjects if found.get((c, "consensus")) != "validated"]
    assert len(provisional) == 1
    # Every subject scores, on the official track (the agreed result, else the independent one).
    scores, _ = score_round(round_)
    overall = scores.overall.set_index("org")
    assert sorted(overall.index) == sorted(subjects) and overall["index"].notna().all()
    assert overall["index"].between(1.3, 3.5).all() and overall["stage"].nunique() >= 2


def test_the_agreement_explains_every_difference_and_the_monitor_heard_service_users(demo):
    for round_code in (SERVICE_ROUND, MUNICIPAL_ROUND):
        round_ = _round(round_code)
        tracks: dict = {}
        for assessment in db.session.scalars(sa.select(Assessment).where(Assessment.round_id == round_.id)):
            tracks[(assessment.organisation_id, assessment.track)] = {
                a.indicator_code: a for a in assessment.answers}
        for (org_id, track), answers in tracks.items():
            if track != Track.CONSENSUS:
                continue
            own, mentor = tracks[(org_id, Track.SELF)], tracks[(org_id, Track.MENTOR)]
            for code, agreed in answers.items():
                differs = (own[code].level, own[code].value, own[code].not_applicable) != (
                    mentor[code].level, mentor[code].value, mentor[code].not_applicable)
                assert bool(agreed.comment.strip()) == differs, (org_id, code)
    heard = db.session.scalars(sa.select(Answer.comment).join(Assessment).where(
        Assessment.round_id == _round(SERVICE_ROUND).id, Assessment.track == Track.MENTOR, Answer.comment != ""))
    assert set(heard) == set(sd.VOICE_NOTES)


def test_the_new_accounts_see_their_subjects_and_answer_their_track(demo):
    municipalities = {m.municipality: m for m in _subjects("municipality").values()}
    for municipality in sd.MUNICIPAL_STAFF:
        user = db.session.scalar(sa.select(User).where(User.email == f"municipality.{municipality}@{DOMAIN}"))
        assert user.role == Role.CSO and user.organisation_id is None and user.is_demo
        assert access.assigned_municipalities(user) == [municipality]
        visible = set(db.session.scalars(access.visible_organisations(user)))
        assert visible == {municipalities[municipality]}
        assert access.sight(user, municipalities[municipality], _round(MUNICIPAL_ROUND)).own_track == Track.SELF
    facilitator = db.session.scalar(sa.select(User).where(User.email == f"{sd.FACILITATOR[0]}@{DOMAIN}"))
    assert facilitator.role == Role.MENTOR and access.assigned_municipalities(facilitator) == sorted(sd.MUNICIPAL_STAFF)
    assert set(db.session.scalars(access.visible_organisations(facilitator))) == set(municipalities.values())
    # The organisation's staff and its mentor see its service, and no other.
    staff = db.session.scalar(sa.select(User).where(User.email == f"tel-01@{DOMAIN}"))
    mine = {o.code for o in db.session.scalars(access.visible_organisations(staff))}
    assert mine == {"TEL-01", "TEL-01-DC"}
    mentor = db.session.scalar(sa.select(User).where(User.email == f"mentor.adjara@{DOMAIN}"))
    assert {"BAT-01-DC", "BAT-03-FS"} <= {o.code for o in db.session.scalars(access.visible_organisations(mentor))}
    assert not {"TEL-01-DC", "MUN-BATUMI"} & {o.code for o in db.session.scalars(access.visible_organisations(mentor))}


def test_profiles_open_out_of_the_box_for_the_people_who_answered(built):
    for email, subject, round_code, title in (
            (f"tel-01@{DOMAIN}", "TEL-01-DC", SERVICE_ROUND, "Service profile"),
            (f"municipality.marneuli@{DOMAIN}", "MUN-MARNEULI", MUNICIPAL_ROUND, "Municipal benchmark"),
            (f"{sd.FACILITATOR[0]}@{DOMAIN}", "MUN-DMANISI", MUNICIPAL_ROUND, "Municipal benchmark")):
        client = built.test_client()
        assert login(client, email, DEMO_PASSWORD).status_code == 302
        assert client.post("/language", data={"language": "en", "next": "/"}).status_code == 302
        page = client.get(f"/organisations/{subject}/report/{round_code}?lang=en")
        assert page.status_code == 200, (email, subject)
        body = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.get_data(as_text=True))).split())
        with built.app_context():
            name = db.session.scalar(sa.select(Organisation.name_en).where(Organisation.code == subject))
        assert title in body and name in body, (email, subject)


def test_running_the_demo_again_adds_nothing(demo):
    def counts():
        return (db.session.scalar(sa.select(sa.func.count(Organisation.id))),
                db.session.scalar(sa.select(sa.func.count(User.id))),
                db.session.scalar(sa.select(sa.func.count(MunicipalityAssignment.id))),
                db.session.scalar(sa.select(sa.func.count(AssessmentRound.id))),
                db.session.scalar(sa.select(sa.func.count(Answer.id))),
                db.session.scalar(sa.select(sa.func.count(ProfileValue.id))))
    before = counts()
    logins = build_demo()
    db.session.commit()
    assert counts() == before
    assert ("mentor", f"facilitator@{DOMAIN}") in logins
    assert any(role == "cso" and "municipality.marneuli@" in email for role, email in logins)
