"""The instrument format beyond levels: question types, conditions, sub-areas, languages, presentation.

Each bad file gets a message with its file, line and what to do; the every-type fixture
(tests/fixtures/questionnaires) is the good file every case starts from.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from capacity.questionnaires.library import load_files
from tests.questionnaires.examples import QUESTIONNAIRE, RUBRIC, line_of, write

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "questionnaires"
TYPES = (FIXTURES / "every-type.yaml").read_text(encoding="utf-8")
TYPES_RUBRIC = (FIXTURES / "every-type.rubric.yaml").read_text(encoding="utf-8")
POINTS_RUBRIC = (FIXTURES / "every-type-points.rubric.yaml").read_text(encoding="utf-8")


def load(tmp_path, questionnaire: str = TYPES, rubric: str | None = TYPES_RUBRIC):
    paths = [write(tmp_path, "q.yaml", questionnaire)] + ([write(tmp_path, "r.yaml", rubric)] if rubric else [])
    library, problems = load_files(paths)
    return library, [str(p).replace(str(tmp_path) + "/", "") for p in problems]


def problems(tmp_path, questionnaire: str = TYPES, rubric: str | None = TYPES_RUBRIC) -> list[str]:
    return load(tmp_path, questionnaire, rubric)[1]


def test_the_fixture_reads_every_type_condition_sub_area_and_language(tmp_path):
    library, found = load(tmp_path)
    assert found == []
    questionnaire = library.questionnaire("every-type", "1.0")
    by_code = {i.code: i for i in questionnaire.indicators}
    assert {i.type for i in questionnaire.indicators} == {"scale", "yes_no", "single", "multiple", "number", "text"}
    assert questionnaire.languages == ("ka", "en", "hy")
    assert by_code["GOV.3"].show_if.code == "GOV.2" and by_code["GOV.3"].show_if.value == "yes"
    assert by_code["SRV.5"].show_if.value == ("yearly", "more_often")
    assert [o.score for o in by_code["GOV.4"].options] == [1, 2, 3, 4]
    assert by_code["SRV.1"].number.integer and by_code["SRV.1"].number.minimum == 0
    assert by_code["SRV.1"].number.unit.get("hy") == "մարդ"
    assert not by_code["SRV.4"].required
    assert [s.code for s in questionnaire.domains[0].sub_areas] == ["GOV.A", "GOV.B"]
    assert by_code["GOV.1"].text.get("hy").startswith("Կազմակերպությունն")
    rubric = library.rubric("every-type-default", "1.0")
    assert rubric.presentation == "percent" and rubric.sub_area_weights == {"GOV.A": 2}
    assert rubric.scoring["GOV.2"].yes == 4 and rubric.scoring["SRV.1"].thresholds == (10, 50, 200)
    assert rubric.stages[0].name.get("hy") == "Սկզբնական"
    points, found = load(tmp_path, TYPES, POINTS_RUBRIC)
    assert found == [] and points.rubric("every-type-points", "1.0").presentation == "points"


def test_an_unquoted_no_is_reported_with_the_word_to_quote(tmp_path):
    broken = QUESTIONNAIRE.replace('en: "Job descriptions"', "en: No")
    found = problems(tmp_path, broken, None)
    line = line_of(broken, "en: No")
    assert any(p.startswith(f"q.yaml:{line}:") and "unquoted word No as false" in p and 'write "No" in quotes' in p
               for p in found), found
    assert not any("has no English" in p for p in found), found  # not the misleading "missing translation"


def test_an_unquoted_yes_in_a_condition_is_reported(tmp_path):
    broken = TYPES.replace('show_if: {code: GOV.2, equals: "yes"}', "show_if: {code: GOV.2, equals: yes}")
    found = problems(tmp_path, broken)
    assert any(f"q.yaml:{line_of(broken, 'equals: yes}')}:" in p and 'write "yes" in quotes' in p for p in found), found


def test_unquoted_yes_and_no_keys_of_a_rubric_are_reported(tmp_path):
    broken = TYPES_RUBRIC.replace('GOV.2: {"yes": 4, "no": 1}', "GOV.2: {yes: 4, no: 1}")
    found = problems(tmp_path, TYPES, broken)
    line = line_of(broken, "GOV.2: {yes")
    assert any(p.startswith(f"r.yaml:{line}:") and 'write "yes" in quotes' in p for p in found), found
    assert not any("unknown key" in p for p in found), found


def test_codes_that_become_one_form_field_are_refused(tmp_path):
    broken = QUESTIONNAIRE.replace("      - code: HR.02", "      - code: HR_01")
    found = problems(tmp_path, broken, None)
    line = line_of(broken, "code: HR_01")
    assert any(p.startswith(f"q.yaml:{line}:") and "'HR_01' and 'HR.01'" in p and "same form field 'HR_01'" in p
               for p in found), found


@pytest.mark.parametrize("placeholder", ["TODO", "untranslated", "[untranslated] Job descriptions", "…", "TBD"])
def test_a_placeholder_is_not_a_translation(tmp_path, placeholder):
    broken = QUESTIONNAIRE.replace('en: "Job descriptions"', f'en: "{placeholder}"')
    found = problems(tmp_path, broken, None)
    assert any(f"q.yaml:{line_of(broken, placeholder)}:" in p and "is a placeholder" in p for p in found), found


def test_a_text_copied_across_languages_is_refused_unless_marked_identical(tmp_path):
    copied = QUESTIONNAIRE.replace('text: {ka: "სამუშაო აღწერილობები", en: "Job descriptions"}',
                                   'text: {ka: "Job descriptions", en: "Job descriptions"}')
    found = problems(tmp_path, copied, None)
    assert any("is the same in Georgian (ka) and English (en)" in p and "identical: true" in p for p in found), found
    meant = copied.replace('en: "Job descriptions"}', 'en: "Job descriptions", identical: true}')
    assert problems(tmp_path, meant, None) == []


def test_declared_languages_are_required_and_undeclared_ones_refused(tmp_path):
    missing = TYPES.replace('          hy: "Կազմակերպությունն ունի գրավոր ռազմավարություն։"\n', "")
    found = problems(tmp_path, missing)
    assert any("'text' of indicator GOV.1 has no Armenian (hy) translation" in p for p in found), found
    undeclared = TYPES.replace("languages: [ka, en, hy]", "languages: [ka, en]")
    assert any("language 'hy' in 'title' of the questionnaire is not declared" in p for p in problems(tmp_path, undeclared))
    unknown = TYPES.replace("languages: [ka, en, hy]", "languages: [ka, en, hyy]")
    assert any("unknown language 'hyy' in 'languages' (did you mean 'hy'?)" in p for p in problems(tmp_path, unknown))


def test_a_draft_language_may_be_partial(tmp_path):
    draft = TYPES.replace("languages: [ka, en, hy]", "languages: [ka, en]\ndraft_languages: [hy]")
    draft = draft.replace('          hy: "Կազմակերպությունն ունի գրավոր ռազմավարություն։"\n', "")
    library, found = load(tmp_path, draft)
    assert found == []
    questionnaire = library.questionnaire("every-type", "1.0")
    assert questionnaire.draft_languages == ("hy",)
    assert questionnaire.indicator("GOV.1").text.own("hy") == ""
    assert questionnaire.indicator("GOV.1").text.get("hy") == "The organisation has a written strategy."


@pytest.mark.parametrize("old, new, message", [
    ("type: yes_no\n        text:\n          ka: \"ორგანიზაცია საქმიანობის",
     "type: yesno\n        text:\n          ka: \"ორგანიზაცია საქმიანობის",
     "type 'yesno' of indicator GOV.2 is unknown (did you mean 'yes_no'?)"),
    ('show_if: {code: GOV.2, equals: "yes"}', 'show_if: {code: GOV.9, equals: "yes"}',
     "'show_if' of indicator GOV.3 names 'GOV.9', which is not an indicator"),
    ("show_if: {code: SRV.1, at_least: 1}", "show_if: {code: SRV.1, equals: 1}",
     "'equals' cannot test number question SRV.1; use: at_least, at_most"),
    ("show_if: {code: GOV.4, any_of: [yearly, more_often]}", "show_if: {code: GOV.4, any_of: [yearly, weekly]}",
     "'any_of' of the condition of indicator SRV.5: 'weekly' is not an answer of GOV.4"),
    ("- {code: never, text:", "- {code: rarely, text:", "option 'rarely' of indicator GOV.4 is listed twice"),
    ('show_if: {code: GOV.2, equals: "yes"}', 'show_if: {code: GOV.2, equals: "yes", at_most: 2}',
     "'show_if' of indicator GOV.3 needs exactly one condition"),
])
def test_bad_types_and_conditions_name_the_line(tmp_path, old, new, message):
    assert old in TYPES
    broken = TYPES.replace(old, new, 1)
    found = problems(tmp_path, broken)
    line = line_of(broken, new.splitlines()[0])
    assert any(message in p and p.startswith("q.yaml:") for p in found), found
    assert any(message in p and abs(int(p.split(":")[1]) - line) <= 2 for p in found), (line, found)


def test_a_condition_must_name_an_earlier_item(tmp_path):
    broken = TYPES.replace('show_if: {code: GOV.2, equals: "yes"}', "show_if: {code: SRV.2, at_least: 2}")
    assert any("must name an indicator answered before it; 'SRV.2' is not earlier" in p for p in problems(tmp_path, broken))


def test_levels_only_on_scales_and_options_only_on_choices(tmp_path):
    broken = TYPES.replace("        min: 0\n        integer: true", "        min: 0\n        integer: true\n        options: []")
    assert any("'options' is only for single and multiple questions; indicator SRV.1 is a number question" in p
               for p in problems(tmp_path, broken))


def test_every_indicator_of_a_domain_with_sub_areas_names_one(tmp_path):
    broken = TYPES.replace("      - code: GOV.5\n        sub_area: GOV.B\n", "      - code: GOV.5\n")
    found = problems(tmp_path, broken)
    assert any("indicator GOV.5 names no sub-area, but domain GOV declares sub-areas (GOV.A, GOV.B)" in p for p in found)


def test_rubric_scoring_is_checked_against_each_question_type(tmp_path):
    wrong = TYPES_RUBRIC.replace('GOV.2: {"yes": 4, "no": 1}', 'GOV.2: {"yes": 7, "no": 1}\n  SRV.4: {thresholds: [1, 2, 3]}')
    found = problems(tmp_path, TYPES, wrong)
    assert any("'yes' of the scoring of GOV.2 is 7, off the scale 1–4" in p for p in found), found
    assert any("SRV.4 is a text question and takes no rubric scoring: a text is never scored" in p for p in found), found
    few = TYPES_RUBRIC.replace("SRV.1: {thresholds: [10, 50, 200]}", "SRV.1: {thresholds: [10, 50]}")
    assert any("needs 3 thresholds" in p for p in problems(tmp_path, TYPES, few))


def test_stages_cover_the_presented_measure(tmp_path):
    assert any("the last stage must end at 100 %, 100 (the rubric presents percent)" in p
               for p in problems(tmp_path, TYPES, TYPES_RUBRIC.replace("from: 70, to: 100}", "from: 70, to: 4}")))
    as_mean = TYPES_RUBRIC.replace("presentation: percent", "presentation: mean")
    assert any("the first stage must start at the lowest level, 1" in p for p in problems(tmp_path, TYPES, as_mean))
    wrong_total = POINTS_RUBRIC.replace("to: 20}", "to: 24}")
    assert wrong_total != POINTS_RUBRIC
    assert any("the last stage must end at the most points the scored indicators can reach, 20" in p
               for p in problems(tmp_path, TYPES, wrong_total))


def test_the_shipped_rubric_example_still_loads(tmp_path):
    assert problems(tmp_path, QUESTIONNAIRE, RUBRIC) == []
