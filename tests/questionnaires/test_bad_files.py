"""Every kind of bad questionnaire or rubric: file, line, column and what to do; nothing half-loads."""
from __future__ import annotations

import pytest

from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.library import load_directory, load_files
from tests.questionnaires.examples import QUESTIONNAIRE, RUBRIC, line_of, problems_of, write


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_yaml_syntax_error_names_the_line(tmp_path):
    broken = QUESTIONNAIRE.replace('title: {ka: "მცირე კითხვარი", en: "Small questionnaire"}',
                                   'title: {ka: "მცირე კითხვარი", en: "Small questionnaire"')
    problem = only(problems_of(tmp_path, broken, None))
    assert problem.startswith("q.yaml:4:")
    assert "YAML syntax" in problem


def test_a_control_character_in_the_file_names_its_line_and_column(tmp_path):
    broken = QUESTIONNAIRE.replace('en: "Small questionnaire"', 'en: "Small\x07 questionnaire"')
    problem = only(problems_of(tmp_path, broken, None))
    line = line_of(broken, "Small\x07")
    column = broken.splitlines()[line - 1].index("\x07") + 1
    assert problem.startswith(f"q.yaml:{line}:{column}: YAML cannot contain the character '\\x07' (code point U+0007)")


def test_unknown_key_suggests_the_nearest_valid_one(tmp_path):
    broken = QUESTIONNAIRE.replace("        evidence: {ka: \"სამუშაო", "        evidense: {ka: \"სამუშაო")
    problems = problems_of(tmp_path, broken, None)
    line = line_of(broken, "evidense")
    assert f"q.yaml:{line}:9: unknown key 'evidense' in an indicator of domain HR (did you mean 'evidence'?)" in problems[0]
    assert any("has no 'evidence'" in p for p in problems)


def test_missing_translation(tmp_path):
    broken = QUESTIONNAIRE.replace('text: {ka: "სამუშაო აღწერილობები", en: "Job descriptions"}',
                                   'text: {ka: "სამუშაო აღწერილობები"}')
    problem = only(problems_of(tmp_path, broken, None))
    line = line_of(broken, 'text: {ka: "სამუშაო')
    assert problem.startswith(f"q.yaml:{line}:")
    assert "'text' of indicator HR.01 has no English (en) translation; add it" in problem


def test_duplicate_code(tmp_path):
    broken = QUESTIONNAIRE.replace("      - code: HR.02", "      - code: HR.01")
    problem = only(problems_of(tmp_path, broken, RUBRIC.replace("indicator_weights: {HR.01: 2}", "indicator_weights: {}")))
    first, second = line_of(broken, "code: HR.01"), line_of(broken, "code: HR.01", 2)
    assert problem == f"q.yaml:{second}:15: code 'HR.01' is used twice (first on line {first}); codes must be unique"


def test_non_ascii_code(tmp_path):
    broken = QUESTIONNAIRE.replace("      - code: HR.02", "      - code: ად.02")
    problem = only(problems_of(tmp_path, broken, None))
    assert "code 'ად.02' of an indicator of domain HR must be ASCII" in problem


def test_missing_level_descriptor(tmp_path):
    broken = QUESTIONNAIRE.replace('          3: {ka: "აღწერილობები ყველა თანამდებობას აქვს.", en: "Every position has one."}\n', "")
    problem = only(problems_of(tmp_path, broken, None))
    assert "indicator HR.01 has no descriptor for level 3" in problem
    line = line_of(broken, '1: {ka: "აღწერილობები არ')
    assert problem.startswith(f"q.yaml:{line}:")


@pytest.mark.parametrize("weight, message", [
    ("0", "the weight of HR must be greater than zero, not 0"),
    ("-1", "the weight of HR must be greater than zero, not -1"),
    ("heavy", "the weight of HR must be a number, not 'heavy'"),
])
def test_weights_must_be_positive_numbers(tmp_path, weight, message):
    broken = RUBRIC.replace("domain_weights: {HR: 1}", f"domain_weights: {{HR: {weight}}}")
    problem = only(problems_of(tmp_path, QUESTIONNAIRE, broken))
    assert problem.startswith(f"r.yaml:{line_of(broken, 'domain_weights')}:")
    assert message in problem


def test_weight_for_an_unknown_indicator(tmp_path):
    broken = RUBRIC.replace("indicator_weights: {HR.01: 2}", "indicator_weights: {HR-01: 2}")
    assert "names 'HR-01', which is not in the questionnaire (did you mean 'HR.01'?)" in only(problems_of(tmp_path, QUESTIONNAIRE, broken))


def test_overlapping_and_gapped_stage_bands(tmp_path):
    overlap = RUBRIC.replace("from: 2.5, to: 4}", "from: 2.0, to: 4}")
    assert "stage high starts at 2.0, inside stage low (which ends at 2.5): stages overlap" in only(problems_of(tmp_path, QUESTIONNAIRE, overlap))
    gap = RUBRIC.replace("from: 2.5, to: 4}", "from: 2.7, to: 4}")
    problem = only(problems_of(tmp_path, QUESTIONNAIRE, gap))
    assert "stage high starts at 2.7 but stage low ends at 2.5: scores in between would have no stage" in problem
    assert problem.startswith(f"r.yaml:{line_of(gap, 'code: high')}:")


