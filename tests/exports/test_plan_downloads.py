"""The plan and mentoring tables in the web downloads and on the command line: same tables, same access rule."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pandas as pd

from capacity.cli import cli
from capacity.exports.frames import MENTORING_COLUMNS, PLAN_COLUMNS
from tests.exports.conftest import client_for
from tests.exports.test_downloads import csvs, read_csv, sheets


def test_the_csv_zip_has_plan_and_mentoring_files_with_the_workbooks_rows(app, world, plans):
    ids = plans(date.today())
    client = client_for(app, world["users"]["manager"])
    files = csvs(client.get("/rounds/baseline/export.zip"))
    plan, mentoring = read_csv(files["plan.csv"]), read_csv(files["mentoring.csv"])
    assert list(plan.columns) == PLAN_COLUMNS and list(mentoring.columns) == MENTORING_COLUMNS
    # As text: the plan without actions has empty cells where the action would be, never "0" or "nan".
    bat = plan.loc[plan["org_code"] == "BAT-01"]
    assert len(bat) == 1 and (bat.iloc[0][PLAN_COLUMNS.index("action_id"):] == "").all()
    tel = plan.loc[plan["org_code"] == "TEL-01"].set_index("action_id")
    assert tel.loc[str(ids["planned"]), ["overdue", "notes", "evidence_files", "follow_up"]].tolist() == \
        ["yes", "2", "1", "yes"]  # due ten days before today
    assert tel.loc[str(ids["ongoing"]), "overdue"] == "no"
    assert tel.loc[str(ids["planned"]), "status_label"] == "დაგეგმილი"  # Georgian by default
    assert mentoring["session_id"].tolist() == [str(ids[k]) for k in ("batumi", "earlier", "first")]
    assert mentoring.set_index("session_id").loc[str(ids["first"]), "hours"] == "1.5"
    workbook = sheets(client.get("/rounds/baseline/export.xlsx"))
    assert len(workbook["plan"]) == len(plan) and len(workbook["mentoring"]) == len(mentoring)


def test_english_and_georgian_downloads_share_the_codes(app, world, plans):
    plans(date.today())
    client = client_for(app, world["users"]["admin"])
    ka = sheets(client.get("/rounds/baseline/export.xlsx"))
    client.post("/language", data={"language": "en"})
    en = sheets(client.get("/rounds/baseline/export.xlsx"))
    joined = ka["plan"].dropna(subset=["action_id"]).merge(en["plan"].dropna(subset=["action_id"]),
                                                            on=["org_code", "action_id", "status"])
    assert len(joined) == 4
    assert joined["status_label_y"].tolist() == ["Planned", "In progress", "Done", "Dropped"]
    assert joined["status_label_x"].tolist() == ["დაგეგმილი", "მიმდინარე", "შესრულებული", "გაუქმებული"]
    sessions = ka["mentoring"].merge(en["mentoring"], on=["session_id", "mode"])
    assert dict(zip(sessions["mode_label_x"], sessions["mode_label_y"])) == {
        "ტელეფონით": "Phone", "ონლაინ": "Online", "ადგილზე": "On site"}


def test_a_mentor_gets_the_plans_and_sessions_of_assigned_organisations_only(app, world, plans):
    ids = plans(date.today())
    kakheti = client_for(app, world["users"]["kakheti"])
    data = sheets(kakheti.get("/rounds/baseline/export.xlsx"))
    assert set(data["plan"]["org_code"]) == set(data["mentoring"]["org_code"]) == {"TEL-01"}
    assert len(data["plan"]) == 4 and len(data["mentoring"]) == 2
    files = csvs(kakheti.get("/rounds/baseline/export.zip"))
    assert set(read_csv(files["plan.csv"])["org_code"]) == set(read_csv(files["mentoring.csv"])["org_code"]) == {"TEL-01"}
    adjara = sheets(client_for(app, world["users"]["adjara"]).get("/rounds/baseline/export.xlsx"))
    assert adjara["plan"]["org_code"].tolist() == ["BAT-01"] and pd.isna(adjara["plan"]["action_id"]).all()
    assert adjara["mentoring"]["session_id"].tolist() == [ids["batumi"]]
    # Descriptions and notes of the other organisation appear nowhere in the file.
    everything = adjara["plan"].to_string() + adjara["mentoring"].to_string()
    assert "safeguarding" not in everything and "Policy and board" not in everything


def test_the_command_line_writes_the_same_tables(app, world, plans, runner, tmp_path):
    ids = plans(date.today())
    output = tmp_path / "baseline.zip"
    result = runner.invoke(cli, ["export", "round", "--round", "baseline", "--format", "csv", "--lang", "en",
                                 "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "5 plan rows, 3 mentoring sessions (en)" in result.output
    with zipfile.ZipFile(output) as archive:
        plan = read_csv(archive.read("plan.csv"))
        mentoring = read_csv(archive.read("mentoring.csv"))
    assert plan["org_code"].tolist() == ["BAT-01"] + ["TEL-01"] * 4
    assert plan.set_index("action_id").loc[str(ids["dropped"]), "status_label"] == "Dropped"
    assert mentoring.set_index("session_id").loc[str(ids["first"]), "mode_label"] == "On site"
    workbook = tmp_path / "baseline.xlsx"
    result = runner.invoke(cli, ["export", "round", "--round", "baseline", "-o", str(workbook)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(io.BytesIO(workbook.read_bytes()))
    assert [cell.value for cell in book["plan"][1]] == PLAN_COLUMNS
    assert book["plan"].max_row - 1 == 5 and book["mentoring"].max_row - 1 == 3
    statuses = [row[0] for row in book["plan"].iter_rows(min_row=2, min_col=PLAN_COLUMNS.index("status_label") + 1,
                                                        max_col=PLAN_COLUMNS.index("status_label") + 1, values_only=True)]
    assert statuses == [None, "დაგეგმილი", "მიმდინარე", "შესრულებული", "გაუქმებული"]  # Georgian by default


def test_an_endline_export_has_only_the_endline_plan(app, world, plans):
    plans(date.today())
    data = sheets(client_for(app, world["users"]["manager"]).get("/rounds/endline/export.xlsx"))
    assert data["plan"]["description"].tolist() == ["Endline action"]
    assert data["plan"]["overdue"].tolist() == ["no"]  # no due date: never overdue
    assert data["mentoring"]["held_on"].tolist() == ["2026-09-01"]
