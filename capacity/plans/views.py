"""Plan pages: the plan of one subject for one round, its history, its evidence files.

The plan is titled as the subject's kind names it (questionnaires/subjects.yaml): an organisation's
development plan, a service's quality improvement plan, a municipality's action plan for citizen participation.

Who may see: whoever may see the organisation (others get 404, like the
organisation's own pages). Who may write: the organisation's staff and its
mentors (access.may_edit_plan); managers and administrators read, and their
POSTs are refused (403). What each viewer sees of the assessment behind the
plan is ``access.sight``'s: staff never see the mentor's independent levels
(``capacity.plans.page``). A write to a plan that cannot be changed now (its
assessment reopened, its round's files missing) is refused with a message on the
plan page, whichever form sent it (``_not_open``).
"""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity import access
from capacity.assessments.evidence import MAX_BYTES, EvidenceRefused, clean_name
from capacity.audit import display as audit_display
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.plans import files, services
from capacity.plans.blueprint import bp
from capacity.plans.forms import (ActionForm, AddPriorityForm, DeleteFileForm, NoteForm, PriorityForm, StartForm,
                                  StatusForm, UploadForm)
from capacity.plans.models import ActionEvidenceFile, PlanAction
from capacity.plans.page import hidden, hidden_codes, hides_gaps, history_events, plan_page
from capacity.plans.queries import plan_of
from capacity.rounds.models import AssessmentRound
from capacity.templating import current_language
from capacity.timeutil import programme_today

BASE = "/organisations/<code>/plans/<round_code>"


def _load(code: str, round_code: str, *, write: bool = False):
    """The organisation (404 unless the user may see it) and round; 403 for a reader who tries to write."""
    organisation = access.organisation_or_404(code)
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
    if round_ is None or round_.subject_kind != organisation.kind:
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


@bp.errorhandler(services.PlanNotOpen)
def _not_open(closed: services.PlanNotOpen):
    """Any plan write refused because the plan cannot be changed now: nothing saved, the plan page says why."""
    db.session.rollback()
    flash(str(closed.message), "error")
    args = request.view_args or {}
    if isinstance(args.get("code"), str) and isinstance(args.get("round_code"), str):
        return redirect(url_for("plans.plan", code=args["code"], round_code=args["round_code"]))
    return redirect(url_for("home.index"))


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
    flash(_("The plan has been started with its suggested priorities."), "success")
    return redirect(_back(organisation, round_, "#priorities"))


@bp.post(BASE + "/priorities/<id:priority_id>")
@login_required
def priority(code: str, round_code: str, priority_id: int):
    organisation, round_ = _load(code, round_code, write=True)
    plan = _plan_or_404(organisation, round_)
    form = PriorityForm()
    if not form.validate_on_submit():
        abort(400)
    shown = next((p for p in plan.priorities if p.id == priority_id), None)
    if shown is None or hidden(shown, hides_gaps(access.sight(current_user, organisation, round_))):
        abort(404)  # a priority this user is not shown is none of theirs to decide
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
    except (services.StalePlan, services.InvalidPlanInput) as refused:
        db.session.rollback()
        flash(str(refused.message), "error")
        return redirect(_back(organisation, round_, "#priorities"))
    db.session.commit()
    flash(_("The priority has been added."), "success")
    return redirect(_back(organisation, round_, "#priorities"))


def _action_input(form: ActionForm, *, follow_up: bool = False) -> services.ActionInput:
    return services.ActionInput(indicators="; ".join(form.indicators.data or []), description=form.description.data or "",
                                target_level=form.target_level.data or "", responsible=form.responsible.data or "",
                                due_on=form.due_on.data or "", support_type=form.support_type.data or "",
                                evidence_url=form.evidence_url.data or "",
                                follow_up=(form.follow_up.data or "") if follow_up else "",
                                revision=form.revision.data or "")


def _refused_form(form, refused) -> None:
    """Put the service's message on the field it names (or on the form when it names none of them)."""
    field = getattr(form, getattr(refused, "field", ""), None)
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
    try:
        action = services.add_action(current_user, plan, _action_input(form, follow_up=True))
    except services.InvalidPlanInput as refused:
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
    except services.InvalidPlanInput as refused:
        db.session.rollback()
        if refused.field == "revision":  # the form now carries the stored revision: saving again keeps these values
            form.revision.data = str(action.revision)
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
    try:
        files.remove(current_user, record)
    except services.PlanNotOpen as closed:
        db.session.rollback()
        flash(str(closed.message), "error")
        return redirect(_back(plan.organisation, plan.round, f"#action-{action_id}"))
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
    # Staff are not told of the priorities suggested for a self/mentor gap alone (see capacity.plans.page).
    codes = hidden_codes(plan, hides_gaps(access.sight(current_user, organisation, round_)))
    rows = audit_display.describe(history_events(events, codes), current_language(), questionnaire)
    return render_template("plans/history.html", org=organisation, round=round_, plan=plan, rows=rows,
                           today=programme_today())
