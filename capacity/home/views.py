"""Home: managers and admins see all organisations, mentors their own and what needs them; CSO users go to their organisation."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from capacity import access
from capacity.assessments.models import Track
from capacity.assessments.services import track_states
from capacity.extensions import db
from capacity.home.todo import mentor_todo
from capacity.rounds.queries import current_round, rounds_newest_first

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    capabilities = access.capabilities(current_user)
    if capabilities.belongs_to_organisation:
        return redirect(url_for("organisations.detail", code=current_user.organisation.code))
    organisations = list(db.session.scalars(access.visible_organisations(current_user)))
    round_ = current_round()
    states = track_states([o.id for o in organisations], round_) if round_ else {}
    sights = access.sights(current_user, organisations, round_) if round_ else {}
    todo = mentor_todo(current_user, organisations, rounds_newest_first()) if capabilities.supports_organisations else None
    return render_template(
        "home/index.html",
        organisations=organisations,
        round=round_,
        states=states,
        sights=sights,
        todo=todo,
        tracks=list(Track),
    )
