"""The XForm pyxform makes of an exported form, read as XML: one translation per content language (Georgian the
default) with every text, and each select question bound to its own list holding the questionnaire's answers."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from pyxform.xls2xform import convert

from capacity.xlsform import columns as c
from capacity.xlsform.export import export_xlsform
from tests.xlsform.helpers import load

NS = {"x": "http://www.w3.org/2002/xforms", "h": "http://www.w3.org/1999/xhtml"}


def _path(questionnaire, indicator) -> str:
    domain = next(d for d in questionnaire.domains if indicator in d.indicators)
    return "/".join(["", "data", domain.code] + ([indicator.sub_area] if indicator.sub_area else []) + [indicator.code])


def _answers(indicator) -> list[str]:
    if indicator.type == "scale":
        return [str(level) for level in sorted(indicator.levels)] + ([c.NA] if indicator.allow_na else [])
    if indicator.type == "yes_no":
        return ["yes", "no"]
    return [option.code for option in indicator.options]


@pytest.mark.parametrize("name", ["gesi-oca", "every-type"])
def test_the_xform_has_every_language_and_every_choice_list(name):
    questionnaire, rubric = load(name)
    root = ET.fromstring(convert(xlsform=export_xlsform(questionnaire, rubric=rubric), file_type=".xlsx",
                                 warnings=[]).xform)
    translations = {t.get("lang"): t for t in root.iter(f"{{{NS['x']}}}translation")}
    assert list(translations) == [c.language_label(code) for code in questionnaire.content_languages]
    assert translations[c.language_label(questionnaire.content_languages[0])].get("default") == "true()"
    texts = {lang: {t.get("id"): "".join(t.find("x:value", NS).itertext()) for t in node.findall("x:text", NS)}
             for lang, node in translations.items()}
    ids = set(texts[c.language_label("ka")])
    assert all(set(found) == ids for found in texts.values())  # no language lacks a text another has
    for code in questionnaire.content_languages:
        mine = texts[c.language_label(code)]
        assert all(value.strip() for value in mine.values()), code  # never an empty label
        for indicator in questionnaire.indicators:
            if indicator.computed is None:
                # the authoring form keeps a draft translation's gaps (pyxform shows "-"), so they round-trip
                assert mine[f"{_path(questionnaire, indicator)}:label"] == (indicator.text.own(code) or "-")

    instances = {i.get("id"): [item.findtext("x:name", namespaces=NS) for item in i.iter(f"{{{NS['x']}}}item")]
                 for i in root.iter(f"{{{NS['x']}}}instance") if i.get("id")}
    selects = {s.get("ref"): s for tag in ("select1", "select") for s in root.iter(f"{{{NS['x']}}}{tag}")}
    asked = [i for i in questionnaire.indicators if i.computed is None and i.type in ("scale", "yes_no", "single", "multiple")]
    assert asked and len(selects) == len(asked)
    for indicator in asked:
        select = selects[_path(questionnaire, indicator)]
        assert select.tag.endswith("select" if indicator.type == "multiple" else "select1")
        nodeset = select.find("x:itemset", NS).get("nodeset")
        list_name = c.YES_NO_LIST if indicator.type == "yes_no" else indicator.code
        assert nodeset == f"instance('{list_name}')/root/item"
        assert instances[list_name] == _answers(indicator)
        if indicator.type == "scale":  # each level's label is that indicator's descriptor, in every language
            for code in questionnaire.content_languages:
                labels = [texts[c.language_label(code)][f"{list_name}-{n}"] for n in range(len(indicator.levels))]
                assert labels == [indicator.levels[level].own(code) or "-" for level in sorted(indicator.levels)]


def test_the_collection_form_fills_a_draft_translations_gaps_as_the_app_shows_them():
    questionnaire, rubric = load("gesi-oca")
    assert questionnaire.draft_languages == ("ru",)
    orgs = [("ORG-1", questionnaire.title)]
    root = ET.fromstring(convert(xlsform=export_xlsform(questionnaire, rubric=rubric, organisations=orgs),
                                 file_type=".xlsx", warnings=[]).xform)
    russian = next(t for t in root.iter(f"{{{NS['x']}}}translation") if t.get("lang") == "Russian (ru)")
    values = {t.get("id"): "".join(t.find("x:value", NS).itertext()) for t in russian.findall("x:text", NS)}
    assert "-" not in values.values()  # pyxform's mark of an empty label: an enumerator would read "-"
    for indicator in questionnaire.indicators:
        if indicator.computed is None:
            assert values[f"{_path(questionnaire, indicator)}:label"] == indicator.text.get("ru")
