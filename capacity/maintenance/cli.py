"""``capacity cache prune``: free the disk of old cached PDFs and print-all ZIPs."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from capacity.extensions import db
from capacity.maintenance.prune import BadDuration, parse_duration, prune

cache_cli = AppGroup("cache", help="Cached report PDFs and print-all ZIPs.")


@cache_cli.command("prune")
@click.option("--older-than", "older_than", default="7d", show_default=True,
              help="Remove files last written longer ago than this: 7d, 12h, 30m, 45s.")
def prune_command(older_than: str) -> None:
    """Remove cached PDFs and job ZIPs older than --older-than (they are rebuilt when asked for)."""
    try:
        age = parse_duration(older_than)
    except BadDuration as error:
        raise click.BadParameter(str(error), param_hint="--older-than")
    result = prune(current_app.instance_path, age)
    db.session.commit()
    click.echo(f"Removed {result.pdfs} cached PDF(s) and {result.zips} job ZIP(s), {result.bytes} bytes.")
