"""Development plan pages: the plan of one organisation for one round, its history, its evidence files.

Who may see: whoever may see the organisation (others get 404, like the
organisation's own pages). Who may write: the organisation's staff and its
mentors (access.may_edit_plan); managers and administrators read, and their
POSTs are refused (403). What each viewer sees of the assessment behind the
plan is ``access.sight``'s: staff never see the mentor's independent levels.
"""
from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from capacity import access
from capacity.assessments.evidence import MAX_BYTES, EvidenceRefused, clean_name
from capacity.audit import display as audit_display
from capacity.audit.models import AuditEvent
from capacity.audit.vocabulary import FIELDS
from capacity.extensions import db
from capacity.parsing import ascii_int
from capacity.plans import files, services
from capacity.plans.blueprint import bp
from capacity.labels import ACTION_STATUSES, PRIORITY_STATUSES
from capacity.plans.forms import (REASONS, REASONS_FOR_STAFF, ActionForm,
                                  AddPriorityForm, DeleteFileForm, NoteForm, PriorityForm, StartForm, StatusForm,
                                  UploadForm)
from capacity.plans.models import ActionEvidenceFile, ActionStatus, PlanAction, PriorityReason, PriorityStatus
from capacity.plans.queries import completion, plan_of
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from capacity.templating import current_language

BASE = "/organisations/<code>/plans/<round_code>"


def _load(code: str, round_code: str, *, write: bool = False):
    """The organisation (404 unless the user may see it) and round; 403 for a reader who tries to write."""
    organisation = access.organisation_or_404(code)
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
    if round_ is None:
        abort(404)
    if write and not access.may_edit_plan(current_user, organisation):
        abort(403)
    return organisation, round_


def _plan_or_404(organisation, round_):
    plan = plan_of(organisation.id, round_.id)
    if plan is None:
        abort(404)
    return plan


def _action_or_404(plan, action_id: int) -> PlanAction:
    action = next((a for a in plan.actions if a.id == action_id), None)
    if action is None:
        abort(404)
    return action


def _back(organisation, round_, anchor: str = "") -> str:
    return url_for("plans.plan", code=organisation.code, round_code=round_.code) + anchor


def _render(organisation, round_, status: int = 200, **forms):
    return render_template("plans/plan.html", **plan_page(current_user, organisation, round_, request.args, **forms)), status


@bp.get(BASE)
@login_required
def plan(code: str, round_code: str):
    organisation, round_ = _load(code, round_code)
    return _render(organisation, round_)


@bp.post(BASE + "/start")
@login_required
def start(code: str, round_code: str):
    organisation, round_ = _load(code, round_code, write=True)
    if not StartForm().validate_on_submit():
        abort(400)
    try:
        services.start_plan(current_user, organisation, round_)
    except services.PlanNotOpen as closed:
        db.session.rollback()
        flash(str(closed.message), "error")
        return redirect(_back(organisation, round_))
    db.session.commit()
    flash(_("The development plan has been started with its suggested priorities."), "success")
    return redirect(_back(organisation, round_, "#priorities"))


@bp.post(BASE + "/priorities/<id:priority_id>")
@login_required
def priority(code: str, round_code: str, priority_id: int):
    organisation, round_ = _load(code, round_code, write=True)
    plan = _plan_or_404(organisation, round_)
    form = PriorityForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.decide_priority(current_user, plan, priority_id, form.decision.data or "", form.revision.data)
    except LookupError:
        abort(404)
    except (services.StalePlan, services.InvalidPlanInput) as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(_back(organisation, round_, "#priorities"))
    db.session.commit()
    return redirect(_back(organisation, round_, "#priorities"))


@bp.post(BASE + "/priorities")
@login_required
def add_priority(code: str, round_code: str):
    organisation, round_ = _load(code, round_code, write=True)
    plan = _plan_or_404(organisation, round_)
    form = AddPriorityForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.add_priority(current_user, plan, form.indicator.data or "", form.revision.data)
    except (services.StalePlan, services.InvalidPlanInput, services.PlanNotOpen) as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(_back(organisation, round_, "#priorities"))
    db.session.commit()
    flash(_("The priority has been added."), "success")
    return redirect(_back(organisation, round_, "#priorities"))


def _action_input(form: ActionForm, follow_up: int | None = None) -> services.ActionInput:
    return services.ActionInput(indicators="; ".join(form.indicators.data or []), description=form.description.data or "",
                                target_level=form.target_level.data or "", responsible=form.responsible.data or "",
                                due_on=form.due_on.data or "", support_type=form.support_type.data or "",
                                evidence_url=form.evidence_url.data or "", follow_up_id=follow_up,
                                revision=form.revision.data)


