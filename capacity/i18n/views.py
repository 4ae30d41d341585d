"""The language switch shown on every page."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, session
from flask_login import current_user

from capacity.extensions import db
from capacity.urls import safe_next

bp = Blueprint("i18n", __name__)


@bp.post("/language")
def set_language():
    language = request.form.get("language", "")
    if language not in current_app.config["LANGUAGES"]:
        abort(400)
    session["language"] = language
    if current_user.is_authenticated and current_user.language != language:
        current_user.language = language
        db.session.commit()
    return redirect(safe_next(request.form.get("next")))
