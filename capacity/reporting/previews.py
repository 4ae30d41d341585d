"""Regenerate the README's previews from the demo data: ``make previews``.

Writes into reports/previews/ PNGs of the first two pages of a profile, of its development-plan page,
of the portfolio's heatmap page and of its plans and mentoring page (pdftoppm from poppler-utils draws them), and screenshots of the app as its users
see it, in Georgian (Debian's Chromium, driven by Playwright, as in the browser tests): a CSO's
home with its next step, a domain of the self-assessment on a phone, a mentor's consensus page,
the manager's progress grid, an organisation's development plan and the plan-status grid.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import sqlalchemy as sa

OUT = Path(__file__).resolve().parent.parent.parent / "reports" / "previews"
CHROMIUM = "/usr/bin/chromium"  # the Debian package `make setup-test` installs; Playwright never downloads one
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "capacity-demo"  # every demo account's (README, "Demo logins")
# (file name, account, address, window width × height, what to scroll to the top, if anything). The demo
# organisations are chosen for what they show: KUT-01 is half-way through its endline self-assessment,
# TEL-03's mentor and staff have both submitted and are agreeing the levels.
SCREENSHOTS = [
    ("app-cso-home", "kut-01@demo.example.org", "/", (1366, 900), None),
    ("app-domain-phone", "kut-01@demo.example.org", "/organisations/KUT-01/assessments/endline/self/HR",
     (390, 844), "fieldset.indicator"),
    ("app-consensus", "mentor.kakheti@demo.example.org", "/organisations/TEL-03/assessments/endline/consensus",
     (1366, 1000), None),
    ("app-progress-grid", "manager@demo.example.org", "/rounds/endline/progress", (1366, 1000), None),
    # TEL-01's baseline plan: priorities, actions in every status, one made from a mentoring follow-up.
    ("app-plan", "tel-01@demo.example.org", "/organisations/TEL-01/plans/baseline", (1366, 1100), None),
    ("app-plan-grid", "manager@demo.example.org", "/rounds/baseline/plans", (1366, 1000), None),
]
# The report pages shown, found by the heading they print (translated: the previews are of the ka reports).
PROFILE_PLAN_HEADING = "Development plan and mentoring"
PORTFOLIO_PLAN_HEADING = "Development plans and mentoring"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=tmp)
        from capacity import create_app
        from capacity.demo.services import build_demo
        from capacity.extensions import db

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/previews.db",
                          "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})  # plain http://127.0.0.1
        with app.app_context():
            db.create_all()
            build_demo()
            db.session.commit()
            OUT.mkdir(parents=True, exist_ok=True)
            report_previews(Path(tmp))
        app_screenshots(app, Path(tmp))
    print(f"previews written to {OUT}", file=sys.stderr)


def report_previews(tmp: Path) -> None:
    """The profile's first two pages and the portfolio's heatmap page, as PNGs (inside an app context)."""
    from flask_babel import force_locale, gettext

    from capacity.extensions import db
    from capacity.organisations.models import Organisation
    from capacity.reporting.pdf import render_pdf
    from capacity.reporting.portfolio_model import build_portfolio
    from capacity.reporting.profile_model import build_profile
    from capacity.rounds.models import AssessmentRound

    rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
    org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "TEL-02"))
    profile = tmp / "profile.pdf"
    profile.write_bytes(render_pdf("profile.html", {"r": build_profile(org, rounds["endline"], rounds["baseline"], "ka")}, "ka"))
    portfolio = tmp / "portfolio.pdf"
    portfolio.write_bytes(render_pdf("portfolio.html", {"p": build_portfolio(rounds["endline"], rounds["baseline"], "ka")}, "ka"))
    for page, name in ((1, "profile-page-1"), (2, "profile-page-2")):
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(profile),
                        str(OUT / name)], check=True)
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "3", "-l", "3", "-singlefile", str(portfolio),
                    str(OUT / "portfolio-heatmap")], check=True)
    for pdf, heading, name in ((profile, PROFILE_PLAN_HEADING, "profile-plan"),
                               (portfolio, PORTFOLIO_PLAN_HEADING, "portfolio-plans")):
        with force_locale("ka"):
            page = _page_with(pdf, gettext(heading))
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                        str(OUT / name)], check=True)


def _page_with(pdf: Path, heading: str) -> int:
    """The number of the first page of ``pdf`` whose text holds ``heading`` (pdftotext, from poppler-utils)."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for number, page in enumerate(text.split("\f"), start=1):
        if heading in page:
            return number
    raise RuntimeError(f"no page of {pdf.name} says {heading!r}")


def app_screenshots(app, tmp: Path) -> None:
    """SCREENSHOTS of the app, served from a thread of this process for the browser."""
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):  # a line per request would bury the command's own output
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, name="previews-server", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    # Chromium's profile and crash files go to the temporary folder, not the user's home.
    home = {"HOME": str(tmp), "XDG_CONFIG_HOME": str(tmp), "XDG_CACHE_HOME": str(tmp)}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
                                                 env={**os.environ, **home})
            try:
                for name, email, url, (width, height), top in SCREENSHOTS:
                    context = browser.new_context(base_url=base, viewport={"width": width, "height": height})
                    page = context.new_page()
                    _log_in(page, email)
                    page.goto(url)
                    if top:
                        page.locator(top).first.evaluate("(el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8)")
                    page.screenshot(path=str(OUT / f"{name}.png"))
                    context.close()
            finally:
                browser.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("form:not(.language) [type=submit]")
    if page.url.rstrip("/").endswith("/login"):
        raise RuntimeError(f"the demo login {email} was refused: {page.inner_text('main')}")


if __name__ == "__main__":
    main()
