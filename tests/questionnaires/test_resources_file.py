"""A bad learning-resources file is refused with file:line:column and what to do, in English and Georgian."""
from __future__ import annotations

from pathlib import Path

import pytest

from capacity.cli import cli
from capacity.questionnaires.library import load_directory, load_files
from tests.questionnaires.examples import line_of, write

GOOD = """\
id: test-resources
version: "1.0"
title: {ka: "სასწავლო რესურსები", en: "Learning resources"}
questionnaire: {id: gesi-oca, version: "1.0"}
resources:
  - code: R01
    kind: guide
    title: {ka: "სახელმძღვანელო", en: "A guide"}
    link: https://example.org/guide
    indicators: [GOV.01, GESI.03]
    gesi: [accessibility]
  - code: R02
    kind: video
    title: {ka: "ვიდეო", en: "A video"}
    file: resources/clip.pdf
    gesi: [gender]
"""


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "clip.pdf").write_bytes(b"%PDF-1.4\n")
    return tmp_path


def problems(folder: Path, text: str) -> list[str]:
    path = write(folder, "r.resources.yaml", text)
    _, found = load_files([path], load_directory())
    return [str(p).replace(str(folder) + "/", "") for p in found]


def only(found: list[str]) -> str:
    assert len(found) == 1, found
    return found[0]


def test_the_example_loads_with_its_resources(folder):
    path = write(folder, "r.resources.yaml", GOOD)
    library, found = load_files([path], load_directory())
    assert found == []
    resources = library.resources["test-resources@1.0"]
    assert [r.code for r in resources.resources] == ["R01", "R02"]
    assert resources.resource("R02").file == "resources/clip.pdf"


def test_an_unknown_indicator_is_named_with_a_suggestion_in_both_languages(folder):
    text = GOOD.replace("[GOV.01, GESI.03]", "[GOV.01, GOV-01]")
    line = line_of(text, "GOV-01")
    column = text.splitlines()[line - 1].index("GOV-01") + 1
    assert only(problems(folder, text)) == (
        f"r.resources.yaml:{line}:{column}: resource R01 names indicator 'GOV-01', which is not in questionnaire "
        "gesi-oca@1.0 (did you mean 'GOV.01'?) — რესურსი R01 მიუთითებს ინდიკატორზე 'GOV-01', რომელიც კითხვარში "
        "gesi-oca@1.0 არ არის (ხომ არ გულისხმობდით: 'GOV.01'?)")


def test_an_unknown_kind(folder):
    text = GOOD.replace("kind: video", "kind: vidoe")
    assert only(problems(folder, text)) == (
        f"r.resources.yaml:{line_of(text, 'vidoe')}:11: unknown kind 'vidoe' of resource R02 (did you mean 'video'?); "
        "use one of module, competency_package, guide, video — რესურსი R02: უცნობი სახეობა 'vidoe' (ხომ არ "
        "გულისხმობდით: 'video'?); გამოიყენეთ ერთ-ერთი: module, competency_package, guide, video")


def test_an_unknown_gesi_tag(folder):
    text = GOOD.replace("gesi: [gender]", "gesi: [gendre]")
    problem = only(problems(folder, text))
    assert problem.startswith(f"r.resources.yaml:{line_of(text, 'gendre')}:")
    assert "unknown gesi tag 'gendre' in resource R02 (did you mean 'gender'?)" in problem
    assert "რესურსი R02: ველში 'gesi' უცნობი ტეგია 'gendre'" in problem


def test_a_link_and_a_file_both_or_neither(folder):
    both = GOOD.replace("    link: https://example.org/guide\n",
                        "    link: https://example.org/guide\n    file: resources/clip.pdf\n")
    problem = only(problems(folder, both))
    assert problem.startswith(f"r.resources.yaml:{line_of(both, 'code: R01')}:")
    assert "resource R01 needs either a 'link' or a 'file' (one of them, not both)" in problem
    assert "რესურსი R01: საჭიროა ან 'link', ან 'file' (ერთ-ერთი და არა ორივე)" in problem
    neither = GOOD.replace("    link: https://example.org/guide\n", "")
    assert "resource R01 needs either a 'link' or a 'file'" in only(problems(folder, neither))


@pytest.mark.parametrize("path", ["../setup.cfg", "/etc/passwd", "resources/../r.resources.yaml", "clip.pdf",
                                  "resources\\clip.pdf", "resources"])
def test_a_file_outside_the_resources_folder(folder, path):
    text = GOOD.replace("file: resources/clip.pdf", f"file: '{path}'")
    problem = only(problems(folder, text))
    assert problem.startswith(f"r.resources.yaml:{line_of(text, 'file:')}:11: the file of resource R02 must be inside "
                              f"resources/ next to this file, e.g. 'resources/guide.pdf', not '{path}'")
    assert "რესურსი R02: ფაილი უნდა იდოს საქაღალდეში resources/" in problem


