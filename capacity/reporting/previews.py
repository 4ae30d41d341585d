"""Regenerate the README's report previews from the demo data: ``make previews``.

Writes PNGs of the first two pages of a profile and of the portfolio's heatmap page
into reports/previews/ (pdftoppm from poppler-utils draws them).
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import sqlalchemy as sa

OUT = Path(__file__).resolve().parent.parent.parent / "reports" / "previews"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=tmp)
        from capacity import create_app
        from capacity.rounds.models import AssessmentRound
        from capacity.demo.services import build_demo
        from capacity.extensions import db
        from capacity.organisations.models import Organisation
        from capacity.reporting.pdf import render_pdf
        from capacity.reporting.portfolio_model import build_portfolio
        from capacity.reporting.profile_model import build_profile

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/previews.db"})
        with app.app_context():
            db.create_all()
            build_demo()
            db.session.commit()
            rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "TEL-02"))
            profile = Path(tmp) / "profile.pdf"
            profile.write_bytes(render_pdf("profile.html", {"r": build_profile(org, rounds["endline"], rounds["baseline"], "ka")}, "ka"))
            portfolio = Path(tmp) / "portfolio.pdf"
            portfolio.write_bytes(render_pdf("portfolio.html", {"p": build_portfolio(rounds["endline"], rounds["baseline"], "ka")}, "ka"))
        OUT.mkdir(parents=True, exist_ok=True)
        for page, name in ((1, "profile-page-1"), (2, "profile-page-2")):
            subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(profile),
                            str(OUT / name)], check=True)
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "3", "-l", "3", "-singlefile", str(portfolio),
                        str(OUT / "portfolio-heatmap")], check=True)
    print(f"previews written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
