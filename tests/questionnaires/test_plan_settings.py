"""The rubric's `plan:` section: suggested priorities and support types, each mistake named with its line."""
from __future__ import annotations

import pytest

from capacity.questionnaires.library import load_files
from capacity.questionnaires.model import DEFAULT_SUPPORT_TYPES, PlanSettings
from tests.questionnaires.examples import QUESTIONNAIRE, RUBRIC, line_of, problems_of, write

PLAN = """\
plan:
  priorities:
    lowest: {count: 4, below: 2.5}
    gesi: {count: 2, below: 3}
    gaps: {count: 0, at_least: 2}
  support_types:
    - code: training
      name: {ka: ტრენინგი, en: Training}
    - code: mentoring
      name: {ka: მენტორობა, en: Mentoring}
"""


def rubric_with(plan: str) -> str:
    return RUBRIC + plan


def only(found: list[str]) -> str:
    assert len(found) == 1, found
    return found[0]


def test_a_plan_section_is_read_into_the_rubric(tmp_path):
    paths = [write(tmp_path, "q.yaml", QUESTIONNAIRE), write(tmp_path, "r.yaml", rubric_with(PLAN))]
    library, found = load_files(paths)
    assert found == []
    plan = library.rubric("mini-default", "1.0").plan
    assert (plan.lowest_count, plan.lowest_below, plan.gesi_count, plan.gesi_below, plan.gap_count, plan.gap_at_least) \
        == (4, 2.5, 2, 3.0, 0, 2)
    assert [(s.code, s.name.ka, s.name.en) for s in plan.support_types] == [("training", "ტრენინგი", "Training"),
                                                                          ("mentoring", "მენტორობა", "Mentoring")]


def test_without_a_plan_section_the_defaults_apply(tmp_path):
    paths = [write(tmp_path, "q.yaml", QUESTIONNAIRE), write(tmp_path, "r.yaml", RUBRIC)]
    library, found = load_files(paths)
    assert found == [] and library.rubric("mini-default", "1.0").plan == PlanSettings()
    assert PlanSettings().support_types == DEFAULT_SUPPORT_TYPES


@pytest.mark.parametrize("count", ["-1", "2.5", "many", "true"])
def test_a_count_must_be_a_whole_number_0_or_more(tmp_path, count):
    rubric = rubric_with(PLAN.replace("lowest: {count: 4,", f"lowest: {{count: {count},"))
    problem = only(problems_of(tmp_path, rubric=rubric))
    assert problem.startswith(f"r.yaml:{line_of(rubric, 'lowest: {count:')}:")
    assert "'count' of priority rule 'lowest' must be a whole number, 0 (off) or more" in problem


@pytest.mark.parametrize("below", ["1", "0.5", "6"])
def test_below_must_be_within_the_scale(tmp_path, below):
    rubric = rubric_with(PLAN.replace("gesi: {count: 2, below: 3}", f"gesi: {{count: 2, below: {below}}}"))
    problem = only(problems_of(tmp_path, rubric=rubric))
    assert problem.startswith(f"r.yaml:{line_of(rubric, 'gesi: {count: 2')}:")
    assert "'below' of priority rule 'gesi' must be above the lowest level (1) and at most one above the highest (5)" \
           in problem


@pytest.mark.parametrize("value", ["1.5", "0"])
def test_at_least_must_be_a_whole_number_of_levels(tmp_path, value):
    rubric = rubric_with(PLAN.replace("at_least: 2}", f"at_least: {value}}}"))
    problem = only(problems_of(tmp_path, rubric=rubric))
    assert problem.startswith(f"r.yaml:{line_of(rubric, 'gaps: {count: 0')}:")
    assert "'at_least' of priority rule 'gaps' must be a whole number of levels, 1 or more" in problem


def test_unknown_keys_are_named_with_a_suggestion(tmp_path):
    rubric = rubric_with(PLAN.replace("    gaps: {count: 0, at_least: 2}", "    gaps: {count: 0, at_lest: 2}")
                         .replace("  support_types:", "  suport_types:"))
    found = problems_of(tmp_path, rubric=rubric)
    assert len(found) == 2, found
    assert any(p.startswith(f"r.yaml:{line_of(rubric, 'at_lest')}:") and "unknown key 'at_lest' in priority rule 'gaps' "
               "(did you mean 'at_least'?)" in p for p in found)
    assert any(p.startswith(f"r.yaml:{line_of(rubric, 'suport_types')}:3:") and "unknown key 'suport_types' in 'plan' "
               "(did you mean 'support_types'?)" in p for p in found)


def test_a_support_type_listed_twice(tmp_path):
    rubric = rubric_with(PLAN.replace("code: mentoring", "code: training"))
    problem = only(problems_of(tmp_path, rubric=rubric))
    assert problem.startswith(f"r.yaml:{line_of(rubric, 'code: training', 2)}:")
    assert "support type 'training' is listed twice; keep one" in problem


def test_a_support_type_without_its_georgian_name(tmp_path):
    rubric = rubric_with(PLAN.replace("name: {ka: მენტორობა, en: Mentoring}", "name: {en: Mentoring}"))
    problem = only(problems_of(tmp_path, rubric=rubric))
    assert problem.startswith(f"r.yaml:{line_of(rubric, 'name: {en: Mentoring}')}:")
    assert "'name' of support type mentoring has no Georgian (ka) translation; add it" in problem
