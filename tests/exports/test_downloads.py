"""Downloading a round's data from the web: XLSX and a ZIP of CSVs, for managers, admins and mentors."""
from __future__ import annotations

import io
import re
import zipfile

import openpyxl
import pandas as pd

from capacity.exports.frames import LONG_COLUMNS, MENTORING_COLUMNS, PLAN_COLUMNS, PROFILE_COLUMNS, wide_columns
from tests.exports.conftest import COMPUTED, FORMULA, NA_CODE, PROFILE, QUESTIONNAIRE, RATED, RUBRIC, client_for, \
    stored_answers

WIDE_COLUMNS = wide_columns([d.code for d in QUESTIONNAIRE.domains], [lens.code for lens in RUBRIC.lenses])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(response) -> openpyxl.Workbook:
    assert response.status_code == 200, response.status_code
    return openpyxl.load_workbook(io.BytesIO(response.data))


def sheets(response) -> dict[str, pd.DataFrame]:
    return pd.read_excel(io.BytesIO(response.data), sheet_name=None, engine="openpyxl")


def csvs(response) -> dict[str, bytes]:
    assert response.status_code == 200, response.status_code
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def read_csv(data: bytes) -> pd.DataFrame:
    # As text, so an empty cell reads as "" and can be told apart from "0".
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


def test_the_workbook_has_five_sheets_with_a_bold_frozen_header_and_a_row_per_answer(app, world):
    client = client_for(app, world["users"]["manager"])
    book = workbook(client.get("/rounds/baseline/export.xlsx"))
    assert book.sheetnames == ["long", "wide", "profile", "plan", "mentoring"]
    for name, columns in (("long", LONG_COLUMNS), ("wide", WIDE_COLUMNS), ("profile", PROFILE_COLUMNS),
                          ("plan", PLAN_COLUMNS), ("mentoring", MENTORING_COLUMNS)):
        sheet = book[name]
        header = [cell.value for cell in sheet[1]]
        assert header == columns, name
        assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
        widths = [sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]]
        assert all(8 <= width <= 60 for width in widths), widths
    # Every stored answer, plus the four computed indicators on each of TEL-01's two tracks (BAT-01 has no profile data).
    assert book["long"].max_row - 1 == stored_answers(app, "baseline") + 2 * len(COMPUTED)
    assert book["wide"].max_row - 1 == 2
    assert book["profile"].max_row - 1 == len(PROFILE)
    # No plan or session in this world: both sheets are their header row alone.
    assert book["plan"].max_row == book["mentoring"].max_row == 1
    # Scores keep full precision and show two decimals.
    index = book["wide"].cell(row=3, column=WIDE_COLUMNS.index("index") + 1)  # TEL-01, after BAT-01
    assert isinstance(index.value, float) and index.number_format == "0.00"


def test_csv_files_come_in_a_zip_with_a_bom_and_parse_with_pandas(app, world):
    client = client_for(app, world["users"]["admin"])
    response = client.get("/rounds/baseline/export.zip")
    assert response.mimetype == "application/zip"
    files = csvs(response)
    assert sorted(files) == ["long.csv", "mentoring.csv", "plan.csv", "profile.csv", "wide.csv"]
    assert all(data.startswith(b"\xef\xbb\xbf") for data in files.values())
    long, wide, profile, plan, mentoring = (read_csv(files[f"{name}.csv"])
                                            for name in ("long", "wide", "profile", "plan", "mentoring"))
    assert list(long.columns) == LONG_COLUMNS and list(wide.columns) == WIDE_COLUMNS
    assert list(profile.columns) == PROFILE_COLUMNS
    assert list(plan.columns) == PLAN_COLUMNS and plan.empty
    assert list(mentoring.columns) == MENTORING_COLUMNS and mentoring.empty
    assert len(long) == stored_answers(app, "baseline") + 2 * len(COMPUTED) and len(wide) == 2
    # Georgian survives the trip (the user reads in Georgian, the default).
    assert "ასოციაცია „ნაბიჯი“" in set(long["org_name"])
    staff = profile.loc[(profile["org_code"] == "TEL-01") & (profile["question_code"] == "staff")]
    assert dict(zip(staff["category"], staff["value"])) == {"total": "10", "female": "6", "male": "4",
                                                           "with_disability": "1", "without_disability": "9"}


