"""``capacity report profile``: an organisation's capacity profile as a PDF."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from capacity.assessments.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting.pdf import render_pdf
from capacity.reporting.profile_model import build_profile, previous_round

report_cli = AppGroup("report", help="Printable reports (PDF).")


def _round(code: str) -> AssessmentRound:
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))
    if round_ is None:
        raise click.UsageError(f"no round has the code '{code}'")
    return round_


@report_cli.command("profile")
@click.option("--org", "org_code", required=True, help="Organisation code.")
@click.option("--round", "round_code", required=True, help="The round to report (the 'after').")
@click.option("--baseline", "baseline_code", help="The round to compare with (default: the previous round).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def profile(org_code: str, round_code: str, baseline_code: str | None, language: str, output: Path) -> None:
    """Write an organisation's before/after capacity profile as a PDF."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
    if org is None:
        raise click.UsageError(f"no organisation has the code '{org_code}' (see: capacity org list)")
    round_ = _round(round_code)
    baseline = _round(baseline_code) if baseline_code else previous_round(round_)
    if baseline is not None and baseline.id == round_.id:
        raise click.UsageError("--baseline must be another round than --round")
    data = build_profile(org, round_, baseline, language)
    output.write_bytes(render_pdf("profile.html", {"r": data}, language))
    click.echo(f"{output}: profile of {org_code}, {baseline.code + ' → ' if baseline else ''}{round_code}, {language}")
