"""Exports of a round on the every-type instrument, from the web and the command line, on both databases: every
question type's value and text, items not asked, sub-area scores, the measure, formula-looking texts, and the same
visibility as every other surface."""
from __future__ import annotations

import io
import math
import zipfile

import openpyxl
import pandas as pd
import pytest
import sqlalchemy as sa

from capacity.cli import cli
from capacity.exports import frames, services
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.auth.models import User
from capacity.rounds.services import by_code
from tests.exports.conftest import client_for
from tests.exports_types.conftest import FORMULA, MARKERS
from tests.visibility.test_visibility import Who, export_xlsx, export_zip

ORG = "OWN-01"


def sheets(response) -> dict[str, pd.DataFrame]:
    assert response.status_code == 200, response.status_code
    return pd.read_excel(io.BytesIO(response.data), sheet_name=None, engine="openpyxl")


def csvs(response) -> dict[str, pd.DataFrame]:
    assert response.status_code == 200, response.status_code
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name.removesuffix(".csv"): pd.read_csv(io.BytesIO(archive.read(name)), encoding="utf-8-sig", dtype=str,
                                                        keep_default_na=False)
                for name in archive.namelist()}


def answers_of(long: pd.DataFrame, org: str = ORG, track: str = "self") -> pd.DataFrame:
    return long.loc[(long["org_code"] == org) & (long["track"] == track)].set_index("indicator_code")


def test_the_answers_sheet_holds_each_types_value_and_text(app, typed_world):
    world = typed_world("S4")
    manager = client_for(app, world["users"]["manager"])
    manager.post("/language", data={"language": "en"})
    own = answers_of(sheets(manager.get("/rounds/baseline/export.xlsx"))["long"])
    assert own["type"].to_dict() == {"GOV.1": "scale", "GOV.2": "yes_no", "GOV.3": "multiple", "GOV.4": "single",
                                     "GOV.5": "scale", "SRV.1": "number", "SRV.2": "scale", "SRV.3": "scale",
                                     "SRV.4": "text", "SRV.5": "yes_no"}
    assert own.loc["GOV.1", "level"] == 4 and own.loc["GOV.1", "level_name"] == "Mature"
    assert own.loc["SRV.2", "not_applicable"] == "yes" and pd.isna(own.loc["SRV.2", "level"])
    values = own.loc[["GOV.2", "GOV.3", "GOV.4", "SRV.1", "SRV.4", "SRV.5"], "value"].tolist()
    assert values == ["yes", "women; youth", "yearly", 60, FORMULA, "yes"]
    texts = own.loc[["GOV.2", "GOV.3", "GOV.4", "SRV.1", "SRV.4", "SRV.5"], "value_text"].tolist()
    assert texts == ["Yes", "Women; Young people", "Once a year", "60 people", FORMULA, "Yes"]
    assert (own["asked"] == "yes").all()
    # The codes are the same in Georgian; the texts are the questionnaire's Georgian.
    manager.post("/language", data={"language": "ka"})
    georgian = answers_of(sheets(manager.get("/rounds/baseline/export.xlsx"))["long"])
    assert georgian.loc["GOV.3", "value"] == "women; youth"
    assert georgian.loc["GOV.3", "value_text"] == "ქალები; ახალგაზრდები"
    assert georgian.loc["SRV.1", "value_text"] == "60 ადამიანი"


def test_items_not_asked_are_marked_and_listed(app, typed_world):
    world = typed_world("S4")
    long = csvs(client_for(app, world["users"]["manager"]).get("/rounds/baseline/export.zip"))["long"]
    mentor = answers_of(long, track="mentor")
    # No consultations: the stale answer to GOV.3 stays, not asked; GOV.4 "never": SRV.5 not asked, and not answered.
    assert mentor.loc["GOV.3", "asked"] == "no" and mentor.loc["GOV.3", "value"] == "women"
    assert mentor.loc["SRV.5", "asked"] == "no" and mentor.loc["SRV.5", "value"] == ""
    assert (mentor.drop(index=["GOV.3", "SRV.5"])["asked"] == "yes").all()
    # OTH-01 served nobody: SRV.3 not asked, and SRV.4 with it (a cascade), though a text was stored; it reports
    # rarely, so SRV.5 is not asked either.
    other = answers_of(long, org="OTH-01")
    assert other.loc[["GOV.3", "SRV.3", "SRV.4", "SRV.5"], "asked"].tolist() == ["no", "no", "no", "no"]
    assert (other.drop(index=["GOV.3", "SRV.3", "SRV.4", "SRV.5"])["asked"] == "yes").all()
    assert other.loc["SRV.4", "value"] == "OTHER-TEXT"


def test_sub_area_scores_and_the_measure_come_with_the_official_track(app, typed_world):
    world = typed_world("S4")
    data = sheets(client_for(app, world["users"]["manager"]).get("/rounds/baseline/export.xlsx"))
    assert list(data) == ["long", "wide", "profile", "plan", "mentoring", "sub_areas"]
    sub = data["sub_areas"]
    assert list(sub.columns) == frames.SUB_AREA_COLUMNS
    assert list(zip(sub["org_code"], sub["sub_area_code"])) == [
        ("OTH-01", "GOV.A"), ("OTH-01", "GOV.B"), ("OWN-01", "GOV.A"), ("OWN-01", "GOV.B")]
    own = sub.loc[sub["org_code"] == ORG].set_index("sub_area_code")
    assert set(own["official_track"]) == {"consensus"} and set(own["result"]) == {"final"}
    # The agreement: GOV.A = level 3, yes → 4, one option ticked → 2; GOV.B = "more often" → 4, level 2.
    assert own.loc["GOV.A", "score"] == pytest.approx(3.0) and own.loc["GOV.B", "score"] == pytest.approx(3.0)
    assert own.loc["GOV.A", "answered"] == 3 and own.loc["GOV.A", "sufficient"] == "yes"
    wide = data["wide"].set_index("org_code")
    tel = wide.loc[ORG]
    assert tel["presentation"] == "percent" and tel["measure"] == pytest.approx(tel["percent"])
    assert 0 <= tel["measure"] <= 100 and tel["points"] <= tel["max_points"]
    assert tel["stage"] in ("starting", "growing", "leading")
    assert tel["percent_GOV"] == pytest.approx(100 * tel["points_GOV"] / tel["max_points_GOV"])
    assert not math.isnan(tel["index"])  # the mean level is still there, beside the measure
    # Every type's answers count as answered, a free text too; a stored answer to an item not asked does not.
    assert tel["answered_indicators"] == 10  # the agreement answers all ten, each asked
    assert wide.loc["OTH-01", "answered_indicators"] == 6  # seven stored, SRV.4 no longer asked


