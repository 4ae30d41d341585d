"""The rubric's measure as reports print it, and the domain chart that suits the number of domains."""
from __future__ import annotations

import pandas as pd
import pytest
from flask_babel import force_locale

from capacity.reporting import charts
from capacity.reporting.measures import Measure

LABELS = ("Baseline", "Endline")


@pytest.mark.parametrize("language, mean, percent, points, change", [
    ("en", "2.57", "84%", "148 of 215 points", "+12.5"),
    ("ka", "2,57", "84%", "148 ქულა შესაძლო 215 ქულიდან", "+12,5"),
])
def test_each_measure_prints_in_the_readers_format(instrument_app, language, mean, percent, points, change):
    with instrument_app.app_context(), force_locale(language):
        assert Measure("mean", 1, 4).headline(2.5714) == mean == Measure("mean", 1, 4).figure(2.5714)
        assert Measure("percent", 1, 4).headline(84.2) == percent
        assert Measure("points", 1, 4).headline(148, 215) == points
        assert Measure("points", 1, 4).figure(31, 40) == "31 / 40"
        assert Measure("points", 1, 4).figure(None, 40) == "—"
        assert Measure("points", 1, 4).change(12.5) == change  # weights can make points fractional
        assert Measure("percent", 1, 4).change(-4.6) == "-5"  # percentage points, whole
        assert Measure("mean", 1, 4).change(0.5) == ("+0.50" if language == "en" else "+0,50")


def test_a_measure_reads_its_own_column_and_the_chart_draws_percent_unless_it_is_the_mean():
    frame = pd.DataFrame({"domain": ["GOV", "SRV"], "score": [2.5, None], "points": [10.0, None],
                          "max_points": [16.0, None], "percent": [62.5, None]})
    assert Measure("mean", 1, 4).values(frame, "domain") == {"GOV": (2.5, 16.0, 2.5), "SRV": (None, None, None)}
    assert Measure("points", 1, 4).values(frame, "domain")["GOV"] == (10.0, 16.0, 62.5)
    assert Measure("percent", 1, 4).values(frame, "domain")["GOV"] == (62.5, 16.0, 62.5)
    assert Measure("mean", 1, 4).chart_range == (1, 4) and Measure("points", 1, 4).chart_range == (0, 100)
    assert Measure("mean", 1, 5).chart_ticks() == tuple((float(v), str(v)) for v in range(1, 6))


def test_below_three_domains_the_chart_is_dots_from_three_up_the_radar():
    two = (["GOV", "SRV"], [2.0, 3.0], [3.0, 3.5], LABELS)
    three = (["GOV", "SRV", "HR"], [2.0, 3.0, 1.5], [3.0, 3.5, None], LABELS)
    assert charts.domains(*two) == charts.dots(*two)
    assert charts.domains(*three) == charts.radar(*three)
    assert charts.domains(["GOV"], [None], [2.0], LABELS).startswith(b"\x89PNG")  # one domain: one dot
    assert charts.domains(*two) != charts.radar(*two)


def test_the_radar_of_the_scale_is_drawn_as_it_always_was():
    """Rings at each level unless told otherwise: the GESI instrument's radar, pixel for pixel."""
    codes = ["GOV", "STR", "HR", "FIN", "SRV", "MEL", "ADV", "GESI"]
    before, after = [2.0, 2.5, 2.71, 2.0, 2.43, 2.83, 2.5, 1.38], [3.0, 2.83, 3.29, 2.86, 3.29, 3.83, 3.5, 2.77]
    ticks = tuple((float(level), str(level)) for level in range(1, 5))
    assert charts.radar(codes, before, after, LABELS, 1, 4) == charts.radar(codes, before, after, LABELS, 1, 4, ticks)
