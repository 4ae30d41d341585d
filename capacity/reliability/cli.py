"""``capacity stats --round ROUND``: the reliability statistics of the portfolio's method annex as a text table.

The statistics stack (pandas, statsmodels) loads when the command runs, so the rest of the command line starts at once.
"""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from capacity.extensions import db
from capacity.rounds.models import AssessmentRound


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    """Columns padded to their widest cell; numbers (the ``right`` columns) aligned right."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    def line(cells: list[str]) -> str:
        return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows]


def _domain(row: dict) -> str:
    return f"{row['code']} {row['title']}" if row["code"] else row["title"]


def report_lines(round_: AssessmentRound, language: str) -> list[str]:
    """The figures of ``round_`` as text lines in ``language`` (the same figures as the portfolio's annex)."""
    from capacity.reliability import services
    from capacity.reporting.instrument import content_language
    from capacity.reporting.wording import wording

    with force_locale(language):
        figures, result = services.round_reliability(round_)
        questionnaire = result.definitions.questionnaire
        text = content_language(questionnaire, language)
        words = wording(round_.subject_kind, language)  # a round of services: no sentence names organisations
        view = services.view(figures, {d.code: d.title.get(text) for d in questionnaire.domains}, not words.default)
        lines = [f"{_('Reliability of the instrument')}: {round_.name(language)} ({round_.code})"]
        if view["alpha_none"]:
            pass  # said under the alpha heading
        elif view["provisional"] and words.default:
            lines.append(_("%(final)d of %(total)d organisations have a final result in this round: Cronbach's alpha "
                           "uses those only, like every count in this report.",
                           final=view["final"], total=view["organisations"]))
        elif view["provisional"]:
            lines.append(_("With a final result in this round: %(final)d of %(total)d. Cronbach's alpha uses those "
                           "only, like every count in this report.", final=view["final"], total=view["organisations"]))
        else:
            lines.append(_("Cronbach's alpha uses the final results, like every count in this report."))
        domain, pairs, reading = _("Domain"), _("Pairs (n)"), _("Reading")
        lines += ["", _("Internal consistency: Cronbach's alpha by domain")]
        lines += [view["alpha_none"]] if view["alpha_none"] else \
            _table([domain, _("Organisations (n)") if words.default else f"{words.plural} (n)", _("Indicators (k)"),
                    _("Cronbach's alpha"), reading],
                   [[_domain(r), r["n"], r["k"], r["value"], r["reading"]] for r in view["alpha"]], {1, 2, 3})
        lines += ["", _("Agreement between the self-assessment and the mentor: weighted kappa")]
        lines += [view["agreement_none"]] if view["agreement_none"] else \
            _table([domain, pairs, _("Weighted kappa"), reading],
                   [[_domain(r), r["n"], r["value"], r["reading"]] for r in view["kappa"]], {1, 2})
        if not view["agreement_none"]:
            lines += ["", _("Where the self-assessment and the mentor differ most")]
            lines += _table([domain, pairs, _("Two levels or more apart"), reading],
                            [[_domain(r), r["n"], r["value"], r["reading"]] for r in view["gaps"]], {1, 2})
        if view["largest"]:
            lines += ["", view["largest"]]
    return lines


@click.command("stats")
@click.option("--round", "round_code", required=True, help="The round's code (see: capacity round list).")
@click.option("--language", default="en", type=click.Choice(["en", "ka"]), show_default=True)
@with_appcontext
def stats_command(round_code: str, language: str) -> None:
    """Print a round's reliability statistics: Cronbach's alpha per domain, weighted kappa between the
    self-assessment and the mentor, and the share of indicators two levels or more apart."""
    from capacity.assessments.results import DefinitionChanged

    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
    if round_ is None:
        raise click.ClickException(f"no round has the code '{round_code}' (see: capacity round list)")
    try:
        lines = report_lines(round_, language)
    except DefinitionChanged as changed:
        raise click.ClickException(str(changed)) from None
    click.echo("\n".join(lines))
