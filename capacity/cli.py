"""The ``capacity`` command: Flask's CLI for this app plus the programme's own commands.

Commands are thin: parse, call a service, commit once, print the outcome.
Every command module is imported to list or run any command, so none of them
imports the scoring, report or export stacks (pandas, matplotlib, WeasyPrint,
openpyxl) at the top: a command imports what it needs when it runs, and
``capacity --help`` starts at once (tests/test_startup.py checks it).
"""
from __future__ import annotations

import ipaddress
import os
import sys
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, ScriptInfo
from flask.cli import run_command as flask_run_command
from flask_babel import force_locale
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from capacity import create_app
from capacity.auth.models import Role
from capacity.config import ConfigError, sqlite_url_problem
from capacity.exports.cli import export_cli
from capacity.extensions import db
from capacity.organisations import services as organisation_services
from capacity.organisations.models import Organisation
from capacity.assessments.cli import score_command
from capacity.backups.cli import backup_command, restore_command
from capacity.questionnaires.cli import questionnaire_cli
from capacity.reliability.cli import stats_command
from capacity.reporting.cli import report_cli
from capacity.rounds.cli import round_cli
from capacity.maintenance.cli import cache_cli
from capacity.security import hide_server_version
from capacity.submissions.cli import submissions_cli
from capacity.users import services as user_services


# Commands that serve or explore the web app need its pages; every other command builds
# the app without them (create_app's web=False), which starts faster.
WEB_COMMANDS = frozenset({"run", "routes", "shell"})


def _app_factory():
    ctx = click.get_current_context(silent=True)
    command = ctx.find_root().invoked_subcommand if ctx is not None else None
    app = create_app(web=command in WEB_COMMANDS)
    problem = sqlite_url_problem(app.config["SQLALCHEMY_DATABASE_URI"])
    if problem:
        raise ConfigError(problem)
    return app


class CapacityGroup(FlaskGroup):
    """Flask's command group, whose ``--help`` says in one line why the app cannot load instead of a traceback."""

    def _load_plugin_commands(self) -> None:
        # Flask looks for other packages' "flask.commands" entry points by scanning every
        # installed distribution: a twentieth of a second at each start. Capacity's
        # commands are all registered here or on the app (``db``), and a command some
        # other installed package adds has no place in ``capacity``.
        self._loaded_plugin_commands = True

    def list_commands(self, ctx: click.Context) -> list[str]:
        try:
            ctx.ensure_object(ScriptInfo).load_app()
        except ConfigError as error:
            click.echo(f"capacity: {error}", err=True)
            return sorted(self.commands)  # the commands are still listed, with the reason they cannot run yet
        return super().list_commands(ctx)


cli = CapacityGroup(create_app=_app_factory, help="Capacity: GESI-sensitive organisational capacity assessment.")
user_cli = AppGroup("user", help="User accounts.")
org_cli = AppGroup("org", help="Partner organisations.")
cli.add_command(user_cli)
cli.add_command(org_cli)
cli.add_command(questionnaire_cli)
cli.add_command(score_command)
cli.add_command(report_cli)
cli.add_command(round_cli)
cli.add_command(export_cli)
cli.add_command(cache_cli)
cli.add_command(backup_command)
cli.add_command(restore_command)
cli.add_command(submissions_cli)
cli.add_command(stats_command)


@user_cli.command("create")
@click.option("--email", required=True, help="Login e-mail address.")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="What the user may do.")
@click.option("--org", "org_code", help="Organisation code (a cso account needs it, or a --municipality).")
@click.option("--municipality", "municipalities", multiple=True, metavar="CODE",
              help="A municipality the account works on (cso or mentor; repeat for several), e.g. batumi.")
@click.option("--name", "display_name", default="", help="Display name (default: the e-mail).")
@click.option("--language", default="ka", type=click.Choice(["ka", "en"]), show_default=True)
@click.password_option("--password", help="Password (asked for when not given).")
def create_user(email: str, role: str, org_code: str | None, municipalities: tuple[str, ...], display_name: str,
                language: str, password: str) -> None:
    """Create a user account."""
    organisation = None
    if org_code:
        organisation = organisation_services.by_code(org_code)
        if organisation is None:
            raise click.UsageError(f"no organisation has the code '{org_code}' (see: capacity org list)")
    try:
        user = user_services.create_user(None, email=email, display_name=display_name, role=Role(role),
                                         password=password, organisation=organisation, language=language,
                                         municipalities=municipalities)
    except user_services.UserProblem as problem:
        option = {"organisation": "org", "municipalities": "municipality"}.get(problem.field, problem.field)
        with force_locale("en"):
            raise click.UsageError(f"--{option}: {problem.message}")
    db.session.commit()
    click.echo(f"Created {user.role.value} account {user.email}" + (f" for {organisation.code}" if organisation else "")
               + (f" working on {', '.join(municipalities)}" if municipalities else ""))