def test_downloads_are_named_after_the_round_and_the_day_and_never_cached(app, world):
    client = client_for(app, world["users"]["manager"])
    for extension, mimetype in (("xlsx", XLSX), ("zip", "application/zip")):
        response = client.get(f"/rounds/baseline/export.{extension}")
        assert response.mimetype == mimetype
        disposition = response.headers["Content-Disposition"]
        assert re.fullmatch(rf"attachment; filename=capacity-baseline-\d{{4}}-\d\d-\d\d\.{extension}", disposition), \
            disposition
        assert response.headers["Cache-Control"] == "no-store"


def test_codes_are_the_same_in_both_rounds_and_both_languages_so_exports_join(app, world):
    client = client_for(app, world["users"]["manager"])
    baseline_ka = sheets(client.get("/rounds/baseline/export.xlsx"))
    endline_ka = sheets(client.get("/rounds/endline/export.xlsx"))
    client.post("/language", data={"language": "en"})
    baseline_en = sheets(client.get("/rounds/baseline/export.xlsx"))
    for name in ("long", "wide", "profile", "plan", "mentoring"):
        assert list(baseline_ka[name].columns) == list(baseline_en[name].columns) == list(endline_ka[name].columns)
    keys = ["org_code", "track", "indicator_code"]
    joined = baseline_ka["long"].merge(endline_ka["long"], on=keys, suffixes=("_baseline", "_endline"))
    assert set(joined["indicator_code"]) == set(RATED[:30])  # TEL-01's endline self-assessment so far
    assert (joined["level_endline"] == 4).all() and (joined.loc[joined["indicator_code"] != NA_CODE, "level_baseline"] == 3).all()
    same = baseline_ka["long"].merge(baseline_en["long"], on=keys)
    assert len(same) == len(baseline_ka["long"])
    row = same.loc[(same["org_code"] == "TEL-01") & (same["track"] == "self")].iloc[0]
    assert row["track_label_y"] == "Self-assessment" and row["domain_title_y"] == "Governance and leadership"
    assert row["track_label_x"] != row["track_label_y"] and row["level_name_y"] == "Established"


def test_not_applicable_and_insufficient_data_are_empty_never_zero(app, world):
    client = client_for(app, world["users"]["manager"])
    files = csvs(client.get("/rounds/baseline/export.zip"))
    long, wide = read_csv(files["long.csv"]), read_csv(files["wide.csv"])
    na = long.loc[(long["org_code"] == "TEL-01") & (long["track"] == "self") & (long["indicator_code"] == NA_CODE)]
    assert na[["level", "level_name", "not_applicable"]].values.tolist() == [["", "", "yes"]]
    # BAT-01 answered three indicators: every score is "insufficient data".
    scores = [c for c in wide.columns if c == "index" or c.startswith(("domain_", "lens_"))]
    bat = wide.set_index("org_code").loc["BAT-01"]
    assert bat[scores].tolist() == [""] * len(scores) and bat["stage"] == "" and bat["answered_indicators"] == "3"
    assert bat["official_track"] == "self"
    # TEL-01: the submitted mentor assessment is official (no agreed assessment yet), all mentor levels are 2.
    tel = wide.set_index("org_code").loc["TEL-01"]
    assert tel["official_track"] == "mentor" and tel["official_status"] == "submitted"
    assert float(tel["domain_GOV"]) == 2.0 and tel["stage"] == "developing"
    assert tel["answered_indicators"] == str(len(RATED) + len(COMPUTED))


