"""The consensus page: self and mentor side by side, gaps first; the mentor records the agreed level and why.

What a row shows depends on who looks (``access.Sight``): a mentor sees the
self-assessment only after submitting their own; organisation staff see nothing
here until the agreement is validated, and then their own answers next to the
agreed ones, never the mentor's independent scores.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from capacity import access
from capacity.assessments import answering
from capacity.assessments.blueprint import bp
from capacity.assessments.context import load
from capacity.assessments.models import Status, Track
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.extensions import db
from capacity.parsing import ascii_int
from capacity.questionnaires.forms import NA, field_name
from capacity.rounds.queries import baseline_for
from capacity.templating import current_language
from capacity.users.forms import ConfirmForm


def _level(answer) -> str:
    if answer is None:
        return ""
    return NA if answer.not_applicable else ("" if answer.level is None else str(answer.level))


def _level_label(value: str, questionnaire, language: str) -> str:
    if value == NA:
        return _("Not applicable")
    level = ascii_int(value, max_digits=3)
    if level is None:
        return "—"  # nothing chosen, or not a level at all (the save refuses it with a message)
    name = questionnaire.level_name(level)
    return f"{value} — {name.get(language)}" if name else value


def _side(answer, questionnaire, language: str, shown: bool) -> dict:
    """One track's answer to an indicator as the page prints it (nothing at all when the viewer may not see it)."""
    if not shown:
        return {"shown": False, "level": "", "label": "", "comment": "", "evidence_url": "", "files": []}
    level = _level(answer)
    return {"shown": True, "level": level, "label": _level_label(level, questionnaire, language),
            "comment": answer.comment if answer else "", "evidence_url": answer.evidence_url if answer else "",
            "files": [{"id": f.id, "name": f.filename} for f in (answer.evidence_files if answer else [])]}


def baseline_levels(ctx, language: str) -> tuple[str, dict[str, str]]:
    """The organisation's level per indicator in the comparable baseline round, as this viewer may see it.

    Returns the baseline round's name and {indicator code in this round: "n — level name"}; empty without one.
    """
    baseline = baseline_for(ctx.round, None).round
    if baseline is None:
        return "", {}
    try:
        definitions = definitions_for(baseline)
    except DefinitionMissing:
        return "", {}
    # Loads pandas: imported by the first page that shows a baseline, not when the app starts.
    from capacity.assessments.scores import answers_frame

    frame = answers_frame([baseline.id], [ctx.org.id])
    rated = frame.loc[frame["level"].notna() | frame["na"]]
    sight = access.sight(current_user, ctx.org, baseline)
    choice = access.result_choice(sight, definitions.rubric.official_track, set(rated["track"]))
    rows = rated.loc[rated["track"] == choice.track]
    crosswalk = ctx.questionnaire.crosswalk
    mapping = crosswalk.mapping if crosswalk and crosswalk.from_version == definitions.questionnaire.version else {}
    levels = {}
    for code, level, na in zip(rows["indicator"], rows["level"], rows["na"]):
        value = NA if na else str(int(level))
        levels[mapping.get(code, code) or ""] = _level_label(value, definitions.questionnaire, language)
    return baseline.name(language), levels


def consensus_rows(ctx, self_answers: dict, mentor_answers: dict, language: str, posted=None,
                   baseline: dict[str, str] | None = None) -> list[dict]:
    """One row per rated indicator, flagged gaps first, then other differences, then agreements.

    Gaps are computed only where the viewer sees both tracks.
    """
    threshold = ctx.definitions.rubric.gap_threshold
    sees_self, sees_mentor = ctx.sight.sees(Track.SELF), ctx.sight.sees(Track.MENTOR)
    questionnaire = ctx.questionnaire
    rows = []
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue
        own, mentor = self_answers.get(indicator.code), mentor_answers.get(indicator.code)
        own_level, mentor_level = _level(own), _level(mentor)
        compared = sees_self and sees_mentor
        both = compared and own_level.isdigit() and mentor_level.isdigit()
        gap = abs(int(own_level) - int(mentor_level)) if both else None
        agreed = ctx.answers.get(indicator.code)
        choice = _level(agreed) or (own_level if compared and own_level == mentor_level else "")
        rationale = agreed.comment if agreed else ""
        if posted is not None:
            choice = posted.get(field_name("level", indicator.code), choice)
            rationale = posted.get(field_name("comment", indicator.code), rationale)
        rows.append({
            "code": indicator.code, "text": indicator.text.get(language), "allow_na": indicator.allow_na,
            "self": _side(own, questionnaire, language, sees_self),
            "mentor": _side(mentor, questionnaire, language, sees_mentor),
            "baseline": (baseline or {}).get(indicator.code, "—"),
            "gap": gap, "flagged": gap is not None and gap >= threshold,
            "differs": compared and own_level != mentor_level,
            "choice": choice, "choice_label": _level_label(choice, questionnaire, language),
            "rationale": rationale, "revision": agreed.revision if agreed else 0,
            "levels": [(str(level), f"{level} — {questionnaire.level_name(level).get(language)}")
                       for level in sorted(indicator.levels)],
            "names": {k: field_name(k, indicator.code) for k in ("level", "comment", "revision")},
        })
    rows.sort(key=lambda r: (not r["flagged"], not r["differs"], -(r["gap"] or 0)))
    return rows


