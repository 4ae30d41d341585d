"""Answering an assessment in the browser: overview, one page per domain, autosave, submit, reopen, history.

Works without scripts (a save button per domain); with scripts each answer is
saved as it is given (see static/autosave.js).
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from capacity import access
from capacity.assessments import answering, evidence
from capacity.assessments.blueprint import bp
from capacity.assessments.consensus_views import consensus_rows, missing_rationale
from capacity.assessments.context import AssessmentContext, load
from capacity.assessments.evidence_views import attach
from capacity.assessments.models import Status, Track
from capacity.assessments.viewmodels import domain_view, history_rows
from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.questionnaires.forms import domain_form_class, field_name
from capacity.templating import current_language
from capacity.users.forms import ConfirmForm

BASE = "/organisations/<code>/assessments/<round_code>/<track>"


def _domain_or_404(ctx: AssessmentContext, domain_code: str):
    domain = next((d for d in ctx.questionnaire.domains if d.code == domain_code), None)
    if domain is None:
        abort(404)
    return domain


def _assessment_for_edit(ctx: AssessmentContext):
    if not ctx.permissions.edit:
        abort(403)
    if ctx.assessment is not None:
        return ctx.assessment
    return answering.get_or_create_assessment(ctx.org, ctx.round, ctx.track, ctx.questionnaire, ctx.definitions.rubric)


@bp.get(BASE + "/")
@login_required
def overview(code: str, round_code: str, track: str):
    ctx = load(code, round_code, track)
    if ctx.track == Track.CONSENSUS:
        return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    progress = answering.progress(ctx.questionnaire, ctx.answers)
    done = sum(a for a, _ in progress.values())
    total = sum(t for _, t in progress.values())
    unanswered = answering.missing(ctx.questionnaire, ctx.answers)
    resume = None
    if unanswered and ctx.permissions.edit:  # where the user stopped: the first indicator still without an answer
        first = unanswered[0]
        resume = url_for("assessments.domain", domain_code=first.domain, **ctx.url_args()) + f"#ind-{first.code}"
    return render_template("assessments/overview.html", ctx=ctx, progress=progress, done=done, total=total,
                           missing=session.pop("missing_indicators", None), confirm=ConfirmForm(), resume=resume,
                           can_reopen=access.can_reopen(current_user) and ctx.status not in (None, Status.DRAFT))


@bp.route(BASE + "/<domain_code>", methods=["GET", "POST"])
@login_required
def domain(code: str, round_code: str, track: str, domain_code: str):
    ctx = load(code, round_code, track)
    if ctx.track == Track.CONSENSUS:
        return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    dom = _domain_or_404(ctx, domain_code)
    language = current_language()
    form = domain_form_class(ctx.questionnaire, dom, language)()
    conflicts: dict[str, dict] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        assessment = _assessment_for_edit(ctx)
        if form.validate_on_submit():
            for indicator in dom.indicators:
                if indicator.computed is not None:
                    continue
                given = _input_from_form(form, indicator.code)
                current = ctx.answers.get(indicator.code)
                if current is None and given.choice == "" and not given.comment and not given.evidence_url:
                    continue  # nothing given, nothing stored
                try:
                    answering.save_answer(current_user, assessment, ctx.questionnaire, indicator.code, given)
                except answering.StaleAnswer as stale:
                    conflicts[indicator.code] = answering.snapshot(stale.current)
                except answering.InvalidAnswer as problem:
                    errors[indicator.code] = str(problem.message)
            for indicator in dom.indicators:
                upload = request.files.get(field_name("file", indicator.code))
                if upload is not None and upload.filename and indicator.code not in errors:
                    try:
                        attach(ctx, indicator.code, upload)
                    except evidence.EvidenceRefused as refused:
                        errors[indicator.code] = str(refused.message)
            if not errors:
                db.session.commit()
                if not conflicts:
                    flash(_("Your answers have been saved."), "success")
                    return redirect(_next_domain_url(ctx, dom) if request.form.get("then") == "next" else request.path)
            else:
                db.session.rollback()
        ctx = load(code, round_code, track)
    view = domain_view(ctx, dom, form if request.method == "POST" else None, language)
    return render_template("assessments/domain.html", ctx=ctx, domain=dom, form=form, view=view, conflicts=conflicts,
                           errors=errors, progress=answering.progress(ctx.questionnaire, ctx.answers))


def _input_from_form(form, code: str) -> answering.AnswerInput:
    revision = form[field_name("revision", code)].data
    return answering.AnswerInput(
        choice=form[field_name("level", code)].data or "",
        comment=form[field_name("comment", code)].data or "",
        evidence_url=form[field_name("evidence_url", code)].data or "",
        revision=int(revision) if revision and revision.isdigit() else None,
    )


def _next_domain_url(ctx: AssessmentContext, dom) -> str:
    codes = [d.code for d in ctx.questionnaire.domains]
    index = codes.index(dom.code)
    if index + 1 < len(codes):
        return url_for("assessments.domain", domain_code=codes[index + 1], **ctx.url_args())
    return url_for("assessments.overview", **ctx.url_args())


@bp.post(BASE + "/answers/<indicator>")
@login_required
def autosave(code: str, round_code: str, track: str, indicator: str):
    """Save one answer from the page script; JSON in return (409 with both values on a stale save)."""
    ctx = load(code, round_code, track, with_answers=False)
    if not ctx.permissions.edit:
        return jsonify(error="read_only", message=_("This assessment can no longer be changed.")), 403
    assessment = _assessment_for_edit(ctx)
    revision = request.form.get("revision", "")
    given = answering.AnswerInput(choice=request.form.get("level", ""), comment=request.form.get("comment", ""),
                                  evidence_url=request.form.get("evidence_url", ""),
                                  revision=int(revision) if revision.isdigit() else None)
    try:
        answer = answering.save_answer(current_user, assessment, ctx.questionnaire, indicator, given)
        # Read what the reply needs before the commit expires it (no reloading afterwards).
        reply = {"revision": answer.revision, "saved_at": format_datetime(answer.answered_at, "short"),
                 "domain": ctx.questionnaire.indicator(indicator).domain,
                 "progress": {k: list(v) for k, v in answering.progress_of(
                     ctx.questionnaire, answering.answered_codes(assessment.id)).items()}}
        db.session.commit()
    except answering.InvalidAnswer as problem:
        db.session.rollback()
        return jsonify(error="invalid", field=problem.field, message=str(problem.message)), 400
    except (answering.StaleAnswer, IntegrityError) as stale:
        db.session.rollback()
        current = stale.current if isinstance(stale, answering.StaleAnswer) else answering.answers_by_code(
            answering.get_assessment(ctx.org, ctx.round, ctx.track)).get(indicator)
        if current is None:
            return jsonify(error="invalid", field="revision", message=_("Please reload the page.")), 400
        theirs = answering.snapshot(current)
        who = current.answered_by.display_name if current is not None and current.answered_by else ""
        return jsonify(error="stale", theirs=theirs, who=who,
                       message=_("Someone else saved this answer after you opened the page.")), 409
    return jsonify(**reply, message=_("Saved"))


@bp.post(BASE + "/submit")
@login_required
def submit(code: str, round_code: str, track: str):
    ctx = load(code, round_code, track)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    assessment = _assessment_for_edit(ctx)
    if ctx.track == Track.CONSENSUS:
        rows = consensus_rows(ctx, answering.answers_by_code(answering.get_assessment(ctx.org, ctx.round, Track.SELF)),
                              answering.answers_by_code(answering.get_assessment(ctx.org, ctx.round, Track.MENTOR)),
                              current_language())
        unexplained = missing_rationale(rows)
        if unexplained:
            flash(_("Before validating, record why the agreed level was chosen where self-assessment and mentor "
                    "assessment differ: %(codes)s.", codes=", ".join(unexplained)), "error")
            return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    try:
        answering.submit(current_user, assessment, ctx.questionnaire)
    except answering.Incomplete as incomplete:
        db.session.rollback()
        session["missing_indicators"] = [i.code for i in incomplete.missing]
        flash(_("The assessment cannot be submitted yet: %(n)d indicators have no answer. They are listed below.",
                n=len(incomplete.missing)), "error")
        return redirect(url_for("assessments.overview", **ctx.url_args()))
    db.session.commit()
    flash(_("The assessment has been submitted. It can no longer be changed."), "success")
    target = "assessments.consensus" if ctx.track == Track.CONSENSUS else "assessments.overview"
    args = {"code": code, "round_code": round_code} if ctx.track == Track.CONSENSUS else ctx.url_args()
    return redirect(url_for(target, **args))


@bp.post(BASE + "/reopen")
@access.roles_required(*access.ALL_ORGANISATIONS)
def reopen(code: str, round_code: str, track: str):
    ctx = load(code, round_code, track)
    if ctx.assessment is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    answering.reopen(current_user, ctx.assessment)
    db.session.commit()
    flash(_("The assessment has been reopened: it can be changed again."), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url) else
                    url_for("organisations.detail", code=code))


@bp.get(BASE + "/history")
@login_required
def history(code: str, round_code: str, track: str):
    ctx = load(code, round_code, track)
    events = []
    if ctx.assessment is not None:
        prefix = f"{ctx.assessment.id}/"
        events = list(db.session.scalars(
            sa.select(AuditEvent).where(sa.or_(
                sa.and_(AuditEvent.object_type == "assessment", AuditEvent.object_id == str(ctx.assessment.id)),
                sa.and_(AuditEvent.object_type == "answer", AuditEvent.object_id.startswith(prefix)),
            )).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(500)))
    return render_template("assessments/history.html", ctx=ctx, rows=history_rows(events, ctx.questionnaire, current_language()))
