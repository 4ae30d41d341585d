"""``capacity score``: an organisation's scores in a round, on one track or the official one (all tracks visible)."""
from __future__ import annotations

import json
import math

import click
import sqlalchemy as sa
from flask.cli import with_appcontext

from capacity.assessments.results import DefinitionChanged
from capacity.rounds.definitions import DefinitionMissing
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.questionnaires.cli import library_or_exit
from capacity.rounds.models import AssessmentRound


@click.command("score")
@with_appcontext
@click.option("--org", "org_code", required=True, help="Organisation code.")
@click.option("--round", "round_code", required=True, help="Round code, e.g. baseline.")
@click.option("--track", default="official", type=click.Choice(["official", "self", "mentor", "consensus"]), show_default=True)
@click.option("--format", "output", default="table", type=click.Choice(["table", "json"]), show_default=True)
@click.option("--language", default="en", type=click.Choice(["ka", "en"]), show_default=True)
def score_command(org_code: str, round_code: str, track: str, output: str, language: str) -> None:
    """Print an organisation's domain scores, index, stage and sub-indices for a round."""
    # Scoring loads pandas: imported when this command runs, not when the command line starts.
    from capacity.assessments.scores import score_round
    from capacity.scoring.frames import AnswerProblem

    org = db.session.scalar(sa.select(Organisation).where(Organisation.code == org_code))
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
    if org is None:
        raise click.UsageError(f"no organisation has the code '{org_code}' (see: capacity org list)")
    if round_ is None:
        raise click.UsageError(f"no round has the code '{round_code}'")
    try:
        scores, definitions = score_round(round_, track=track, organisation_ids=[org.id], library=library_or_exit())
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
