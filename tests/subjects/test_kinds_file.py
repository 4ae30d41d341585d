"""questionnaires/subjects.yaml: the shipped kinds, and every mistake in the file named by file, line and column
with what to do, once. A questionnaire naming a kind the file does not have is pointed at its own 'subject:' line."""
from __future__ import annotations

from pathlib import Path

import pytest

from capacity.cli import cli
from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_directory, load_files, shipped_kinds, yaml_files
from capacity.subjects.kinds import ACCESS_RULES
from tests.questionnaires.examples import line_of

ORGANISATION = """\
  - code: organisation
    access: members
    name: {ka: "ორგანიზაცია", en: "Organisation"}
    plural: {ka: "ორგანიზაციები", en: "Organisations"}
    profile: {ka: "ორგანიზაციის პროფილი", en: "Organisation profile"}
    portfolio: {ka: "ორგანიზაციული შესაძლებლობები", en: "Organisational capacity"}
    plan: {ka: "განვითარების გეგმა", en: "Development plan"}
"""
TEXTS = ("name", "plural", "profile", "portfolio", "plan")


def kind(code: str = "service", access: str | None = "parent", parent: str | None = "organisation",
         without: str = "", extra: str = "") -> str:
    lines = [f"  - code: {code}"]
    if access is not None:
        lines.append(f"    access: {access}")
    if parent is not None:
        lines.append(f"    parent: {parent}")
    lines += [f'    {key}: {{ka: "მომსახურება", en: "Service {key}"}}' for key in TEXTS if key != without]
    return "\n".join(lines) + "\n" + extra


def problems_of(folder: Path, subjects: str, questionnaire: str | None = None) -> list[str]:
    """The problems of a folder holding this subjects.yaml (and a questionnaire), paths relative to it."""
    folder.mkdir(exist_ok=True)
    (folder / "subjects.yaml").write_text(subjects, encoding="utf-8")
    if questionnaire is not None:
        (folder / "q.yaml").write_text(questionnaire, encoding="utf-8")
    _, problems = load_files(yaml_files(folder))
    return [str(p).replace(f"{folder}/", "") for p in problems]


def only(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_the_shipped_kinds_are_organisation_service_and_municipality():
    kinds = load_directory().kinds
    assert list(kinds) == ["organisation", "service", "municipality"]
    assert (kinds["organisation"].access, kinds["service"].access, kinds["municipality"].access) == \
        ("members", "parent", "municipality")
    assert kinds["service"].parent == "organisation"
    assert kinds["municipality"].profile.get("en") == "Municipal benchmark"
    assert kinds["service"].plan.get("ka") == "ხარისხის გაუმჯობესების გეგმა"
    assert shipped_kinds() == kinds


def test_every_shipped_questionnaire_assesses_a_configured_kind():
    library = load_directory()
    assert {q.subject for q in library.questionnaires.values()} == {"organisation", "service", "municipality"}


def test_unknown_access_rule_suggests_the_nearest(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind(access="member", parent=None)
    line = line_of(text, "access: member", 2)  # the first is the organisation's "members"
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:13: unknown access rule 'member' of subject kind 'service' (did you mean 'members'?); "
        f"use one of {', '.join(ACCESS_RULES)}")


@pytest.mark.parametrize("key", TEXTS)
def test_a_missing_text_is_named_once(tmp_path, key):
    text = "kinds:\n" + ORGANISATION + kind(without=key)
    line = line_of(text, "  - code: service")
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:5: subject kind 'service' has no '{key}'; "
        "add it with a Georgian (ka) and an English (en) text")


