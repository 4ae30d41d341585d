"""Plausible, deterministic development plans and a season of mentoring for the demo portfolio.

The story: once the baseline's agreed assessments were validated, almost every
organisation wrote a plan from the suggested priorities (accepting most,
dropping one or two, adding one of its own); its mentor visited, called and met
online until the endline. Organisations that improved at endline did most of
what they planned; a few plans stalled with actions past their due date; a few
organisations never wrote one (data.WITHOUT_PLAN), so "no plan yet" shows.

Dates and "today": pages judge "overdue" against the real date, the demo's data
against its rounds' dates. Every dated action is due before the endline starts,
so an open one (the stalled plans') is overdue on any day from the endline on,
whenever the demo is built; actions still running in plans that are on track
have no due date (ongoing work), so those plans stay on track whatever the day.
Rows are made with the models directly, valid by the rules the plan and
mentoring services enforce; like the demo's assessments, they have no audit events.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np
import pandas as pd
import sqlalchemy as sa

from capacity.assessments.models import Assessment, Status, Track
from capacity.assessments.results import pinned_definitions
from capacity.assessments.scores import round_answers
from capacity.auth.models import Role, User
from capacity.demo import data
from capacity.demo.answers import REGRESSING, _rng, _when
from capacity.extensions import db
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.plans.models import (ActionNote, ActionStatus, DevelopmentPlan, PlanAction, PlanPriority,
                                   PriorityReason, PriorityStatus, join_codes)
from capacity.plans.seeding import suggest_priorities
from capacity.questionnaires.model import Questionnaire
from capacity.rounds.models import AssessmentRound

# The last day anything of the baseline's plan happens: a little before the endline starts.
LEAD_OUT = timedelta(days=20)


@dataclass
class _Org:
    org: Organisation
    staff_id: int | None
    mentor_ids: list[int]
    levels: dict[str, int]          # the validated agreed (consensus) levels
    suggested: pd.DataFrame          # suggest_priorities' rows


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.utc)


def _day_between(rng: np.random.Generator, first: date, last: date) -> date:
    return first + timedelta(days=int(rng.integers(0, max((last - first).days, 0) + 1)))


def fill_development(baseline: AssessmentRound, endline: AssessmentRound) -> int:
    """Plans for ``baseline`` and mentoring sessions up to ``endline`` for demo organisations without any.

    A plan only for an organisation whose baseline result is final (its agreed
    assessment validated) and not in data.WITHOUT_PLAN; sessions for every demo
    organisation with an assigned mentor. Returns how many plans were made.
    """
    definitions = pinned_definitions(baseline)
    questionnaire, rubric = definitions.questionnaire, definitions.rubric
    organisations = list(db.session.scalars(sa.select(Organisation).where(
        Organisation.is_demo.is_(True), Organisation.kind == baseline.subject_kind).order_by(Organisation.code)))
    final = set(db.session.scalars(sa.select(Assessment.organisation_id).where(
        Assessment.round_id == baseline.id, Assessment.track == Track.CONSENSUS, Assessment.status == Status.VALIDATED)))
    planned = set(db.session.scalars(sa.select(DevelopmentPlan.organisation_id).where(DevelopmentPlan.round_id == baseline.id)))
    mentored = set(db.session.scalars(sa.select(MentoringSession.organisation_id).where(MentoringSession.round_id == baseline.id)))
    staff = dict(db.session.execute(sa.select(User.organisation_id, User.id).where(User.role == Role.CSO)
                                    .order_by(User.id.desc())).all())
    mentors: dict[int, list[int]] = {}
    for org_id, mentor_id in db.session.execute(sa.select(MentorAssignment.organisation_id, MentorAssignment.mentor_id)
                                                .order_by(MentorAssignment.mentor_id)):
        mentors.setdefault(org_id, []).append(mentor_id)
    wants_plan = {o.id for o in organisations
                  if o.id in final and o.id not in planned and o.code not in data.WITHOUT_PLAN}
    todo = [o for o in organisations if o.id in wants_plan or (o.id not in mentored and mentors.get(o.id))]
    if not todo:
        return 0
    answers = round_answers(baseline, definitions, [o.id for o in todo])
    last_day = endline.starts_on - LEAD_OUT
    made, follow_ups = [], []
    frames = dict(tuple(answers.groupby(["org", "track"])))
    nothing = answers.iloc[0:0]
    for org in todo:
        tracks = {track: frames.get((org.code, track), nothing) for track in ("consensus", "self", "mentor")}
        levels = {code: int(level) for code, level in zip(tracks["consensus"]["indicator"], tracks["consensus"]["level"])
                  if not pd.isna(level)}
        one = _Org(org, staff.get(org.id), mentors.get(org.id, []), levels,
                   suggest_priorities(tracks["consensus"], tracks["self"], tracks["mentor"], questionnaire, rubric.plan))
        plan = None
        if org.id in wants_plan:
            plan = _plan(one, baseline, last_day, questionnaire)
            db.session.add(plan)
            made.append(plan)
        if org.id not in mentored and one.mentor_ids:
            sessions = _sessions(one, baseline, plan, last_day, questionnaire)
            db.session.add_all(sessions)
            if plan is not None and org.code in data.FOLLOW_UP_BECAME_ACTION:
                follow_ups.append((one, plan, sessions[1]))
    db.session.flush()
    # A follow-up needs its id before an action can point at it: the only rows added after the first flush.
    for one, plan, session in follow_ups:
        _action_from_follow_up(one, plan, session, questionnaire)
    db.session.flush()
    return len(made)


def _plan(one: _Org, baseline: AssessmentRound, last_day: date, questionnaire: Questionnaire) -> DevelopmentPlan:
    rng = _rng(one.org.code, "plan")
    validated = _when(baseline, one.org, Track.CONSENSUS)
    created = validated + timedelta(days=int(rng.integers(7, 21)), hours=4)
    plan = DevelopmentPlan(organisation_id=one.org.id, round_id=baseline.id, seeded_from=Track.CONSENSUS.value,
                           created_at=created, created_by_id=one.staff_id, updated_at=created)
    deciders = [one.staff_id, *one.mentor_ids[:1]]
    rows = one.suggested.to_dict("records")
    # One or two suggestions dropped, never the lowest two (the reason the plan exists).
    droppable = list(range(2, len(rows)))
    dropped = set(rng.choice(droppable, size=min(len(droppable), int(rng.integers(1, 3))), replace=False).tolist()) \
        if droppable else set()
    for index, row in enumerate(rows):
        plan.priorities.append(PlanPriority(
            indicator_code=row["indicator"], reasons_raw=join_codes([r.value for r in row["reasons"]]),
            level=row["level"], status=PriorityStatus.DROPPED if index in dropped else PriorityStatus.ACCEPTED,
            decided_by_id=deciders[index % len(deciders)], decided_at=created))
    # One added by hand: an indicator the organisation itself wants to work on, not yet strong.
    suggested = {row["indicator"] for row in rows}
    candidates = [i.code for i in questionnaire.indicators
                  if i.code not in suggested and i.code in data.ACTIONS and one.levels.get(i.code, 4) <= 3]
    if candidates:
        code = str(rng.choice(candidates))
        plan.priorities.append(PlanPriority(indicator_code=code, reasons_raw=PriorityReason.ADDED.value,
                                            level=one.levels.get(code), status=PriorityStatus.ACCEPTED,
                                            decided_by_id=one.staff_id, decided_at=created))
    accepted = [p.indicator_code for p in plan.priorities if p.status == PriorityStatus.ACCEPTED]
    for action in _actions(one, accepted, created.date(), last_day, questionnaire):
        plan.actions.append(action)
    plan.updated_at = max([created, *(a.updated_at for a in plan.actions)])
    return plan


def _statuses(code: str, count: int, rng: np.random.Generator) -> list[str]:
    """What became of each action: 'done', 'open' (running, no due date), 'overdue' or 'dropped'."""
    dropped = ["dropped"] if code in data.PLANS_WITH_DROPPED_ACTION else []
    count -= len(dropped)
    if code in data.COMPLETED_PLANS:
        kept = ["done"] * count
    elif code in data.STALLED_PLANS:
        late = min(count, 1 + int(code in REGRESSING or rng.uniform() < 0.3))
        done = int(rng.integers(0, count - late + 1)) if code not in REGRESSING else 0
        kept = ["done"] * done + ["overdue"] * late + ["open"] * (count - late - done)
    else:
        done = int(rng.integers(max(1, count // 2), count)) if count > 1 else 0
        kept = ["done"] * done + ["open"] * (count - done)
    return kept + dropped


def _responsible(org: Organisation, domain: str) -> str:
    role = data.RESPONSIBLE_ROLES.get(domain)
    if role is None:
        contact = next(row[5] for row in data.ORGANISATIONS if row[0] == org.code)
        return f"{contact}, დირექტორი"  # ..., director
    rng = _rng(org.code, domain, "person")
    return f"{rng.choice(data.STAFF_FIRST_NAMES)} {rng.choice(data.STAFF_SURNAMES)}, {role}"


def _actions(one: _Org, accepted: list[str], created: date, last_day: date,
             questionnaire: Questionnaire) -> list[PlanAction]:
    org, rng = one.org, _rng(one.org.code, "actions")
    with_template = [code for code in accepted if code in data.ACTIONS]
    room = 5 if org.code in data.FOLLOW_UP_BECAME_ACTION else 6  # 2-6 actions, the follow-up's included
    wanted = min(len(with_template), int(rng.integers(3 if org.code in data.PLANS_WITH_DROPPED_ACTION else 2, room + 1)))
    # The priority added by hand always gets an action (it is in the plan because somebody wanted it done).
    chosen = sorted(set(rng.choice(len(with_template) - 1, size=max(wanted - 1, 0), replace=False).tolist())
                    | {len(with_template) - 1}) if with_template else []
    primaries = [with_template[i] for i in chosen]
    statuses = _statuses(org.code, len(primaries), rng)
    rng.shuffle(statuses)
    actions = []
    for code, status in zip(primaries, statuses):
        indicator = questionnaire.indicator(code)
        support, description = data.ACTIONS[code]
        # Some actions serve two priorities of the same domain.
        partners = [c for c in accepted if c != code and c not in primaries and questionnaire.indicator(c).domain == indicator.domain]
        codes = [code] + ([str(rng.choice(partners))] if partners and rng.uniform() < 0.35 else [])
        level = one.levels.get(code)
        target = min(questionnaire.max_level, (level or questionnaire.min_level) + 1 + int(rng.uniform() < 0.2))
        action = PlanAction(indicators_raw=join_codes(codes), description=description, target_level=target,
                            responsible=_responsible(org, indicator.domain), support_type=support,
                            created_at=_at(created, 14), created_by_id=one.staff_id, updated_by_id=one.staff_id)
        _progress(action, status, one, created, last_day, rng)
        actions.append(action)
    return actions


def _progress(action: PlanAction, status: str, one: _Org, created: date, last_day: date, rng: np.random.Generator) -> None:
    """Status, dates, notes and evidence of one action: the history its status implies."""
    authors = [one.staff_id, one.staff_id, *one.mentor_ids[:1]]
    started = created + timedelta(days=int(rng.integers(10, 45)))
    due = _day_between(rng, created + timedelta(days=60), last_day)
    notes: list[tuple[date, str]] = []
    if status == "done":
        action.status, action.due_on = ActionStatus.DONE, due
        # Most finish around their due date, some late; never after the season ends.
        action.completed_on = min(max(due + timedelta(days=int(rng.integers(-40, 30))), started + timedelta(days=14)), last_day)
        notes = [(_day_between(rng, started, action.completed_on), str(rng.choice(data.PROGRESS_NOTES))),
                 (action.completed_on, data.DONE_NOTE)]
        if rng.uniform() < 0.4:
            slug = action.indicators[0].lower().replace(".", "-")
            action.evidence_url = f"https://{data.DOMAIN}/documents/{one.org.code.lower()}/{slug}.pdf"
    elif status == "overdue":
        # Due before the endline starts and still open: overdue from the endline on, whatever the build day.
        action.status = ActionStatus.IN_PROGRESS if rng.uniform() < 0.6 else ActionStatus.PLANNED
        action.due_on = _day_between(rng, created + timedelta(days=90), last_day - timedelta(days=30))
        if action.status == ActionStatus.IN_PROGRESS:
            notes = [(started, data.PROGRESS_NOTES[0]),
                     (_day_between(rng, action.due_on - timedelta(days=20), last_day), str(rng.choice(data.STALLED_NOTES)))]
    elif status == "open":
        action.status = ActionStatus.IN_PROGRESS if rng.uniform() < 0.75 else ActionStatus.PLANNED
        if action.status == ActionStatus.IN_PROGRESS:
            notes = [(started, data.PROGRESS_NOTES[0]), (_day_between(rng, started, last_day), str(rng.choice(data.PROGRESS_NOTES[1:])))]
    else:
        action.status, action.due_on = ActionStatus.DROPPED, due
        action.dropped_reason = str(rng.choice(data.DROPPED_REASONS))
        notes = [(started, data.PROGRESS_NOTES[0])]
    for index, (day, text) in enumerate(sorted(notes)):
        action.notes.append(ActionNote(noted_on=day, text=text, author_id=authors[index % len(authors)], created_at=_at(day, 16)))
    last = max([day for day, _ in notes] + [action.completed_on or created])
    action.updated_at = _at(last, 16)
    action.revision = 1 + len(notes)


def _sessions(one: _Org, baseline: AssessmentRound, plan: DevelopmentPlan | None, last_day: date,
              questionnaire: Questionnaire) -> list[MentoringSession]:
    org, rng = one.org, _rng(one.org.code, "mentoring")
    first = (plan.created_at if plan is not None else _when(baseline, org, Track.CONSENSUS) + timedelta(days=14)).date()
    count = int(rng.integers(3, 9))
    days = sorted(first + timedelta(days=int(d))
                  for d in rng.choice((last_day - first).days + 1, size=count, replace=False))
    if plan is not None:
        focus = [p.indicator_code for p in plan.priorities if p.status == PriorityStatus.ACCEPTED]
    else:
        focus = list(one.suggested["indicator"])
    focus = focus or [i.code for i in questionnaire.indicators[:3]]
    actions = [a for a in plan.actions if a.status != ActionStatus.DROPPED] if plan is not None else []
    sessions = []
    for number, day in enumerate(days):
        mode = SessionMode(str(rng.choice([m.value for m in SessionMode], p=[0.55, 0.3, 0.15])))
        if mode == SessionMode.PHONE:
            minutes, total = 60, int(rng.integers(1, 3))
        else:
            minutes, total = int(rng.choice([60, 90, 120, 150, 180, 240])), int(rng.integers(2, 11))
        female = int(rng.binomial(total, 0.75))  # the sector's staff are mostly women
        male = total - female - int(total > 2 and rng.uniform() < 0.1)  # now and then one person's sex not recorded
        codes = [str(c) for c in rng.choice(focus, size=min(len(focus), int(rng.integers(1, 4))), replace=False)]
        title = questionnaire.indicator(codes[0]).title("ka")
        template = data.PHONE_NOTE if mode == SessionMode.PHONE else str(rng.choice(data.SESSION_NOTES))
        mentor_id = int(rng.choice(one.mentor_ids))
        session = MentoringSession(
            organisation_id=org.id, round_id=baseline.id, mentor_id=mentor_id, held_on=day, duration_minutes=minutes,
            mode=mode, indicators_raw=join_codes(codes), participants_total=total, participants_female=female,
            participants_male=max(male, 0), participants_with_disability=int(rng.choice([0, 0, 0, 1, 2])) if total > 2 else 0,
            notes=template.format(title=title), created_at=_at(day, 18), created_by_id=mentor_id, updated_at=_at(day, 18))
        session.actions.extend(a for a in actions if set(a.indicators) & set(codes))
        if number == 1 and plan is not None and org.code in data.FOLLOW_UP_BECAME_ACTION:
            session.follow_ups.append(FollowUp(text=data.FOLLOW_UP_ACTION[1].format(title=title)))
        elif rng.uniform() < 0.2:
            session.follow_ups.append(FollowUp(text=str(rng.choice(data.FOLLOW_UPS))))
        sessions.append(session)
    return sessions


def _action_from_follow_up(one: _Org, plan: DevelopmentPlan, session: MentoringSession, questionnaire: Questionnaire) -> None:
    follow_up = session.follow_ups[0]
    code = session.indicators[0]
    level = one.levels.get(code)
    started = session.held_on + timedelta(days=10)
    action = PlanAction(indicators_raw=code, description=follow_up.text, follow_up_id=follow_up.id,
                        target_level=min(questionnaire.max_level, (level or questionnaire.min_level) + 1),
                        responsible=_responsible(one.org, "HR"), support_type=data.FOLLOW_UP_ACTION[0],
                        status=ActionStatus.IN_PROGRESS, created_at=_at(session.held_on, 19),
                        created_by_id=session.mentor_id, updated_by_id=one.staff_id, updated_at=_at(started, 16), revision=2)
    action.notes.append(ActionNote(noted_on=started, text=data.PROGRESS_NOTES[0], author_id=one.staff_id,
                                   created_at=_at(started, 16)))
    plan.actions.append(action)
