"""How reports print a result: on the rubric's measure (``Rubric.presentation``), in the reader's number format.

``mean``: the weighted mean level (2,57), as the GESI instrument's reports always printed it; ``points``: the
weighted sum of the answered levels out of the most those answers could reach ("148 of 215 points", "31 / 40"
in a table); ``percent``: those points as a percentage of that maximum ("84%", the locale's percent format).
The rubric's stages are bands on the same measure, so a stage printed beside a figure always matches it.

Charts need one axis for every domain: the mean on the scale, else the percentage of each domain's
maximum (points of domains with different maxima cannot share an axis); ``chart_*`` say which.
Scores frames carry every measure (``capacity.scoring.rollup``: score, points, max_points, percent).
Called inside the report's ``force_locale``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from flask_babel import gettext as _

from capacity.reporting.numbers import MISSING, is_missing, number, percent, signed


def _points(value) -> str:
    """Points as whole numbers, or with one decimal where weights make them fractional."""
    if is_missing(value):
        return MISSING
    return number(value, 0 if abs(float(value) - round(float(value))) < 0.05 else 1)


@dataclass(frozen=True)
class Measure:
    """The rubric's measure, with the scale it is drawn on in charts."""

    kind: str  # "mean" | "points" | "percent"
    low: int  # the questionnaire's scale, for charts of the mean
    high: int

    @classmethod
    def of(cls, questionnaire, rubric) -> "Measure":
        return cls(rubric.presentation, questionnaire.min_level, questionnaire.max_level)

    @property
    def is_mean(self) -> bool:
        return self.kind == "mean"

    @property
    def column(self) -> str:
        """The column of a domain, lens or sub-area frame that holds this measure."""
        return {"mean": "score"}.get(self.kind, self.kind)

    @property
    def overall_column(self) -> str:
        """The overall frame's column (``measure`` equals it: the mean stays ``index`` for the GESI reports)."""
        return {"mean": "index"}.get(self.kind, self.kind)

    # Figures -----------------------------------------------------------------------------------------------

    def figure(self, value, maximum=None) -> str:
        """A value in a table cell: "2.57", "31 / 40" (points, or "31" without a maximum), "84%"."""
        if self.kind == "points":
            return _points(value) if is_missing(value) or is_missing(maximum) else f"{_points(value)} / {_points(maximum)}"
        if self.kind == "percent":
            return MISSING if is_missing(value) else percent(float(value) / 100)
        return number(value)

    def headline(self, value, maximum=None) -> str:
        """The overall result in the headline box: "2.57", "148 of 215 points", "84%"."""
        if self.kind == "points" and not is_missing(value) and not is_missing(maximum):
            return _("%(points)s of %(maximum)s points", points=_points(value), maximum=_points(maximum))
        return self.figure(value) if self.kind != "points" else _points(value)

    def change(self, delta) -> str:
        """A change on this measure: "+0.50" (levels), "+12" (points), "+5" (percentage points)."""
        if self.kind == "points":
            return MISSING if is_missing(delta) else ("+" if delta > 0 else "") + _points(delta)
        if self.kind == "percent":
            return signed(delta, 0)
        return signed(delta)

    def change_unit(self) -> str:
        """What the headline's change box counts."""
        return {"points": _("points"), "percent": _("percentage points")}.get(self.kind) or _("overall index")

    def headline_note(self) -> str:
        """One sentence under the headline saying what its figure is."""
        if self.kind == "points":
            return _("Overall result: the points scored (each answer's level, times its weight) out of the most the "
                     "answered questions could score.")
        if self.kind == "percent":
            return _("Overall result: the points scored (each answer's level, times its weight) as a percentage of "
                     "the most the answered questions could score.")
        return _("Overall index: the weighted mean of the domain scores on the %(low)d–%(high)d scale.",
                 low=self.low, high=self.high)

    def change_minimum(self, maxima: list[float | None]) -> float:
        """The change bars' half-axis at least: one level (mean), a quarter of the range otherwise."""
        if self.kind == "percent":
            return 25.0
        if self.kind == "points":
            return max([1.0] + [m / 4 for m in maxima if not is_missing(m)])
        return 1.0

    # Frames ------------------------------------------------------------------------------------------------

    def values(self, frame: pd.DataFrame | None, key: str) -> dict[str, tuple[float | None, float | None, float | None]]:
        """{code: (value on this measure, its maximum points, the value a chart draws)} of one organisation's frame."""
        if frame is None:
            return {}
        own = frame[self.column] if self.column in frame else frame["score"]
        maxima = frame["max_points"] if "max_points" in frame else pd.Series([None] * len(frame), index=frame.index)
        drawn = frame[self.chart_column] if self.chart_column in frame else own
        return {code: (_value(v), _value(m), _value(d)) for code, v, m, d in zip(frame[key], own, maxima, drawn)}

    def overall(self, frame: pd.DataFrame) -> tuple[float | None, float | None]:
        """(the overall result on this measure, its maximum points) of one organisation's overall frame."""
        if frame.empty:
            return None, None
        column = self.overall_column if self.overall_column in frame else "index"
        maximum = frame["max_points"].iloc[0] if "max_points" in frame else None
        return _value(frame[column].iloc[0]), _value(maximum)

    # Charts ------------------------------------------------------------------------------------------------

    @property
    def chart_column(self) -> str:
        return "score" if self.is_mean else "percent"

    @property
    def chart_range(self) -> tuple[float, float]:
        return (self.low, self.high) if self.is_mean else (0, 100)

    def chart_ticks(self) -> tuple[tuple[float, str], ...]:
        """The rings (radar) or grid lines (dots) and their labels, as the report prints numbers."""
        if self.is_mean:
            return tuple((float(level), str(level)) for level in range(self.low, self.high + 1))
        return tuple((float(v), percent(v / 100)) for v in (0, 25, 50, 75, 100))

    def chart_figure(self, value) -> str:
        """A drawn value as the chart's text alternative states it."""
        return number(value) if self.is_mean else (MISSING if is_missing(value) else percent(float(value) / 100))

    def chart_intro(self) -> str:
        """The first words of the domain chart's text alternative."""
        if self.is_mean:
            return _("Domain scores on the %(low)d–%(high)d scale:", low=self.low, high=self.high)
        if self.kind == "points":
            return _("Domain scores as a percentage of each domain's maximum points:")
        return _("Domain scores as a percentage of the maximum:")


def _value(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)
