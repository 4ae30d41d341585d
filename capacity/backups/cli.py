"""``capacity backup -o FILE`` and ``capacity restore FILE``."""
from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from capacity.backups import services
from capacity.extensions import db
from capacity.migrating import init_migrate


@click.command("backup")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The backup file to write (replaced if it exists).")
@with_appcontext
def backup_command(output: Path) -> None:
    """Back up the whole database (answers, audit trail, evidence files) into one file, while the app runs."""
    try:
        info = services.backup(db.engine, output)
    except services.BackupProblem as problem:
        raise click.ClickException(str(problem))
    size = output.stat().st_size
    click.echo(f"Backed up {services.database_name(db.engine.url)} ({info.kind}, schema {info.revision}) "
               f"to {output}: {size:,} bytes.")


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory  # Alembic loads when a backup is restored (capacity.migrating)

    migrations = current_app.extensions["migrate"].directory
    config = current_app.extensions["migrate"].migrate.get_config(migrations)
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


@click.command("restore")
@click.argument("backup_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace a database that already holds data without asking.")
@with_appcontext
def restore_command(backup_file: Path, yes: bool) -> None:
    """Replace the database with a backup made by `capacity backup`, then upgrade its schema to this version.

    Stop the web servers and workers first: they would go on with what they had read.
    """
    from flask_migrate import upgrade

    init_migrate(current_app)
    try:
        info = services.inspect_backup(backup_file)
        if services.has_data(db.engine) and not yes:
            click.confirm(f"{services.database_name(db.engine.url)} already holds data. Replace all of it with "
                          f"{backup_file}?", abort=True)
        services.restore(db.engine, backup_file, _known_revisions())
    except services.BackupProblem as problem:
        raise click.ClickException(str(problem))
    except sa.exc.OperationalError as error:
        raise click.ClickException(f"the database cannot be reached: {error.orig}")
    upgrade()  # a backup from an older version gets this version's schema
    click.echo(f"Restored {backup_file} ({info.kind}, schema {info.revision}) into "
               f"{services.database_name(db.engine.url)}.")
