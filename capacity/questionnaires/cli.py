"""``capacity questionnaire …`` and ``capacity score``: thin commands over the library and scoring."""
from __future__ import annotations

import json
import math
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup, with_appcontext

from capacity.rounds.models import AssessmentRound
from capacity.assessments.results import DefinitionChanged, DefinitionMissing, score_round
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.library import DEFAULT_DIRECTORY, Library, load_directory, load_files, yaml_files
from capacity.scoring.frames import AnswerProblem

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
                   f"{len(questionnaire.profile)} profile questions, languages ka and en complete")
    for rubric in library.rubrics.values():
        click.echo(f"{rubric.path}: rubric {rubric.key} for {rubric.questionnaire_key}: {len(rubric.stages)} stages, "
                   f"lenses {', '.join(lens.code for lens in rubric.lenses) or 'none'}, gap flag at {rubric.gap_threshold} levels")


def _library() -> Library:
    try:
        return load_directory()
    except DefinitionError as error:
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("questionnaires/ has invalid files (listed above)") from None


@questionnaire_cli.command("list")
def list_questionnaires() -> None:
    """List the questionnaires and rubrics with their versions and content hashes."""
    library = _library()
    for q in sorted(library.questionnaires.values(), key=lambda q: q.key):
        click.echo(f"questionnaire {q.key:<22} {q.content_hash[:12]}  {q.title.en}")
    for r in sorted(library.rubrics.values(), key=lambda r: r.key):
        click.echo(f"rubric        {r.key:<22} {r.content_hash[:12]}  for {r.questionnaire_key}")


@questionnaire_cli.command("show")
@click.argument("ref")
@click.option("--language", default="en", type=click.Choice(["ka", "en"]), show_default=True)
def show(ref: str, language: str) -> None:
    """Show a questionnaire's domains and indicators: ID or ID@VERSION (default: the newest)."""
    library = _library()
    qid, _, version = ref.partition("@")
    questionnaire = library.questionnaire(qid, version) if version else library.latest(qid)
    if questionnaire is None:
        raise click.ClickException(f"no questionnaire {ref}; known: {', '.join(sorted(library.questionnaires))}")
    click.echo(f"{questionnaire.title.get(language)} ({questionnaire.key}, sha256 {questionnaire.content_hash[:12]})")
    click.echo("scale: " + ", ".join(f"{s.level} {s.name.get(language)}" for s in questionnaire.scale))
    for domain in questionnaire.domains:
        click.echo(f"\n{domain.code}  {domain.title.get(language)}")
        for indicator in domain.indicators:
            tags = ",".join(indicator.gesi + indicator.rba)
            marks = (" [N/A allowed]" if indicator.allow_na else "") + (" [computed]" if indicator.computed else "")
            click.echo(f"  {indicator.code:<9} {indicator.text.get(language)}{marks}" + (f"  ({tags})" if tags else ""))


@click.command("score")
@with_appcontext
@click.option("--org", "org_code", required=True, help="Organisation code.")
@click.option("--round", "round_code", required=True, help="Round code, e.g. baseline.")
@click.option("--track", default="official", type=click.Choice(["official", "self", "mentor", "consensus"]), show_default=True)
@click.option("--format", "output", default="table", type=click.Choice(["table", "json"]), show_default=True)
@click.option("--language", default="en", type=click.Choice(["ka", "en"]), show_default=True)
def score_command(org_code: str, round_code: str, track: str, output: str, language: str) -> None:
    """Print an organisation's domain scores, index, stage and sub-indices for a round."""
    org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
    if org is None:
        raise click.UsageError(f"no organisation has the code '{org_code}' (see: capacity org list)")
    if round_ is None:
        raise click.UsageError(f"no round has the code '{round_code}'")
    try:
        scores, definitions = score_round(round_, track=track, organisation_ids=[org.id], library=_library())
    except (DefinitionMissing, DefinitionChanged, AnswerProblem) as error:
        raise click.ClickException(str(error)) from None
    if scores.overall.empty:
        raise click.ClickException(f"{org_code} has no {track} answers in round {round_code}")
    overall = scores.overall.iloc[0]
    titles = {d.code: d.title.get(language) for d in definitions.questionnaire.domains}
    stages = {s.code: s.name.get(language) for s in definitions.rubric.stages}
    lenses = {lens.code: lens.title.get(language) for lens in definitions.rubric.lenses}
    result = {
        "organisation": org_code, "round": round_code, "track": track,
        "questionnaire": definitions.questionnaire.key, "rubric": definitions.rubric.key,
        "index": _num(overall["index"]), "stage": overall["stage"] if isinstance(overall["stage"], str) else None,
        "domains": [{"code": r.domain, "title": titles[r.domain], "score": _num(r.score), "answered": int(r.answered),
                     "applicable": int(r.applicable)} for r in scores.domains.itertuples()],
        "lenses": [{"code": r.lens, "title": lenses[r.lens], "score": _num(r.score), "answered": int(r.answered)}
                   for r in scores.lenses.itertuples()],
    }
    if output == "json":
        click.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    click.echo(f"{org_code} · {round_code} · {track}  ({result['questionnaire']}, rubric {result['rubric']})")
    for row in result["domains"] + [None] + result["lenses"]:
        if row is None:
            click.echo("")
            continue
        value = f"{row['score']:.2f}" if row["score"] is not None else "insufficient data"
        click.echo(f"  {row['code']:<6} {row['title'][:52]:<52} {value:>17}")
    index = f"{result['index']:.2f}" if result["index"] is not None else "insufficient data"
    click.echo(f"\n  index  {index}   stage: {stages.get(result['stage'], '—')}")


def _num(value) -> float | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else round(float(value), 3)
