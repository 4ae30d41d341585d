"""``capacity report profile``: one subject's profile as a PDF (an organisation's, a service's, a municipality's);
``portfolio``: a round's portfolio report; ``all``: every profile of a round (its kind's subjects only).

Each command imports the report stack (pandas, matplotlib, WeasyPrint: about a
second) when it runs, so that the rest of the command line starts at once.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale

from capacity.assessments.results import DefinitionChanged, pinned_definitions
from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds.queries import subjects_of
from capacity.reporting.printer import Printer
from capacity.rounds.queries import NO_BASELINE, Baseline, SameRound, baseline_for

report_cli = AppGroup("report", help="Printable reports (PDF).")


def _refusing_changed_definitions(command: Callable) -> Callable:
    """A round whose questionnaire or rubric file changed under the same version is not reported: say so, exit 1."""
    @functools.wraps(command)
    def wrapped(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except DefinitionChanged as changed:
            raise click.ClickException(str(changed)) from None
    return wrapped


def _round(code: str) -> AssessmentRound:
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))
    if round_ is None:
        raise click.UsageError(f"no round has the code '{code}'")
    return round_


def _baseline(round_: AssessmentRound, requested: str | None) -> Baseline:
    """The baseline asked for (a code or 'none'), else the previous comparable round; says why there is none."""
    try:
        baseline = baseline_for(round_, requested)
    except LookupError:
        raise click.UsageError(f"no round has the code '{requested}' (--baseline)") from None
    except SameRound:
        raise click.UsageError("--baseline must be another round than --round") from None
    if baseline.round is None and requested != NO_BASELINE:
        with force_locale("en"):
            click.echo(f"single-round report: {baseline.reason}", err=True)
    return baseline


def _plural(round_: AssessmentRound) -> str:
    """What the round's subjects are, for a line of English output: "organisations", "services"."""
    from capacity.reporting.wording import wording

    with force_locale("en"):
        return wording(round_.subject_kind, "en").plural.lower()


def _compared(baseline: Baseline, round_code: str) -> str:
    return f"{baseline.round.code} → {round_code}" if baseline.round else f"{round_code} only"


@report_cli.command("profile")
@click.option("--org", "org_code", required=True, help="The code of the organisation (or service, or municipality) "
              "the round assesses.")
@click.option("--round", "round_code", required=True, help="The round to report (the 'after').")
@click.option("--baseline", "baseline_code", help="The round to compare with: a round code, or 'none' (default: the previous round of the same questionnaire).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.option("--content", help="The language of the questionnaire's texts, one the questionnaire declares (e.g. hy); "
              "the interface stays in --lang.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_refusing_changed_definitions
def profile(org_code: str, round_code: str, baseline_code: str | None, language: str, content: str | None,
            output: Path) -> None:
    """Write one subject's before/after profile as a PDF (an organisation's, or a service's or municipality's in a
    round that assesses those)."""
    with Printer() as printer:  # loads WeasyPrint on the other core while this process scores and draws
        from capacity.reporting.html import render_for_print
        from capacity.reporting.profile_model import build_profile

        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
        if org is None:
            raise click.UsageError(f"no organisation has the code '{org_code}' (see: capacity org list)")
        round_ = _round(round_code)
        if round_.subject_kind != org.kind:
            raise click.UsageError(f"the round '{round_code}' assesses subjects of the kind '{round_.subject_kind}', "
                                   f"and '{org_code}' is of the kind '{org.kind}'")
        baseline = _baseline(round_, baseline_code)
        if content is not None:
            declared = pinned_definitions(round_).questionnaire.content_languages
            if content not in declared:
                raise click.UsageError(f"--content must be one of the questionnaire's languages: {', '.join(declared)}")
        data = build_profile(org, round_, baseline, language, content=content)
        output.write_bytes(printer.print(*render_for_print("profile.html", {"r": data}, language)))
    click.echo(f"{output}: profile of {org_code}, {_compared(baseline, round_code)}, {language}")


@report_cli.command("portfolio")
@click.option("--round", "round_code", required=True, help="The round to report (the 'after').")
@click.option("--baseline", "baseline_code", help="The round to compare with: a round code, or 'none' (default: the previous round of the same questionnaire).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@_refusing_changed_definitions
def portfolio(round_code: str, baseline_code: str | None, language: str, output: Path) -> None:
    """Write the portfolio report: all subjects of a round (its organisations, services or municipalities) compared
    with an earlier one."""
    with Printer() as printer:
        from capacity.reporting.html import render_for_print
        from capacity.reporting.portfolio_model import build_portfolio

        round_ = _round(round_code)
        baseline = _baseline(round_, baseline_code)
        data = build_portfolio(round_, baseline, language)
        output.write_bytes(printer.print(*render_for_print("portfolio.html", {"p": data}, language)))
    click.echo(f"{output}: portfolio, {_compared(baseline, round_code)}, {language}, "
               f"{data['organisations']} {_plural(round_)}")


@report_cli.command("all")
@click.option("--round", "round_code", required=True, help="The round to report (the 'after').")
@click.option("--baseline", "baseline_code", help="The round to compare with: a round code, or 'none' (default: the previous round of the same questionnaire).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.option("--out-dir", required=True, type=click.Path(file_okay=False, path_type=Path))
@click.option("--workers", type=int, help="Processes to use (default: one per core).")
@click.option("--org", "only", multiple=True, help="Only these subject codes (repeat the option).")
@_refusing_changed_definitions
def all_profiles(round_code: str, baseline_code: str | None, language: str, out_dir: Path, workers: int | None,
                 only: tuple[str, ...]) -> None:
    """Write the profile of every active subject of a round (of the kind it assesses), on all cores, with a
    progress bar."""
    from capacity.reporting.batch import render_all

    round_ = _round(round_code)
    baseline = _baseline(round_, baseline_code)
    query = subjects_of(round_).with_only_columns(Organisation.code)
    codes = list(db.session.scalars(query.where(Organisation.code.in_(only)) if only else query))
    unknown = sorted(set(only) - set(codes))
    if unknown:
        raise click.UsageError(f"no active subject of the round's kind ({round_.subject_kind}) has the code(s) "
                               f"{', '.join(unknown)}")
    # No baseline round: the request as given, so the profiles say why as the web's do (none earlier, or none chosen).
    files = render_all(codes, round_.code, baseline.round.code if baseline.round else baseline_code, language, out_dir,
                       workers)
    with click.progressbar(files, length=len(codes), label=f"{len(codes)} profiles") as bar:
        for _ in bar:
            pass
    click.echo(f"{out_dir}: {len(codes)} profiles ({_compared(baseline, round_code)}, {language})")
