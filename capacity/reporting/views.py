"""Reports on the web: profile PDF and HTML preview, portfolio PDF, and the assets the preview needs."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, request, send_from_directory, url_for
from flask_login import current_user, login_required

from capacity import access
from capacity.auth.models import Role
from capacity.reporting.cache import cached_pdf, cached_profile
from capacity.reporting.pdf import REPORTS_DIR, render_html
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.queries import previous_round, round_or_404
from capacity.templating import current_language

bp = Blueprint("reports", __name__)
ASSETS = {"print.css"} | {f"fonts/{p.name}" for p in (REPORTS_DIR / "fonts").glob("*.ttf")}


def _language() -> str:
    language = request.args.get("lang") or current_language()
    return language if language in ("ka", "en") else current_language()


def _rounds(round_code: str):
    round_ = round_or_404(round_code)
    baseline_code = request.args.get("baseline")
    baseline = round_or_404(baseline_code) if baseline_code else previous_round(round_)
    if baseline is not None and baseline.id == round_.id:
        abort(404)
    return round_, baseline


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"})


def _profile_request(code: str, round_code: str):
    """The organisation (404 unless the user may see it), the two rounds and the language a profile is asked for."""
    org = access.organisation_or_404(code)
    return (org, *_rounds(round_code), _language())


@bp.get("/organisations/<code>/report/<round_code>.pdf")
@login_required
def profile_pdf(code: str, round_code: str):
    """An organisation's profile: staff of the organisation, its mentors, managers and administrators."""
    org, round_, baseline, language = _profile_request(code, round_code)
    pdf = cached_profile(current_app.instance_path, org, round_, baseline, language)
    return _pdf(pdf, f"capacity-{org.code}-{round_.code}-{language}.pdf")


@bp.get("/organisations/<code>/report/<round_code>")
@login_required
def profile_preview(code: str, round_code: str):
    org, round_, baseline, language = _profile_request(code, round_code)
    data = build_profile(org, round_, baseline, language)
    html = render_html("profile.html", {"r": data, "asset_base": url_for("reports.asset", filename="")}, language)
    return Response(html, mimetype="text/html")


@bp.get("/rounds/<round_code>/portfolio.pdf")
@access.roles_required(Role.ADMIN, Role.MANAGER)
def portfolio_pdf(round_code: str):
    round_, baseline = _rounds(round_code)
    language = _language()
    data = build_portfolio(round_, baseline, language)
    stamp = date.today().isoformat()
    pdf = cached_pdf(current_app.instance_path, "portfolio.html", "p", data, language)
    return _pdf(pdf, f"capacity-portfolio-{round_.code}-{language}-{stamp}.pdf")


@bp.get("/report-assets/<path:filename>")
def asset(filename: str):
    """The report's stylesheet and fonts, for the HTML preview (nothing else in reports/ is served)."""
    if filename not in ASSETS:
        abort(404)
    return send_from_directory(REPORTS_DIR, filename, max_age=86400)