REPEATED = _l("This row was sent twice with different values. Please reload the page: nothing was saved for it.")


def missing_rationale(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows if r["differs"] and r["choice"] and not r["rationale"].strip()]


def track_answers(ctx, track: Track) -> dict:
    """A track's answers, only when this viewer may see the track (never loaded otherwise)."""
    if not ctx.sight.sees(track):
        return {}
    return answering.answers_by_code(answering.get_assessment(ctx.org, ctx.round, track))


@bp.route("/organisations/<code>/assessments/<round_code>/consensus", methods=["GET", "POST"])
@login_required
def consensus(code: str, round_code: str):
    ctx = load(code, round_code, Track.CONSENSUS.value, hidden_ok=True)
    form = ConfirmForm()
    if not ctx.permissions.view:
        # Staff before validation: the page exists, and says only that the agreement is not final yet.
        if request.method == "POST":
            abort(403)
        return render_template("assessments/consensus_pending.html", ctx=ctx, self_track=Track.SELF)
    self_answers, mentor_answers = track_answers(ctx, Track.SELF), track_answers(ctx, Track.MENTOR)
    language = current_language()
    conflicts, errors = {}, {}
    if request.method == "POST":
        if not ctx.permissions.edit:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        conflicts, errors = _save(ctx, self_answers, mentor_answers, language)
        if not errors and not conflicts:
            flash(_("The agreed levels have been saved."), "success")
            return redirect(request.path)
        ctx = load(code, round_code, Track.CONSENSUS.value, hidden_ok=True)
    baseline_name, baseline = baseline_levels(ctx, language)
    rows = consensus_rows(ctx, self_answers, mentor_answers, language, request.form if errors or conflicts else None,
                          baseline)
    status = 409 if conflicts else 400 if errors else 200
    return render_template(
        "assessments/consensus.html", ctx=ctx, rows=rows, confirm=form, conflicts=conflicts, errors=errors,
        flagged=sum(r["flagged"] for r in rows), differing=sum(r["differs"] for r in rows),
        compared=ctx.sight.sees(Track.SELF) and ctx.sight.sees(Track.MENTOR), baseline_name=baseline_name,
        self_status=ctx.sight.status(Track.SELF), mentor_status=ctx.sight.status(Track.MENTOR),
        missing_rationale=missing_rationale(rows), validated=ctx.status == Status.VALIDATED, tracks=Track,
    ), status


def _save(ctx, self_answers: dict, mentor_answers: dict, language: str) -> tuple[dict, dict]:
    """Save every posted agreed level; return (conflicts, errors) by indicator. Valid rows are kept, never lost."""
    conflicts, errors = {}, {}
    assessment = answering.get_or_create_assessment(ctx.org, ctx.round, ctx.track, ctx.questionnaire,
                                                    ctx.definitions.rubric)
    for row in consensus_rows(ctx, self_answers, mentor_answers, language, request.form):
        if not row["choice"] and not row["rationale"] and row["code"] not in ctx.answers:
            continue
        if any(len(request.form.getlist(name)) > 1 for name in row["names"].values()):
            errors[row["code"]] = str(REPEATED)  # two values for one row: which one was meant cannot be known
            continue
        revision = request.form.get(row["names"]["revision"], "")
        try:
            answering.save_answer(current_user, assessment, ctx.questionnaire, row["code"], answering.AnswerInput(
                choice=row["choice"], comment=row["rationale"],
                revision=ascii_int(revision)))
        except answering.StaleAnswer as stale:
            conflicts[row["code"]] = answering.snapshot(stale.current)
        except answering.InvalidAnswer as problem:
            errors[row["code"]] = str(problem.message)
    db.session.commit()
    return conflicts, errors
