"""Uploading, downloading and removing evidence files, with the same access rules as the answers."""
from __future__ import annotations

import io

import sqlalchemy as sa
from flask import abort, current_app, flash, jsonify, redirect, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity import access
from capacity.assessments import answering, evidence
from capacity.assessments.blueprint import bp
from capacity.assessments.context import load
from capacity.assessments.models import Answer, EvidenceFile
from capacity.rounds.definitions import definitions_for
from capacity.extensions import db
from capacity.users.forms import ConfirmForm

BASE = "/organisations/<code>/assessments/<round_code>/<track>"


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def attach(ctx, indicator_code: str, upload) -> EvidenceFile:
    """Store ``upload`` as evidence for an indicator (creating the answer row if needed)."""
    indicator = ctx.questionnaire.indicator(indicator_code)
    if indicator is None or indicator.computed is not None:
        abort(404)
    assessment = answering.get_or_create_assessment(ctx.org, ctx.round, ctx.track, ctx.questionnaire, ctx.definitions.rubric)
    answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment.id, Answer.indicator_code == indicator_code))
    if answer is None:
        # Revision 0, like "no answer yet" on the page: the user's first save (revision 0) still applies.
        # Made in a savepoint: if a save created the row at the same moment, that row is used.
        answering.insert_answer_row(assessment.id, indicator_code, revision=0, answered_by_id=current_user.id)
        answer = db.session.scalar(sa.select(Answer).where(Answer.assessment_id == assessment.id,
                                                           Answer.indicator_code == indicator_code))
    return evidence.store(current_user, answer, upload.filename, upload.stream,
                          current_app.config.get("CAPACITY_EVIDENCE_MAX_BYTES", evidence.MAX_BYTES))


@bp.post(BASE + "/evidence/<indicator>")
@login_required
def upload_evidence(code: str, round_code: str, track: str, indicator: str):
    ctx = load(code, round_code, track)
    if not ctx.permissions.edit:
        abort(403)
    upload = request.files.get("file")
    back = url_for("assessments.domain", domain_code=(ctx.questionnaire.indicator(indicator) or abort(404)).domain,
                   **ctx.url_args()) + f"#ind-{indicator}"
    try:
        if upload is None or not upload.filename:
            raise evidence.EvidenceRefused(_("Choose a file to upload."))
        record = attach(ctx, indicator, upload)
    except evidence.EvidenceRefused as refused:
        db.session.rollback()
        if _wants_json():
            return jsonify(error="refused", message=str(refused.message)), 400
        flash(str(refused.message), "error")
        return redirect(back)
    db.session.commit()
    if _wants_json():
        return jsonify(id=record.id, name=record.filename, size=record.size,
                       url=url_for("assessments.download_evidence", file_id=record.id),
                       remove=url_for("assessments.delete_evidence", file_id=record.id))
    flash(_("The file has been uploaded."), "success")
    return redirect(back)


def _file_context(file_id: int):
    record = db.session.get(EvidenceFile, file_id)
    if record is None:
        abort(404)
    assessment = record.answer.assessment
    org, round_ = assessment.organisation, assessment.round
    if not access.can_view_organisation(current_user, org):
        abort(404)
    permissions = access.track_permissions(current_user, org, round_, assessment.track)
    if not permissions.view:
        abort(404)
    return record, assessment, permissions


@bp.get("/evidence/<id:file_id>")
@login_required
def download_evidence(file_id: int):
    record, _assessment, _permissions = _file_context(file_id)
    if record.content is None:  # already missing from the disk when files moved into the database (0008)
        abort(404)
    response = send_file(io.BytesIO(record.content), mimetype=record.content_type, as_attachment=True,
                         download_name=evidence.clean_name(record.filename) or "evidence")  # older rows may hold a line break
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response


@bp.post("/evidence/<id:file_id>/delete")
@login_required
def delete_evidence(file_id: int):
    record, assessment, permissions = _file_context(file_id)
    if not permissions.edit or not ConfirmForm().validate_on_submit():
        abort(403)
    indicator = record.answer.indicator_code
    evidence.remove(current_user, record)
    db.session.commit()
    flash(_("The file has been removed."), "success")
    questionnaire = definitions_for(assessment.round).questionnaire
    return redirect(url_for("assessments.domain", code=assessment.organisation.code, round_code=assessment.round.code,
                            track=assessment.track.value, domain_code=questionnaire.indicator(indicator).domain) + f"#ind-{indicator}")
