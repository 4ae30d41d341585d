"""``capacity questionnaire …``: thin commands over the questionnaire library."""
from __future__ import annotations

import os
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


def _questionnaire_or_exit(library: Library, ref: str):
    qid, _, version = ref.partition("@")
    questionnaire = library.questionnaire(qid, version) if version else library.latest(qid)
    if questionnaire is None:
        raise click.ClickException(f"no questionnaire {ref}; known: {', '.join(sorted(library.questionnaires))}")
    return questionnaire


def _rubric_for(library: Library, questionnaire, wanted: str | None):
    """The rubric named ``wanted`` (ID or ID@VERSION), else the questionnaire's default one (or None)."""
    rubrics = sorted((r for r in library.rubrics.values() if r.questionnaire_key == questionnaire.key), key=lambda r: r.key)
    if wanted:
        rid, _, version = wanted.partition("@")
        found = [r for r in rubrics if r.id == rid and (not version or r.version == version)]
        if not found:
            raise click.ClickException(f"no rubric {wanted} for {questionnaire.key}; known: "
                                       f"{', '.join(r.key for r in rubrics) or 'none'}")
        return found[-1]
    return next((r for r in rubrics if r.id == f"{questionnaire.id}-default"), rubrics[0] if rubrics else None)


@questionnaire_cli.command("export-xlsform")
@click.argument("ref")
@click.option("--rubric", "rubric_ref", help="Rubric whose weights fill capacity_weight (default: the questionnaire's "
                                             "default rubric, if any).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The .xlsx to write (default: ID-VERSION.xlsx).")
@click.option("--force", is_flag=True, help="Replace the output file if it exists.")
def export_xlsform_command(ref: str, rubric_ref: str | None, output: Path | None, force: bool) -> None:
    """Write a questionnaire (ID or ID@VERSION) as an XLSForm workbook for KoboToolbox, ODK or a spreadsheet."""
    from capacity.xlsform.export import ExportError, export_xlsform
    from capacity.xlsform.files import output_problem, write_file

    library = library_or_exit()
    questionnaire = _questionnaire_or_exit(library, ref)
    rubric = _rubric_for(library, questionnaire, rubric_ref)
    output = output or Path(f"{questionnaire.id}-{questionnaire.version}.xlsx")
    if problem := output_problem(output, (".xlsx",), replace=force):
        raise click.ClickException(problem)
    try:
        data = export_xlsform(questionnaire, rubric=rubric)
    except ExportError as error:
        raise click.ClickException(str(error)) from None
    if problem := write_file(output, data, replace=force):
        raise click.ClickException(problem)
    click.echo(f"wrote {output}: {questionnaire.key}, {len(questionnaire.domains)} domains, "
               f"{len(questionnaire.indicators)} indicators, languages {', '.join(questionnaire.content_languages)}; "
               + (f"weights from rubric {rubric.key}" if rubric else "no rubric, so no weights"))


def _weight_differences(weights: dict[str, dict[str, float]], rubric, questionnaire) -> list[str]:
    """Where the form's weights differ from the rubric's (a missing weight counts as 1, as in scoring)."""
    codes = {"domain_weights": [d.code for d in questionnaire.domains],
             "sub_area_weights": [s.code for d in questionnaire.domains for s in d.sub_areas],
             "indicator_weights": [i.code for i in questionnaire.indicators]}
    lines = []
    for table, names in codes.items():
        ours, theirs = weights.get(table, {}), getattr(rubric, table)
        for code in names:
            if ours.get(code, 1.0) != theirs.get(code, 1.0):
                lines.append(f"  {table[:-8]} {code}: form {ours.get(code, 1.0):g}, rubric {theirs.get(code, 1.0):g}")
    return lines


@questionnaire_cli.command("import-xlsform")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="The questionnaire YAML to write.")
@click.option("--into", type=click.Path(path_type=Path),
              help="Write ID.yaml into this folder (e.g. questionnaires/), beside its rubrics.")
