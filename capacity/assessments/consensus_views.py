"""The consensus page: self and mentor side by side, gaps first; the mentor records the agreed level and why."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity.assessments import answering
from capacity.assessments.blueprint import bp
from capacity.assessments.context import load, track_status
from capacity.assessments.models import Status, Track
from capacity.extensions import db
from capacity.questionnaires.forms import NA, field_name
from capacity.templating import current_language
from capacity.users.forms import ConfirmForm


def _level(answer) -> str:
    if answer is None:
        return ""
    return NA if answer.not_applicable else ("" if answer.level is None else str(answer.level))


def consensus_rows(ctx, self_answers: dict, mentor_answers: dict, language: str, posted=None) -> list[dict]:
    """One row per rated indicator, flagged gaps first, then other differences, then agreements."""
    threshold = ctx.definitions.rubric.gap_threshold
    rows = []
    for indicator in ctx.questionnaire.indicators:
        if indicator.computed is not None:
            continue
        own, mentor = self_answers.get(indicator.code), mentor_answers.get(indicator.code)
        own_level, mentor_level = _level(own), _level(mentor)
        both = own_level.isdigit() and mentor_level.isdigit()
        gap = abs(int(own_level) - int(mentor_level)) if both else None
        agreed = ctx.answers.get(indicator.code)
        choice = _level(agreed) or (own_level if own_level == mentor_level else "")
        rationale = agreed.comment if agreed else ""
        if posted is not None:
            choice = posted.get(field_name("level", indicator.code), choice)
            rationale = posted.get(field_name("comment", indicator.code), rationale)
        rows.append({
            "code": indicator.code, "text": indicator.text.get(language), "allow_na": indicator.allow_na,
            "self": own_level, "mentor": mentor_level, "gap": gap,
            "flagged": gap is not None and gap >= threshold, "differs": own_level != mentor_level,
            "choice": choice, "rationale": rationale, "revision": agreed.revision if agreed else 0,
            "levels": [(str(level), ctx.questionnaire.level_name(level).get(language)) for level in sorted(indicator.levels)],
            "names": {k: field_name(k, indicator.code) for k in ("level", "comment", "revision")},
        })
    rows.sort(key=lambda r: (not r["flagged"], not r["differs"], -(r["gap"] or 0)))
    return rows


def missing_rationale(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows if r["differs"] and r["choice"] and not r["rationale"].strip()]


@bp.route("/organisations/<code>/assessments/<round_code>/consensus", methods=["GET", "POST"])
@login_required
def consensus(code: str, round_code: str):
    ctx = load(code, round_code, Track.CONSENSUS.value)
    self_ctx_answers = answering.answers_by_code(answering.get_assessment(ctx.org, ctx.round, Track.SELF))
    mentor_answers = answering.answers_by_code(answering.get_assessment(ctx.org, ctx.round, Track.MENTOR))
    language = current_language()
    conflicts, errors = {}, {}
    form = ConfirmForm()
    if request.method == "POST":
        if not ctx.permissions.edit:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        assessment = answering.get_or_create_assessment(ctx.org, ctx.round, ctx.track, ctx.questionnaire, ctx.definitions.rubric)
        for row in consensus_rows(ctx, self_ctx_answers, mentor_answers, language, request.form):
            if not row["choice"] and not row["rationale"] and row["code"] not in ctx.answers:
                continue
            try:  # the revision parsed as bounded ASCII digits: "²".isdigit() is True but int("²") raises
                revision = answering.parse_revision(request.form.getlist(row["names"]["revision"]))
                answering.save_answer(current_user, assessment, ctx.questionnaire, row["code"], answering.AnswerInput(
                    choice=row["choice"], comment=row["rationale"], revision=revision))
            except answering.StaleAnswer as stale:
                conflicts[row["code"]] = answering.snapshot(stale.current)
            except answering.InvalidAnswer as problem:
                errors[row["code"]] = str(problem.message)
        if errors:
            db.session.rollback()
        else:
            db.session.commit()
            if not conflicts:
                flash(_("The agreed levels have been saved."), "success")
                return redirect(request.path)
        ctx = load(code, round_code, Track.CONSENSUS.value)
    rows = consensus_rows(ctx, self_ctx_answers, mentor_answers, language, request.form if errors or conflicts else None)
    return render_template(
        "assessments/consensus.html", ctx=ctx, rows=rows, confirm=form, conflicts=conflicts, errors=errors,
        flagged=sum(r["flagged"] for r in rows), differing=sum(r["differs"] for r in rows),
        self_status=track_status(ctx.org, ctx.round, Track.SELF), mentor_status=track_status(ctx.org, ctx.round, Track.MENTOR),
        missing_rationale=missing_rationale(rows), validated=ctx.status == Status.VALIDATED, tracks=Track,
        show_self=current_user.role.value != "cso" or ctx.status == Status.VALIDATED,
    )
