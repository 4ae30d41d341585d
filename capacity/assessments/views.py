"""Answering an assessment in the browser: overview, one page per domain, autosave, submit, reopen, history.

Works without scripts (a save button per domain); with scripts each answer is
saved as it is given (see static/autosave.js).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_datetime, get_timezone
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError

from capacity import access
from capacity.assessments import answering, completion, evidence
from capacity.assessments.baseline import baseline_levels
from capacity.assessments.blueprint import bp
from capacity.assessments.consensus_views import track_answers, consensus_rows, missing_rationale
from capacity.assessments.content import answer_text, content_language, remember_language
from capacity.assessments.context import AssessmentContext, load
from capacity.assessments.evidence_views import attach
from capacity.assessments.models import Status, Track
from capacity.assessments.next_step import next_step
from capacity.assessments.submission import summarise
from capacity.assessments.viewmodels import answers_table, domain_view
from capacity.audit import display as audit_display
from capacity.labels import STATUSES
from capacity.audit.models import AuditEvent
from capacity.auth.models import User
from capacity.extensions import db
from capacity.rounds.services import mentors_of_subject
from capacity.questionnaires.forms import domain_form_class, field_name
from capacity.questionnaires.model import KNOWN_LANGUAGES
from capacity.templating import current_language
from capacity.urls import safe_next
from capacity.users.forms import ConfirmForm

BASE = "/organisations/<code>/assessments/<round_code>/<track>"


@bp.app_template_global("cso_next_step")
def cso_next_step(org):
    """A subject's page asks this for the one next action of its staff (see next_step)."""
    return next_step(current_user, org)


def _domain_or_404(ctx: AssessmentContext, domain_code: str):
    domain = next((d for d in ctx.questionnaire.domains if d.code == domain_code), None)
    if domain is None:
        abort(404)
    return domain


def _content(ctx: AssessmentContext):
    return content_language(current_user, ctx.questionnaire, current_language())


@bp.post("/assessments/content-language")
@login_required
def choose_content_language():
    """Remember the language the questions are shown in (one of a questionnaire's content languages), per user."""
    language = request.form.get("language", "")
    if language not in KNOWN_LANGUAGES:
        abort(400)
    remember_language(current_user, language)
    return redirect(safe_next(request.form.get("next")))


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
    progress = completion.progress(ctx.questionnaire, ctx.answers)
    done = sum(a for a, _ in progress.values())
    total = sum(t for _, t in progress.values())
    unanswered = completion.missing(ctx.questionnaire, ctx.answers)
    resume = None
    if unanswered and ctx.permissions.edit:  # where the user stopped: the first indicator still without an answer
        first = unanswered[0]
        resume = url_for("assessments.domain", domain_code=first.domain, **ctx.url_args()) + f"#ind-{first.code}"
    content = _content(ctx)
    return render_template("assessments/overview.html", ctx=ctx, progress=progress, done=done, total=total,
                           confirm=ConfirmForm(), resume=resume, content=content,
                           answers=answers_table(ctx, content.code, content.interface),
                           can_reopen=access.can_reopen(current_user) and ctx.status not in (None, Status.DRAFT))


