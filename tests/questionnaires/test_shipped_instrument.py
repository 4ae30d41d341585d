"""The programme's instrument and rubric as shipped: valid, complete, GESI across all domains."""
from __future__ import annotations

import re

import pytest

from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_files, yaml_files
from capacity.questionnaires.model import RBA_TAGS
from tests.questionnaires.examples import problems_of

MTAVRULI = re.compile("[\u1c90-\u1cbf]")


@pytest.fixture(scope="module")
def library():
    library, problems = load_files(yaml_files(DEFAULT_DIRECTORY))
    assert problems == []
    return library


def test_instrument_has_the_required_breadth(library):
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    codes = [d.code for d in questionnaire.domains]
    assert codes == ["GOV", "STR", "HR", "FIN", "SRV", "MEL", "ADV", "GESI"]
    rated = [i for i in questionnaire.indicators if i.computed is None]
    assert len(rated) >= 40
    for indicator in rated:
        assert sorted(indicator.levels) == [1, 2, 3, 4], indicator.code
        assert indicator.evidence is not None, indicator.code


def test_gesi_tags_appear_in_every_domain_and_all_five_rba_principles_are_used(library):
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    for domain in questionnaire.domains:
        assert any(i.gesi for i in domain.indicators), f"domain {domain.code} has no GESI-tagged indicator"
    used = {tag for i in questionnaire.indicators for tag in i.rba}
    assert used == set(RBA_TAGS)


def test_level_names_follow_the_glossary(library):
    scale = library.questionnaire("gesi-oca", "1.0").scale
    assert [(s.name.ka, s.name.en) for s in scale] == [
        ("საწყისი", "Emerging"), ("განვითარებადი", "Developing"), ("ჩამოყალიბებული", "Established"), ("მდგრადი", "Mature")]


def test_georgian_texts_avoid_capitals_and_words_the_glossary_rules_out():
    for path in yaml_files(DEFAULT_DIRECTORY):
        text = path.read_text(encoding="utf-8")
        assert not MTAVRULI.search(text), path
        for wrong in ("ინვალიდ", "მონაწილეობრივ", "N/A"):
            ka_lines = [line for line in text.splitlines() if "ka:" in line and wrong in line]
            assert not ka_lines, (path, wrong, ka_lines[:1])


def test_rubric_points_at_the_shipped_questionnaire(library):
    rubric = library.rubric("gesi-oca-default", "1.0")
    assert rubric.questionnaire_key == "gesi-oca@1.0"
    assert [lens.code for lens in rubric.lenses] == ["gesi", "rba"]
    assert rubric.official_track == ("consensus", "mentor", "self")


def test_the_readme_example_is_valid(tmp_path):
    assert problems_of(tmp_path) == []


def test_every_indicator_has_a_short_title_for_report_tables(library):
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    titles = {language: [i.title(language) for i in questionnaire.indicators] for language in ("ka", "en")}
    for indicator in questionnaire.indicators:
        assert indicator.short is not None, indicator.code
        assert indicator.short.en[-1] != ".", indicator.code
    for language, names in titles.items():
        assert len(set(names)) == len(names), f"two indicators share a short title in {language}"
