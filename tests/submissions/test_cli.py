"""``capacity submissions import``: the report printed, exit status 1 on problems, nothing saved then."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.cli import cli
from capacity.extensions import db
from tests.submissions import kobo
from tests.submissions.conftest import FULL, SHORT, stored


def invoke(runner, *args):
    return runner.invoke(cli, ["submissions", "import", *args], catch_exceptions=False)


def test_a_dry_run_then_an_import_print_the_report(app, runner, world, tmp_path):
    path = tmp_path / "kobo.csv"
    path.write_bytes(kobo.csv_bytes(kobo.rows(world["questionnaire"], [("ORG-A", FULL), ("ORG-B", SHORT)]), ","))
    result = invoke(runner, "--round", "kobo", "--track", "self", "--dry-run", str(path))
    assert result.exit_code == 0, result.output
    assert "ORG-A Organisation ORG-A: row 2, 10 answers, replacing 0 stored" in result.output
    assert "DRY RUN: 16 answers for 2 organisations would be imported" in result.output
    assert stored(app, "ORG-A", "kobo", "self") == {}
    result = invoke(runner, "--round", "kobo", "--track", "self", str(path))
    assert result.exit_code == 0, result.output
    assert "IMPORTED: 16 answers for 2 organisations" in result.output and "stay drafts" in result.output
    assert stored(app, "ORG-B", "kobo", "self")["GOV.4"][1] == "never"
    with app.app_context():
        event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "submissions.import",
                                                              AuditEvent.object_type == "round"))
        assert event.actor_id is None and event.after["file"] == "kobo.csv"


def test_problems_exit_1_and_save_nothing(app, runner, world, tmp_path):
    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo.xlsx(kobo.rows(world["questionnaire"], [("ORG-A", FULL), ("ORG-X", SHORT),
                                                                  ("ORG-B", dict(SHORT, **{"SRV.1": "1.5"}))])))
    result = invoke(runner, "--round", "kobo", "--track", "mentor", str(path))
    assert result.exit_code == 1
    assert "row 3: unknown code 'ORG-X'" in result.output
    assert "row 4, column SRV/SRV.1, value '1.5': Enter a whole number." in result.output
    assert "REFUSED: 2 problems; nothing was saved." in result.output
    assert stored(app, "ORG-A", "kobo", "mentor") == {}


def test_junk_and_unknown_rounds_are_refused_plainly(app, runner, world, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes("café".encode("latin-1"))
    result = invoke(runner, "--round", "kobo", "--track", "self", str(path))
    assert result.exit_code == 1 and "REFUSED: The file is not in UTF-8" in result.output
    result = invoke(runner, "--round", "nope", "--track", "self", str(path))
    assert result.exit_code != 0 and "no round has the code 'nope'" in result.output
    result = invoke(runner, "--round", "kobo", "--track", "consensus", str(path))
    assert result.exit_code == 2  # not a choice


def test_escape_sequences_in_the_file_never_reach_the_terminal(app, runner, world, tmp_path):
    """A cell holding ESC[2J (clear screen) or a line break is printed as its escape, not obeyed."""
    table = kobo.rows(world["questionnaire"], [("ORG-A", dict(SHORT, **{"GOV.1": "\x1b[2J\x1b[31m3"})),
                                               ("ORG-\x1b]0;pwned\x07", SHORT)])
    table[0].append("notes\x1b[8m")
    table[1].append("x")
    path = tmp_path / "kobo.csv"
    path.write_bytes(kobo.csv_bytes(table, ","))
    result = invoke(runner, "--round", "kobo", "--track", "self", str(path))
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "value '\\x1b[2J\\x1b[31m3'" in result.output and "notes\\x1b[8m" in result.output
    assert "'ORG-\\x1b]0;pwned\\x07'" in result.output
    assert stored(app, "ORG-A", "kobo", "self") == {}
