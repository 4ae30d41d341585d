"""Charts drawn with matplotlib's Figure API (no pyplot state in a server), as PNG images.

PNG, not SVG: WeasyPrint's SVG renderer ignores the report's @font-face fonts (text
would fall back to whatever fonts the server has), and drawing the charts' text as
SVG outlines took half of a profile's rendering time (measured: 1.1 of 2.1 s). The
PNGs are drawn with the reports' Noto fonts; every number and name a chart shows
is also stated in its text alternative (``alt_text``), which a screen reader reads
from the tagged PDF, and numbers are drawn as the report prints them (its locale).

Figures are sized as printed, so font sizes are points on paper, and laid out by
matplotlib's constrained layout: bbox_inches="tight" would draw each chart twice.
"""
from __future__ import annotations

import io
import math
import threading

import matplotlib
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from PIL import Image

from capacity.reporting import fonts

# The reports' own fonts, so that charts are drawn with the same letters as the text (one family per script).
for _path in fonts.regular_fonts():
    font_manager.fontManager.addfont(str(_path))
matplotlib.rcParams["axes.unicode_minus"] = False  # U+2212 is not in the shipped fonts
matplotlib.rcParams["font.family"] = list(fonts.FAMILIES)
BEFORE, AFTER = "#8a9bb0", "#0b4f8a"
DPI = 150  # sharp in print at the size the figures are drawn


def _png(figure: Figure) -> bytes:
    """The figure as an opaque PNG."""
    figure.set_dpi(DPI)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return _encode(canvas)


def _encode(canvas: FigureCanvasAgg) -> bytes:
    # RGB, not matplotlib's RGBA: WeasyPrint re-encodes every image and would split the alpha
    # channel into a second one. Low zlib effort for the same reason.
    image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba()).convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