def test_a_text_without_english_names_the_language(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind().replace('plural: {ka: "მომსახურება", en: "Service plural"}',
                                                      'plural: {ka: "მომსახურება"}')
    line = line_of(text, 'plural: {ka: "მომსახურება"}')
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:13: 'plural' of subject kind 'service' has no English (en) translation; add it")


@pytest.mark.parametrize("key", ("code", "access"))
def test_a_missing_code_or_access_is_named_once(tmp_path, key):
    entry = kind(parent=None, access="members")
    entry = entry.replace("  - code: service\n    access: members\n",
                          "  - access: members\n" if key == "code" else "  - code: service\n")
    text = "kinds:\n" + ORGANISATION + entry
    line = line_of(text, "name: {ka: \"მომსახურება\"") - 1  # the entry starts on the line before its name
    what = "subject kind number 2" if key == "code" else "subject kind 'service'"
    assert only(problems_of(tmp_path, text)) == f"subjects.yaml:{line}:5: {what} has no '{key}'; add it"


def test_parent_kind_unknown(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind(parent="organisaton")
    line = line_of(text, "parent: organisaton")
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:13: subject kind 'service' belongs to 'organisaton', which is not a kind in this file "
        "(did you mean 'organisation'?)")


def test_parent_kind_must_have_access_members(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind() + kind(code="unit", parent="service")
    line = line_of(text, "parent: service")
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:13: subject kind 'unit' belongs to 'service', whose access is 'parent'; "
        "a parent kind must have access 'members'")


def test_access_parent_needs_a_parent(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind(parent=None)
    line = line_of(text, "  - code: service")
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:5: subject kind 'service' has access 'parent' but no 'parent': "
        "name the kind it belongs to")


def test_a_kind_cannot_belong_to_itself(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind(parent="service")
    line = line_of(text, "parent: service")
    assert only(problems_of(tmp_path, text)) == f"subjects.yaml:{line}:13: subject kind 'service' cannot belong to itself"


def test_a_kind_belonging_to_a_broken_kind_is_not_told_it_does_not_exist(tmp_path):
    text = "kinds:\n" + ORGANISATION.replace('    plan: {ka: "განვითარების გეგმა", en: "Development plan"}\n', "") + kind()
    assert only(problems_of(tmp_path, text)).endswith("subject kind 'organisation' has no 'plan'; "
                                                      "add it with a Georgian (ka) and an English (en) text")


def test_duplicate_code(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind() + kind()
    line = line_of(text, "  - code: service", 2)
    assert only(problems_of(tmp_path, text)) == f"subjects.yaml:{line}:11: subject kind 'service' is defined twice"


def test_the_organisation_kind_is_required(tmp_path):
    text = "kinds:\n" + kind(access="members", parent=None)
    assert only(problems_of(tmp_path, text)) == (
        "subjects.yaml:1:1: the subject kinds must include 'organisation': existing rounds assess organisations")


def test_unknown_key_in_a_kind(tmp_path):
    text = "kinds:\n" + ORGANISATION + kind(extra="    colour: red\n")
    line = line_of(text, "colour: red")
    assert only(problems_of(tmp_path, text)) == (
        f"subjects.yaml:{line}:5: unknown key 'colour' in subject kind 'service'; "
        "allowed keys: code, access, parent, name, plural, profile, portfolio, plan")


def test_kinds_must_be_a_list(tmp_path):
    assert only(problems_of(tmp_path, "kinds: 3\n")) == "subjects.yaml:1:8: 'kinds' must be a list (lines starting with '- ')"


def _with_subject(subject: str) -> str:
    text = (Path(DEFAULT_DIRECTORY) / "service-quality.yaml").read_text(encoding="utf-8")
    assert "\nsubject: service\n" in text
    return text.replace("\nsubject: service\n", f"\nsubject: {subject}\n")


def test_a_questionnaire_naming_an_unknown_kind_is_pointed_at_its_subject_line(tmp_path):
    questionnaire = _with_subject("servise")
    line = line_of(questionnaire, "subject: servise")
    assert only(problems_of(tmp_path, "kinds:\n" + ORGANISATION + kind(), questionnaire)) == (
        f"q.yaml:{line}:10: 'subject: servise' is not a subject kind of subjects.yaml (did you mean 'service'?); "
        "kinds: organisation, service")


def test_a_questionnaire_of_a_kind_the_folder_does_not_configure(tmp_path):
    """A folder whose subjects.yaml has no municipality kind cannot hold the municipal instrument."""
    text = (Path(DEFAULT_DIRECTORY) / "municipal-participation.yaml").read_text(encoding="utf-8")
    problems = problems_of(tmp_path, "kinds:\n" + ORGANISATION + kind(), text)
    line = line_of(text, "subject: municipality")
    assert only(problems) == (f"q.yaml:{line}:10: 'subject: municipality' is not a subject kind of subjects.yaml; "
                              "kinds: organisation, service")


def test_validate_command_prints_file_line_and_column(runner, tmp_path):
    text = "kinds:\n" + ORGANISATION + kind(access="member", parent=None)
    path = tmp_path / "subjects.yaml"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(cli, ["questionnaire", "validate", str(path)])
    assert result.exit_code == 1
    line = line_of(text, "access: member", 2)  # the first is the organisation's "members"
    assert f"{path}:{line}:13: unknown access rule 'member'" in result.output
