"""YAML → XLSForm → YAML loses nothing, carries the rubric's weights, and pyxform turns the form into an XForm."""
from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from capacity.questionnaires.library import load_files
from capacity.questionnaires.model import Text
from capacity.xlsform.export import export_xlsform
from capacity.xlsform.importing import import_xlsform
from tests.xlsform.helpers import load

ORGANISATIONS = [("TEL-01", Text("თელავის ქალთა ცენტრი", "Telavi Women's Centre")), ("on", Text("ონის ფონდი", "Oni Fund"))]


def differences(one, other, where="") -> list[str]:
    """Every field (recursively through dataclasses and tuples) where two loaded questionnaires differ."""
    if dataclasses.is_dataclass(one) and type(one) is type(other):
        found = []
        for field in dataclasses.fields(one):
            if field.name in ("path", "content_hash", "_index"):
                continue
            found += differences(getattr(one, field.name), getattr(other, field.name), f"{where}.{field.name}")
        return found
    if isinstance(one, tuple) and isinstance(other, tuple) and len(one) == len(other):
        return [d for i, (a, b) in enumerate(zip(one, other)) for d in differences(a, b, f"{where}[{i}]")]
    return [] if one == other else [f"{where}: {one!r:.80} != {other!r:.80}"]


@pytest.mark.parametrize("name", ["gesi-oca", "every-type"])
def test_round_trip_loses_nothing_and_keeps_the_rubric_weights(name, tmp_path):
    questionnaire, rubric = load(name)
    imported = import_xlsform(export_xlsform(questionnaire, rubric=rubric), f"{name}.xlsx")
    assert differences(questionnaire, imported.questionnaire) == []
    assert imported.questionnaire.indicators == questionnaire.indicators  # the same check, as the app compares them
    for table in ("domain_weights", "sub_area_weights", "indicator_weights"):
        assert imported.weights[table] == getattr(rubric, table)
    # The written YAML is a questionnaire file the library loads as it is, with the same content.
    path = tmp_path / f"{name}.yaml"
    path.write_text(imported.yaml, encoding="utf-8")
    library, problems = load_files([path])
    assert problems == []
    assert differences(questionnaire, library.questionnaires[questionnaire.key]) == []


def test_every_type_weights_include_a_sub_area_weight():
    questionnaire, rubric = load("every-type")
    assert rubric.sub_area_weights  # so the test above checks sub-area weights travel too
    imported = import_xlsform(export_xlsform(questionnaire, rubric=rubric))
    assert imported.weights["sub_area_weights"] == rubric.sub_area_weights


def test_without_a_rubric_no_weights_are_written():
    questionnaire, _ = load("every-type")
    imported = import_xlsform(export_xlsform(questionnaire))
    assert imported.weights == {"domain_weights": {}, "sub_area_weights": {}, "indicator_weights": {}}


@pytest.mark.parametrize("name", ["gesi-oca", "every-type"])
@pytest.mark.parametrize("collection", [False, True])
def test_pyxform_converts_the_export_without_warnings(name, collection):
    questionnaire, rubric = load(name)
    data = export_xlsform(questionnaire, rubric=rubric, organisations=ORGANISATIONS if collection else ())
    warnings: list[str] = []
    xform = convert(xlsform=data, file_type=".xlsx", warnings=warnings).xform
    assert warnings == []
    assert f'<h:title>{questionnaire.title.ka}</h:title>' in xform
    assert 'lang="Georgian (ka)"' in xform and 'lang="English (en)"' in xform
    first = questionnaire.domains[0]
    assert f"/data/{first.code}/" in xform
    assert ("capacity_organisation" in xform) is collection


def test_the_collection_form_starts_with_the_organisation_question():
    questionnaire, _ = load("every-type")
    book = load_workbook(io.BytesIO(export_xlsform(questionnaire, organisations=ORGANISATIONS)))
    survey = list(book["survey"].iter_rows(values_only=True))
    header = survey[0]
    first = dict(zip(header, survey[1]))
    assert first["type"] == "select_one capacity_organisations" and first["name"] == "capacity_organisation"
    choices = [dict(zip(list(book["choices"].iter_rows(values_only=True))[0], row))
               for row in list(book["choices"].iter_rows(values_only=True))[1:]]
    organisations = [(c["name"], c["label::English (en)"]) for c in choices if c["list_name"] == "capacity_organisations"]
    assert organisations == [("TEL-01", "Telavi Women's Centre"), ("on", "Oni Fund")]
    # The contract other code relies on: a list per scale indicator named after it, levels as names, "na" for N/A.
    srv2 = [c["name"] for c in choices if c["list_name"] == "SRV.2"]
    assert srv2 == ["1", "2", "3", "4", "na"]
    types = {row[header.index("name")]: row[header.index("type")] for row in survey[1:]}
    assert types["GOV.2"] == "select_one capacity_yes_no" and types["GOV.3"] == "select_multiple GOV.3"
    assert types["SRV.1"] == "integer" and types["SRV.4"] == "text" and types["GOV.4"] == "select_one GOV.4"
    # and it still imports as the same questionnaire (the organisation question is not an indicator)
    assert differences(questionnaire, import_xlsform(export_xlsform(questionnaire, organisations=ORGANISATIONS)).questionnaire) == []


def test_a_text_starting_with_equals_stays_a_text(tmp_path):
    questionnaire, _ = load("every-type")
    indicator = questionnaire.domains[0].indicators[0]
    tricky = dataclasses.replace(indicator, text=Text("=ჯამი(A1)", "=SUM(A1:A9)", (("hy", "=ԳՈՒՄԱՐ(A1)"),)))
    domain = dataclasses.replace(questionnaire.domains[0], indicators=(tricky,) + questionnaire.domains[0].indicators[1:])
    changed = dataclasses.replace(questionnaire, domains=(domain,) + questionnaire.domains[1:])
    imported = import_xlsform(export_xlsform(changed))
    assert imported.questionnaire.indicators[0].text.en == "=SUM(A1:A9)"


def test_the_readme_documents_every_column_written_and_read():
    from capacity.questionnaires.library import DEFAULT_DIRECTORY
    from capacity.xlsform import columns

    readme = (DEFAULT_DIRECTORY / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## XLSForm (KoboToolbox, ODK)"):readme.index("## Learning resources")]
    every = columns.SURVEY_PLAIN + columns.SURVEY_TEXTS + columns.CHOICE_PLAIN + columns.CHOICE_TEXTS + \
        columns.SETTINGS_PLAIN + columns.SETTINGS_TEXTS + columns.CROSSWALK_PLAIN
    assert [name for name in every if f"`{name}" not in section] == []
    for reserved in (columns.SCALE_LIST, columns.YES_NO_LIST, columns.PROFILE_GROUP, columns.ORGANISATION, columns.CROSSWALK):
        assert reserved in section
