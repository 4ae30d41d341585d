"""The answers, wide and sub-area sheets of an instrument with every question type, shaped without a database."""
from __future__ import annotations

import io
import zipfile
from types import SimpleNamespace

import openpyxl
import pandas as pd

from capacity.exports import frames
from capacity.exports.answers import ANSWER_ROW_COLUMNS, with_asked
from capacity.exports.formats import csv_zip, xlsx_bytes
from capacity.exports.services import RoundExport
from capacity.questionnaires.model import Domain, Questionnaire
from capacity.scoring.frames import scoring_spec
from capacity.scoring.typed import prepare
from tests.exports_types.instrument import INDICATORS, QUESTIONNAIRE, RUBRIC

# The long sheet's columns before question types: they keep their names and places.
OLD_LONG = ["round_code", "org_code", "org_name", "municipality", "municipality_name", "region", "region_name",
            "track", "track_label", "status", "status_label", "domain_code", "domain_title", "indicator_code",
            "indicator_text", "computed", "level", "level_name", "not_applicable", "comment", "evidence_url",
            "answered_at"]
FORMULA = '=HYPERLINK("http://evil.example/","click")'
ORGS = pd.DataFrame([{"org_code": "TEL-01", "org_name": "Nabiji", "municipality": "telavi", "municipality_name": "T",
                      "region": "kakheti", "region_name": "K"},
                     {"org_code": "BAT-01", "org_name": "Batumi", "municipality": "batumi", "municipality_name": "B",
                      "region": "adjara", "region_name": "A"}])
LABELS = frames.Labels("en", tracks={"self": "Self-assessment", "mentor": "Mentor assessment"},
                       statuses={"draft": "Draft", "submitted": "Submitted"},
                       results={"final": "Final", "provisional": "Provisional"}, yes="Yes", no="No")


def row(org: str, indicator: str, *, level=None, value=None, na=False, track="self", comment="") -> dict:
    return {"org": org, "track": track, "indicator": indicator, "level": level, "na": na, "computed": False,
            "comment": comment, "evidence_url": "", "answered_at": None, "value": value}


def answers(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=[c for c in ANSWER_ROW_COLUMNS if c != "asked"])


EVERY_TYPE = answers(
    row("TEL-01", "GOV.1", level=3), row("TEL-01", "GOV.2", value="yes"), row("TEL-01", "GOV.3", value="often"),
    row("TEL-01", "GOV.4", value='["women", "youth"]'), row("TEL-01", "GOV.5", value="12"),
    row("TEL-01", "GOV.6", value=FORMULA))
STATUSES = pd.DataFrame({"org": ["TEL-01", "BAT-01"], "track": ["self", "self"], "status": ["submitted", "draft"]})


def mark_asked(rows: pd.DataFrame, questionnaire=QUESTIONNAIRE) -> pd.DataFrame:
    """As the export does: the asked flags scoring's preparation gives the same answers."""
    scored = rows.assign(round="baseline", level=rows["level"].astype(float), na=rows["na"].astype(bool))
    return with_asked(rows, prepare(scored, scoring_spec(questionnaire, RUBRIC)))


def long(rows: pd.DataFrame, labels: frames.Labels = LABELS) -> pd.DataFrame:
    return frames.long_frame(mark_asked(rows), STATUSES, ORGS, QUESTIONNAIRE, labels, "baseline")


def test_new_columns_come_after_the_old_ones_which_keep_their_places():
    assert frames.LONG_COLUMNS[:len(OLD_LONG)] == OLD_LONG
    assert frames.LONG_COLUMNS[len(OLD_LONG):] == ["type", "value", "value_text", "asked"]
    assert list(long(EVERY_TYPE).columns) == frames.LONG_COLUMNS