def test_a_missing_file(folder):
    text = GOOD.replace("resources/clip.pdf", "resources/gone.pdf")
    problem = only(problems(folder, text))
    assert f"r.resources.yaml:{line_of(text, 'gone.pdf')}:11: the file of resource R02, 'resources/gone.pdf', does not " \
           "exist in" in problem
    assert "რესურსი R02: ფაილი 'resources/gone.pdf' საქაღალდეში" in problem and "არ არსებობს" in problem


def test_a_duplicate_code(folder):
    text = GOOD.replace("code: R02", "code: R01")
    assert only(problems(folder, text)) == (
        f"r.resources.yaml:{line_of(text, 'code: R01', 2)}:11: resource code 'R01' is used twice; give each resource its "
        "own — რესურსის კოდი 'R01' ორჯერ გვხვდება; თითოეულ რესურსს საკუთარი კოდი მიანიჭეთ")


def test_an_unknown_questionnaire(folder):
    text = GOOD.replace('{id: gesi-oca, version: "1.0"}', '{id: gesi-oca, version: "9.9"}')
    problem = only(problems(folder, text))
    assert problem.startswith(f"r.resources.yaml:{line_of(text, '9.9')}:16: the resources are for questionnaire gesi-oca "
                              "version 9.9, which does not exist")
    assert "known: gesi-oca@1.0" in problem
    assert "რესურსები განკუთვნილია კითხვარისთვის gesi-oca, ვერსია 9.9, რომელიც არ არსებობს" in problem


def test_a_missing_georgian_title(folder):
    text = GOOD.replace('title: {ka: "ვიდეო", en: "A video"}', 'title: {en: "A video"}')
    problem = only(problems(folder, text))
    assert "'title' of resource R02 has no Georgian (ka) translation; add it" in problem
    assert "რესურსი R02: ველს 'title' აკლია ქართული (ka) ტექსტი" in problem


def test_a_resource_serving_nothing(folder):
    text = GOOD.replace("    gesi: [gender]\n", "")
    problem = only(problems(folder, text))
    assert "resource R02 serves no indicator and no GESI tag; name at least one" in problem


def test_every_problem_of_one_file_is_listed_at_once(folder):
    text = GOOD.replace("GESI.03", "GESI.33").replace("kind: video", "kind: podcast").replace("code: R02", "code: R01")
    found = problems(folder, text)
    assert len(found) == 2  # the unknown indicator and the unknown kind (R01 twice is only told of a valid resource)
    assert all(" — " in p for p in found)


def test_the_validate_command_reports_them(runner, folder):
    bad = write(folder, "r.resources.yaml", GOOD.replace("GESI.03", "GOV.99").replace("kind: video", "kind: vidoe"))
    result = runner.invoke(cli, ["questionnaire", "validate", str(bad)])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line]
    assert len(lines) == 2 and all(line.startswith(f"{bad}:") for line in lines)
    assert "names indicator 'GOV.99'" in result.output and "მიუთითებს ინდიკატორზე 'GOV.99'" in result.output
    assert "unknown kind 'vidoe'" in result.output


def test_the_shipped_resources_are_valid_and_name_real_indicators():
    library = load_directory()
    shipped = library.resources["gesi-oca-resources@1.0"]
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    assert 12 <= len(shipped.resources) <= 18
    assert {r.kind for r in shipped.resources} == {"module", "competency_package", "guide", "video"}
    assert all(questionnaire.indicator(code) for r in shipped.resources for code in r.indicators)
    files = [r for r in shipped.resources if r.file]
    assert files and all((Path(shipped.path).parent / r.file).read_bytes().startswith(b"%PDF-") for r in files)
    assert all(r.url.startswith("https://") for r in shipped.resources if not r.file)


def test_the_readme_example_is_valid(tmp_path):
    import re

    from tests.questionnaires.examples import QUESTIONNAIRE, README

    blocks = re.findall(r"```yaml\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    example = next(b for b in blocks if b.startswith("id: mini-resources\n"))
    (tmp_path / "resources").mkdir()
    (tmp_path / "resources" / "accessibility-self-check.pdf").write_bytes(b"%PDF-1.4\n")
    library, found = load_files([write(tmp_path, "q.yaml", QUESTIONNAIRE), write(tmp_path, "r.yaml", example)])
    assert found == [] and [r.code for r in library.resources["mini-resources@1.0"].resources] == ["R01", "R02"]
