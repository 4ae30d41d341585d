"""KoboToolbox / ODK on a round's pages: the collection form to download, and submissions to import.

Programme managers and administrators only; everyone else gets "page not found", as for every programme page
under /rounds (capacity/rounds/guards.py). The upload is checked first (a dry run, nothing saved); the manager
then confirms, and the file kept between the two steps (``pending``) is imported all rows or none.
"""
from __future__ import annotations

import io

from flask import Blueprint, abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from capacity.assessments.models import Track
from capacity.assessments.results import DefinitionChanged, pinned_definitions
from capacity.extensions import db
from capacity.labels import marked
from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.model import Text
from capacity.rounds.definitions import DefinitionMissing
from capacity.rounds.guards import programme_only
from capacity.rounds.queries import round_or_404, subjects_of
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.subjects.lookup import kind_of
from capacity.submissions import pending
from capacity.submissions.forms import ConfirmForm, UploadForm

bp = Blueprint("submissions", __name__, url_prefix="/rounds")

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(round_, form: UploadForm, status: int = 200):
    form.file.description = marked(str(form.file.description))  # names KoboToolbox and ODK in Latin letters
    return render_template("submissions/upload.html", round=round_, form=form), status


@bp.get("/<code>/submissions")
@programme_only
def upload(code: str):
    return _page(round_or_404(code), UploadForm())


@bp.post("/<code>/submissions")
@programme_only
def check(code: str):
    """The dry run: read and check the file, save nothing, show the report (and the import button if clean)."""
    from capacity.submissions.reading import MAX_BYTES
    from capacity.submissions.services import import_submissions, upload_name

    round_ = round_or_404(code)
    form = UploadForm()
    if not form.validate_on_submit():
        return _page(round_, form, 400)
    limit = current_app.config.get("CAPACITY_SUBMISSIONS_MAX_BYTES", MAX_BYTES)
    try:
        data = form.file.data.stream.read(limit + 1)
    finally:
        form.file.data.close()  # a large upload is spooled to a temporary file: let it go now
    if len(data) > limit:
        size = f"{limit // 1024 // 1024} MB" if limit >= 1024 * 1024 else f"{limit // 1024} KB"
        form.file.errors = [_("The file is larger than %(size)s: split the submissions into smaller files.",
                              size=size)]
        return _page(round_, form, 400)
    filename = upload_name(form.file.data.filename)
    report = import_submissions(current_user, round_, form.track.data, filename, data, apply=False)
    db.session.rollback()  # a dry run saves nothing
    confirm = None
    if report.ok:  # kept in the database, so that the confirm may land on any server of the deployment
        token = pending.keep(data, filename=filename, round_id=round_.id, track=form.track.data,
                             user_id=current_user.id, basis=report.basis)
        db.session.commit()
        confirm = ConfirmForm(token=token)
    return render_template("submissions/report.html", round=round_, report=report, confirm=confirm,
                           track=Track(form.track.data))


@bp.get("/<code>/submissions/import")
@programme_only
def after_import(code: str):
    """The import's address asked for by GET (the language switch returns to it, a bookmark, a reload): the upload
    page, not "method not allowed"."""
    return redirect(url_for("submissions.upload", code=round_or_404(code).code))


@bp.post("/<code>/submissions/import")
@programme_only
def confirm(code: str):
    """Import the file checked before: all rows or none, in one transaction."""
    from capacity.submissions.services import import_submissions

    round_ = round_or_404(code)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    kept = pending.claim(form.token.data, round_id=round_.id, user_id=current_user.id)
    if kept is None:
        db.session.rollback()
        flash(_("This upload is no longer waiting to be imported (it was imported already, or it is more than a day "
                "old). Upload the file again."), "error")
        return redirect(url_for("submissions.upload", code=round_.code))
    report = import_submissions(current_user, round_, kept.track, kept.filename, kept.data, apply=True,
                                basis=kept.basis)
    if not report.applied:
        # Something changed since the check (an answer saved, an assessment submitted, the round closed): nothing
        # is saved, and the upload is used up all the same (the report says what next).
        db.session.rollback()
        pending.discard(form.token.data, user_id=current_user.id)
    db.session.commit()  # the import and the claim of its upload together
    return render_template("submissions/report.html", round=round_, report=report, confirm=None,
                           track=Track(kept.track))


def _subject_label(kind_code: str) -> Text | None:
    """The label of the collection form's first question: the kind's name; None where that is the export's own
    word for an organisation, which it knows in more languages (Russian, Armenian, Azerbaijani)."""
    from capacity.xlsform.export import ORGANISATION_LABEL  # openpyxl loads with the export, not with the app

    kind = kind_of(kind_code) or kind_of(DEFAULT_KIND)
    if kind is None or (kind.name.ka, kind.name.en) == (ORGANISATION_LABEL["ka"], ORGANISATION_LABEL["en"]):
        return None
    return kind.name


@bp.get("/<code>/collection-form.xlsx")
@programme_only
def collection_form(code: str):
    """The round's questionnaire as an XLSForm for KoboToolbox/ODK, its first question the subject: one of the
    active subjects of the round's kind, the question labelled with the kind's name."""
    from capacity.xlsform.export import ExportError, export_xlsform

    round_ = round_or_404(code)
    try:
        definitions = pinned_definitions(round_)
    except (DefinitionMissing, DefinitionChanged, DefinitionError) as problem:
        flash(str(getattr(problem, "message", None) or problem).splitlines()[0], "error")
        return redirect(url_for("submissions.upload", code=round_.code))
    subjects = db.session.scalars(subjects_of(round_))
    try:
        data = export_xlsform(definitions.questionnaire, rubric=definitions.rubric,
                              organisations=[(o.code, Text(ka=o.name_ka, en=o.name_en)) for o in subjects],
                              subject_label=_subject_label(round_.subject_kind))
    except ExportError as problem:
        flash(_("The collection form cannot be made: %(why)s", why=str(problem)), "error")
        return redirect(url_for("submissions.upload", code=round_.code))
    response = send_file(io.BytesIO(data), mimetype=XLSX_MIMETYPE, as_attachment=True,
                         download_name=f"{round_.code}-collection-form.xlsx")
    response.headers["Cache-Control"] = "no-store"  # names the organisations of the programme
    return response