def _refused_form(form, refused) -> None:
    """Put the service's message on the field it names (or on the form when it names none of them)."""
    field = getattr(form, refused.field, None)
    if field is not None and hasattr(field, "errors") and field.type != "HiddenField":
        field.errors = [str(refused.message)]
    else:
        form.form_errors.append(str(refused.message))


@bp.post(BASE + "/actions")
@login_required
def action_new(code: str, round_code: str):
    organisation, round_ = _load(code, round_code, write=True)
    plan = _plan_or_404(organisation, round_)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    follow_up = ascii_int(form.follow_up.data) if form.follow_up.data else None
    try:
        action = services.add_action(current_user, plan, _action_input(form, follow_up))
    except (services.InvalidPlanInput, services.PlanNotOpen) as refused:
        db.session.rollback()
        _refused_form(form, refused)
        return _render(organisation, round_, 400, action_form=form)
    db.session.commit()
    flash(_("The action has been added."), "success")
    return redirect(_back(organisation, round_, f"#action-{action.id}"))


@bp.post(BASE + "/actions/<id:action_id>")
@login_required
def action_edit(code: str, round_code: str, action_id: int):
    organisation, round_ = _load(code, round_code, write=True)
    action = _action_or_404(_plan_or_404(organisation, round_), action_id)
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.update_action(current_user, action, _action_input(form))
    except services.StaleAction as stale:
        db.session.rollback()
        form.form_errors.append(str(stale.message))
        return _render(organisation, round_, 409, edit_form=form, edit_id=action_id, stale=stale)
    except (services.InvalidPlanInput, services.PlanNotOpen) as refused:
        db.session.rollback()
        _refused_form(form, refused)
        return _render(organisation, round_, 400, edit_form=form, edit_id=action_id)
    db.session.commit()
    flash(_("The action has been saved."), "success")
    return redirect(_back(organisation, round_, f"#action-{action_id}"))


