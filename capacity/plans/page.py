"""What the plan page and its history show each viewer: the plan, and only what ``access.sight`` lets them see.

Staff (who never see the mentor assessment) are never told of the self/mentor gap rule:
told that an indicator was suggested for a gap, beside their own level and the agreed one,
they could work out the mentor's level. So for them a priority suggested for a gap alone
stays out of the plan until it is accepted (then it is the mentor's choice), a priority with
several reasons shows the others, and the history leaves out what would name it. The levels
shown are the current final result's: a re-validation never leaves old numbers beside new ones.
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Iterable

import sqlalchemy as sa
from flask import url_for
from werkzeug.routing import BuildError

from capacity import access
from capacity.assessments.models import Track
from capacity.audit.models import AuditEvent
from capacity.audit.vocabulary import FIELDS
from capacity.labels import ACTION_STATUSES, PRIORITY_STATUSES
from capacity.parsing import ascii_int
from capacity.plans import services
from capacity.plans.forms import (ACCEPTED_BY_MENTOR, REASONS, SUGGESTED_FROM_RESULT, ActionForm, NoteForm,
                                  StartForm, StatusForm)
from capacity.plans.models import ActionStatus, DevelopmentPlan, PlanPriority, PriorityReason, PriorityStatus
from capacity.plans.queries import completion, plan_of
from capacity.questionnaires.library import load_directory
from capacity.templating import current_language
from capacity.timeutil import programme_today

# A priority suggests this many resources (those named for its indicator first); the library lists the rest.
SUGGESTED_RESOURCES = 3
PRIORITY_EVENTS = ("plan.priority", "plan.priority_add")


def hides_gaps(sight: access.Sight) -> bool:
    """Whoever may not see the mentor assessment (staff) is never told of the gap rule."""
    return not sight.sees(Track.MENTOR)


def hidden(priority: PlanPriority, hide_gaps: bool) -> bool:
    """A priority suggested for a self/mentor gap alone, not (or no longer) accepted: not shown to ``hide_gaps``."""
    return hide_gaps and priority.reasons == [PriorityReason.GAP] and priority.status != PriorityStatus.ACCEPTED


def reason_words(priority: PlanPriority, hide_gaps: bool, final_hidden: bool) -> list[str]:
    """Why the priority is there, in words this viewer may read."""
    if not hide_gaps:
        return [str(REASONS[r]) for r in priority.reasons]
    words: list[str] = []
    for reason in priority.reasons:
        if reason == PriorityReason.GAP:
            continue
        # Where the final result is a track they may not see, "among the lowest" would tell of its levels.
        word = str(SUGGESTED_FROM_RESULT if final_hidden and reason != PriorityReason.ADDED else REASONS[reason])
        if word not in words:
            words.append(word)
    return words or [str(ACCEPTED_BY_MENTOR)]  # suggested for a gap alone: shown once the mentor accepted it


def hidden_codes(plan: DevelopmentPlan | None, hide_gaps: bool) -> set[str]:
    return {p.indicator_code for p in plan.priorities if hidden(p, hide_gaps)} if plan is not None else set()


def _indicator_of(event: Any) -> object:
    for side in (event.after, event.before):
        if isinstance(side, dict) and "indicator" in side:
            return side["indicator"]
    return None


def history_events(events: Iterable[AuditEvent], codes: set[str]) -> list[Any]:
    """The plan's events without what names the indicators in ``codes`` (the priorities the viewer is not shown).

    The plan's start lists its suggestions: the list is shown without them (on a copy: the
    stored event is never changed). A decision about one of them is left out.
    """
    events = list(events)
    if not codes:
        return events
    columns = [attribute.key for attribute in sa.inspect(AuditEvent).column_attrs]
    shown = []
    for event in events:
        if event.action in PRIORITY_EVENTS and _indicator_of(event) in codes:
            continue
        after = event.after
        if event.action == "plan.start" and isinstance(after, dict) and isinstance(after.get("priorities"), list):
            copy = SimpleNamespace(**{key: getattr(event, key) for key in columns})
            copy.after = {**after, "priorities": [code for code in after["priorities"] if code not in codes]}
            event = copy
        shown.append(event)
    return shown


def url_or_none(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:  # a page of another feature not there (yet): its title is shown without a link
        return None


def _resources(sets, indicator) -> dict:
    found = []
    for resource_set in sets:
        for resource in resource_set.for_indicator(indicator):
            url = resource.url or url_or_none("learning.file", set_id=resource_set.id, code=resource.code)
            found.append({"title": resource.title.get(current_language()), "url": url, "kind": resource.kind})
    return {"shown": found[:SUGGESTED_RESOURCES], "more": len(found) - SUGGESTED_RESOURCES,
            "library": url_or_none("learning.index", topic=indicator.code)}


def plan_page(user, organisation, round_, args, *, action_form=None, edit_form=None, edit_id=None, stale=None,
              status_form=None, status_id=None, note_form=None, note_id=None) -> dict:
    """The plan page's context for ``user``: what the plan holds, and only the levels ``access.sight`` shows them."""
    page = {"org": organisation, "round": round_, "may_edit": access.may_edit_plan(user, organisation),
            "closed": None, "plan": None, "today": programme_today()}
    try:
        opening = services.plan_opening(organisation, round_)
    except services.PlanNotOpen as closed:
        reopened = closed.not_final and plan_of(organisation.id, round_.id) is not None
        page["closed"] = services.REOPENED if reopened else closed.message
        return page
    plan = plan_of(organisation.id, round_.id)
    page["plan"] = plan
    if plan is None:
        return page
    language = current_language()
    questionnaire, rubric = opening.definitions.questionnaire, opening.definitions.rubric
    sight = access.sight(user, organisation, round_)
    levels = {track: dict(zip(frame["indicator"], frame["level"]))
              for track, frame in services.track_levels(organisation, round_, opening.definitions).items()}
    shows = {track: sight.sees(track) for track in ("self", "mentor", "consensus")}
    # The final result as it is now (a re-validation may have changed it since the plan started).
    shows_final = sight.sees(opening.track)
    final = levels.get(opening.track, {})
    hide_gaps = hides_gaps(sight)

    def level_text(level):
        if level is None:
            return None
        name = questionnaire.level_name(int(level))
        return f"{int(level)} — {name.get(language)}" if name else str(int(level))

    sets = load_directory().resources_for(questionnaire)
    priorities, changed = [], plan.seeded_from != opening.track
    for priority in plan.priorities:
        if hidden(priority, hide_gaps):
            continue
        indicator = questionnaire.indicator(priority.indicator_code)
        code = priority.indicator_code
        now = final.get(code)
        changed = changed or (now is not None and now != priority.level)
        # Staff see their own level on every row alike (on gap rows only, it would name the gap rule).
        gap = PriorityReason.GAP in priority.reasons and not hide_gaps
        own = levels.get("self", {}).get(code) if shows["self"] and (gap or (hide_gaps and shows_final)) else None
        mentor = levels.get("mentor", {}).get(code) if shows["mentor"] and gap else None
        priorities.append({
            "row": priority, "code": code, "title": indicator.title(language) if indicator else code,
            "reasons": reason_words(priority, hide_gaps, not shows_final),
            "level": level_text(now) if shows_final else None,
            "self": level_text(own), "mentor": level_text(mentor),
            "gap": abs(own - mentor) if own is not None and mentor is not None else None,
            "resources": _resources(sets, indicator) if indicator else {"shown": [], "more": 0}})
    today = page["today"]
    actions = {status: [] for status in ActionStatus}
    for action in plan.actions:
        support = rubric.plan.support_type(action.support_type) if action.support_type else None
        actions[action.status].append({
            "row": action, "overdue": action.is_overdue(today), "support": support.name.get(language) if support else "",
            "titles": [(c, questionnaire.indicator(c).title(language) if questionnaire.indicator(c) else c)
                       for c in action.indicators],
            "target": level_text(action.target_level)})
    follow_ups = services.open_follow_ups(plan) if page["may_edit"] else []
    if action_form is None:
        action_form = ActionForm(formdata=None)
        chosen = ascii_int(args.get("follow_up", ""))
        follow_up = next((f for f in follow_ups if f.id == chosen), None)
        if follow_up is not None:
            action_form.follow_up.data = str(follow_up.id)
            action_form.description.data = follow_up.text
            action_form.indicators.data = list(follow_up.session.indicators)
    editing = edit_id if edit_form is not None else ascii_int(args.get("edit", ""))
    edited = next((a for a in plan.actions if a.id == editing), None)
    if edit_form is None and edited is not None:
        edit_form = ActionForm(formdata=None, data={**services.snapshot(edited), "revision": str(edited.revision),
                                                    "indicators": list(edited.indicators),
                                                    "target_level": str(edited.target_level or "")})
    page.update(
        questionnaire=questionnaire, priorities=priorities, actions=actions, overdue=completion(plan.actions, today),
        statuses=ACTION_STATUSES, priority_statuses=PRIORITY_STATUSES, support_types=rubric.plan.support_types,
        follow_ups=follow_ups, action_form=action_form, edit_form=edit_form, edit_id=edited.id if edited else None,
        stale=stale, status_form=status_form or StatusForm(formdata=None), status_id=status_id,
        note_form=note_form or NoteForm(formdata=None, data={"noted_on": today.isoformat()}), note_id=note_id,
        shows_self=shows["self"], shows_mentor=shows["mentor"], shows_final=shows_final, language=language,
        levels_changed=shows_final and changed,
        indicators=[i for i in questionnaire.indicators], token_form=StartForm(), revision=plan.revision,
        priority_codes={p["code"] for p in priorities if p["row"].status != PriorityStatus.DROPPED},
        field_names=FIELDS, mentoring_log=url_or_none("mentoring.log", code=organisation.code))
    return page
