"""Text alternatives for the report charts, built from the very numbers each chart draws.

A screen reader reads a chart's text alternative (the image's ``alt``, which the
tagged PDF keeps as its Figure's /Alt) instead of the picture, so it states
every value the chart shows, in the report's language and number format: a
person who cannot see the radar hears "Governance and leadership: 2,29
(baseline 2025), 3,57 (endline 2026)". Values arrive formatted (see
``numbers``); "—" becomes words, as a screen reader would read the dash aloud.
Called inside the report's ``force_locale``. The joins are punctuation only,
the same in Georgian and English, so no placeholder needs a case ending.
"""
from __future__ import annotations

from flask_babel import gettext as _

from capacity.reporting.numbers import MISSING


def _said(value: str) -> str:
    return _("no score") if value == MISSING else value


def _item(label: str, values: list[str], rounds: list[str]) -> str:
    """One category of a chart: "label: value (round), value (round)", or "label: value" with one round."""
    if len(values) == 1:
        return f"{label}: {_said(values[0])}"
    return f"{label}: " + ", ".join(f"{_said(value)} ({name})" for value, name in zip(values, rounds))


def _sentence(intro: str, items: list[str]) -> str:
    return f"{intro} {'; '.join(items)}."


def radar(domains: list[dict], rounds: list[str], low: int, high: int, intro: str | None = None) -> str:
    """The profile's domain chart (a radar, or dots below three domains): each domain's value in each round drawn
    (``domains``: rows with title, before, after as drawn). ``intro``: what the values are, when not levels
    on the ``low``–``high`` scale (a percentage of the maximum: ``measures.Measure.chart_intro``)."""
    keys = ("before", "after")[-len(rounds):]
    return _sentence(intro or _("Domain scores on the %(low)d–%(high)d scale:", low=low, high=high),
                     [_item(d["title"], [d[k] for k in keys], rounds) for d in domains])


def heatmap_intro(round_name: str, low: int, high: int, percent: bool = False, plural: str | None = None) -> str:
    """The first words of the heatmap's text alternative: what its cells are (``plural``: the kind of subject its
    rows are, as a label; None: organisations, in the words an organisation round's portfolio always used)."""
    if plural is not None:
        if percent:
            return _("Domain scores (%(plural)s), %(round)s, as a percentage of the maximum (the table below the chart "
                     "names the domains):", plural=plural, round=round_name)
        return _("Domain scores (%(plural)s), %(round)s, on the %(low)d–%(high)d scale (the table below the chart "
                 "names the domains):", plural=plural, round=round_name, low=low, high=high)
    if percent:
        return _("Domain scores by organisation, %(round)s, as a percentage of the maximum (the table below the chart "
                 "names the domains):", round=round_name)
    return _("Domain scores by organisation, %(round)s, on the %(low)d–%(high)d scale (the table below "
             "the chart names the domains):", round=round_name, low=low, high=high)


def heatmap(organisations: list[str], domains: list[str], cells: list[list[str]], round_name: str, low: int,
            high: int, percent: bool = False, plural: str | None = None) -> str:
    """The portfolio's heatmap: every organisation's score in every domain, as printed in its cells (``percent``:
    as a percentage of the maximum, for a rubric that presents points or percent)."""
    items = []
    for organisation, row in zip(organisations, cells):
        if all(cell == MISSING for cell in row):
            items.append(f"{organisation}: {_said(MISSING)}")
        else:
            items.append(f"{organisation}: " + ", ".join(f"{code} {_said(cell)}" for code, cell in zip(domains, row)))
    return _sentence(heatmap_intro(round_name, low, high, percent, plural), items)


def stage_bars(stages: list[str], counts: list[list[str]], rounds: list[str], plural: str | None = None) -> str:
    """The portfolio's stage bars: how many organisations are in each stage, in each round drawn.

    ``counts``: one list per round drawn (as ``rounds``), one formatted count per stage; ``plural``: the kind of
    subject counted, as a label (None: organisations).
    """
    intro = _("Number of organisations in each stage:") if plural is None \
        else _("Number in each stage (%(plural)s):", plural=plural)
    return _sentence(intro,
                     [_item(stage, [per_round[i] for per_round in counts], rounds) for i, stage in enumerate(stages)])
