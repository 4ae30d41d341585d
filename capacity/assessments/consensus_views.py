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
from capacity.assessments import answering, completion
from capacity.assessments.blueprint import bp
from capacity.assessments.content import ContentLanguage, answer_text, condition_note, content_language
from capacity.assessments.context import load
from capacity.assessments.models import Status, Track
from capacity.assessments.viewmodels import typed_fields
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.extensions import db
from capacity.parsing import ascii_int
from capacity.questionnaires.forms import NA, domain_form_class, field_name, posted_values
from capacity.questionnaires.values import decode
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


def _key(indicator, answer) -> object:
    """What two tracks' answers are compared by: the level (or "na") of a scale question, else the decoded value."""
    if indicator.has_levels:
        return _level(answer)
    if answer is None:
        return ""
    return NA if answer.not_applicable else decode(indicator, None, answer.value)


def _answered_key(key) -> bool:
    return key not in ("", None)


def _decided(questionnaire, indicator, raw: dict) -> bool:
    """Whether the agreed answers settle if the question is asked: its condition's question has an agreed answer
    (or is itself settled as not asked). Until then the page does not call it "not asked"."""
    condition = indicator.show_if
    source = questionnaire.indicator(condition.code) if condition else None
    if source is None:
        return True
    if not completion.is_asked(questionnaire, source, raw):
        return _decided(questionnaire, source, raw)
    return raw.get(condition.code) is not None


