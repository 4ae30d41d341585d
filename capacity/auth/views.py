"""Login and logout pages."""
from __future__ import annotations

import json

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from flask_login import current_user, login_required, login_user, logout_user

from capacity.auth import services, sessions, throttling
from capacity.auth.forms import LoginForm
from capacity.extensions import db, login_manager
from capacity.urls import safe_next

bp = Blueprint("auth", __name__)

login_manager.login_view = "auth.login"


login_manager.session_protection = "basic"


# Pages whose form data is kept when a POST arrives after the login has ended.
KEEP_ON_EXPIRY = {"assessments.domain", "assessments.consensus", "profiles.edit",
                  "plans.action_new", "plans.action_edit", "plans.note", "mentoring.new", "mentoring.edit"}
MAX_PENDING = 200_000


def wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def login_again_keeping_form():
    """The login page, carrying the form the user just sent, so that nothing they typed is lost."""
    # Every value of each name: a session's indicators or an action's are ticked boxes sharing one name.
    data = {k: values for k, values in request.form.lists() if k != "csrf_token"}
    pending = json.dumps({"path": request.path, "form": data}, ensure_ascii=False)
    form = LoginForm(formdata=None, next=request.path, pending=pending if len(pending) <= MAX_PENDING else "")
    flash(_("Your session had ended, so your answers were not saved yet. Log in again: they are kept and you can save them."), "error")
    return render_template("auth/login.html", form=form), 401


def keeps_form_on_expiry() -> bool:
    return request.method == "POST" and request.endpoint in KEEP_ON_EXPIRY


@login_manager.unauthorized_handler
def unauthorized():
    if wants_json():
        return jsonify(error="login", message=_("Your session has ended. Please log in again.")), 401
    if keeps_form_on_expiry():
        return login_again_keeping_form()
    flash(_("Please log in to see this page."), "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


bp.before_app_request(sessions.end_idle_session)
bp.app_errorhandler(RateLimitExceeded)(throttling.too_many_attempts)


@bp.route("/login", methods=["GET", "POST"])
@throttling.throttled
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        result = services.authenticate(form.email.data, form.password.data)
        if result is services.LoginRefused.DEACTIVATED:
            flash(_("This account has been deactivated. Please ask an administrator to reactivate it."), "error")
        elif isinstance(result, services.LoginRefused):
            throttling.note_failed_login()
            flash(_("The e-mail address or the password is not correct."), "error")
        else:
            login_user(result, remember=form.remember.data)
            session.permanent = True  # expires after PERMANENT_SESSION_LIFETIME without activity
            session["language"] = result.language
            sessions.start(result)
            db.session.commit()
            restored = _pending(form.pending.data)
            if restored:
                return render_template("auth/restore.html", path=restored["path"], fields=restored["form"])
            return redirect(safe_next(form.next.data))
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    # Everywhere, not just here: a copied cookie or a forgotten computer is logged out too.
    current_user.end_all_sessions()
    db.session.commit()
    logout_user()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


def _pending(raw: str | None) -> dict | None:
    """The kept form (path and fields) if it is well-formed and points at this site."""
    if not raw or len(raw) > MAX_PENDING:
        return None
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes: no kept form
        return None
    if not isinstance(data, dict) or not isinstance(data.get("form"), dict):
        return None
    path = data.get("path", "")
    if safe_next(path) != path or not path.startswith("/organisations/"):
        return None
    return {"path": path, "form": {str(k): [str(v) for v in values] if isinstance(values, list) else [str(values)]
                                   for k, values in data["form"].items()}}
