"""The learning-resource library: every logged-in user may read it; it holds no organisation's data."""
from __future__ import annotations

import io
from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_file
from flask_login import login_required

from capacity.learning import services
from capacity.learning.forms import LibraryFilterForm
from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.library import load_directory
from capacity.templating import current_language

bp = Blueprint("learning", __name__)


@bp.get("/resources/")
@login_required
def index():
    language = current_language()
    try:
        library = load_directory()
    except DefinitionError:  # a broken file: the page says so instead of failing
        return render_template("learning/index.html", broken=True, form=None, entries=[], total=0, filters=None)
    form = LibraryFilterForm(formdata=request.args)
    form.set_choices(library, language)
    filters = form.chosen()
    found = services.entries(library)
    return render_template("learning/index.html", broken=False, form=form, entries=services.filtered(found, filters),
                           total=len(found), filters=filters, kinds=services.KIND_LABELS,
                           tags=services.GESI_TAG_LABELS)


@bp.get("/resources/<set_id>/<code>/file")
@login_required
def file(set_id: str, code: str):
    """A file shipped with the resources, as a download under a safe name; 404 for anything else."""
    try:
        shipped = services.shipped_file(load_directory(), set_id, code)
    except (services.NoFile, DefinitionError):
        abort(404)
    # Read whole (the files are small guides): a response left unread keeps no file handle open.
    return send_file(io.BytesIO(Path(shipped.path).read_bytes()), mimetype=shipped.content_type, as_attachment=True,
                     download_name=shipped.download_name, max_age=3600)
