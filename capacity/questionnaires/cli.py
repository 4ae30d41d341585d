"""``capacity questionnaire …``: thin commands over the questionnaire library."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.model import KNOWN_LANGUAGES
from capacity.questionnaires.library import DEFAULT_DIRECTORY, Library, load_directory, load_files, yaml_files

questionnaire_cli = AppGroup("questionnaire", help="Questionnaires and rubrics (YAML files in questionnaires/).")


@questionnaire_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check questionnaire and rubric files; print one line per file, or one per problem."""
    missing = [p for p in paths if not p.is_file()]
    for path in missing:
        click.echo(f"{path}:1:1: no such file", err=True)
    given = {p.resolve() for p in paths if p.is_file()}
    # Rubrics may refer to questionnaires that live beside them, so read the neighbours too.
    neighbours = [p for p in yaml_files(DEFAULT_DIRECTORY) if p.resolve() not in given]
    known, _ = load_files(neighbours)
    library, problems = load_files([p for p in paths if p.is_file()], known)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems or missing:
        raise SystemExit(1)
    for questionnaire in library.questionnaires.values():
        rated = [i for i in questionnaire.indicators if not i.computed]
        click.echo(f"{questionnaire.path}: questionnaire {questionnaire.key}: {len(questionnaire.domains)} domains, "
                   f"{len(rated)} indicators (+{len(questionnaire.indicators) - len(rated)} computed), "
                   f"{len(questionnaire.profile)} profile questions, languages {' and '.join(questionnaire.languages)} complete"
                   + (f", draft translation: {', '.join(questionnaire.draft_languages)}" if questionnaire.draft_languages else ""))
    for rubric in library.rubrics.values():
        click.echo(f"{rubric.path}: rubric {rubric.key} for {rubric.questionnaire_key}: {len(rubric.stages)} stages, "
                   f"lenses {', '.join(lens.code for lens in rubric.lenses) or 'none'}, gap flag at {rubric.gap_threshold} levels, "
                   f"{len(rubric.plan.support_types)} support types for plans")
    for resource_set in library.resources.values():
        files = sum(1 for r in resource_set.resources if r.file)
        click.echo(f"{resource_set.path}: learning resources {resource_set.key} for {resource_set.questionnaire_key}: "
                   f"{len(resource_set.resources)} resources ({files} shipped as files)")


def library_or_exit() -> Library:
    try:
        return load_directory()
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("questionnaires/ has invalid files (listed above)") from None


@questionnaire_cli.command("list")
def list_questionnaires() -> None:
    """List the questionnaires and rubrics with their versions and content hashes."""
    library = library_or_exit()
    for q in sorted(library.questionnaires.values(), key=lambda q: q.key):
        click.echo(f"questionnaire {q.key:<22} {q.content_hash[:12]}  {q.title.en}")
    for r in sorted(library.rubrics.values(), key=lambda r: r.key):
        click.echo(f"rubric        {r.key:<22} {r.content_hash[:12]}  for {r.questionnaire_key}")


@questionnaire_cli.command("show")
@click.argument("ref")
@click.option("--language", default="en", type=click.Choice(sorted(KNOWN_LANGUAGES)), show_default=True,
              help="A content language of the questionnaire (others fall back, and the first line says so).")
def show(ref: str, language: str) -> None:
    """Show a questionnaire's domains, sub-areas and indicators: ID or ID@VERSION (default: the newest)."""
    library = library_or_exit()
    qid, _, version = ref.partition("@")
    questionnaire = library.questionnaire(qid, version) if version else library.latest(qid)
    if questionnaire is None:
        raise click.ClickException(f"no questionnaire {ref}; known: {', '.join(sorted(library.questionnaires))}")
    click.echo(f"{questionnaire.title.get(language)} ({questionnaire.key}, sha256 {questionnaire.content_hash[:12]})")
    shown_in = questionnaire.content_language(language)
    if shown_in != language:
        click.echo(f"(no {language} content: shown in {shown_in})")
    elif language in questionnaire.draft_languages:
        click.echo(f"({language} is a draft translation: texts not yet translated are shown in another language)")
    click.echo("scale: " + ", ".join(f"{s.level} {s.name.get(language)}" for s in questionnaire.scale))
    for domain in questionnaire.domains:
        click.echo(f"\n{domain.code}  {domain.title.get(language)}")
        sub_areas = {s.code: s for s in domain.sub_areas}
        current = None
        for indicator in domain.indicators:
            if indicator.sub_area and indicator.sub_area != current:
                current = indicator.sub_area
                click.echo(f"  {current}  {sub_areas[current].title.get(language)}")
            tags = ",".join(indicator.gesi + indicator.rba)
            marks = (f" [{indicator.type}]" if indicator.type != "scale" else "") \
                + (f" [options: {', '.join(o.code for o in indicator.options)}]" if indicator.options else "") \
                + (f" [if {indicator.show_if.code} {indicator.show_if.operator} {indicator.show_if.value}]"
                   if indicator.show_if else "") \
                + (" [optional]" if not indicator.required else "") \
                + (" [N/A allowed]" if indicator.allow_na else "") + (" [computed]" if indicator.computed else "")
            click.echo(f"  {indicator.code:<9} {indicator.text.get(language)}{marks}" + (f"  ({tags})" if tags else ""))