def test_a_formula_looking_text_answer_stays_text(app, typed_world):
    world = typed_world("S4")
    client = client_for(app, world["users"]["manager"])
    book = openpyxl.load_workbook(io.BytesIO(client.get("/rounds/baseline/export.xlsx").data))
    header = [c.value for c in book["long"][1]]
    cells = [row for row in book["long"].iter_rows(min_row=2) if row[header.index("indicator_code")].value == "SRV.4"
             and row[header.index("track")].value == "self" and row[header.index("org_code")].value == ORG]
    for column in ("value", "value_text"):
        cell = cells[0][header.index(column)]
        assert cell.value == FORMULA and cell.data_type == "s", column
    own = answers_of(csvs(client.get("/rounds/baseline/export.zip"))["long"])
    assert own.loc["SRV.4", "value"] == "'" + FORMULA and own.loc["SRV.4", "value_text"] == "'" + FORMULA


def test_the_command_line_writes_the_same_sheets(app, typed_world, runner, tmp_path):
    typed_world("S4")
    output = tmp_path / "typed.zip"
    result = runner.invoke(cli, ["export", "round", "--round", "baseline", "--format", "csv", "--lang", "en",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "4 sub-area scores" in result.output
    with zipfile.ZipFile(output) as archive:
        assert "sub_areas.csv" in archive.namelist()
        long = pd.read_csv(io.BytesIO(archive.read("long.csv")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert list(long.columns) == frames.LONG_COLUMNS
    assert answers_of(long).loc["GOV.4", "value_text"] == "Once a year"


def export_for(app, email: str, fmt: str) -> str:
    """What the export service gives this user, written as the web writes it, as one text (staff have no download
    page: the service is what every surface would hand them)."""
    from capacity.exports import formats

    with app.app_context():
        viewer = db.session.scalar(sa.select(User).where(User.email == email))
        organisations = list(db.session.scalars(sa.select(Organisation).where(Organisation.code == ORG)))
        export = services.round_export(by_code("baseline"), organisations, "en", viewer=viewer)
    if fmt == "xlsx":
        book = openpyxl.load_workbook(io.BytesIO(formats.xlsx_bytes(export)), read_only=True)
        return "\n".join(str(v) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row)
    with zipfile.ZipFile(io.BytesIO(formats.csv_zip(export))) as archive:
        return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())


@pytest.mark.parametrize("state", ["S2", "S3", "S4"])
def test_no_one_exports_a_track_they_may_not_see(app, typed_world, state):
    world = typed_world(state)
    users = world["users"]
    # Staff: their own self-assessment, and the agreement once validated; never the mentor's.
    staff = Who("staff", state)
    for fmt in ("xlsx", "zip"):
        text = export_for(app, users["staff"], fmt)
        for track, marker in MARKERS.items():
            has_data = track != "consensus" or state != "S2"  # no agreement is started in S2
            assert (marker in text) == (staff.sees(track) and has_data), (state, fmt, track)
        assert "OTHER-TEXT" not in text
    # Staff get no download page at all; the mentor and the manager download, with the same rules.
    assert client_for(app, users["staff"]).get("/rounds/baseline/export.xlsx").status_code == 404
    for role in ("mentor", "manager"):
        who = Who(role, state)
        client = client_for(app, users[role])
        for fetch in (export_xlsx, export_zip):
            page = fetch(client, None)
            assert page.status == 200
            shown = {track for track in MARKERS if who.sees(track) and (track != "consensus" or state != "S2")}
            assert page.tracks == shown, (role, state, fetch.__name__)
            for track, marker in MARKERS.items():
                assert (marker in page.text) == (track in shown), (role, state, track)
            assert ("OTHER-TEXT" in page.text) == (role == "manager")


def test_where_the_official_track_is_hidden_its_sub_area_scores_stay_empty(app, typed_world):
    """Staff before the agreement is validated: the official track is the mentor's, so no score of it reaches them,
    neither overall nor per sub-area (never their own self-assessment's scores passed off as official)."""
    world = typed_world("S3")
    with app.app_context():
        staff = db.session.scalar(sa.select(User).where(User.email == world["users"]["staff"]))
        organisations = list(db.session.scalars(sa.select(Organisation).where(Organisation.code == ORG)))
        export = services.round_export(by_code("baseline"), organisations, "en", viewer=staff)
    assert set(export.long["track"]) == {"self"}
    assert export.wide[["index", "measure", "points", "percent"]].isna().all().all()
    assert len(export.sub_areas) == 2 and export.sub_areas[["score", "points", "percent"]].isna().all().all()
    assert set(export.sub_areas["official_track"]) == {"mentor"}  # which track is official is no secret; its numbers are