def test_each_type_has_its_value_as_stored_and_as_read():
    sheet = long(EVERY_TYPE).set_index("indicator_code")
    assert sheet["type"].to_dict() == {"GOV.1": "scale", "GOV.2": "yes_no", "GOV.3": "single", "GOV.4": "multiple",
                                       "GOV.5": "number", "GOV.6": "text"}
    assert sheet.loc["GOV.1", "level"] == 3 and sheet.loc["GOV.1", "level_name"] == "Partial"
    assert pd.isna(sheet.loc["GOV.1", "value"]) and pd.isna(sheet.loc["GOV.1", "value_text"])
    assert sheet["value"].tolist()[1:] == ["yes", "often", "women; youth", 12, FORMULA]
    assert isinstance(sheet.loc["GOV.5", "value"], int)  # a number, not the text "12"
    assert sheet["value_text"].tolist()[1:] == ["Yes", "Often", "Women; Youth", "12 people", FORMULA]
    assert sheet["level"].iloc[1:].isna().all()  # a level only for a level question
    assert (sheet["asked"] == "yes").all()


def test_value_text_is_in_the_exports_language():
    georgian = frames.Labels("ka", yes="დიახ", no="არა")
    sheet = long(EVERY_TYPE, georgian).set_index("indicator_code")
    assert sheet["value_text"].tolist()[1:] == ["დიახ", "ხშირად", "ქალები; ახალგაზრდები", "12 ადამიანი", FORMULA]
    armenian = frames.Labels("hy")
    assert long(EVERY_TYPE, armenian).set_index("indicator_code").loc["GOV.3", "value_text"] == "Հաճախ"


def test_a_decimal_stays_exact_and_a_value_that_no_longer_reads_is_kept_as_stored():
    rows = answers(row("TEL-01", "GOV.2", value="yes"), row("TEL-01", "GOV.4", value='["women"]'),
                   row("TEL-01", "GOV.5", value="2.5"), row("BAT-01", "GOV.2", value="maybe"),
                   row("BAT-01", "GOV.3", value="gone"))
    sheet = long(rows).set_index(["org_code", "indicator_code"])
    assert sheet.loc[("TEL-01", "GOV.5"), "value"] == 2.5
    assert sheet.loc[("TEL-01", "GOV.5"), "value_text"] == "2.5 people"
    assert sheet.loc[("BAT-01", "GOV.3"), "value"] == "gone" and pd.isna(sheet.loc[("BAT-01", "GOV.3"), "value_text"])


def test_items_whose_condition_is_not_met_are_marked_not_asked_and_added_when_unanswered():
    # TEL-01 has no policy (GOV.4 hidden, and GOV.5 with it) but had answered GOV.4 before changing its mind.
    rows = answers(row("TEL-01", "GOV.2", value="no"), row("TEL-01", "GOV.4", value='["women"]'),
                   row("BAT-01", "GOV.2", value="yes"), row("BAT-01", "GOV.4", value='["youth"]'))
    sheet = long(rows)
    asked = {(o, c): a for o, c, a in zip(sheet["org_code"], sheet["indicator_code"], sheet["asked"])}
    assert asked == {("TEL-01", "GOV.2"): "yes", ("TEL-01", "GOV.4"): "no", ("TEL-01", "GOV.5"): "no",
                     ("BAT-01", "GOV.2"): "yes", ("BAT-01", "GOV.4"): "yes", ("BAT-01", "GOV.5"): "no"}
    added = sheet.loc[(sheet["org_code"] == "TEL-01") & (sheet["indicator_code"] == "GOV.5")].iloc[0]
    assert pd.isna(added["value"]) and pd.isna(added["level"]) and added["not_applicable"] == "no"
    # The questionnaire's order holds for the added rows too.
    assert sheet.loc[sheet["org_code"] == "TEL-01", "indicator_code"].tolist() == ["GOV.2", "GOV.4", "GOV.5"]


def test_a_level_question_instrument_has_everyone_asked_and_nothing_added():
    levels_only = Questionnaire("levels", "1.0", QUESTIONNAIRE.title, None, QUESTIONNAIRE.scale,
                                (Domain("GOV", QUESTIONNAIRE.domains[0].title, None, INDICATORS[:1]),))
    marked = mark_asked(answers(row("TEL-01", "GOV.1", level=2), row("BAT-01", "GOV.1", na=True)), levels_only)
    assert marked["asked"].tolist() == [True, True]


