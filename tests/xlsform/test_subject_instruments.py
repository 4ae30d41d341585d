"""The instruments for services and municipalities as XLSForms: lossless round trip (their subject kind
included), a collection form pyxform converts without warnings, its first question named after the kind."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_files
from capacity.questionnaires.model import Text
from capacity.xlsform.export import export_xlsform
from capacity.xlsform.importing import import_xlsform
from tests.xlsform.test_round_trip import differences

INSTRUMENTS = {"service-quality": ("service", Text("მომსახურება", "Service")),
               "municipal-participation": ("municipality", Text("მუნიციპალიტეტი", "Municipality"))}


def _load(name: str):
    library, problems = load_files([DEFAULT_DIRECTORY / f"{name}.yaml", DEFAULT_DIRECTORY / f"{name}.rubric.yaml"])
    assert problems == []
    return next(iter(library.questionnaires.values())), next(iter(library.rubrics.values()))


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_the_round_trip_keeps_everything_and_the_subject_kind(name, tmp_path):
    questionnaire, rubric = _load(name)
    assert questionnaire.subject == INSTRUMENTS[name][0]
    imported = import_xlsform(export_xlsform(questionnaire, rubric=rubric), f"{name}.xlsx")
    assert differences(questionnaire, imported.questionnaire) == []
    assert f"subject: {questionnaire.subject}\n" in imported.yaml
    for table in ("domain_weights", "sub_area_weights", "indicator_weights"):
        assert imported.weights[table] == getattr(rubric, table)
    path = tmp_path / f"{name}.yaml"
    path.write_text(imported.yaml, encoding="utf-8")
    library, problems = load_files([path])
    assert problems == [] and differences(questionnaire, library.questionnaires[questionnaire.key]) == []


@pytest.mark.parametrize("name", sorted(INSTRUMENTS))
def test_the_collection_form_converts_and_asks_for_the_subject_by_its_kinds_name(name):
    questionnaire, rubric = _load(name)
    label = INSTRUMENTS[name][1]
    data = export_xlsform(questionnaire, rubric=rubric, organisations=[("S-01", Text("ერთი", "One"))],
                          subject_label=label)
    warnings: list[str] = []
    xform = convert(xlsform=data, file_type=".xlsx", warnings=warnings).xform
    assert warnings == [] and "capacity_organisation" in xform
    assert f"<h:title>{questionnaire.title.ka}</h:title>" in xform
    survey = load_workbook(io.BytesIO(data))["survey"]
    heads = [c.value for c in next(survey.iter_rows(max_row=1))]
    first = dict(zip(heads, next(survey.iter_rows(min_row=2, max_row=2, values_only=True))))
    assert (first["name"], first["label::Georgian (ka)"], first["label::English (en)"]) == \
        ("capacity_organisation", label.ka, label.en)


def test_an_organisation_questionnaire_writes_no_subject_setting():
    library, problems = load_files([DEFAULT_DIRECTORY / "gesi-oca.yaml"])
    assert problems == []
    questionnaire = next(iter(library.questionnaires.values()))
    settings = load_workbook(io.BytesIO(export_xlsform(questionnaire)))["settings"]
    assert "capacity_subject" not in [c.value for c in next(settings.iter_rows(max_row=1))]