@click.option("--force", is_flag=True, help="With -o: replace the file if it exists (never another questionnaire's).")
def import_xlsform_command(file: Path, output: Path | None, into: Path | None, force: bool) -> None:
    """Read an XLSForm workbook as a questionnaire; print problems as FILE:SHEET:ROW: message and exit 1."""
    from capacity.xlsform.files import library_problems, output_problem, write_file
    from capacity.xlsform.importing import import_xlsform
    from capacity.xlsform.reading import MAX_BYTES, XlsFormError

    if output and into:
        raise click.UsageError("give -o or --into, not both")
    if into and not into.is_dir():
        raise click.ClickException(f"the folder {into} does not exist" if not into.exists() else f"{into} is not a folder")
    if output and (problem := output_problem(output, (".yaml", ".yml"), replace=force)):
        raise click.ClickException(problem)
    try:
        if file.stat().st_size > MAX_BYTES:  # refused before it is read into memory
            click.echo(f"{file}:workbook:1: the file is larger than {MAX_BYTES // (1024 * 1024)} MB", err=True)
            raise SystemExit(1)
        data = file.read_bytes()
    except OSError as error:
        click.echo(f"{file}:workbook:1: cannot read the file: {error.strerror}", err=True)
        raise SystemExit(1) from None
    try:
        imported = import_xlsform(data, file.name)
    except XlsFormError as error:
        for problem in error.problems:
            click.echo(f"{file}:{problem}", err=True)
        raise SystemExit(1) from None
    questionnaire = imported.questionnaire
    folder = into or (output.parent if output else Path(os.environ.get("CAPACITY_QUESTIONNAIRES") or DEFAULT_DIRECTORY))
    # The folder's rubrics are read against the imported questionnaire, so one written for it is found.
    imported_only = Library(questionnaires={questionnaire.key: questionnaire})
    known, _ = load_files(yaml_files(folder), imported_only) if folder.is_dir() else (Library(), [])
    target = output or (into / f"{questionnaire.id}.yaml" if into else None)
    existing = known.questionnaires.get(questionnaire.key)
    if target is not None and existing is not None and not (force and existing.path and _same_file(existing.path, target)):
        # two files with one id and version would make the folder's library refuse to load
        click.echo(f"{file}:settings:2: {questionnaire.key} is already in {existing.path}; "
                   "give the form a new version", err=True)
        raise SystemExit(1)
    if target is not None and target.exists() and into:
        click.echo(f"{file}:settings:2: {target} exists; import into another folder or use -o", err=True)
        raise SystemExit(1)
    refused = library_problems(target.parent, target, imported.yaml) if target is not None else []
    for problem in refused:
        click.echo(f"{file}:settings:2: the questionnaires in {target.parent} would no longer load: {problem}", err=True)
    if refused:
        raise SystemExit(1)
    if target is None:
        click.echo(imported.yaml, nl=False)
    elif problem := write_file(target, imported.yaml.encode("utf-8"), replace=force and not into):
        raise click.ClickException(problem)
    report = [f"{'wrote ' + str(target) if target else 'read'}: questionnaire {questionnaire.key}, "
              f"{len(questionnaire.domains)} domains, {len(questionnaire.indicators)} indicators"]
    given = {table: values for table, values in imported.weights.items() if values}
    for table, values in given.items():
        report.append(f"{table} (capacity_weight): " + ", ".join(f"{code} {value:g}" for code, value in values.items()))
    rubric = _rubric_for(known, questionnaire, None)
    if rubric is not None:
        differences = _weight_differences(imported.weights, rubric, questionnaire)
        report.append(f"weights differ from rubric {rubric.key} ({rubric.path}):" if differences
                      else f"weights match rubric {rubric.key}")
        report.extend(differences)
    elif given:
        report.append("no rubric for this questionnaire in " + str(folder) + ": copy the weights into one "
                      "(domain_weights, sub_area_weights, indicator_weights); a rubric also needs stages and lenses")
    for line in report:
        click.echo(line, err=target is None)


def _same_file(one, other: Path) -> bool:
    try:
        return Path(one).resolve() == other.resolve()
    except OSError:
        return False
