"""Exports of a service round and a municipality round: the same sheets, every row naming the subject's kind and
the organisation a service belongs to after the usual columns; an organisation round's sheets are unchanged."""
from __future__ import annotations

import io
import zipfile

import pandas as pd

from capacity.exports import frames
from tests.reporting_subjects.conftest import MANAGER, SERVICE_MENTOR, client_for

SHEETS = ["long", "wide", "profile", "plan", "mentoring"]


def workbook(client, round_code: str) -> dict[str, pd.DataFrame]:
    response = client.get(f"/rounds/{round_code}/export.xlsx")
    assert response.status_code == 200, response.status_code
    return pd.read_excel(io.BytesIO(response.data), sheet_name=None, keep_default_na=False)


def test_a_service_round_exports_its_services_with_their_organisation_after_the_usual_columns(subjects_app):
    data = workbook(client_for(subjects_app, MANAGER, "en"), "srv-end")
    assert list(data) == SHEETS
    for name, sheet in data.items():
        assert list(sheet.columns[-3:]) == frames.SUBJECT_COLUMNS, name
        assert list(sheet.columns[:2]) == ["round_code", "org_code"], name
    wide = data["wide"].set_index("org_code")
    assert list(wide.index) == ["SRV-1", "SRV-2", "SRV-3", "SRV-4"]
    assert set(wide["subject_kind"]) == {"service"}
    assert wide["parent_code"].to_dict() == {"SRV-1": "ORG-1", "SRV-2": "ORG-1", "SRV-3": "ORG-1", "SRV-4": "ORG-2"}
    assert wide.loc["SRV-4", "parent_name"] == "Kutaisi Community" and wide.loc["SRV-1", "org_name"] == "Day centre"
    assert wide.loc["SRV-1", "result"] == "final" and wide.loc["SRV-3", "result"] == "provisional"
    long = data["long"]
    assert set(long["org_code"]) == {"SRV-1", "SRV-2", "SRV-3", "SRV-4"} and set(long["parent_code"]) == {"ORG-1", "ORG-2"}
    # Everything before the appended columns is the organisation export's layout, in its order.
    assert list(data["long"].columns[:-3]) == frames.LONG_COLUMNS
    assert list(data["plan"].columns[:-3]) == frames.PLAN_COLUMNS


def test_a_municipality_round_names_its_kind_and_no_parent(subjects_app):
    client = client_for(subjects_app, MANAGER, "ka")
    with zipfile.ZipFile(io.BytesIO(client.get("/rounds/mun-2026/export.zip").data)) as archive:
        wide = pd.read_csv(archive.open("wide.csv"), encoding="utf-8-sig", keep_default_na=False)
    assert list(wide["org_code"]) == ["MUN-BAT", "MUN-CHO", "MUN-DMA", "MUN-MAR"]
    assert set(wide["subject_kind"]) == {"municipality"} and set(wide["parent_code"]) == {""}
    assert wide.set_index("org_code").loc["MUN-BAT", "org_name"] == "ბათუმის მუნიციპალიტეტი"


def test_a_mentor_exports_the_services_of_the_organisation_they_are_assigned_to(subjects_app):
    data = workbook(client_for(subjects_app, SERVICE_MENTOR, "en"), "srv-end")
    assert list(data["wide"]["org_code"]) == ["SRV-1", "SRV-2", "SRV-3"]


def test_an_organisation_round_keeps_exactly_its_columns(subjects_app):
    data = workbook(client_for(subjects_app, MANAGER, "en"), "oca")
    assert list(data["long"].columns) == frames.LONG_COLUMNS
    assert list(data["plan"].columns) == frames.PLAN_COLUMNS
    assert "subject_kind" not in data["wide"].columns and list(data["wide"]["org_code"]) == ["ORG-1", "ORG-2"]


def test_the_command_line_exports_a_service_round_and_says_how_many_services(subjects_app, tmp_path):
    from capacity.cli import cli

    output = tmp_path / "srv-end.xlsx"
    result = subjects_app.test_cli_runner().invoke(cli, ["export", "round", "--round", "srv-end", "--lang", "en",
                                                         "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "round srv-end, 4 services," in result.output
    wide = pd.read_excel(output, sheet_name="wide", keep_default_na=False)
    assert list(wide["parent_code"]) == ["ORG-1", "ORG-1", "ORG-1", "ORG-2"]