@bp.route(BASE + "/<domain_code>", methods=["GET", "POST"])
@login_required
def domain(code: str, round_code: str, track: str, domain_code: str):
    """One domain's indicators; without scripts, "Save" posts them all.

    Each indicator is checked on its own (through answering, not the WTForms validators): every valid
    answer is saved, none of the refused or stale ones, and the page says exactly which is which, with
    the user's typed values kept in the form and each message beside its field.
    """
    ctx = load(code, round_code, track)
    if ctx.track == Track.CONSENSUS:
        return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    dom = _domain_or_404(ctx, domain_code)
    content = _content(ctx)
    form = domain_form_class(ctx.questionnaire, dom, content.code)()
    conflicts: dict[str, dict] = {}
    errors: dict[str, dict] = {}
    saved: list[str] = []
    if request.method == "POST":
        assessment = _assessment_for_edit(ctx)
        for indicator in dom.indicators:
            if indicator.computed is not None:
                continue
            try:
                given = _input_from_form(indicator)
                if given is None:
                    continue  # not on the page that was sent
                answering.validate(ctx.questionnaire, indicator.code, given)
                current = ctx.answers.get(indicator.code)
                if current is None and given.empty:
                    continue  # nothing given, nothing stored
                answering.save_answer(current_user, assessment, ctx.questionnaire, indicator.code, given)
                saved.append(indicator.code)
            except answering.StaleAnswer as stale:
                conflicts[indicator.code] = stale.theirs | {"who": stale.who, "display": answer_text(
                    ctx.questionnaire, indicator, stale.theirs, content.code, content.interface)}
            except answering.InvalidAnswer as problem:
                errors[indicator.code] = {"field": problem.field, "message": str(problem.message)}
        for indicator in dom.indicators:
            upload = request.files.get(field_name("file", indicator.code))
            if upload is not None and upload.filename and indicator.code not in errors and indicator.code not in conflicts:
                try:
                    with db.session.begin_nested():  # a refused file leaves the answers saved above untouched
                        attach(ctx, indicator.code, upload)
                except evidence.EvidenceRefused as refused:
                    errors[indicator.code] = {"field": "file", "message": str(refused.message)}
        db.session.commit()
        if not errors and not conflicts:
            flash(_("Your answers have been saved."), "success")
            return redirect(_next_domain_url(ctx, dom) if request.form.get("then") == "next" else request.path)
        ctx = load(code, round_code, track)
    view = domain_view(ctx, dom, form if request.method == "POST" else None, content,
                       baseline_levels(current_user, ctx.org, ctx.round, ctx.questionnaire), form=form)
    status = 400 if errors else 409 if conflicts else 200
    return render_template("assessments/domain.html", ctx=ctx, domain=dom, form=form, view=view, conflicts=conflicts,
                           errors=errors, saved=saved, content=content,
                           progress=completion.progress(ctx.questionnaire, ctx.answers)), status


def _input_from_form(indicator) -> answering.AnswerInput | None:
    """The posted fields of one indicator, checked (InvalidAnswer); None when none of them was posted."""
    names = {k: field_name(k, indicator.code) for k in ("level", "value", "na", "comment", "evidence_url", "revision")}
    if not any(name in request.form for name in names.values()):
        return None
    # An unticked radio group or checkbox posts nothing: a missing answer means "no answer", unlike the other fields.
    return answering.read_input(request.form.getlist, names, optional=frozenset({"level", "value", "na"}),
                                indicator=indicator)


def _next_domain_url(ctx: AssessmentContext, dom) -> str:
    codes = [d.code for d in ctx.questionnaire.domains]
    index = codes.index(dom.code)
    if index + 1 < len(codes):
        return url_for("assessments.domain", domain_code=codes[index + 1], **ctx.url_args())
    return url_for("assessments.overview", **ctx.url_args())


AUTOSAVE_FIELDS = {name: name for name in ("level", "value", "na", "comment", "evidence_url", "revision")}


@bp.post(BASE + "/answers/<indicator>")
@login_required
def autosave(code: str, round_code: str, track: str, indicator: str):
    """Save one answer from the page script; JSON in return (409 with both values on a stale save).

    The script sends level (a scale question) or value (any other type: once per ticked option, once empty
    when nothing is ticked) and na, then comment, evidence_url and revision (0 for a first answer); anything
    missing, repeated or malformed is refused with 400 and a message, before anything is written.
    """
    ctx = load(code, round_code, track, with_answers=False)
    if not ctx.permissions.edit:
        return jsonify(error="read_only", message=_("This assessment can no longer be changed.")), 403
    try:
        given = answering.read_input(request.form.getlist, AUTOSAVE_FIELDS,
                                     indicator=ctx.questionnaire.indicator(indicator))
        answering.validate(ctx.questionnaire, indicator, given)  # before an assessment row is made for nothing
        assessment = _assessment_for_edit(ctx)
        answer = answering.save_answer(current_user, assessment, ctx.questionnaire, indicator, given)
        # Read what the reply needs before the commit expires it (no reloading afterwards).
        # The page's status badge said "not started" until reloaded: the reply says what the assessment is now.
        reply = {"revision": answer.revision, "saved_at": format_datetime(answer.answered_at, "short"),
                 "domain": ctx.questionnaire.indicator(indicator).domain,
                 "status": {"value": assessment.status.value, "label": str(STATUSES[assessment.status])},
                 "progress": {k: list(v) for k, v in completion.progress(
                     ctx.questionnaire, completion.stored_answers(assessment.id)).items()}}
        db.session.commit()
    except answering.InvalidAnswer as problem:
        db.session.rollback()
        return jsonify(error="invalid", field=problem.field, message=str(problem.message)), 400
    except answering.StaleAnswer as stale:
        db.session.rollback()
        content = _content(ctx)
        shown = answer_text(ctx.questionnaire, ctx.questionnaire.indicator(indicator), stale.theirs, content.code,
                            content.interface)
        return jsonify(error="stale", theirs=stale.theirs | {"display": shown}, who=stale.who,
                       message=_("Someone else saved this answer after you opened the page.")), 409
    except OperationalError:
        # The database stayed busy (or unreachable) for longer than it waits: the script keeps the answer and retries.
        db.session.rollback()
        current_app.logger.exception("autosave of %s could not reach the database", indicator)
        return jsonify(error="busy", message=_("The server is busy. Your answer is kept in this browser and will be "
                                               "saved in a moment.")), 503
    return jsonify(**reply, message=_("Saved"))


