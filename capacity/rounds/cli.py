"""``capacity round …``: rounds from the command line (thin: parse, call a service, commit, print)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from capacity.assessments.results import definition_changes, repository_path

from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.extensions import db
from capacity.questionnaires.cli import library_or_exit
from capacity.rounds import services
from capacity.rounds.queries import by_code, rounds_newest_first

round_cli = AppGroup("round", help="Assessment rounds.")


@round_cli.command("list")
def list_rounds() -> None:
    """List the rounds, newest first, with their versions; say which files changed since answers were given."""
    rounds = rounds_newest_first()
    changes = definition_changes(rounds, library_or_exit())
    for round_ in rounds:
        state = "open" if round_.is_open else "closed"
        click.echo(f"{round_.code:<16} {state:<6} {round_.questionnaire_id} {round_.questionnaire_version}, "
                   f"rubric {round_.rubric_id} {round_.rubric_version}")
        for change in changes.get(round_.id, []):
            click.echo(f"  ! {change}")


@round_cli.command("repin")
@click.argument("code")
def repin(code: str) -> None:
    """Pin every assessment of round CODE to the current questionnaire and rubric files (recorded).

    Only for a file corrected on purpose under the same version: the round's
    answers are scored against the file as it is now. A changed meaning needs a
    new version instead.
    """
    round_ = by_code(code)
    if round_ is None:
        raise click.UsageError(f"no round has the code '{code}' (see: capacity round list)")
    library = library_or_exit()
    try:
        definitions = definitions_for(round_, library)
        changed = services.repin_round(None, round_, library)
    except DefinitionMissing as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    questionnaire, rubric = definitions.questionnaire, definitions.rubric
    files = (f"{repository_path(questionnaire.path)} ({questionnaire.key}, sha256 {questionnaire.content_hash[:12]}) "
             f"and {repository_path(rubric.path)} ({rubric.key}, sha256 {rubric.content_hash[:12]})")
    if changed:
        click.echo(f"Re-pinned round {code}: {changed} assessment(s) now scored against {files}.")
    else:
        click.echo(f"Round {code} already uses {files}; nothing changed.")
