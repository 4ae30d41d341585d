"""Starting the "print all profiles" job, following its progress, and downloading the ZIP."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity import access
from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.jobs import services
from capacity.jobs.models import ReportJob
from capacity.rounds.queries import baseline_for, round_or_404
from capacity.templating import current_language
from capacity.users.forms import ConfirmForm

bp = Blueprint("jobs", __name__)


def _job_or_404(job_id: str) -> ReportJob:
    job = db.session.get(ReportJob, job_id)
    # Programme staff only, and the address alone is not enough.
    if job is None or not access.can_manage_programme(current_user):
        abort(404)
    return job


@bp.post("/rounds/<code>/profiles.zip")
@access.roles_required(*access.PROGRAMME_MANAGEMENT)
def start(code: str):
    round_ = round_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    language = request.form.get("lang") if request.form.get("lang") in ("ka", "en") else current_language()
    job = services.start_profiles_zip(current_user, round_, baseline_for(round_, None).round, language)
    db.session.commit()
    services.dispatch(current_app._get_current_object(), job.id)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/jobs/<job_id>")
@login_required
def status(job_id: str):
    job = _job_or_404(job_id)
    return render_template("jobs/status.html", job=job, round=db.session.get(AssessmentRound, job.round_id))


@bp.get("/jobs/<job_id>.json")
@login_required
def progress(job_id: str):
    job = _job_or_404(job_id)
    return jsonify(status=job.status, done=job.done, total=job.total,
                   message=(_("Printing failed: %(reason)s", reason=job.error) if job.status == "failed" else
                            _("%(done)d of %(total)d profiles printed", done=job.done, total=job.total)),
                   download=url_for("jobs.download", job_id=job.id) if job.status == "done" else None)


@bp.get("/jobs/<job_id>/download")
@login_required
def download(job_id: str):
    job = _job_or_404(job_id)
    path = services.job_path(current_app.instance_path, job)
    if job.status != "done" or not path.is_file():
        abort(404)
    return send_file(path, mimetype="application/zip", as_attachment=True, download_name=f"capacity-profiles-{job.id[:8]}.zip")
