"""The results page: an organisation's results in one round, inside the app, for whoever may see them.

The numbers are the organisation profile's (``reporting.profile_model.build_profile``),
built for the person asking, so the page and the PDF never disagree and the method's
rules hold here too: staff see their own self-assessment, headed and marked as
provisional, until the agreed assessment is validated, then the agreed (final) results
compared like with like with the baseline; a mentor who has not submitted never sees the
self-assessment; managers see the official result. Someone who may not see the
organisation gets 404, as on every other page of it.

The profile model imports the report stack (pandas, matplotlib: see README, "For
developers"), so it is imported inside the view, not when the app starts.
"""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from capacity import access
from capacity.rounds.queries import baseline_for, round_or_404, rounds_newest_first
from capacity.templating import current_language

bp = Blueprint("results", __name__)


@bp.get("/organisations/<code>/results/<round_code>")
@login_required
def page(code: str, round_code: str):
    from capacity.reporting.profile_model import build_profile

    org = access.organisation_or_404(code)
    round_ = round_or_404(round_code, org)
    language = current_language()
    profile = build_profile(org, round_, baseline_for(round_, None), language, current_user)
    return render_template("results/page.html", org=org, round=round_, r=profile, rounds=rounds_newest_first(org.kind))
