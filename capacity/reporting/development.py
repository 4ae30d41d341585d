"""The development plan and mentoring as the printed reports show them, as plain dicts.

Which plan a report shows: when it compares two rounds, the plan made after the
earlier one; for a single round, that round's plan. Its status counts describe the
plan as it is today (the programme's day); where a report sets done actions beside
the change two rounds measured, an action counts as done only when it was completed
before the later round's assessment began (``AssessmentRound.starts_on``; a round
with no start date takes every done action): one completed after that cannot have
moved what the later round measured. Mentoring sessions count against the plan of the
round they were logged for (``MentoringSession.round_id``, as ``plans.queries.sessions_of_round``).

Plans and sessions are read as rows (one query each, for one organisation or a
whole round) and never leave here as ORM objects, so a batch of profiles can load
them once and share them. Completion and overdue follow ``plans.queries.completion``:
done among the actions not dropped; overdue = planned or in progress and past its due date.
A plan has a few dozen rows, counted in plain Python; the portfolio's comparison of
indicators with and without completed actions is computed with pandas.
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterable, NamedTuple

import pandas as pd
import sqlalchemy as sa
from flask_babel import format_date, gettext as _, ngettext

from capacity.auth.models import User
from capacity.labels import PLAN_STATES
from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from capacity.plans.models import OPEN_STATUSES, ActionStatus, DevelopmentPlan, PlanAction, split_codes
from capacity.plans.queries import PlanState
from capacity.reporting.numbers import number as _num, percent as _percent, signed as _signed
from capacity.rounds.models import AssessmentRound
from capacity.scoring.change import indicator_change

PARTICIPANTS = ("total", "female", "male", "with_disability")
OPEN = frozenset(s.value for s in OPEN_STATUSES)


class Action(NamedTuple):
    org_id: int
    status: str  # an ActionStatus value
    due_on: date | None
    indicators: list[str]
    completed_on: date | None = None


class Session(NamedTuple):
    org_id: int
    mentor_id: int | None
    mentor: str | None
    minutes: int
    total: int
    female: int
    male: int
    with_disability: int


@dataclass(frozen=True)
class PlanData:
    """One round's plans and mentoring sessions, for one organisation or many, as plain rows (no ORM objects)."""

    round_names: tuple[str, str]  # (ka, en): no ORM object, so a batch's printers may share it across sessions
    planned: frozenset[int]  # organisations with a plan in the round (with or without actions)
    actions: tuple[Action, ...]
    sessions: tuple[Session, ...]

    def round_name(self, language: str) -> str:
        return self.round_names[1] if language == "en" else self.round_names[0]

    def actions_of(self, org_id: int) -> list[Action]:
        return [a for a in self.actions if a.org_id == org_id]

    def sessions_of(self, org_id: int) -> list[Session]:
        return [s for s in self.sessions if s.org_id == org_id]


def load(round_: AssessmentRound, organisation_ids: Iterable[int] | None = None) -> PlanData:
    """The round's plans with their actions (one query) and its mentoring sessions (one query)."""
    ids = None if organisation_ids is None else list(organisation_ids)
    plans = (sa.select(DevelopmentPlan.organisation_id, PlanAction.id, PlanAction.status, PlanAction.due_on,
                       PlanAction.indicators_raw, PlanAction.completed_on)
             .select_from(DevelopmentPlan).outerjoin(PlanAction, PlanAction.plan_id == DevelopmentPlan.id)
             .where(DevelopmentPlan.round_id == round_.id).order_by(DevelopmentPlan.organisation_id, PlanAction.id))
    sessions = (sa.select(MentoringSession.organisation_id, MentoringSession.mentor_id, User.display_name,
                          MentoringSession.duration_minutes, MentoringSession.participants_total,
                          MentoringSession.participants_female, MentoringSession.participants_male,
                          MentoringSession.participants_with_disability)
                .outerjoin(User, User.id == MentoringSession.mentor_id)
                .where(MentoringSession.round_id == round_.id).order_by(MentoringSession.id))
    if ids is not None:
        plans = plans.where(DevelopmentPlan.organisation_id.in_(ids))
        sessions = sessions.where(MentoringSession.organisation_id.in_(ids))
    planned, actions = set(), []
    for org_id, action_id, status, due_on, raw, completed_on in db.session.execute(plans):
        planned.add(org_id)
        if action_id is not None:
            actions.append(Action(org_id, ActionStatus(status).value, due_on, split_codes(raw), completed_on))
    return PlanData((round_.name("ka"), round_.name("en")), frozenset(planned), tuple(actions),
                    tuple(Session(*row) for row in db.session.execute(sessions)))


