"""Downloading a round's data: managers and administrators get every subject of the round's kind, mentors those
they support (their assigned organisations, those organisations' services, their municipalities' subjects)."""
from __future__ import annotations

import io

from flask import Blueprint, abort, send_file
from flask_login import current_user
from sqlalchemy.orm import selectinload

from capacity import access
from capacity.organisations.models import Organisation
from capacity.auth.models import Role
from capacity.extensions import db
from capacity.rounds.guards import roles_or_404
from capacity.rounds.services import by_code
from capacity.templating import current_language

bp = Blueprint("exports", __name__)

# Mentors may export too: access.visible_organisations narrows them to their assigned organisations.
# Organisation staff get 404, as for every programme page under /rounds (capacity/rounds/guards.py says why).
EXPORTERS = (Role.MANAGER, Role.ADMIN, Role.MENTOR)


def _download(code: str, extension: str):
    # The export stack (pandas, openpyxl) loads with the first download, not when the app starts.
    from capacity.exports import formats, services

    writers = {"xlsx": (formats.xlsx_bytes, formats.XLSX_MIMETYPE), "zip": (formats.csv_zip, formats.ZIP_MIMETYPE)}
    round_ = by_code(code)
    if round_ is None:
        abort(404)
    # The round's kind only; a service's organisation comes with it (every sheet then names it).
    organisations = list(db.session.scalars(access.visible_organisations(current_user)
                                            .where(Organisation.kind == round_.subject_kind)
                                            .options(selectinload(Organisation.parent))))
    export = services.round_export(round_, organisations, current_language(), viewer=current_user)
    write, mimetype = writers[extension]
    response = send_file(io.BytesIO(write(export)), mimetype=mimetype, as_attachment=True,
                         download_name=services.filename(round_, extension))
    # Assessment data of named organisations: never kept by a browser or proxy cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/rounds/<code>/export.xlsx")
@roles_or_404(*EXPORTERS)
def round_xlsx(code: str):
    return _download(code, "xlsx")


@bp.get("/rounds/<code>/export.zip")
@roles_or_404(*EXPORTERS)
def round_zip(code: str):
    return _download(code, "zip")
