"""The GESI instrument's exports after question types: the same sheets, its columns where they were, the new ones
after them and saying what they must for an instrument of levels only."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from capacity.exports import frames
from tests.exports.conftest import QUESTIONNAIRE, RUBRIC, client_for, world  # noqa: F401  (a fixture)
from tests.exports_types.test_frames import OLD_LONG

DOMAINS = [d.code for d in QUESTIONNAIRE.domains]
# The wide sheet's columns before question types.
OLD_WIDE = (["round_code", *frames.ORGANISATION_COLUMNS, "official_track", "official_track_label", "official_status",
             "result", "result_label", "index", "stage", "stage_name"] + [f"domain_{code}" for code in DOMAINS]
            + [f"lens_{lens.code}" for lens in RUBRIC.lenses] + ["answered_indicators"])


def test_gesi_has_no_sub_area_sheet_and_keeps_its_columns_in_place(app, world):
    client = client_for(app, world["users"]["manager"])
    data = pd.read_excel(io.BytesIO(client.get("/rounds/baseline/export.xlsx").data), sheet_name=None)
    assert list(data) == ["long", "wide", "profile", "plan", "mentoring"]
    assert list(data["long"].columns[:len(OLD_LONG)]) == OLD_LONG
    assert list(data["wide"].columns[:len(OLD_WIDE)]) == OLD_WIDE
    with zipfile.ZipFile(io.BytesIO(client.get("/rounds/baseline/export.zip").data)) as archive:
        assert sorted(archive.namelist()) == ["long.csv", "mentoring.csv", "plan.csv", "profile.csv", "wide.csv"]


def test_gesi_rows_are_levels_all_asked_and_its_measure_is_the_index(app, world):
    client = client_for(app, world["users"]["manager"])
    data = pd.read_excel(io.BytesIO(client.get("/rounds/baseline/export.xlsx").data), sheet_name=None)
    long = data["long"]
    assert set(long["type"]) == {"scale"} and (long["asked"] == "yes").all()
    assert long["value"].isna().all() and long["value_text"].isna().all()
    tel = data["wide"].set_index("org_code").loc["TEL-01"]
    assert tel["presentation"] == "mean" and tel["measure"] == tel["index"] and 1 <= tel["index"] <= 4
    assert tel["percent"] == pytest.approx(100 * tel["points"] / tel["max_points"])
    bat = data["wide"].set_index("org_code").loc["BAT-01"]  # insufficient data: no measure either, never 0
    assert pd.isna(bat["measure"]) and pd.isna(bat["points"]) and bat["presentation"] == "mean"