# A batch of profiles shares the rounds scored once for every organisation (``build_profile(results=...)``): its
# plans are loaded once too, kept as long as those scored rounds are.
_shared: weakref.WeakKeyDictionary[object, dict[int, PlanData]] = weakref.WeakKeyDictionary()


def shared(key: object, round_: AssessmentRound) -> PlanData:
    """``load(round_)`` for every organisation, once per ``key`` (the batch's scored round) and round."""
    by_round = _shared.setdefault(key, {})
    if round_.id not in by_round:
        by_round[round_.id] = load(round_)
    return by_round[round_.id]


def summary(actions: list[Action], today: date) -> dict:
    """One plan's actions by status, done, counted (not dropped), overdue and its state, as plans.queries counts them.

    A few dozen rows: counted in plain Python, which is twenty times quicker than building frames for them.
    """
    by_status = {s.value: 0 for s in ActionStatus}
    overdue = 0
    for action in actions:
        by_status[action.status] += 1
        overdue += action.status in OPEN and action.due_on is not None and action.due_on < today
    done, counted = by_status[ActionStatus.DONE.value], len(actions) - by_status[ActionStatus.DROPPED.value]
    state = PlanState.OVERDUE if overdue else PlanState.COMPLETE if counted and done == counted else PlanState.ON_TRACK
    return {"by_status": by_status, "done": done, "counted": counted, "overdue": overdue, "state": state,
            "share": _percent(done / counted) if counted else "—"}


def done_before(action: Action, cutoff: date | None) -> bool:
    """Done, and (with a ``cutoff``: the later round's start) completed before it: what a comparison may count.

    A done action with no completion date cannot be shown to precede the cutoff, so it is not counted then
    (the plan's services always record one).
    """
    if action.status != ActionStatus.DONE.value:
        return False
    return cutoff is None or (action.completed_on is not None and action.completed_on < cutoff)


def _sessions_figures(sessions: list[Session]) -> dict:
    """Sessions, hours and participants (summed over sessions: a person at two sessions counts twice)."""
    minutes = sum(s.minutes for s in sessions)
    return {"sessions": len(sessions), "minutes": minutes, "hours": _num(minutes / 60, 1),
            **{k: sum(getattr(s, k) for s in sessions) for k in PARTICIPANTS}}


def crosswalk_between(before_questionnaire, after_questionnaire) -> dict[str, str | None] | None:
    """How the earlier round's indicator codes map to the later one's (None: same codes)."""
    crosswalk = after_questionnaire.crosswalk
    if before_questionnaire.version != after_questionnaire.version and crosswalk \
            and crosswalk.from_version == before_questionnaire.version:
        return crosswalk.mapping
    return None


def profile_section(data: PlanData, org_id: int, rows: list[dict], title_of: Callable[[str], str],
                    crosswalk: dict[str, str | None] | None, today: date, language: str,
                    cutoff: date | None = None, plan_name: str | None = None) -> dict:
    """The profile's plan and mentoring section, in ``language`` (the caller's locale).

    The status counts are the plan's as of ``today``. ``rows``: the profile's own
    indicator rows (the reader's track, comparability as the profile decided it):
    ``by_indicator`` is keyed by their codes (the plan's codes through ``crosswalk``),
    so the indicator table prints each count beside its change; its ``done`` counts
    only actions completed before ``cutoff`` (a two-round profile: the later round's
    start; printed as ``cutoff``, None when every done action counts). A code the later questionnaire no longer has is
    ``unmatched``, with its title from ``title_of``. ``plan_name``: what the subject's kind calls its plan
    ("Quality improvement plan"), named as a label where a plan is missing; None: an organisation's development plan.
    """
    name = data.round_name(language)
    mentoring = _sessions_figures(data.sessions_of(org_id))
    section = {"round": name, "exists": org_id in data.planned, "mentoring": mentoring,
               "mentoring_sentence": mentoring_sentence(mentoring, name),
               "missing": None, "by_indicator": {}, "unmatched": [], "overdue": None,
               "as_of": format_date(today, "medium"), "cutoff": format_date(cutoff, "medium") if cutoff else None}
    if not section["exists"]:
        section["missing"] = _("There is no development plan for %(round)s yet: a plan opens once the round's agreed "
                               "assessment is validated.", round=name) if plan_name is None else \
            _("%(plan)s (%(round)s): none yet. A plan opens once the round's agreed assessment is validated.",
              plan=plan_name, round=name)
        return section
    actions = data.actions_of(org_id)
    counts = summary(actions, today)
    section.update(counts=counts["by_status"], done=counts["done"], counted=counts["counted"], share=counts["share"])
    if any(a.status in OPEN and a.due_on is not None for a in actions):
        section["overdue"] = {"count": counts["overdue"]}
    known = {row["code"] for row in rows}
    by_indicator: dict[str, dict] = {}
    unmatched: dict[str, dict] = {}
    for action in actions:
        if action.status == ActionStatus.DROPPED.value:
            continue
        for code in action.indicators:
            target = crosswalk.get(code, code) if crosswalk else code
            if target in known:
                entry = by_indicator.setdefault(target, {"actions": 0, "done": 0})
            else:
                entry = unmatched.setdefault(code, {"code": code, "title": title_of(code), "actions": 0, "done": 0})
            entry["actions"] += 1
            entry["done"] += done_before(action, cutoff)
    section["by_indicator"] = by_indicator
    section["unmatched"] = [unmatched[code] for code in sorted(unmatched)]
    return section


