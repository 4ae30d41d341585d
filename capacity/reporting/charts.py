"""Charts as inline SVG, drawn with matplotlib's Figure API (no pyplot state in a server).

Chart text is drawn as outlines of the repository's Noto fonts (svg.fonttype "path"):
WeasyPrint's SVG renderer does not use the report's @font-face fonts, so text left as
text would fall back to whatever fonts the server happens to have. The numbers and
names the charts show are also printed as text in the tables beside them.
"""
from __future__ import annotations

import io
import math

import matplotlib
from matplotlib.figure import Figure

from matplotlib import font_manager

from capacity import PROJECT_ROOT

# The repository's fonts, so that layout uses their metrics and the SVG names them.
for _name in ("NotoSans-Regular.ttf", "NotoSansGeorgian-Regular.ttf"):
    font_manager.fontManager.addfont(str(PROJECT_ROOT / "reports" / "fonts" / _name))
matplotlib.rcParams["svg.fonttype"] = "path"
matplotlib.rcParams["axes.unicode_minus"] = False  # U+2212 is not in the shipped fonts
matplotlib.rcParams["font.family"] = ["Noto Sans", "Noto Sans Georgian"]
BEFORE, AFTER = "#8a9bb0", "#0b4f8a"


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", transparent=True)
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def radar(codes: list[str], before: list[float | None], after: list[float | None], labels: tuple[str, str],
          low: float = 1, high: float = 4) -> str:
    """Domains around a circle, before and after overlaid (missing values drawn at the centre and marked)."""
    figure = Figure(figsize=(4.6, 4.6))
    axes = figure.add_subplot(projection="polar")
    angles = [2 * math.pi * i / len(codes) for i in range(len(codes))]
    for values, colour, label, style in ((before, BEFORE, labels[0], "--"), (after, AFTER, labels[1], "-")):
        if all(v is None for v in values):
            continue
        points = [low if v is None else v for v in values]
        axes.plot(angles + angles[:1], points + points[:1], style, color=colour, linewidth=2, label=label)
        axes.fill(angles + angles[:1], points + points[:1], color=colour, alpha=0.12)
    axes.set_xticks(angles, codes, fontsize=9)
    axes.set_ylim(low, high)
    axes.set_yticks([low + i for i in range(int(high - low) + 1)], [str(int(low + i)) for i in range(int(high - low) + 1)], fontsize=7)
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2, frameon=False, fontsize=9)
    return _svg(figure)


def change_bars(codes: list[str], changes: list[float | None], label: str) -> str:
    """Change per domain (after − before) as horizontal bars, with the value printed on each bar."""
    figure = Figure(figsize=(5.2, 0.42 * len(codes) + 0.8))
    axes = figure.add_subplot()
    values = [0 if c is None else c for c in changes]
    colours = [AFTER if v >= 0 else "#a4161a" for v in values]
    positions = list(range(len(codes)))[::-1]
    axes.barh(positions, values, color=colours)
    axes.set_yticks(positions, codes, fontsize=9)
    axes.axvline(0, color="#1b1f24", linewidth=0.8)
    limit = max(1.0, max((abs(v) for v in values), default=1) + 0.3)
    axes.set_xlim(-limit, limit)
    for y, value, raw in zip(positions, values, changes):
        text = "—" if raw is None else f"{raw:+.2f}"
        axes.text(value + (0.05 if value >= 0 else -0.05), y, text, va="center", ha="left" if value >= 0 else "right", fontsize=8)
    axes.set_xlabel(label, fontsize=9)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return _svg(figure)
