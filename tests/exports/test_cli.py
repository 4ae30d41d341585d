"""``capacity export round``: a workbook or a ZIP of CSVs on disk; one clear line when something is wrong."""
from __future__ import annotations

import io
import zipfile

import openpyxl
import pandas as pd

from capacity.cli import cli
from tests.exports.conftest import COMPUTED, stored_answers


def test_export_writes_a_workbook_labelled_in_the_chosen_language(app, world, runner, tmp_path):
    output = tmp_path / "baseline.xlsx"
    result = runner.invoke(cli, ["export", "round", "--round", "baseline", "--lang", "en", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "2 organisations" in result.output
    book = openpyxl.load_workbook(output)
    assert book.sheetnames == ["long", "wide", "profile", "plan", "mentoring"]
    assert book["long"].max_row - 1 == stored_answers(app, "baseline") + 2 * len(COMPUTED)
    names = {row[0] for row in book["wide"].iter_rows(min_row=2, min_col=3, max_col=3, values_only=True)}
    assert names == {"Association Nabiji", "Organisation BAT-01"}


def test_export_as_csv_writes_a_zip_of_five_files(app, world, runner, tmp_path):
    output = tmp_path / "endline.zip"
    result = runner.invoke(cli, ["export", "round", "--round", "endline", "--format", "csv", "-o", str(output)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(output) as archive:
        assert sorted(archive.namelist()) == ["long.csv", "mentoring.csv", "plan.csv", "profile.csv", "wide.csv"]
        long = pd.read_csv(io.BytesIO(archive.read("long.csv")), encoding="utf-8-sig")
    assert len(long) == stored_answers(app, "endline")
    assert set(long["org_name"]) == {"ასოციაცია „ნაბიჯი“"}  # Georgian labels by default


def test_unknown_round_and_missing_folder_are_one_line_errors(app, world, runner, tmp_path):
    result = runner.invoke(cli, ["export", "round", "--round", "nope", "-o", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 1 and result.output.strip() == "Error: no round has the code 'nope'"
    missing = tmp_path / "no-such-folder" / "x.xlsx"
    result = runner.invoke(cli, ["export", "round", "--round", "baseline", "-o", str(missing)])
    assert result.exit_code == 1 and result.output.strip() == f"Error: the folder '{missing.parent}' does not exist"
    assert not missing.parent.exists()
