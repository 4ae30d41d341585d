"""Reports on the web: profile PDF and HTML preview, portfolio PDF, and the assets the preview needs.

Every report is built for the person asking (``access.sight``): staff get their
own self-assessment until the agreed assessment is validated, a mentor never
sees the self-assessment before submitting their own, and so on. The PDF cache
keys include what the viewer may see, so a cached PDF never crosses that line.

The report stack (pandas, matplotlib, WeasyPrint: about a second to import) is
imported inside the views that build a report, so starting the app does not load it.
"""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request, send_from_directory, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from capacity import access
from capacity.reporting.html import REPORTS_DIR
from capacity.rounds.queries import Baseline, SameRound, baseline_for, round_or_404
from capacity.organisations.models import Organisation
from capacity.rounds.models import AssessmentRound
from capacity.templating import current_language
from capacity.timeutil import programme_today

bp = Blueprint("reports", __name__)
ASSETS = {"print.css"} | {f"fonts/{p.name}" for p in (REPORTS_DIR / "fonts").glob("*.ttf")}
CODE_LIMIT = 64  # round codes are at most 32 characters: anything longer is junk
LANGUAGE_LIMIT = 8  # a content language is a short code (hy): anything longer is junk
BODY = re.compile(r"<body[^>]*>(.*)</body>", re.S)


def _language() -> str:
    language = request.args.get("lang") or current_language()
    return language if language in ("ka", "en") else current_language()


def _content(round_: AssessmentRound, language: str) -> str | None:
    """The language asked for the questionnaire's texts (``?content=hy``), when the round's questionnaire declares it
    and it is not what the report prints anyway; else None. Junk is ignored, as a junk ``lang`` is: the report says
    in which languages it is printed."""
    from capacity.rounds.definitions import DefinitionMissing, definitions_for

    wanted = request.args.get("content", "")[:LANGUAGE_LIMIT + 1]
    if not wanted or len(wanted) > LANGUAGE_LIMIT:
        return None
    try:
        questionnaire = definitions_for(round_).questionnaire
    except DefinitionMissing:
        return None  # building the report says what is wrong
    if wanted not in questionnaire.content_languages or wanted == questionnaire.content_language(language):
        return None
    return wanted


def _rounds(round_code: str, subject: Organisation | None = None) -> tuple[AssessmentRound, Baseline]:
    """The round asked for and its baseline (``?baseline=<code>``, ``?baseline=none``, else the previous comparable one);
    with ``subject``, 404 unless the round assesses its kind."""
    round_ = round_or_404(round_code, subject)
    requested = request.args.get("baseline", "")[:CODE_LIMIT] or None
    try:
        return round_, baseline_for(round_, requested)
    except (LookupError, SameRound):
        abort(404)


