"""Error pages: a clear sentence for the user, never a traceback."""
from __future__ import annotations

import re

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from flask_login import current_user

from capacity.assessments.results import DefinitionChanged

from capacity.rounds.definitions import DefinitionMissing
from capacity.auth.views import keeps_form_on_expiry, login_again_keeping_form, wants_json
from capacity.extensions import db
from capacity.questionnaires.checker import DefinitionError


# Views that refuse a NUL in an answer themselves, beside the field that holds it.
SAYS_WHICH_FIELD_HOLDS_NUL = frozenset({"assessments.autosave", "assessments.domain", "assessments.consensus"})
CONTROL_CHARACTER = re.compile("[\x00-\x1f\x7f-\x9f]")


def register_error_handlers(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        return render_template("errors/error.html", status=status, title=title, message=message), status

    def refuse(message: str):
        """A 400 with ``message``: JSON for the page script (it shows the message), else the error page."""
        if wants_json():
            return jsonify(error="bad_request", message=message), 400
        return page(400, _("Bad request"), message)

    @app.before_request
    def refuse_unreadable_input():
        """Input no page can read, refused at the edge with one sentence instead of a 500 deep inside.

        A JSON body: no page takes one (autosave.js sends FormData), and Flask-WTF would read it as the
        form's data, with numbers, lists or lone surrogates where every field and view expects text.
        A NUL character in the address or a form: PostgreSQL cannot even compare text holding one (the
        answer forms say it beside the field themselves, capacity.assessments.answering). A multipart
        part without a usable name arrives under the name None: it names no field, so it is not checked.
        An uploaded file's name with a control character: a NUL cannot be stored, and a line break (sent as
        filename*=UTF-8''a%0D%0Ab.pdf) would break the header of every later download of the file.
        """
        if request.is_json:
            return refuse(_("This address takes a form, not JSON. Please send the form as the page does."))
        if any(CONTROL_CHARACTER.search(upload.filename or "") for _name, upload in request.files.items(multi=True)):
            return refuse(_("The name of the file you sent contains an invisible control character. Please rename the "
                            "file and try again."))
        values = [request.path, *(part for pair in request.args.items(multi=True) for part in pair)]
        if request.endpoint not in SAYS_WHICH_FIELD_HOLDS_NUL:
            values += [part for pair in request.form.items(multi=True) for part in pair]
        if any(isinstance(value, str) and "\x00" in value for value in values):
            return page(400, _("Bad request"), _("The address or the form contained an invisible control character "
                                                 "(NUL). Please go back, remove it and try again."))
        return None

    @app.errorhandler(400)
    def bad_request(_error):
        return page(400, _("Bad request"), _("The request could not be understood. Please go back and try again."))

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        if wants_json():
            return jsonify(error="csrf", message=_("Your session has ended. Please log in again.")), 400
        if keeps_form_on_expiry() and not current_user.is_authenticated:
            return login_again_keeping_form()
        return page(
            400,
            _("The form has expired"),
            _("For your security the form could not be accepted. Please go back, reload the page and send it again."),
        )

    @app.errorhandler(403)
    def forbidden(_error):
        return page(403, _("Access denied"), _("Your role does not allow you to open this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return page(404, _("Page not found"), _("This page does not exist, or you do not have access to it."))

    @app.errorhandler(405)
    def method_not_allowed(_error):
        return page(405, _("Not allowed"), _("This address cannot be used this way."))

    @app.errorhandler(413)
    def too_large(_error):
        return page(413, _("File too large"), _("The file you sent is larger than allowed."))

    @app.errorhandler(HTTPException)
    def other_client_error(error):
        """Any other 4xx Werkzeug raises (416 for a Range header it cannot serve, 412...): this site's page, not its own."""
        if error.code is None or not 400 <= error.code < 500:
            return error  # a routing redirect (308) goes out as it is; 5xx have their own handler
        return page(error.code, _("Bad request"), _("The request could not be understood. Please go back and try again."))

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        db.session.rollback()
        app.logger.error("Database unavailable: %s", error)
        return page(
            503,
            _("Database unavailable"),
            _("The database cannot be reached right now. Nothing was changed; please try again in a minute."),
        )

    @app.errorhandler(DefinitionError)
    @app.errorhandler(DefinitionMissing)
    def definitions_broken(error):
        app.logger.error("Questionnaire files: %s", error)
        return page(503, _("Questionnaire files need attention"),
                    _("The questionnaire or rubric files have problems, so assessments cannot be shown. "
                      "An administrator can list them with: capacity questionnaire validate questionnaires/*.yaml"))

    @app.errorhandler(DefinitionChanged)
    def definitions_changed(error):
        # 409: the request is fine, but the stored answers and today's file disagree until someone decides.
        db.session.rollback()
        app.logger.warning("%s", error)
        return page(409, _("The questionnaire has changed"), str(error.message))

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return page(500, _("Something went wrong"), _("An unexpected error occurred. Nothing was changed; please try again."))
