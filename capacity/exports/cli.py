"""``capacity export round``: one round's data as an XLSX workbook or a ZIP of CSV files."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy.orm import selectinload

from capacity.assessments.results import DefinitionChanged
from capacity.rounds.definitions import DefinitionMissing
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds.services import by_code

export_cli = AppGroup("export", help="Exports of assessment data (XLSX, CSV).")


@export_cli.command("round")
@click.option("--round", "round_code", required=True, help="The round's code (e.g. baseline).")
@click.option("--format", "file_format", default="xlsx", type=click.Choice(["xlsx", "csv"]), show_default=True,
              help="xlsx: one workbook with the sheets long, wide, profile, plan, mentoring (and sub_areas when the "
                   "questionnaire has sub-areas); csv: a ZIP with one CSV file per sheet (long.csv, wide.csv, ...).")
@click.option("--lang", "language", default="ka", type=click.Choice(["ka", "en"]), show_default=True,
              help="Language of the labels (the column headers are the same in both).")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
def export_round(round_code: str, file_format: str, language: str, output: Path) -> None:
    """Write one round's answers, official scores, profile data, development plans and mentoring sessions of every
    subject of the round's kind (organisations, services or municipalities)."""
    # The export stack (pandas, openpyxl) loads when this command runs, not when the command line starts.
    from capacity.exports import formats, services
    from capacity.scoring.frames import AnswerProblem

    round_ = by_code(round_code)
    if round_ is None:
        raise click.ClickException(f"no round has the code '{round_code}'")
    folder = output.parent
    if not folder.is_dir():
        raise click.ClickException(f"the folder '{folder}' does not exist")
    # Every subject of the round's kind, inactive ones too: an export keeps what was answered.
    organisations = list(db.session.scalars(sa.select(Organisation).where(Organisation.kind == round_.subject_kind)
                                            .options(selectinload(Organisation.parent)).order_by(Organisation.code)))
    try:
        export = services.round_export(round_, organisations, language)
    except (DefinitionMissing, DefinitionChanged, AnswerProblem) as problem:
        raise click.ClickException(str(problem).splitlines()[0]) from problem
    payload = formats.xlsx_bytes(export) if file_format == "xlsx" else formats.csv_zip(export)
    try:
        output.write_bytes(payload)
    except OSError as error:
        raise click.ClickException(f"cannot write '{output}': {error.strerror}") from error
    from capacity.reporting.wording import wording

    with force_locale("en"):  # what the round's rows are: organisations, services, municipalities
        subjects = wording(round_.subject_kind, "en").plural.lower()
    click.echo(f"{output}: round {round_code}, {len(export.wide)} {subjects}, {len(export.long)} answer rows, "
               f"{len(export.profile)} profile values, {len(export.plan)} plan rows, "
               f"{len(export.mentoring)} mentoring sessions"
               + (f", {len(export.sub_areas)} sub-area scores" if export.sub_areas is not None else "")
               + f" ({language})")
