"""``capacity report profile``: an organisation's capacity profile as a PDF."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting.batch import render_all
from capacity.reporting.pdf import render_pdf
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.queries import previous_round

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


@report_cli.command("portfolio")
@click.option("--round", "round_code", required=True, help="The round to report (the 'after').")
@click.option("--baseline", "baseline_code", help="The round to compare with (default: the previous round).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def portfolio(round_code: str, baseline_code: str | None, language: str, output: Path) -> None:
    """Write the portfolio report: all organisations of a round compared with an earlier one."""
    round_ = _round(round_code)
    baseline = _round(baseline_code) if baseline_code else previous_round(round_)
    if baseline is not None and baseline.id == round_.id:
        raise click.UsageError("--baseline must be another round than --round")
    data = build_portfolio(round_, baseline, language)
    output.write_bytes(render_pdf("portfolio.html", {"p": data}, language))
    click.echo(f"{output}: portfolio, {baseline.code + ' → ' if baseline else ''}{round_code}, {language}, "
               f"{data['organisations']} organisations")


@report_cli.command("all")
@click.option("--round", "round_code", required=True, help="The round to report (the 'after').")
@click.option("--baseline", "baseline_code", help="The round to compare with (default: the previous round).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.option("--out-dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", type=int, help="Processes to use (default: one per core).")
@click.option("--org", "only", multiple=True, help="Only these organisation codes (repeat the option).")
def all_profiles(round_code: str, baseline_code: str | None, language: str, out_dir: Path, workers: int | None,
                 only: tuple[str, ...]) -> None:
    """Write the profile of every active organisation of a round, on all cores, with a progress bar."""
    round_ = _round(round_code)
    baseline = _round(baseline_code) if baseline_code else previous_round(round_)
    query = sa.select(Organisation.code).where(Organisation.active.is_(True)).order_by(Organisation.code)
    codes = list(db.session.scalars(query.where(Organisation.code.in_(only)) if only else query))
    unknown = sorted(set(only) - set(codes))
    if unknown:
        raise click.UsageError(f"no active organisation has the code(s) {', '.join(unknown)}")
    files = render_all(codes, round_.code, baseline.code if baseline else None, language, out_dir, workers)
    with click.progressbar(files, length=len(codes), label=f"{len(codes)} profiles") as bar:
        for _ in bar:
            pass
    click.echo(f"{out_dir}: {len(codes)} profiles ({baseline.code + ' → ' if baseline else ''}{round_code}, {language})")
