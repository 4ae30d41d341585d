"""Starting the "print all profiles" job, following its progress, and downloading the ZIP.

Polling a job (its page or its JSON) is also when a job whose worker died is
marked failed; every process also sweeps all jobs on its first request
(capacity.jobs.liveness).
"""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity import access
from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.jobs import liveness, services
from capacity.jobs.models import ReportJob
from capacity.rounds.guards import programme_only
from capacity.rounds.queries import baseline_for, round_or_404
from capacity.templating import current_language
from capacity.users.forms import ConfirmForm

bp = Blueprint("jobs", __name__)


@bp.before_app_request
def _sweep_dead_jobs() -> None:
    liveness.sweep_once(current_app._get_current_object())


def _job_or_404(job_id: str) -> ReportJob:
    job = db.session.get(ReportJob, job_id)
    # Programme staff only, and the address alone is not enough.
    if job is None or not access.can_manage_programme(current_user):
        abort(404)
    if liveness.fail_if_dead(current_app._get_current_object(), job):
        db.session.refresh(job)
    return job


def _zip_missing(job: ReportJob) -> bool:
    """A finished job whose ZIP was pruned (``capacity cache prune``) or lost."""
    return job.status == "done" and job.archive_size is None


@bp.post("/rounds/<code>/profiles.zip")
@programme_only
def start(code: str):
    round_ = round_or_404(code)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    language = request.form.get("lang") if request.form.get("lang") in ("ka", "en") else current_language()
    liveness.sweep(current_app._get_current_object())
    job = services.start_profiles_zip(current_user, round_, baseline_for(round_, None).round, language)
    db.session.commit()
    services.dispatch(current_app._get_current_object(), job.id)
    return redirect(url_for("jobs.status", job_id=job.id))


@bp.get("/jobs/<job_id>")
@login_required
def status(job_id: str):
    job = _job_or_404(job_id)
    return render_template("jobs/status.html", job=job, round=db.session.get(AssessmentRound, job.round_id),
                           zip_missing=_zip_missing(job), form=ConfirmForm())


@bp.get("/jobs/<job_id>.json")
@login_required
def progress(job_id: str):
    job = _job_or_404(job_id)
    missing = _zip_missing(job)
    if job.status == "failed":
        message = _("Printing failed: %(reason)s", reason=job.error)
    elif missing:
        message = _("The ZIP of this job has been removed to free disk space. Press “Print again” to make a new one.")
    else:
        message = _("%(done)d of %(total)d profiles printed", done=job.done, total=job.total)
    # "again": the page's "Print again" button applies (the job failed, or its ZIP is gone); polling stops.
    return jsonify(status=job.status, done=job.done, total=job.total, message=message,
                   again=job.status == "failed" or missing,
                   download=url_for("jobs.download", job_id=job.id) if job.status == "done" and not missing else None)


@bp.get("/jobs/<job_id>/download")
@login_required
def download(job_id: str):
    job = _job_or_404(job_id)
    if job.status != "done":
        abort(404)
    content = job.archive
    if content is None:
        return render_template("errors/error.html", status=404, title=_("The file is no longer there"),
                               message=_("The ZIP of this job has been removed to free disk space. Open the job "
                                         "and press “Print again” to make a new one.")), 404
    return send_file(io.BytesIO(content), mimetype="application/zip", as_attachment=True, download_name=f"capacity-profiles-{job.id[:8]}.zip")