def _side(answer, questionnaire, indicator, content: ContentLanguage, shown: bool) -> dict:
    """One track's answer to an indicator as the page prints it (nothing at all when the viewer may not see it)."""
    if not shown:
        return {"shown": False, "level": "", "label": "", "comment": "", "evidence_url": "", "files": []}
    level = _level(answer)
    label = (_level_label(level, questionnaire, content.code) if indicator.has_levels
             else answer_text(questionnaire, indicator, answer, content.code, content.interface) or "—")
    return {"shown": True, "level": level, "label": label,
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


def consensus_rows(ctx, self_answers: dict, mentor_answers: dict, content: ContentLanguage, posted=None,
                   baseline: dict[str, str] | None = None) -> list[dict]:
    """One row per answerable indicator, flagged gaps first, then other differences, then agreements.

    Gaps (in levels) exist for scale questions only; any other question "differs" when the two answers do.
    Both are computed only where the viewer sees both tracks. A question whose condition the agreed answers
    do not meet is not asked (``asked``): it needs no agreed answer and no rationale.
    """
    threshold = ctx.definitions.rubric.gap_threshold
    sees_self, sees_mentor = ctx.sight.sees(Track.SELF), ctx.sight.sees(Track.MENTOR)
    questionnaire, language = ctx.questionnaire, content.code
    forms = {d.code: domain_form_class(questionnaire, d, language)() for d in questionnaire.domains
             if any(not i.has_levels for i in d.indicators)}  # bound to the posted form (if any), for typed rows
    raw = completion.raw_answers(questionnaire, ctx.answers)
    rows = []
    for indicator in questionnaire.indicators:
        if indicator.computed is not None:
            continue
        own, mentor = self_answers.get(indicator.code), mentor_answers.get(indicator.code)
        own_key, mentor_key = _key(indicator, own), _key(indicator, mentor)
        own_level, mentor_level = _level(own), _level(mentor)
        compared = sees_self and sees_mentor
        both = compared and indicator.has_levels and own_level.isdigit() and mentor_level.isdigit()
        gap = abs(int(own_level) - int(mentor_level)) if both else None
        agreed = ctx.answers.get(indicator.code)
        same = compared and _answered_key(own_key) and own_key == mentor_key
        choice = _level(agreed) or (own_level if compared and own_level == mentor_level else "")
        rationale = agreed.comment if agreed else ""
        names = {k: field_name(k, indicator.code) for k in ("level", "value", "na", "comment", "revision")}
        sent = posted is not None and names["revision"] in posted
        if sent:
            choice = posted.get(names["level"], choice)
            rationale = posted.get(names["comment"], rationale)
        row = {
            "code": indicator.code, "type": indicator.type, "text": indicator.text.get(language),
            "allow_na": indicator.allow_na,
            "self": _side(own, questionnaire, indicator, content, sees_self),
            "mentor": _side(mentor, questionnaire, indicator, content, sees_mentor),
            "baseline": (baseline or {}).get(indicator.code, "—"),
            "gap": gap, "flagged": gap is not None and gap >= threshold,
            "differs": compared and own_key != mentor_key,
            "choice": choice, "choice_label": _level_label(choice, questionnaire, language),
            "rationale": rationale, "revision": agreed.revision if agreed else 0,
            "levels": [(str(level), f"{level} — {questionnaire.level_name(level).get(language)}")
                       for level in sorted(indicator.levels)],
            "names": names, "required": indicator.required,
            "asked": completion.is_asked(questionnaire, indicator, raw),
            "decided": _decided(questionnaire, indicator, raw),
            "condition": condition_note(questionnaire, indicator.show_if, language, content.interface)
            if indicator.show_if else "",
        }
        if not indicator.has_levels:
            form = forms[indicator.domain]
            shown = agreed if agreed is not None else (own if same else None)
            row["input"] = typed_fields(form, indicator, shown, sent, language, content.interface) | {
                "code": indicator.code, "type": indicator.type, "names": names}
            values, na = (form[names["value"]].raw_data or [], bool(posted.get(names["na"]))) if sent else \
                posted_values(indicator, shown)
            row["choice"] = "1" if [v for v in values if v.strip()] or na else ""
            row["choice_label"] = answer_text(questionnaire, indicator, agreed, language, content.interface) or "—"
        rows.append(row)
    rows.sort(key=lambda r: (not r["flagged"], not r["differs"], -(r["gap"] or 0)))
    return rows


REPEATED = _l("This row was sent twice with different values. Please reload the page: nothing was saved for it.")


def missing_rationale(rows: list[dict]) -> list[str]:
    return [r["code"] for r in rows if r["asked"] and r["differs"] and r["choice"] and not r["rationale"].strip()]


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
    content = content_language(current_user, ctx.questionnaire, current_language())
    language = content.code
    conflicts, errors = {}, {}
    if request.method == "POST":
        if not ctx.permissions.edit:
            abort(403)
        if not form.validate_on_submit():
            abort(400)
        conflicts, errors = _save(ctx, self_answers, mentor_answers, content)
        if not errors and not conflicts:
            flash(_("The agreed levels have been saved."), "success")
            return redirect(request.path)
        ctx = load(code, round_code, Track.CONSENSUS.value, hidden_ok=True)
    baseline_name, baseline = baseline_levels(ctx, language)
    rows = consensus_rows(ctx, self_answers, mentor_answers, content, request.form if errors or conflicts else None,
                          baseline)
    status = 409 if conflicts else 400 if errors else 200
    return render_template(
        "assessments/consensus.html", ctx=ctx, rows=rows, confirm=form, conflicts=conflicts, errors=errors,
        flagged=sum(r["flagged"] for r in rows), differing=sum(r["differs"] for r in rows),
        compared=ctx.sight.sees(Track.SELF) and ctx.sight.sees(Track.MENTOR), baseline_name=baseline_name,
        self_status=ctx.sight.status(Track.SELF), mentor_status=ctx.sight.status(Track.MENTOR),
        missing_rationale=missing_rationale(rows), validated=ctx.status == Status.VALIDATED, tracks=Track,
        content=content,
    ), status


def _given(row: dict) -> answering.AnswerInput:
    """The agreed answer a row posted: a level, or (any other question type) its values and "not applicable" box."""
    names = row["names"]
    revision = ascii_int(request.form.get(names["revision"], ""))
    if row["type"] == "scale":
        return answering.AnswerInput(choice=row["choice"], comment=row["rationale"], revision=revision)
    na = request.form.get(names["na"], "")
    if na not in ("", "1"):
        raise answering.InvalidAnswer("na", REPEATED)
    return answering.AnswerInput(choice="", comment=row["rationale"], revision=revision,
                                 values=tuple(request.form.getlist(names["value"])), na=bool(na))


def _save(ctx, self_answers: dict, mentor_answers: dict, content: ContentLanguage) -> tuple[dict, dict]:
    """Save every posted agreed answer; return (conflicts, errors) by indicator. Valid rows are kept, never lost."""
    conflicts, errors = {}, {}
    assessment = answering.get_or_create_assessment(ctx.org, ctx.round, ctx.track, ctx.questionnaire,
                                                    ctx.definitions.rubric)
    for row in consensus_rows(ctx, self_answers, mentor_answers, content, request.form):
        if not row["choice"] and not row["rationale"] and row["code"] not in ctx.answers:
            continue
        several = [name for key, name in row["names"].items() if not (key == "value" and row["type"] == "multiple")]
        if any(len(request.form.getlist(name)) > 1 for name in several):
            errors[row["code"]] = str(REPEATED)  # two values for one row: which one was meant cannot be known
            continue
        indicator = ctx.questionnaire.indicator(row["code"])
        try:
            answering.save_answer(current_user, assessment, ctx.questionnaire, row["code"], _given(row))
        except answering.StaleAnswer as stale:
            conflicts[row["code"]] = answering.snapshot(stale.current) | {"display": answer_text(
                ctx.questionnaire, indicator, stale.theirs, content.code, content.interface)}
        except answering.InvalidAnswer as problem:
            errors[row["code"]] = str(problem.message)
    db.session.commit()
    return conflicts, errors