def mentoring_sentence(figures: dict, round_name: str) -> str:
    """Sessions, hours and participants in one sentence (the profile's and the portfolio's totals)."""
    if not figures["sessions"]:
        return _("No mentoring sessions were logged for the plan of %(round)s.", round=round_name)
    sessions = ngettext("%(num)d session", "%(num)d sessions", figures["sessions"])
    return _("Mentoring: %(sessions)s, %(hours)s hours; %(total)d participants (women: %(female)d, men: %(male)d, "
             "persons with disability: %(with_disability)d), counted at each session they attended.",
             sessions=sessions, hours=figures["hours"], total=figures["total"], female=figures["female"],
             male=figures["male"], with_disability=figures["with_disability"])


def portfolio_section(data: PlanData, organisations: list[tuple[int, str, str]], language: str, today: date) -> dict:
    """Plan completion (as of ``today``) and mentoring per organisation (``organisations``: (id, code, name) in print
    order) and per mentor, and the participants' totals.

    Mentors and totals count the sessions of ``organisations`` only, so they add up to the rows.
    """
    listed = {org_id for org_id, _code, _name in organisations}
    sessions = [s for s in data.sessions if s.org_id in listed]
    rows = []
    for org_id, code, name in organisations:
        figures = _sessions_figures(data.sessions_of(org_id))
        counts = summary(data.actions_of(org_id), today) if org_id in data.planned else None
        state = counts["state"] if counts else PlanState.NO_PLAN
        rows.append({"code": code, "name": name, "state": str(PLAN_STATES[state]), "state_code": state.value,
                     "done": counts["done"] if counts else None, "counted": counts["counted"] if counts else None,
                     "share": counts["share"] if counts else "—", "sessions": figures["sessions"], "hours": figures["hours"]})
    by_mentor: dict[int | None, list[Session]] = {}
    for session in sessions:
        by_mentor.setdefault(session.mentor_id, []).append(session)
    mentors = [{"name": next((s.mentor for s in sessions if s.mentor), "—"),
                "organisations": len({s.org_id for s in sessions}), **_sessions_figures(sessions)}
               for sessions in by_mentor.values()]
    mentors.sort(key=lambda m: (-m["minutes"], m["name"]))
    totals = _sessions_figures(sessions)
    return {"round": data.round_name(language), "date": format_date(today, "medium"), "rows": rows,
            "mentors": mentors, "totals": totals, "sentence": mentoring_sentence(totals, data.round_name(language))}


def done_pairs(data: PlanData, codes_of: dict[int, str], crosswalk: dict[str, str | None] | None,
               cutoff: date | None = None) -> pd.DataFrame:
    """(org, indicator) pairs with at least one action of the plan completed before ``cutoff`` (the later round's
    start; None: every done action), in the later round's codes."""
    pairs = {(codes_of.get(a.org_id), (crosswalk.get(code, code) if crosswalk else code))
             for a in data.actions if done_before(a, cutoff) for code in a.indicators}
    return pd.DataFrame(sorted(p for p in pairs if p[0] and p[1]), columns=["org", "indicator"])


def association(before: pd.DataFrame, after: pd.DataFrame, done: pd.DataFrame,
                crosswalk: dict[str, str | None] | None, after_codes: list[str]) -> dict:
    """Mean change in level of comparable (org, indicator) pairs with a done action vs those without, with n.

    ``before``/``after``: one final result's answers per organisation (org, indicator, level).
    """
    change = indicator_change(before, after, crosswalk, after_codes=after_codes)
    change = change.loc[change["comparable"]]
    marks = done.assign(acted=True).drop_duplicates(["org", "indicator"])
    change = change.merge(marks, on=["org", "indicator"], how="left")
    acted = change["acted"].eq(True)
    groups = []
    for key, label, part in (("with", _("With at least one completed action"), change.loc[acted]),
                             ("without", _("Without a completed action"), change.loc[~acted])):
        mean = float(part["change"].mean()) if len(part) else None
        groups.append({"key": key, "label": label, "n": int(len(part)), "mean": _signed(mean)})
    return {"groups": groups, "pairs": int(len(change))}
