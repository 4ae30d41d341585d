"""The demo's services and municipalities, idempotently: subjects, accounts, one round of each instrument, answers.

The story: six services run by demo organisations and the four pilot municipalities were assessed in
autumn 2026. Every provider and municipal working group submitted its self-assessment, every monitor
(the organisation's mentor) and the facilitator their own; the agreed result is validated everywhere
but for one service still agreeing (data CONSENSUS_DRAFT) and one municipality that has not started
(CONSENSUS_NOT_STARTED), whose results stay provisional. Self-assessments run a little optimistic, as
in the organisations' rounds.

Draws come from generators seeded by each subject's code (capacity.demo.answers._rng), never from the
ones the organisations' answers use, so the organisation demo is the same with or without this part.
Accounts and rounds are made through their services (audited); answers with the models directly, valid by the
rules the answering service enforces.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import numpy as np
import sqlalchemy as sa

from capacity.assessments.models import Answer, Assessment, Status, Track
from capacity.auth.models import Role, User
from capacity.demo import subjects_data as sd
from capacity.demo.answers import AGREED_NOTE, _rng, _track_levels, _when
from capacity.demo.data import DOMAIN
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.library import Library, load_directory
from capacity.questionnaires.model import Indicator, Questionnaire, Rubric
from capacity.questionnaires.values import decode, encode_number, shown
from capacity.rounds import services as round_services
from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.rounds.queries import by_code as round_by_code
from capacity.users import services as user_services


def build_subjects(organisations: dict[str, Organisation], password: str, password_hash: str) -> list[tuple[str, str]]:
    """Create (or complete) the demo services, municipalities, their accounts, rounds and answers.

    ``organisations``: the demo organisations by code (the services' parents); ``password`` and
    ``password_hash``: the demo password and its hash. Returns the new demo logins as (role, e-mail)
    pairs; the caller commits.
    """
    services = {code: _subject(code, "service", municipality, name_ka, name_en, areas, organisations[parent])
                for code, parent, municipality, name_ka, name_en, areas in sd.SERVICES}
    municipalities = {code: _subject(code, "municipality", municipality, name_ka, name_en)
                      for code, municipality, name_ka, name_en in sd.MUNICIPALITIES}
    logins = []
    staff: dict[str, int] = {}
    for municipality, name in sd.MUNICIPAL_STAFF.items():
        user = _account(f"municipality.{municipality}@{DOMAIN}", name, Role.CSO, password, password_hash,
                        [municipality])
        staff[municipality] = user.id
    logins.append(("cso", f"(municipal working groups: municipality.<municipality>@{DOMAIN}, "
                          f"e.g. municipality.marneuli@{DOMAIN})"))
    local, name = sd.FACILITATOR
    facilitator = _account(f"{local}@{DOMAIN}", name, Role.MENTOR, password, password_hash,
                           list(sd.MUNICIPAL_STAFF))
    logins.append(("mentor", facilitator.email))
    db.session.flush()

    library = load_directory()
    service_round = _round(sd.SERVICE_ROUND, library)
    municipal_round = _round(sd.MUNICIPAL_ROUND, library)
    org_staff = dict(db.session.execute(sa.select(User.organisation_id, User.id).where(User.role == Role.CSO,
                                                                                        User.organisation_id.is_not(None))).all())
    org_mentors = dict(db.session.execute(sa.select(MentorAssignment.organisation_id, MentorAssignment.mentor_id)
                                          .order_by(MentorAssignment.mentor_id.desc())).all())
    for subject in services.values():
        authors = {Track.SELF: org_staff.get(subject.parent_id), Track.MENTOR: org_mentors.get(subject.parent_id)}
        authors[Track.CONSENSUS] = authors[Track.MENTOR]
        fill_subject(subject, service_round, library, authors)
    for subject in municipalities.values():
        authors = {Track.SELF: staff[subject.municipality], Track.MENTOR: facilitator.id, Track.CONSENSUS: facilitator.id}
        fill_subject(subject, municipal_round, library, authors)
    fill_service_profiles(service_round, list(services.values()))
    db.session.flush()
    return logins


def _subject(code: str, kind: str, municipality: str, name_ka: str, name_en: str, areas: str = "",
             parent: Organisation | None = None) -> Organisation:
    subject = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
    if subject is None:
        subject = Organisation(code=code, kind=kind, parent_id=parent.id if parent else None, name_ka=name_ka,
                               name_en=name_en, municipality=municipality, contact_name=parent.contact_name if parent else "",
                               is_demo=True)
        subject.service_areas = areas.split(";") if areas else []
        db.session.add(subject)
        db.session.flush()
    return subject


def _account(email: str, name: str, role: Role, password: str, password_hash: str, municipalities: list[str]) -> User:
    """A demo account with no organisation, assigned to ``municipalities`` (its role decides its track)."""
    user = db.session.scalar(sa.select(User).where(User.email == email))
    if user is None:
        return user_services.create_user(None, email=email, display_name=name, role=role, password=password,
                                         is_demo=True, password_hash=password_hash, municipalities=municipalities)
    assigned = set(db.session.scalars(sa.select(MunicipalityAssignment.municipality)
                                      .where(MunicipalityAssignment.user_id == user.id)))
    db.session.add_all(MunicipalityAssignment(user_id=user.id, municipality=m) for m in municipalities if m not in assigned)
    return user


def _round(spec: dict, library: Library) -> AssessmentRound:
    """The round of ``spec``, made as a manager makes one (so it takes its questionnaire's subject kind), open."""
    round_ = round_by_code(spec["code"])
    if round_ is None:
        (questionnaire_id, questionnaire_version), (rubric_id, rubric_version) = spec["questionnaire"], spec["rubric"]
        round_ = round_services.create_round(None, spec["code"], {
            "name_ka": spec["name_ka"], "name_en": spec["name_en"], "kind": RoundKind(spec["kind"]),
            "starts_on": spec["starts_on"], "ends_on": spec["ends_on"],
            "questionnaire_id": questionnaire_id, "questionnaire_version": questionnaire_version,
            "rubric_id": rubric_id, "rubric_version": rubric_version}, library)
        round_services.set_open(None, round_, True)
    return round_


def _plan(code: str) -> dict[Track, Status | None]:
    consensus = None if code in sd.CONSENSUS_NOT_STARTED else (
        Status.DRAFT if code in sd.CONSENSUS_DRAFT else Status.VALIDATED)
    return {Track.SELF: Status.SUBMITTED, Track.MENTOR: Status.SUBMITTED, Track.CONSENSUS: consensus}


def _true_levels(subject: Organisation, round_: AssessmentRound, indicators: list[Indicator]) -> np.ndarray:
    base = sd.BASE_LEVEL.get(subject.code, 2.3)
    domains = sorted({i.domain for i in indicators})
    offset = {d: sd.DOMAIN_OFFSET.get(d, 0.0) + _rng(subject.code, "domain", d).normal(0, 0.25) for d in domains}
    noise = _rng(subject.code, round_.code, "noise").normal(0, 0.45, len(indicators))
    raw = base + np.array([offset[i.domain] for i in indicators]) + noise
    return np.clip(np.rint(raw), 1, 4)


def _number(indicator: Indicator, thresholds: tuple[float, ...], level: int, rng: np.random.Generator) -> str:
    """A value of a thresholds-scored number that scores ``level``."""
    spec = indicator.number
    low = spec.minimum if spec and spec.minimum is not None else 0
    high = spec.maximum if spec and spec.maximum is not None else thresholds[-1] * 1.5
    edges = [low, *thresholds, high + 1]
    start, stop = int(np.ceil(edges[level - 1])), int(np.ceil(edges[level]))
    return encode_number(Decimal(int(rng.integers(start, max(stop, start + 1)))))


def _typed(indicator: Indicator, rubric: Rubric, level: int, subject: Organisation, track: Track,
           round_: AssessmentRound) -> str:
    """The answer to a question that is not a scale: one that scores ``level`` where the rubric scores it."""
    rule = rubric.scoring.get(indicator.code)
    if indicator.type == "text":
        return sd.TEXTS[indicator.code][0 if track == Track.SELF else 1]
    if indicator.type == "yes_no":
        if rule is None:  # a fact, the same on every track
            return "yes" if _rng(subject.code, indicator.code, "fact").uniform() < 0.4 else "no"
        return "yes" if abs(level - rule.yes) <= abs(level - rule.no) else "no"
    if rule is None or not rule.thresholds:  # a count that is not scored: a fact, the same on every track
        return encode_number(Decimal(int(_rng(subject.code, indicator.code, "fact").integers(1, 15))))
    return _number(indicator, rule.thresholds, level, _rng(subject.code, round_.code, track.value, indicator.code))


def _answers(questionnaire: Questionnaire, rubric: Rubric, subject: Organisation, round_: AssessmentRound
             ) -> dict[Track, dict[str, tuple[int | None, str | None, bool]]]:
    """Each track's answers, {indicator: (level, value, not applicable)}, hidden questions left out."""
    indicators = [i for i in questionnaire.indicators if i.computed is None]
    levels = _track_levels(_true_levels(subject, round_, indicators), subject, round_)
    na_codes = sd.NOT_APPLICABLE.get(subject.code, set())
    answers: dict[Track, dict[str, tuple[int | None, str | None, bool]]] = {}
    for track in Track:
        given: dict[str, tuple[int | None, str | None, bool]] = {}
        raw: dict[str, object] = {}
        for index, indicator in enumerate(indicators):
            if not shown(indicator, raw, questionnaire.indicator):
                continue
            level = int(levels[track][index])
            if indicator.allow_na and indicator.code in na_codes:
                given[indicator.code] = (None, None, True)
                continue
            if indicator.type == "scale":
                given[indicator.code] = (level, None, False)
            elif track == Track.CONSENSUS and levels[track][index] == levels[Track.MENTOR][index]:
                given[indicator.code] = answers[Track.MENTOR].get(indicator.code) or (
                    None, _typed(indicator, rubric, level, subject, track, round_), False)
            else:
                given[indicator.code] = (None, _typed(indicator, rubric, level, subject, track, round_), False)
            level_, value, _ = given[indicator.code]
            raw[indicator.code] = decode(indicator, level_, value)
        answers[track] = given
    return answers


def fill_subject(subject: Organisation, round_: AssessmentRound, library: Library, authors: dict[Track, int | None]) -> int:
    """The demo assessments of ``subject`` in ``round_`` that do not exist yet; return how many were made."""
    questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
    rubric = library.rubric(round_.rubric_id, round_.rubric_version)
    existing = set(db.session.scalars(sa.select(Assessment.track).where(
        Assessment.round_id == round_.id, Assessment.organisation_id == subject.id)))
    answers = _answers(questionnaire, rubric, subject, round_)
    voice = iter(sd.VOICE_NOTES)
    made = 0
    for track, status in _plan(subject.code).items():
        if status is None or track in existing:
            continue
        author, when = authors[track], _when(round_, subject, track)
        done = status != Status.DRAFT
        assessment = Assessment(organisation_id=subject.id, round_id=round_.id, track=track, status=status,
                                questionnaire_hash=questionnaire.content_hash, rubric_hash=rubric.content_hash,
                                created_at=when - timedelta(days=6), updated_at=when,
                                submitted_at=when if done else None, submitted_by_id=author if done else None)
        for code, (level, value, na) in answers[track].items():
            comment = ""
            if track == Track.CONSENSUS and answers[Track.SELF].get(code) != answers[Track.MENTOR].get(code):
                comment = AGREED_NOTE.format(level=level) if level is not None else sd.AGREED_TYPED_NOTE
            elif track == Track.MENTOR and subject.kind == "service" and code.startswith("PAR.") and level is not None:
                comment = next(voice, "")  # the monitor heard service users and families
            assessment.answers.append(Answer(indicator_code=code, level=level, value=value, not_applicable=na,
                                             comment=comment, answered_by_id=author, answered_at=when))
        db.session.add(assessment)
        made += 1
    db.session.flush()
    return made


def fill_service_profiles(round_: AssessmentRound, services: list[Organisation]) -> int:
    """The services' profile data (service users by sex and age, staff by sex, waiting list) where there is none."""
    done = set(db.session.scalars(sa.select(ProfileValue.organisation_id).where(ProfileValue.round_id == round_.id)))
    made = 0
    for service in services:
        if service.id in done:
            continue
        rng = _rng(service.code, "profile")
        users, staff = int(rng.integers(18, 70)), int(rng.integers(5, 16))
        children = users if "children" in service.service_areas else int(users * rng.uniform(0.0, 0.2))
        older = 0 if children == users else int((users - children) * rng.uniform(0.0, 0.3))
        female_users, female_staff = int(round(users * rng.uniform(0.4, 0.6))), int(round(staff * rng.uniform(0.7, 0.95)))
        values = {("service_users", "total"): users, ("service_users", "female"): female_users,
                  ("service_users", "male"): users - female_users, ("service_users", "child"): children,
                  ("service_users", "adult"): users - children - older, ("service_users", "older"): older,
                  ("staff", "total"): staff, ("staff", "female"): female_staff, ("staff", "male"): staff - female_staff,
                  ("waiting_list", "total"): 0 if service.code in {c for c, s in sd.NOT_APPLICABLE.items() if "ACC.4" in s}
                  else int(rng.integers(2, 15))}
        db.session.add_all(ProfileValue(organisation_id=service.id, round_id=round_.id, code=code, category=category,
                                        value=float(v)) for (code, category), v in values.items())
        made += 1
    db.session.flush()
    return made