def _pdf(data: bytes, name: str) -> Response:
    return Response(data, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"', "X-Content-Type-Options": "nosniff"})


def _profile_request(code: str, round_code: str):
    """The organisation (404 unless the user may see it), the round, its baseline and the language a profile is asked for."""
    org = access.organisation_or_404(code)
    return (org, *_rounds(round_code, org), _language())


@bp.get("/organisations/<code>/report")
@login_required
def profile_choice(code: str):
    """The organisation page's report form: round, baseline, language and format, sent on to the report's own address."""
    org = access.organisation_or_404(code)
    round_ = round_or_404(request.args.get("round", "")[:CODE_LIMIT], org)
    args = {"lang": _language()}
    content = request.args.get("content", "")[:LANGUAGE_LIMIT]
    if content:
        args["content"] = content  # checked where the report is built, against the round's questionnaire
    baseline = request.args.get("baseline", "")[:CODE_LIMIT]
    if baseline:
        args["baseline"] = baseline
    endpoint = "reports.profile_pdf" if request.args.get("format") == "pdf" else "reports.profile_preview"
    return redirect(url_for(endpoint, code=org.code, round_code=round_.code, **args))


@bp.get("/organisations/<code>/report/<round_code>.pdf")
@login_required
def profile_pdf(code: str, round_code: str):
    """An organisation's profile, as the person asking may see it: staff of the organisation, its mentors, managers."""
    from capacity.reporting.cache import cached_profile

    org, round_, baseline, language = _profile_request(code, round_code)
    content = _content(round_, language)
    pdf = cached_profile(current_app.instance_path, org, round_, baseline, language, current_user, content=content)
    suffix = ("" if baseline.round else "-single") + (f"-{content}" if content else "")
    return _pdf(pdf, f"capacity-{org.code}-{round_.code}{suffix}-{language}.pdf")


def report_body(html: str) -> Markup:
    """What is inside the report document's <body>: the preview page puts it in the app's frame."""
    found = BODY.search(html)
    return Markup(found.group(1) if found else html)  # the report template's own output, escaped when rendered


def _way_back(org, round_: AssessmentRound) -> tuple[str, str]:
    """The preview's way back (address, words): the round's progress grid for those who came from it (with its
    filters and order), else the organisation's page. Only these two addresses, never whatever a Referer says."""
    language = current_language()
    can = access.capabilities(current_user)
    if can.manage_programme or can.supports_organisations:  # those who may open the grid
        grid = url_for("rounds.progress", code=round_.code)
        came_from = urlsplit(request.referrer or "")
        if came_from.netloc == request.host and came_from.path == grid:
            return grid + (f"?{came_from.query}" if came_from.query else ""), _(
                "Progress: %(round)s", round=round_.name(language))
        if request.args.get("from") == "progress":
            return grid, _("Progress: %(round)s", round=round_.name(language))
    return url_for("organisations.detail", code=org.code), org.name(language)


@bp.get("/organisations/<code>/report/<round_code>")
@login_required
def profile_preview(code: str, round_code: str):
    """The profile as HTML inside the app's frame (header, heading, the way back, the PDF link), in its own look."""
    from capacity.reporting.html import render_html
    from capacity.reporting.profile_model import build_profile

    org, round_, baseline, language = _profile_request(code, round_code)
    content = _content(round_, language)
    data = build_profile(org, round_, baseline, language, current_user, content=content)
    html = render_html("profile.html", {"r": data, "asset_base": url_for("reports.asset", filename="")}, language)
    pdf_args = {"lang": language}
    if content:
        pdf_args["content"] = content
    if request.args.get("baseline"):
        pdf_args["baseline"] = request.args["baseline"][:CODE_LIMIT]
    back_url, back_label = _way_back(org, round_)
    return render_template("reporting/preview.html", org=org, round=round_, report=report_body(html),
                           report_language=language, back_url=back_url, back_label=back_label,
                           pdf_url=url_for("reports.profile_pdf", code=org.code, round_code=round_.code, **pdf_args))


@bp.get("/rounds/<round_code>/portfolio.pdf")
@login_required
def portfolio_pdf(round_code: str):
    from capacity.reporting.cache import cached_pdf
    from capacity.reporting.portfolio_model import build_portfolio

    if not access.may_print_portfolio(current_user):
        abort(404)  # like every programme page under /rounds: staff and mentors do not learn it exists
    round_, baseline = _rounds(round_code)
    language = _language()
    data = build_portfolio(round_, baseline, language, content=_content(round_, language))
    stamp = programme_today().isoformat()
    pdf = cached_pdf(current_app.instance_path, "portfolio.html", "p", data, language)
    return _pdf(pdf, f"capacity-portfolio-{round_.code}-{language}-{stamp}.pdf")


@bp.get("/report-assets/<path:filename>")
def asset(filename: str):
    """The report's stylesheet and fonts, for the HTML preview (nothing else in reports/ is served)."""
    if filename not in ASSETS:
        abort(404)
    return send_from_directory(REPORTS_DIR, filename, max_age=86400)