def test_each_answer_row_carries_its_details_and_computed_levels_are_marked(app, world):
    client = client_for(app, world["users"]["manager"])
    long = read_csv(csvs(client.get("/rounds/baseline/export.zip"))["long.csv"])
    tel_self = long.loc[(long["org_code"] == "TEL-01") & (long["track"] == "self")]
    first = tel_self.iloc[0]
    assert first["indicator_code"] == RATED[0] and first["evidence_url"] == "https://docs.example.org/policy.pdf"
    assert first["status"] == "submitted" and first["region"] == "kakheti" and first["municipality"] == "telavi"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", first["answered_at"])
    computed = tel_self.loc[tel_self["computed"] == "yes"]
    assert sorted(computed["indicator_code"]) == sorted(COMPUTED)
    assert (computed["answered_at"] == "").all() and (computed["level"] != "").all()
    # Leadership 2 women of 4: parity, the top level.
    assert computed.set_index("indicator_code").loc["GESI.C1", "level"] == "4"


def test_a_comment_that_looks_like_a_formula_stays_text(app, world):
    client = client_for(app, world["users"]["manager"])
    sheet = workbook(client.get("/rounds/baseline/export.xlsx"))["long"]
    cells = [row[LONG_COLUMNS.index("comment")] for row in sheet.iter_rows(min_row=2)]
    formula = [cell for cell in cells if cell.value == FORMULA]
    assert len(formula) == 1 and formula[0].data_type == "s"
    long = read_csv(csvs(client.get("/rounds/baseline/export.zip"))["long.csv"])
    assert "'" + FORMULA in set(long["comment"])


def test_a_mentor_exports_only_assigned_organisations(app, world):
    kakheti = client_for(app, world["users"]["kakheti"])
    data = sheets(kakheti.get("/rounds/baseline/export.xlsx"))
    assert set(data["long"]["org_code"]) == set(data["wide"]["org_code"]) == set(data["profile"]["org_code"]) == {"TEL-01"}
    files = csvs(kakheti.get("/rounds/baseline/export.zip"))
    assert set(read_csv(files["long.csv"])["org_code"]) == set(read_csv(files["wide.csv"])["org_code"]) == {"TEL-01"}
    adjara = sheets(client_for(app, world["users"]["adjara"]).get("/rounds/baseline/export.xlsx"))
    assert set(adjara["wide"]["org_code"]) == {"BAT-01"} and adjara["profile"].empty


def test_a_mentor_does_not_get_the_self_assessment_before_submitting_their_own(app, world):
    kakheti = client_for(app, world["users"]["kakheti"])
    endline = sheets(kakheti.get("/rounds/endline/export.xlsx"))
    assert endline["long"].empty  # TEL-01's endline self-assessment exists, the mentor has not scored yet
    tel = endline["wide"].set_index("org_code").loc["TEL-01"]
    assert tel["official_track"] == "self" and pd.isna(tel["index"]) and pd.isna(tel["domain_GOV"])
    # After the mentor submitted (baseline), both tracks are there.
    baseline = sheets(kakheti.get("/rounds/baseline/export.xlsx"))
    assert set(baseline["long"]["track"]) == {"self", "mentor"}
    manager = sheets(client_for(app, world["users"]["manager"]).get("/rounds/endline/export.xlsx"))
    assert len(manager["long"]) == stored_answers(app, "endline")


def test_staff_get_not_found_as_for_an_unknown_round(app, world):
    """Staff are told nothing about the programme's exports, not even that the round exists (no 403)."""
    cso = client_for(app, world["users"]["cso"])
    for url in ("/rounds/baseline/export.xlsx", "/rounds/baseline/export.zip", "/rounds/no-such-round/export.zip"):
        refused = cso.get(url)
        assert refused.status_code == 404 and refused.mimetype == "text/html"
        assert not refused.get_data().startswith(b"PK") and "BAT-01" not in refused.get_data(as_text=True)
    manager = client_for(app, world["users"]["manager"])
    assert manager.get("/rounds/no-such-round/export.xlsx").status_code == 404
    assert manager.get("/rounds/no-such-round/export.zip").status_code == 404
    assert manager.get("/rounds/baseline/export.csv").status_code == 404


def test_the_progress_grid_links_to_both_downloads(app, world):
    page = client_for(app, world["users"]["manager"]).get("/rounds/baseline/progress").get_data(as_text=True)
    assert 'href="/rounds/baseline/export.xlsx"' in page and 'href="/rounds/baseline/export.zip"' in page