class _Web:
    """A radar's web, domain codes and scale, drawn once; each profile draws its polygons over a copy.

    Printing all profiles draws the same web 27 times: copying its pixels back
    (matplotlib's blitting) takes a fraction of drawing its lines and labels again.
    The legend (the rounds' names) is drawn into a copy of its own, kept per legend:
    the profiles of a round share it, and it was half of drawing a radar.
    """

    def __init__(self, codes: tuple[str, ...], low: float, high: float, ticks: tuple[tuple[float, str], ...]):
        self.low, self.high = low, high
        self.figure = Figure(figsize=(2.9, 2.9), dpi=DPI)
        self.canvas = FigureCanvasAgg(self.figure)
        self.axes = self.figure.add_axes((0.04, 0.22, 0.92, 0.76))  # room below for the legend
        self.axes.set_xlim(-1.32, 1.32)
        self.axes.set_ylim(-1.18, 1.18)
        self.axes.set_aspect("equal")
        self.axes.axis("off")
        angles = [2 * math.pi * i / len(codes) for i in range(len(codes))]  # first at the top, then clockwise
        self.sines, self.cosines = [math.sin(a) for a in angles], [math.cos(a) for a in angles]
        radii = [(value - low) / (high - low) for value, _label in ticks]  # a ring per tick: each level, or 0–100 %
        web = [list(zip(*self.ring([radius] * len(codes)))) for radius in radii if radius > 0]
        web += [[(0, 0), (s, c)] for s, c in zip(self.sines, self.cosines)]
        self.axes.add_collection(LineCollection(web, colors="#c9ced6", linewidths=0.6))
        half = math.pi / len(codes)  # the scale's numbers sit between the first two spokes
        for radius, (_value, label) in zip(radii, ticks):
            self.axes.text(radius * math.sin(half), radius * math.cos(half), label,
                           fontsize=5.5, color="#4d5560", ha="left", va="bottom")
        for code, s, c in zip(codes, self.sines, self.cosines):
            self.axes.text(1.13 * s, 1.09 * c, code, fontsize=7.5,
                           ha="center" if abs(s) < 0.3 else ("left" if s > 0 else "right"),
                           va="center" if abs(c) < 0.3 else ("bottom" if c > 0 else "top"))
        self.canvas.draw()
        self.background = self.canvas.copy_from_bbox(self.figure.bbox)
        self.legends: dict[tuple, object] = {}

    def ring(self, radii: list[float]) -> tuple[list[float], list[float]]:
        xs = [r * s for r, s in zip(radii, self.sines)]
        ys = [r * c for r, c in zip(radii, self.cosines)]
        return xs + xs[:1], ys + ys[:1]

    def with_legend(self, entries: tuple[tuple[str, str, str], ...]):
        """The web with a legend of ``entries`` (colour, line style, label) below it; none: the bare web."""
        if entries not in self.legends:
            if len(self.legends) >= 8:
                self.legends.clear()
            self.canvas.restore_region(self.background)
            if entries:
                handles = [Line2D([], [], linestyle=style, color=colour, linewidth=1.6, label=label)
                           for colour, style, label in entries]
                legend = self.figure.legend(handles=handles, loc="lower center", ncol=1, frameon=False, fontsize=7)
                self.figure.draw_artist(legend)
                legend.remove()
            self.legends[entries] = self.canvas.copy_from_bbox(self.figure.bbox)
        return self.legends[entries]

    def draw(self, before: list[float | None], after: list[float | None], labels: tuple[str, str]) -> bytes:
        series = [(values, colour, label, style)
                  for values, colour, label, style in ((before, BEFORE, labels[0], "--"), (after, AFTER, labels[1], "-"))
                  if not all(v is None for v in values)]  # nothing scored yet: no lines, no legend
        self.canvas.restore_region(self.with_legend(tuple((colour, style, label) for _, colour, label, style in series)))
        fills, lines = [], []
        for values, colour, label, style in series:
            xs, ys = self.ring([0 if v is None else (v - self.low) / (self.high - self.low) for v in values])
            fills += self.axes.fill(xs, ys, color=colour, alpha=0.12)
            lines += self.axes.plot(xs, ys, style, color=colour, linewidth=1.6, label=label)
        drawn = fills + lines  # both areas under both outlines
        for artist in drawn:
            self.axes.draw_artist(artist)
        try:
            return _encode(self.canvas)
        finally:
            for artist in drawn:
                artist.remove()


_webs = threading.local()  # matplotlib figures are not for sharing between threads


def _level_ticks(low: float, high: float) -> tuple[tuple[float, str], ...]:
    return tuple((float(level), str(int(level))) for level in range(int(low), int(high) + 1))


def domains(codes: list[str], before: list[float | None], after: list[float | None], labels: tuple[str, str],
            low: float = 1, high: float = 4, ticks: tuple[tuple[float, str], ...] | None = None) -> bytes:
    """The profile's domain chart: a radar from three domains up; below three a web has no area to show, so the
    domains stand on an axis of their own (``dots``). ``ticks``: (value, label) of each ring or grid line."""
    chart = radar if len(codes) >= 3 else dots
    return chart(codes, before, after, labels, low, high, ticks)


def radar(codes: list[str], before: list[float | None], after: list[float | None], labels: tuple[str, str],
          low: float = 1, high: float = 4, ticks: tuple[tuple[float, str], ...] | None = None) -> bytes:
    """Domains around a web, first at the top then clockwise; before and after overlaid (no value: drawn at the centre).

    Drawn on plain axes, not matplotlib's polar projection: its curved grid and
    transforms took most of a profile's chart time, and a spider web of straight
    rings is what readers of capacity profiles know. A ring per tick (by default each level of the scale).
    """
    cache = getattr(_webs, "cache", None)
    if cache is None:
        cache = _webs.cache = {}
    key = (tuple(codes), low, high, ticks or _level_ticks(low, high))
    if key not in cache:
        cache.clear()  # one questionnaire at a time in practice: keep only the latest web
        cache[key] = _Web(*key)
    return cache[key].draw(before, after, labels)


