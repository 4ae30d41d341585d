"""`capacity questionnaire export-xlsform` and `import-xlsform` as an administrator uses them."""
from __future__ import annotations

import io
import shutil

from openpyxl import load_workbook

from capacity.cli import cli
from capacity.questionnaires.library import load_files
from tests.questionnaire_fixtures import questionnaire_dir  # noqa: F401 (a fixture)


def _set_weight(path, name: str, weight: str) -> None:
    book = load_workbook(path)
    sheet = book["survey"]
    header = [cell.value for cell in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[header.index("name")].value == name and row[header.index("type")].value != "end_group":
            row[header.index("capacity_weight")].value = weight
    out = io.BytesIO()
    book.save(out)
    path.write_bytes(out.getvalue())


def test_export_then_import_reports_the_weights_against_the_rubric(runner, questionnaire_dir, tmp_path):
    form = tmp_path / "every-type.xlsx"
    exported = runner.invoke(cli, ["questionnaire", "export-xlsform", "every-type", "-o", str(form)])
    assert exported.exit_code == 0, exported.output
    assert f"wrote {form}: every-type@1.0, 2 domains, 10 indicators, languages ka, en, hy; weights from rubric " \
           "every-type-default@1.0" in exported.output
    target = tmp_path / "out"
    target.mkdir()
    shutil.copy(questionnaire_dir / "every-type.rubric.yaml", target)
    imported = runner.invoke(cli, ["questionnaire", "import-xlsform", str(form), "-o", str(target / "every-type.yaml")])
    assert imported.exit_code == 0, imported.output
    assert "sub_area_weights (capacity_weight): GOV.A 2" in imported.output
    assert "weights match rubric every-type-default@1.0" in imported.output
    library, problems = load_files(sorted(target.glob("*.yaml")))
    assert problems == [] and "every-type@1.0" in library.questionnaires

    _set_weight(form, "GOV.A", "3")
    _set_weight(form, "SRV.2", "0.5")
    changed = runner.invoke(cli, ["questionnaire", "import-xlsform", str(form), "-o", str(target / "every-type.yaml"),
                                     "--force"])
    assert changed.exit_code == 0, changed.output
    assert "weights differ from rubric every-type-default@1.0" in changed.output
    assert "  sub_area GOV.A: form 3, rubric 2" in changed.output
    assert "  indicator SRV.2: form 0.5, rubric 1" in changed.output


def test_export_with_a_named_rubric_and_an_unknown_one(runner, questionnaire_dir, tmp_path):
    form = tmp_path / "points.xlsx"
    named = runner.invoke(cli, ["questionnaire", "export-xlsform", "every-type@1.0", "--rubric", "every-type-points",
                                "-o", str(form)])
    assert named.exit_code == 0 and "weights from rubric every-type-points@1.0" in named.output
    unknown = runner.invoke(cli, ["questionnaire", "export-xlsform", "every-type", "--rubric", "nope", "-o", str(form)])
    assert unknown.exit_code == 1 and "no rubric nope for every-type@1.0" in unknown.output
    missing = runner.invoke(cli, ["questionnaire", "export-xlsform", "nope", "-o", str(form)])
    assert missing.exit_code == 1 and "no questionnaire nope" in missing.output


def test_import_into_a_folder_refuses_a_version_it_already_holds(runner, questionnaire_dir, tmp_path):
    form = tmp_path / "gesi.xlsx"
    assert runner.invoke(cli, ["questionnaire", "export-xlsform", "gesi-oca", "-o", str(form)]).exit_code == 0
    again = runner.invoke(cli, ["questionnaire", "import-xlsform", str(form), "--into", str(questionnaire_dir)])
    assert again.exit_code == 1
    assert f"{form}:settings:2: gesi-oca@1.0 is already in" in again.output
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    into = runner.invoke(cli, ["questionnaire", "import-xlsform", str(form), "--into", str(fresh)])
    assert into.exit_code == 0, into.output
    assert (fresh / "gesi-oca.yaml").is_file()
    assert "no rubric for this questionnaire" in into.output


def test_import_without_output_prints_the_yaml(runner, questionnaire_dir, tmp_path):
    form = tmp_path / "every.xlsx"
    runner.invoke(cli, ["questionnaire", "export-xlsform", "every-type", "-o", str(form)])
    printed = runner.invoke(cli, ["questionnaire", "import-xlsform", str(form)])
    assert printed.exit_code == 0
    assert printed.stdout.startswith("# Imported from the XLSForm every.xlsx")
    assert "id: every-type\nversion: \"1.0\"\nlanguages: [ka, en, hy]\n" in printed.stdout
    assert "weights match rubric every-type-default@1.0" in printed.stderr


def test_junk_files_exit_1_with_file_sheet_row_lines(runner, questionnaire_dir, tmp_path):
    csv = tmp_path / "renamed.xlsx"
    csv.write_text("type,name,label\nselect_one x,A,B\n", encoding="utf-8")
    result = runner.invoke(cli, ["questionnaire", "import-xlsform", str(csv)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{csv}:workbook:1: not an .xlsx workbook (it looks like a CSV or text file); "
                                          "save the form as Excel (.xlsx)"]
    missing = runner.invoke(cli, ["questionnaire", "import-xlsform", str(tmp_path / "absent.xlsx")])
    assert missing.exit_code == 1 and "absent.xlsx:workbook:1: cannot read the file" in missing.stderr
    assert "Traceback" not in result.output + missing.output


def test_a_repeat_is_refused_through_the_command(runner, questionnaire_dir, tmp_path):
    from tests.xlsform.helpers import SURVEY, replaced, workbook

    form = tmp_path / "repeat.xlsx"
    form.write_bytes(workbook(survey=replaced(SURVEY, 3, ["begin_repeat", "R", "Again", "ისევ"])))
    result = runner.invoke(cli, ["questionnaire", "import-xlsform", str(form)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{form}:survey:4: type: repeats have no place in Capacity")


def _run(runner, *args):
    result = runner.invoke(cli, ["questionnaire", *map(str, args)])
    assert "Traceback" not in result.output and not isinstance(result.exception, OSError), result.exception
    return result


def test_odd_output_paths_get_a_message_and_exit_1_writing_nothing(runner, questionnaire_dir, tmp_path):
    form = tmp_path / "g.xlsx"
    assert _run(runner, "export-xlsform", "every-type", "-o", form).exit_code == 0
    refusals = {
        ("export-xlsform", "every-type", "-o", tmp_path / "missing" / "g.xlsx"): "the folder",
        ("export-xlsform", "every-type", "-o", tmp_path): "is a folder; give the name of the file",
        ("export-xlsform", "every-type", "-o", tmp_path / "every-type.yaml"): "must end in .xlsx",
        ("export-xlsform", "every-type", "-o", form): "exists; give another name, or --force",
        ("import-xlsform", form, "--into", tmp_path / "missing"): f"the folder {tmp_path / 'missing'} does not exist",
        ("import-xlsform", form, "--into", form): "is not a folder",
        ("import-xlsform", form, "-o", tmp_path / "missing" / "q.yaml"): "the folder",
        ("import-xlsform", form, "-o", tmp_path): "is a folder",
        # the workbook itself is never overwritten by the YAML, even when forced
        ("import-xlsform", form, "-o", form, "--force"): "must end in .yaml or .yml",
    }
    before = sorted(p.name for p in tmp_path.rglob("*"))
    for args, message in refusals.items():
        result = _run(runner, *args)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
    assert form.read_bytes().startswith(b"PK")


def test_import_never_overwrites_a_file_unasked_nor_another_questionnaire(runner, questionnaire_dir, tmp_path):
    form = tmp_path / "every.xlsx"
    _run(runner, "export-xlsform", "every-type", "-o", form)
    kept = tmp_path / "notes.yaml"
    kept.write_text("my notes\n", encoding="utf-8")
    refused = _run(runner, "import-xlsform", form, "-o", kept)
    assert refused.exit_code == 1 and "notes.yaml exists; give another name, or --force" in refused.output
    assert kept.read_text(encoding="utf-8") == "my notes\n"
    assert _run(runner, "import-xlsform", form, "-o", kept, "--force").exit_code == 0
    assert "id: every-type" in kept.read_text(encoding="utf-8")
    # a second file with the same id and version beside it would break the folder's library: refused, forced or not
    for extra in ([], ["--force"]):
        twice = _run(runner, "import-xlsform", form, "-o", tmp_path / "copy.yaml", *extra)
        assert twice.exit_code == 1 and f"every-type@1.0 is already in {kept}" in twice.output
    assert not (tmp_path / "copy.yaml").exists()
    # -o into the library folder: the shipped file is the one holding every-type@1.0
    shipped = questionnaire_dir / "every-type.yaml"
    original = shipped.read_bytes()
    clash = _run(runner, "import-xlsform", form, "-o", questionnaire_dir / "every-type-2.yaml")
    assert clash.exit_code == 1 and "is already in" in clash.output
    assert shipped.read_bytes() == original and not (questionnaire_dir / "every-type-2.yaml").exists()
    assert not list(tmp_path.rglob("*.part"))


def test_import_refuses_a_file_that_would_stop_its_folder_from_loading(runner, questionnaire_dir, tmp_path):
    from tests.xlsform.helpers import SETTINGS, workbook

    folder = tmp_path / "library"
    folder.mkdir()
    later = tmp_path / "later.xlsx"
    crosswalk = [["from_version", "old_code", "new_code"], ["0.9", "D.1", "D.1"]]
    data = workbook(settings=[SETTINGS[0], ["small", "1.0", "Small", "მცირე"]])
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(data))
    sheet = book.create_sheet("capacity_crosswalk")
    for row in crosswalk:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    later.write_bytes(out.getvalue())
    # the crosswalk maps from version 0.9, which the folder does not hold: the library would refuse to load
    refused = _run(runner, "import-xlsform", later, "--into", folder)
    assert refused.exit_code == 1
    assert (f"{later}:settings:2: the questionnaires in {folder} would no longer load: {folder / 'small.yaml'}:1:1: "
            "the crosswalk maps from version 0.9 of small, which does not exist") in refused.output
    assert list(folder.iterdir()) == []
    # once version 0.9 is there, the same form imports
    earlier = tmp_path / "earlier.xlsx"
    earlier.write_bytes(workbook(settings=[SETTINGS[0], ["small", "0.9", "Small", "მცირე"]]))
    assert _run(runner, "import-xlsform", earlier, "-o", folder / "small-0.9.yaml").exit_code == 0
    assert _run(runner, "import-xlsform", later, "--into", folder).exit_code == 0
    library, problems = load_files(sorted(folder.glob("*.yaml")))
    assert problems == [] and set(library.questionnaires) == {"small@0.9", "small@1.0"}