def test_stages_must_cover_the_whole_scale(tmp_path):
    short = RUBRIC.replace("from: 2.5, to: 4}", "from: 2.5, to: 3.5}")
    assert "the last stage must end at the highest level, 4" in only(problems_of(tmp_path, QUESTIONNAIRE, short))


def test_rubric_for_a_questionnaire_version_that_does_not_exist(tmp_path):
    broken = RUBRIC.replace('questionnaire: {id: mini, version: "1.0"}', 'questionnaire: {id: mini, version: "2.0"}')
    problem = only(problems_of(tmp_path, QUESTIONNAIRE, broken))
    assert problem.startswith(f"r.yaml:{line_of(broken, 'questionnaire:')}:")
    assert "questionnaire mini version 2.0, which does not exist" in problem and "mini@1.0" in problem


def test_crosswalk_to_an_unknown_code(tmp_path):
    newer = QUESTIONNAIRE.replace('version: "1.0"', 'version: "1.1"') + (
        'crosswalk:\n  from_version: "1.0"\n  map:\n    HR.01: HR.01\n    HR.02: HR.99\n')
    write(tmp_path, "old.yaml", QUESTIONNAIRE)
    _, problems = load_files([tmp_path / "old.yaml", write(tmp_path, "new.yaml", newer)])
    messages = [str(p) for p in problems]
    assert len(messages) == 1
    assert f"new.yaml:{line_of(newer, 'HR.02: HR.99')}:12: the crosswalk maps 'HR.02' to 'HR.99'" in messages[0]


def test_version_written_as_a_number_is_explained(tmp_path):
    broken = QUESTIONNAIRE.replace('version: "1.0"', "version: 1.0")
    assert 'write it in quotes, e.g. version: "1.0"' in only(problems_of(tmp_path, broken, None))


def test_computed_indicator_referring_to_an_unknown_profile_category(tmp_path):
    broken = QUESTIONNAIRE.replace("numerator: leadership.female", "numerator: leadership.women")
    assert "'leadership' has no category 'women'; use one of female, male, total" in only(problems_of(tmp_path, broken, None))


def test_a_folder_with_a_bad_file_loads_nothing(tmp_path):
    write(tmp_path, "q.yaml", QUESTIONNAIRE)
    write(tmp_path, "r.yaml", RUBRIC.replace("gap_threshold: 2", "gap_threshold: two"))
    with pytest.raises(DefinitionError) as error:
        load_directory(tmp_path)
    assert len(error.value.problems) == 1
    assert "'gap_threshold' must be a whole number of levels" in str(error.value)


def test_a_short_title_longer_than_a_table_line_is_refused(tmp_path):
    long_title = "მოხალისეების მართვა, მათი შერჩევა, მომზადება, ზედამხედველობა და წახალისება"
    broken = QUESTIONNAIRE.replace('short: {ka: "მოხალისეების მართვა",', f'short: {{ka: "{long_title}",')
    problem = only(problems_of(tmp_path, broken, None))
    line = line_of(broken, "short: {ka:")
    assert problem.startswith(f"q.yaml:{line}:")
    assert f"'short' of indicator HR.02 is {len(long_title)} characters long in ka; a short title has at most 60" in problem


def test_a_short_title_needs_both_languages(tmp_path):
    broken = QUESTIONNAIRE.replace('short: {ka: "მოხალისეების მართვა", en: "Volunteer management"}',
                                   'short: {en: "Volunteer management"}')
    problem = only(problems_of(tmp_path, broken, None))
    assert "'short' of indicator HR.02 has no Georgian (ka) translation; add it" in problem


def test_a_request_reads_the_files_once_and_the_next_request_sees_a_change(tmp_path, monkeypatch):
    """A page asks for the library several times; the files are listed once per request, and a file
    corrected between two requests is read by the second (nobody restarts the server for it)."""
    from flask import Flask

    from capacity.questionnaires import library

    write(tmp_path, "q.yaml", QUESTIONNAIRE)
    write(tmp_path, "r.yaml", RUBRIC)
    listed = []
    real = library.yaml_files
    monkeypatch.setattr(library, "yaml_files", lambda directory: listed.append(directory) or real(directory))
    app = Flask(__name__)
    with app.test_request_context():
        first = load_directory(tmp_path)
        assert load_directory(tmp_path) is first and len(listed) == 1
    write(tmp_path, "r.yaml", RUBRIC.replace("gap_threshold: 2", "gap_threshold: 3") + "\n# corrected\n")  # a new size too
    with app.test_request_context():
        second = load_directory(tmp_path)
    assert len(listed) == 2
    assert [r.gap_threshold for r in second.rubrics.values()] == [3]
    assert [r.gap_threshold for r in first.rubrics.values()] == [2]