@bp.post(BASE + "/submit")
@login_required
def submit(code: str, round_code: str, track: str):
    ctx = load(code, round_code, track)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    assessment = _assessment_for_edit(ctx)
    if ctx.track == Track.CONSENSUS:
        rows = consensus_rows(ctx, track_answers(ctx, Track.SELF), track_answers(ctx, Track.MENTOR), _content(ctx))
        unexplained = missing_rationale(rows)
        if unexplained:
            flash(_("Before validating, record why the agreed level was chosen where self-assessment and mentor "
                    "assessment differ: %(codes)s.", codes=", ".join(unexplained)), "error")
            return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    try:
        answering.submit(current_user, assessment, ctx.questionnaire)
    except answering.Incomplete as incomplete:
        db.session.rollback()
        flash(_("The assessment cannot be submitted yet: %(n)d indicators have no answer. They are listed below.",
                n=len(incomplete.missing)), "error")
        target = "assessments.consensus" if ctx.track == Track.CONSENSUS else "assessments.review"
        args = {"code": code, "round_code": round_code} if ctx.track == Track.CONSENSUS else ctx.url_args()
        return redirect(url_for(target, **args))
    db.session.commit()
    if ctx.track == Track.CONSENSUS:
        flash(_("The consensus has been validated: it is now the final result and can no longer be changed."),
              "success")
    else:
        flash(_("The assessment has been submitted. It can no longer be changed."), "success")
    target = "assessments.consensus" if ctx.track == Track.CONSENSUS else "assessments.submitted"
    args = {"code": code, "round_code": round_code} if ctx.track == Track.CONSENSUS else ctx.url_args()
    return redirect(url_for(target, **args))


@bp.get(BASE + "/submit")
@login_required
def review(code: str, round_code: str, track: str):
    """The step before the irreversible submit: what is answered, N/A, missing or unsupported, then a confirmation."""
    ctx = load(code, round_code, track)
    if ctx.track == Track.CONSENSUS:
        return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    if ctx.status in access.DONE:
        return redirect(url_for("assessments.submitted", **ctx.url_args()))
    if not ctx.permissions.edit:
        return redirect(url_for("assessments.overview", **ctx.url_args()))
    content = _content(ctx)
    return render_template("assessments/review.html", ctx=ctx, summary=summarise(ctx.questionnaire, ctx.answers),
                           confirm=ConfirmForm(), content=content, answers=answers_table(ctx, content.code, content.interface))


@bp.get(BASE + "/submitted")
@login_required
def submitted(code: str, round_code: str, track: str):
    """After submitting: what happens next, who does it and by when the round is meant to end."""
    ctx = load(code, round_code, track)
    if ctx.track == Track.CONSENSUS:
        return redirect(url_for("assessments.consensus", code=code, round_code=round_code))
    if ctx.status not in access.DONE:
        return redirect(url_for("assessments.overview", **ctx.url_args()))
    submitter = db.session.get(User, ctx.assessment.submitted_by_id) if ctx.assessment.submitted_by_id else None
    content = _content(ctx)
    return render_template("assessments/submitted.html", ctx=ctx, mentors=mentors_of_subject(ctx.org), submitter=submitter,
                           content=content, answers=answers_table(ctx, content.code, content.interface),
                           consensus_final=ctx.sight.consensus_final,
                           today=datetime.now(get_timezone()).date())


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
    return render_template("assessments/history.html", ctx=ctx, rows=audit_display.describe(events, current_language(), ctx.questionnaire))
