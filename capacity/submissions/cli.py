"""``capacity submissions import``: a KoboToolbox/ODK submissions export into a round's assessments on one track."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from capacity.extensions import db
from capacity.rounds.queries import by_code

submissions_cli = AppGroup("submissions", help="Answers collected with KoboToolbox or ODK.")


@submissions_cli.command("import")
@click.option("--round", "round_code", required=True, help="The round's code (e.g. baseline).")
@click.option("--track", required=True, type=click.Choice(["self", "mentor"]),
              help="Whose assessment the answers are: the self-assessment or the mentor's.")
@click.option("--dry-run", is_flag=True, help="Check the file and print the report; save nothing.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(round_code: str, track: str, dry_run: bool, file: Path) -> None:
    """Import FILE (XLSX or CSV, as KoboToolbox or ODK Central export it with XML values and headers): one row per
    subject of the round's kind (organisation, service or municipality), its code in the column
    capacity_organisation. All rows or none: any problem (a code of another kind among them) and nothing is
    saved (exit status 1). Imported assessments stay drafts, to be reviewed and submitted on the web."""
    # The import stack (openpyxl) loads when this command runs, not when the command line starts.
    from capacity.submissions.reading import MAX_BYTES
    from capacity.submissions.services import import_submissions

    round_ = by_code(round_code)
    if round_ is None:
        raise click.ClickException(f"no round has the code '{round_code}'")
    try:
        with file.open("rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise click.ClickException(f"cannot read '{file}': {error.strerror}") from error
    with force_locale("en"):
        report = import_submissions(None, round_, track, file.name, data, apply=not dry_run)
        if report.applied:
            db.session.commit()
        else:
            db.session.rollback()
        for line in report.lines():
            click.echo(line)
    if not report.ok:
        raise SystemExit(1)