def scores() -> SimpleNamespace:
    keys = {"org": ["TEL-01", "TEL-01"], "round": ["baseline"] * 2, "track": ["official"] * 2}
    return SimpleNamespace(
        overall=pd.DataFrame({"org": ["TEL-01"], "round": ["baseline"], "track": ["official"], "index": [2.5],
                              "stage": ["high"], "points": [15.0], "max_points": [20.0], "percent": [75.0],
                              "measure": [75.0]}),
        domains=pd.DataFrame({"org": ["TEL-01"], "round": ["baseline"], "track": ["official"], "domain": ["GOV"],
                              "score": [2.5], "points": [15.0], "max_points": [20.0], "percent": [75.0],
                              "answered": [5], "applicable": [5], "sufficient": [True]}),
        lenses=pd.DataFrame(columns=["org", "round", "track", "lens", "score"]),
        sub_areas=pd.DataFrame({**keys, "domain": ["GOV", "GOV"], "sub_area": ["GOV.B", "GOV.A"],
                                "score": [float("nan"), 3.0], "points": [None, 7.0], "max_points": [None, 8.0],
                                "percent": [None, 87.5], "answered": [0, 2], "applicable": [3, 2],
                                "sufficient": [False, True]}))


CHOSEN = pd.DataFrame({"org": ["TEL-01"], "official_track": ["self"], "official_status": ["submitted"],
                       "result": ["provisional"]})


def test_the_wide_sheet_appends_the_measure_its_presentation_and_each_domains_points():
    columns = frames.wide_columns(["GOV"], [])
    tail = columns[columns.index("answered_indicators") + 1:]
    assert tail == ["points", "max_points", "percent", "measure", "presentation", "points_GOV", "max_points_GOV",
                    "percent_GOV"]
    official = pd.DataFrame({"org": ["TEL-01"], "level": [3.0], "na": [False]})
    wide = frames.wide_frame(ORGS, CHOSEN, official, scores(), RUBRIC, ["GOV"], LABELS, "baseline")
    assert list(wide.columns) == columns
    tel = wide.set_index("org_code").loc["TEL-01"]
    assert (tel["measure"], tel["presentation"], tel["stage"], tel["stage_name"]) == (75.0, "percent", "high", "High")
    assert (tel["points_GOV"], tel["max_points_GOV"], tel["percent_GOV"], tel["index"]) == (15.0, 20.0, 75.0, 2.5)
    bat = wide.set_index("org_code").loc["BAT-01"]
    assert bat["presentation"] == "percent" and pd.isna(bat["measure"]) and pd.isna(bat["points_GOV"])


def test_a_scores_object_without_measures_leaves_their_columns_empty():
    bare = scores()
    bare.overall = bare.overall[["org", "round", "track", "index", "stage"]]
    bare.domains = bare.domains[["org", "round", "track", "domain", "score"]]
    official = pd.DataFrame({"org": ["TEL-01"], "level": [3.0], "na": [False]})
    wide = frames.wide_frame(ORGS, CHOSEN, official, bare, RUBRIC, ["GOV"], LABELS, "baseline")
    assert wide[["points", "measure", "percent_GOV"]].isna().all().all() and wide["index"].notna().any()


def test_the_sub_area_sheet_has_a_row_per_organisation_and_sub_area_in_the_questionnaires_order():
    sheet = frames.sub_area_frame(ORGS, CHOSEN, scores(), QUESTIONNAIRE, LABELS, "baseline")
    assert list(sheet.columns) == frames.SUB_AREA_COLUMNS
    assert list(zip(sheet["org_code"], sheet["sub_area_code"])) == [
        ("BAT-01", "GOV.A"), ("BAT-01", "GOV.B"), ("TEL-01", "GOV.A"), ("TEL-01", "GOV.B")]
    tel = sheet.loc[sheet["org_code"] == "TEL-01"].set_index("sub_area_code")
    assert tel.loc["GOV.A", ["score", "points", "max_points", "percent"]].tolist() == [3.0, 7.0, 8.0, 87.5]
    assert tel.loc["GOV.A", "sufficient"] == "yes" and tel.loc["GOV.B", "sufficient"] == "no"
    assert pd.isna(tel.loc["GOV.B", "score"]) and tel.loc["GOV.B", "answered"] == 0
    assert tel.loc["GOV.A", "sub_area_title"] == "Board" and tel.loc["GOV.A", "domain_title"] == "Governance"
    assert tel.loc["GOV.A", "official_track_label"] == "Self-assessment" and tel.loc["GOV.A", "result"] == "provisional"
    bat = sheet.loc[sheet["org_code"] == "BAT-01"]  # no score at all: the rows are there, empty
    assert bat["score"].isna().all() and bat["sufficient"].isna().all() and bat["answered"].isna().all()