@org_cli.command("list")
def list_organisations() -> None:
    """Print the subjects' codes, kinds, municipalities and names (a service with its organisation's code)."""
    orgs = db.session.scalars(sa.select(Organisation).order_by(Organisation.kind != "organisation", Organisation.kind,
                                                               Organisation.code))
    for org in orgs:
        kind = org.kind if org.parent is None else f"{org.kind} of {org.parent.code}"
        click.echo(f"{org.code:<16} {kind:<22} {org.municipality:<13} {org.name_ka} | {org.name_en}")


@org_cli.command("import")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="Also change organisations whose code already exists.")
def import_organisations(csv_file: Path, update: bool) -> None:
    """Import organisations from a UTF-8 CSV file (all rows or none).

    Columns: code, name_ka, name_en, municipality, service_areas (';'-separated:
    children;disability;families), contact_name, contact_email, contact_phone; optionally
    kind (organisation, service, municipality) and parent (a service's organisation code).
    """
    from capacity.organisations import importer  # email_validator builds its tables on import: only here

    try:
        report = importer.import_organisations(None, csv_file.read_bytes(), str(csv_file), update=update)
    except importer.ImportFailed as failure:
        db.session.rollback()
        for problem in failure.problems:
            click.echo(problem, err=True)
        click.echo(f"Nothing was imported: {len(failure.problems)} problem(s) to fix.", err=True)
        sys.exit(1)
    db.session.commit()
    click.echo(f"Imported {len(report.created)} new and updated {len(report.updated)} organisation(s).")


def _refuse(message: str) -> None:
    """One line on stderr, exit status 2: the same shape as main()'s configuration errors."""
    click.echo(f"capacity: {message}", err=True)
    sys.exit(2)


@cli.command("demo")
@click.option("--allow-in-production", is_flag=True,
              help="Load it even with CAPACITY_ENV=production: only on a server meant for demonstrations.")
def demo(allow_in_production: bool) -> None:
    """Load the demo portfolio (27 fictional CSOs, six of their services, the four pilot municipalities, users,
    rounds). Safe to run again."""
    # The demo's administrator has a password printed in README.md: on a real installation it is a way in.
    # A TESTING app is not production, as for the secret key check (config.check_production).
    from capacity.demo import services as demo_services  # its answers are drawn with numpy

    production = current_app.config.get("CAPACITY_ENV") == "production" and not current_app.config.get("TESTING")
    if production and not allow_in_production:
        _refuse("the demo is not loaded in production: it creates an administrator whose password is published. "
                "Use CAPACITY_ENV=development, or add --allow-in-production on a server meant only for demonstrations.")
    logins = demo_services.build_demo()
    db.session.commit()
    click.echo("Demo portfolio ready: 27 fictional organisations with baseline and endline rounds, six of their "
               "services and the four pilot municipalities with a round each.")
    click.echo(f"Demo logins (password for all: {demo_services.DEMO_PASSWORD}):")
    for role, email in logins:
        click.echo(f"  {role:<8} {email}")


def _is_loopback(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name or 0.0.0.0-like wildcard: may be reachable from other machines


@click.pass_context
def _run(ctx: click.Context, allow_public: bool, **options) -> None:
    """Run the development server, reachable from this machine only unless --allow-public is given."""
    # Werkzeug's server with a development secret key, the demo's published passwords and,
    # with --debug, an interactive debugger: reachable from a network it is a way in.
    if not _is_loopback(options["host"]) and not allow_public:
        _refuse(f"the development server will not listen on {options['host']}, which other machines can reach: "
                "use --host 127.0.0.1, add --allow-public (or CAPACITY_ALLOW_PUBLIC_DEV=1) if you mean it, "
                "or run gunicorn for production (README: Running on PostgreSQL behind gunicorn).")
    hide_server_version()
    ctx.invoke(flask_run_command.callback, **options)


# Flask's own ``run`` with one more option; replaces the FlaskGroup's default command of that name.
run_command = click.Command(
    "run", callback=_run, help=_run.__doc__, short_help="Run the development server (this machine only).",
    params=[*flask_run_command.params,
            click.Option(["--allow-public"], is_flag=True, envvar="CAPACITY_ALLOW_PUBLIC_DEV",
                         help="Listen on a host other machines can reach (development server: not for production).")],
)
cli.add_command(run_command)


def _describe_database() -> str:
    url = os.environ.get("CAPACITY_DATABASE_URL")
    if not url:
        return "(the default SQLite file in the instance folder)"
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "(a URL that cannot be parsed)"


def main() -> None:
    """Entry point of the ``capacity`` console script: one clear line instead of a traceback."""
    try:
        cli.main(prog_name="capacity")
    except ConfigError as error:
        click.echo(f"capacity: {error}", err=True)
        sys.exit(2)
    except (OperationalError, sa.exc.ArgumentError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        click.echo(f"capacity: cannot use the database {_describe_database()}: {reason}. "
                   "Check CAPACITY_DATABASE_URL.", err=True)
        sys.exit(2)