@bp.post(BASE + "/actions/<id:action_id>/status")
@login_required
def action_status(code: str, round_code: str, action_id: int):
    organisation, round_ = _load(code, round_code, write=True)
    action = _action_or_404(_plan_or_404(organisation, round_), action_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.set_status(current_user, action, form.status.data or "", form.revision.data,
                            reason=form.reason.data or "", completed_on=form.completed_on.data or "")
    except (services.StaleAction, services.InvalidPlanInput) as refused:
        db.session.rollback()
        if isinstance(refused, services.StaleAction):
            form.form_errors.append(str(refused.message))
        else:
            _refused_form(form, refused)
        return _render(organisation, round_, 409 if isinstance(refused, services.StaleAction) else 400,
                       status_form=form, status_id=action_id)
    db.session.commit()
    flash(_("The action's status has been saved."), "success")
    return redirect(_back(organisation, round_, f"#action-{action_id}"))


@bp.post(BASE + "/actions/<id:action_id>/notes")
@login_required
def note(code: str, round_code: str, action_id: int):
    organisation, round_ = _load(code, round_code, write=True)
    action = _action_or_404(_plan_or_404(organisation, round_), action_id)
    form = NoteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.add_note(current_user, action, form.noted_on.data or "", form.text.data or "")
    except services.InvalidPlanInput as refused:
        db.session.rollback()
        _refused_form(form, refused)
        return _render(organisation, round_, 400, note_form=form, note_id=action_id)
    db.session.commit()
    flash(_("The note has been added."), "success")
    return redirect(_back(organisation, round_, f"#action-{action_id}"))


@bp.post(BASE + "/actions/<id:action_id>/files")
@login_required
def upload_evidence(code: str, round_code: str, action_id: int):
    organisation, round_ = _load(code, round_code, write=True)
    action = _action_or_404(_plan_or_404(organisation, round_), action_id)
    if not UploadForm().validate_on_submit():
        abort(400)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise EvidenceRefused(_("Choose a file to upload."))
        files.store(current_user, action, upload.filename, upload.stream,
                    current_app.config.get("CAPACITY_EVIDENCE_MAX_BYTES", MAX_BYTES))
    except EvidenceRefused as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(_back(organisation, round_, f"#action-{action_id}"))
    db.session.commit()
    flash(_("The file has been uploaded."), "success")
    return redirect(_back(organisation, round_, f"#action-{action_id}"))


def _file_or_404(file_id: int) -> ActionEvidenceFile:
    """The file, if the user may see its organisation (404 otherwise, as for answers' evidence)."""
    record = db.session.get(ActionEvidenceFile, file_id)
    if record is None or not access.can_view_organisation(current_user, record.action.plan.organisation):
        abort(404)
    return record


@bp.get("/plan-evidence/<id:file_id>")
@login_required
def download_evidence(file_id: int):
    record = _file_or_404(file_id)
    response = send_file(io.BytesIO(record.content), mimetype=record.content_type, as_attachment=True,
                         download_name=clean_name(record.filename) or "evidence")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.post("/plan-evidence/<id:file_id>/delete")
@login_required
def delete_evidence(file_id: int):
    record = _file_or_404(file_id)
    plan = record.action.plan
    if not access.may_edit_plan(current_user, plan.organisation):
        abort(403)
    if not DeleteFileForm().validate_on_submit():
        abort(400)
    action_id = record.action_id
    files.remove(current_user, record)
    db.session.commit()
    flash(_("The file has been removed."), "success")
    return redirect(_back(plan.organisation, plan.round, f"#action-{action_id}"))


@bp.get(BASE + "/history")
@login_required
def history(code: str, round_code: str):
    organisation, round_ = _load(code, round_code)
    plan = plan_of(organisation.id, round_.id)
    events = []
    if plan is not None:
        events = list(db.session.scalars(
            sa.select(AuditEvent).where(AuditEvent.organisation_id == organisation.id, sa.or_(
                sa.and_(AuditEvent.object_type == "plan", AuditEvent.object_id == str(plan.id)),
                sa.and_(AuditEvent.object_type == "plan_action", AuditEvent.object_id.startswith(f"{plan.id}/")),
            )).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(500)))
    questionnaire = None
    try:
        questionnaire = services.definitions_of(round_).questionnaire
    except services.PlanNotOpen:
        pass
    rows = audit_display.describe(events, current_language(), questionnaire)
    return render_template("plans/history.html", org=organisation, round=round_, plan=plan, rows=rows,
                           today=date.today())


# --- what the plan page shows ---------------------------------------------------------------------------------------

def _url_or_none(endpoint: str, **values) -> str | None:
    try:
        return url_for(endpoint, **values)
    except BuildError:  # a page of another feature not there (yet): its title is shown without a link
        return None


# A priority suggests this many resources (those named for its indicator first); the library lists the rest.
SUGGESTED_RESOURCES = 3


def _resources(sets, indicator) -> dict:
    found = []
    for resource_set in sets:
        for resource in resource_set.for_indicator(indicator):
            url = resource.url or _url_or_none("learning.file", set_id=resource_set.id, code=resource.code)
            found.append({"title": resource.title.get(current_language()), "url": url, "kind": resource.kind})
    return {"shown": found[:SUGGESTED_RESOURCES], "more": len(found) - SUGGESTED_RESOURCES,
            "library": _url_or_none("learning.index", topic=indicator.code)}


def plan_page(user, organisation, round_, args, *, action_form=None, edit_form=None, edit_id=None, stale=None,
              status_form=None, status_id=None, note_form=None, note_id=None) -> dict:
    """The plan page's context for ``user``: what the plan holds, and only the levels ``access.sight`` shows them."""
    page = {"org": organisation, "round": round_, "may_edit": access.may_edit_plan(user, organisation),
            "closed": None, "plan": None, "today": date.today()}
    try:
        opening = services.plan_opening(organisation, round_)
    except services.PlanNotOpen as closed:
        page["closed"] = closed.message
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
    shows_final = sight.sees(plan.seeded_from) if plan.seeded_from else False
    reasons = REASONS if shows["mentor"] else REASONS_FOR_STAFF

    def level_text(level):
        if level is None:
            return None
        name = questionnaire.level_name(int(level))
        return f"{int(level)} — {name.get(language)}" if name else str(int(level))

    sets = load_directory().resources_for(questionnaire)
    priorities = []
    for priority in plan.priorities:
        indicator = questionnaire.indicator(priority.indicator_code)
        code = priority.indicator_code
        gap = PriorityReason.GAP in priority.reasons
        own = levels.get("self", {}).get(code) if shows["self"] else None
        mentor = levels.get("mentor", {}).get(code) if shows["mentor"] else None
        priorities.append({
            "row": priority, "code": code, "title": indicator.title(language) if indicator else code,
            "reasons": [str(reasons[r]) for r in priority.reasons],
            "level": level_text(priority.level) if shows_final else None,
            "self": level_text(own) if gap else None,
            "mentor": level_text(mentor) if gap else None,
            "gap": abs(own - mentor) if gap and own is not None and mentor is not None else None,
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
        indicators=[i for i in questionnaire.indicators], token_form=StartForm(), revision=plan.revision,
        priority_codes={p["code"] for p in priorities if p["row"].status != PriorityStatus.DROPPED},
        field_names=FIELDS, mentoring_log=_url_or_none("mentoring.log", code=organisation.code))
    return page