def dots(codes: list[str], before: list[float | None], after: list[float | None], labels: tuple[str, str],
         low: float = 1, high: float = 4, ticks: tuple[tuple[float, str], ...] | None = None) -> bytes:
    """One or two domains along the x axis, each round's values as dots joined by a line (dashed: the earlier
    round, as on the radar); no value: no dot. Drawn the size of the radar, so the page keeps its layout."""
    ticks = ticks or _level_ticks(low, high)
    figure = Figure(figsize=(2.9, 2.9), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(codes)))
    for values, colour, label, style, marker in ((before, BEFORE, labels[0], "--", "s"), (after, AFTER, labels[1], "-", "o")):
        drawn = [(x, v) for x, v in zip(positions, values) if v is not None]
        if drawn:
            axes.plot([x for x, _v in drawn], [v for _x, v in drawn], linestyle=style, marker=marker, color=colour,
                      linewidth=1.6, markersize=5, label=label)
    axes.set_xticks(positions, codes, fontsize=7.5)
    axes.set_xlim(-0.6, len(codes) - 0.4)
    margin = (high - low) * 0.05
    axes.set_ylim(low - margin, high + margin)
    axes.set_yticks([value for value, _label in ticks], [label for _value, label in ticks], fontsize=6)
    axes.grid(axis="y", color="#c9ced6", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if axes.get_legend_handles_labels()[0]:
        figure.legend(loc="outside lower center", ncol=1, frameon=False, fontsize=7)
    return _png(figure)


def heatmap(row_labels: list[str], column_labels: list[str], values: list[list[float | None]], cells: list[list[str]],
            low: float = 1, high: float = 4) -> bytes:  # on the scale, or 0–100 for a rubric presenting percent
    """Organisations (rows) × domains (columns), coloured by score and labelled with ``cells``.

    ``cells``: each value as the report prints it (in its locale: "2,1" in Georgian; "—": no data),
    the same strings the chart's text alternative states.
    """
    import numpy as np

    data = np.array([[np.nan if v is None else v for v in row] for row in values], dtype=float)
    figure = Figure(figsize=(0.62 * len(column_labels) + 1.6, 0.24 * len(row_labels) + 0.9), layout="constrained")
    axes = figure.add_subplot()
    # Vector cells (pcolormesh), not imshow: imshow embeds a bitmap that WeasyPrint's SVG renderer drops.
    image = axes.pcolormesh(np.ma.masked_invalid(data), cmap="Blues", vmin=low, vmax=high, edgecolors="white", linewidth=0.5)
    axes.set_xticks([j + 0.5 for j in range(len(column_labels))], column_labels, fontsize=7)
    axes.set_yticks([i + 0.5 for i in range(len(row_labels))], row_labels, fontsize=7)
    axes.invert_yaxis()
    axes.xaxis.tick_top()
    for (i, j), value in np.ndenumerate(data):
        colour = "white" if not np.isnan(value) and value > (low + high) / 2 + 0.4 else "#1b1f24"
        axes.text(j + 0.5, i + 0.5, cells[i][j], ha="center", va="center", fontsize=6, color=colour)
    # No colour bar: every cell prints its value, and the bar's gradient is a bitmap WeasyPrint drops.
    del image
    return _png(figure)


def stage_bars(stage_labels: list[str], before: list[int] | None, after: list[int], labels: tuple[str, str]) -> bytes:
    """How many organisations are in each stage, before and after, side by side."""
    figure = Figure(figsize=(3.5, 2.2), layout="constrained")
    axes = figure.add_subplot()
    positions = list(range(len(stage_labels)))
    width = 0.38
    if before is not None:
        axes.bar([p - width / 2 for p in positions], before, width, color=BEFORE, label=labels[0])
    axes.bar([p + (width / 2 if before is not None else 0) for p in positions], after, width, color=AFTER, label=labels[1])
    axes.set_xticks(positions, stage_labels, fontsize=7, rotation=12)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts of organisations: never "0.5"
    if axes.get_legend_handles_labels()[0]:
        axes.legend(frameon=False, fontsize=7)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _png(figure)