def test_without_scores_the_sub_area_sheet_still_lists_every_sub_area():
    sheet = frames.sub_area_frame(ORGS, CHOSEN, None, QUESTIONNAIRE, LABELS, "baseline")
    assert len(sheet) == 4 and sheet["score"].isna().all()


def written(sub_areas: pd.DataFrame | None) -> RoundExport:
    sheet = long(EVERY_TYPE.assign(comment=["", "", "", "", "", "-2+3"]))
    empty = pd.DataFrame({"org_code": pd.Series(dtype=object)})
    return RoundExport("baseline", "en", sheet, empty, empty, empty, empty, sub_areas)


def test_formula_looking_text_answers_stay_text_in_both_formats():
    export = written(None)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export)))
    assert book.sheetnames == ["long", "wide", "profile", "plan", "mentoring"]
    sheet = book["long"]
    header = [c.value for c in sheet[1]]
    value, text = header.index("value"), header.index("value_text")
    cells = {r[header.index("indicator_code")].value: r for r in sheet.iter_rows(min_row=2)}
    assert cells["GOV.6"][value].value == FORMULA and cells["GOV.6"][value].data_type == "s"
    assert cells["GOV.6"][text].value == FORMULA and cells["GOV.6"][text].data_type == "s"
    assert cells["GOV.5"][value].value == 12 and cells["GOV.5"][value].data_type == "n"
    with zipfile.ZipFile(io.BytesIO(csv_zip(export))) as archive:
        assert sorted(archive.namelist()) == ["long.csv", "mentoring.csv", "plan.csv", "profile.csv", "wide.csv"]
        csv = pd.read_csv(io.BytesIO(archive.read("long.csv")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    tel = csv.set_index("indicator_code")
    assert tel.loc["GOV.6", "value"] == "'" + FORMULA and tel.loc["GOV.6", "value_text"] == "'" + FORMULA
    assert tel.loc["GOV.6", "comment"] == "'-2+3" and tel.loc["GOV.5", "value"] == "12"


def test_the_sub_area_sheet_is_written_last_when_there_is_one():
    sheet = frames.sub_area_frame(ORGS, CHOSEN, scores(), QUESTIONNAIRE, LABELS, "baseline")
    export = written(sheet)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export)))
    assert book.sheetnames == ["long", "wide", "profile", "plan", "mentoring", "sub_areas"]
    assert [c.value for c in book["sub_areas"][1]] == frames.SUB_AREA_COLUMNS
    with zipfile.ZipFile(io.BytesIO(csv_zip(export))) as archive:
        assert "sub_areas.csv" in archive.namelist()


def test_a_long_text_answer_with_line_breaks_arrives_whole_and_neutralised():
    long_text = "@mention\n" + "ჩვენ ვცვლით მომსახურებას. " * 190  # about 5,000 characters, the most a text may hold
    sheet = long(answers(row("TEL-01", "GOV.6", value=long_text)))
    export = RoundExport("baseline", "en", sheet, *[pd.DataFrame({"org_code": pd.Series(dtype=object)})] * 4)
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(export)))
    header = [c.value for c in book["long"][1]]
    # The items GOV.6 comes after are not asked (nothing answered to their conditions): GOV.6 is the last row.
    assert [c.value for c in book["long"]["N"][1:]] == ["GOV.4", "GOV.5", "GOV.6"]
    assert book["long"].cell(row=4, column=header.index("value") + 1).value == long_text
    assert book["long"].column_dimensions[openpyxl.utils.get_column_letter(header.index("value") + 1)].width <= 60
    with zipfile.ZipFile(io.BytesIO(csv_zip(export))) as archive:
        csv = pd.read_csv(io.BytesIO(archive.read("long.csv")), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert csv.loc[2, "value"] == "'" + long_text and csv.loc[2, "value_text"] == "'" + long_text
