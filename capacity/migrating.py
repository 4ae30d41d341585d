"""Schema migrations (Flask-Migrate on Alembic), set up when something migrates, not when the app starts.

Importing Flask-Migrate imports Alembic, which took a sixth of the start-up of every
command (``capacity --help`` included) and of every web worker, while only
``capacity db …``, ``capacity restore`` and tests that build the schema by migrating
use it. So ``create_app`` registers ``MigrationCommands``, a stand-in for Flask-Migrate's
``db`` command group that imports it when a ``db`` command runs, and code that calls
Flask-Migrate's functions (``upgrade()``, ``downgrade()`` …) calls ``init_migrate(app)``
first: without it they fail with ``KeyError: 'migrate'``.
"""
from __future__ import annotations

import click
from flask import Flask

from capacity import resources
from capacity.extensions import db


def init_migrate(app: Flask) -> None:
    """Set Flask-Migrate up for ``app`` (once; later calls do nothing)."""
    if "migrate" in app.extensions:
        return
    from flask_migrate import Migrate  # imports Alembic: see the module's docstring

    Migrate(app, db, directory=str(resources.MIGRATIONS_DIR), render_as_batch=True, compare_type=True)


class MigrationCommands(click.Group):
    """``capacity db …``: Flask-Migrate's command group, imported when one of its commands runs.

    ``capacity --help`` lists it with the one line below and imports nothing. When it
    runs, click asks the group for a context (``make_context``); this one sets
    Flask-Migrate up and hands over to its group, which parses the arguments and
    runs from then on.
    """

    def __init__(self, app: Flask):
        super().__init__("db", short_help="Perform database migrations.")
        self.app = app

    def make_context(self, info_name, args, parent=None, **extra):
        init_migrate(self.app)
        from flask_migrate.cli import db as flask_migrate_commands

        return flask_migrate_commands.make_context(info_name, args, parent=parent, **extra)
