"""The printer process of ``capacity report profile`` and ``report portfolio``: it loads WeasyPrint while the
command builds the report, prints it, and can only ever make a report faster, never fail or lose one."""
from __future__ import annotations

import logging
import os
import signal

import pytest
import sqlalchemy as sa

from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting import batch, pdf, printer
from capacity.reporting.html import render_for_print
from capacity.reporting.profile_model import build_profile
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for
from tests.processes import children_of, cores, gone
from tests.reporting.pdftext import text_of

pytestmark = [pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning"),
              pytest.mark.skipif(cores() < 2, reason="one core: there is no printer process, the command prints")]


@pytest.fixture
def may_fork(monkeypatch):
    monkeypatch.setattr(batch, "may_fork", lambda: True)


@pytest.fixture
def report(demo_app):
    """The HTML and charts of one organisation's profile in English, and its name."""
    with demo_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == demo_app.config["PROFILE_ORG"]))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "endline"))
        data = build_profile(org, round_, baseline_for(round_, None), "en")
        return render_for_print("profile.html", {"r": data}, "en"), org.name_en


def _printed_text(pdf_bytes: bytes, tmp_path) -> str:
    path = tmp_path / "printed.pdf"
    path.write_bytes(pdf_bytes)
    return " ".join(text_of(path).split())


def test_the_printer_prints_the_report_in_its_own_process_and_ends(report, may_fork, monkeypatch, tmp_path):
    (html, charts), name = report
    before = children_of(os.getpid())
    with printer.Printer() as the_printer:
        started = children_of(os.getpid()) - before
        assert len(started) == 1
        # From here on this process cannot print: a PDF can only come from the printer.
        monkeypatch.setattr(pdf, "write_pdf", lambda *args: pytest.fail("printed in the command's process"))
        printed = the_printer.print(html, charts)
    assert printed.startswith(b"%PDF")
    assert name in _printed_text(printed, tmp_path) and "ORGANISATION PROFILE" in _printed_text(printed, tmp_path)
    assert gone(started)


def test_a_printer_killed_before_it_prints_leaves_the_report_to_the_command(report, may_fork, tmp_path, caplog):
    (html, charts), name = report
    the_printer = printer.Printer()
    os.kill(the_printer._process.pid, signal.SIGKILL)  # as the out-of-memory killer would
    the_printer._process.join()
    with caplog.at_level(logging.WARNING, logger="capacity.reporting.printer"):
        printed = the_printer.print(html, charts)
    assert name in _printed_text(printed, tmp_path)
    assert "the report printer stopped" in caplog.text


def test_a_printer_that_fails_hands_the_report_back_and_the_command_prints_it(report, may_fork, monkeypatch, tmp_path,
                                                                              caplog):
    (html, charts), name = report
    command = os.getpid()
    real = pdf.write_pdf

    def fails_in_the_printer(html_text, charts_):
        if os.getpid() != command and html_text != printer._WARM_UP_HTML:
            raise MemoryError("no memory left for the layout")
        return real(html_text, charts_)

    monkeypatch.setattr(pdf, "write_pdf", fails_in_the_printer)  # before forking: the printer inherits it
    with caplog.at_level(logging.WARNING, logger="capacity.reporting.printer"):
        with printer.Printer() as the_printer:
            printed = the_printer.print(html, charts)
    assert name in _printed_text(printed, tmp_path)
    assert "the report printer failed (MemoryError: no memory left for the layout)" in caplog.text


def test_without_forking_the_command_prints_the_report_itself(report, monkeypatch, tmp_path):
    (html, charts), name = report
    monkeypatch.setattr(batch, "may_fork", lambda: False)  # a process with other threads
    before = children_of(os.getpid())
    with printer.Printer() as the_printer:
        assert children_of(os.getpid()) == before
        printed = the_printer.print(html, charts)
    assert name in _printed_text(printed, tmp_path)


@pytest.mark.parametrize("command", [["report", "profile", "--org", "TEL-02"], ["report", "portfolio"]])
def test_report_commands_print_with_a_printer_and_leave_no_process(demo_app, may_fork, tmp_path, command):
    from capacity.cli import cli

    before = children_of(os.getpid())
    output = tmp_path / "report.pdf"
    result = demo_app.test_cli_runner().invoke(cli, [*command, "--round", "endline", "--lang", "ka", "-o", str(output)])
    assert result.exit_code == 0, result.output
    text = _printed_text(output.read_bytes(), tmp_path)
    assert "შესაძლებლობ" in text  # the Georgian report, printed in full
    assert gone(children_of(os.getpid()) - before)


def test_a_command_that_ends_without_a_report_leaves_no_printer(demo_app, may_fork, tmp_path):
    from capacity.cli import cli

    before = children_of(os.getpid())
    result = demo_app.test_cli_runner().invoke(cli, ["report", "profile", "--org", "NOPE", "--round", "endline",
                                                     "-o", str(tmp_path / "nope.pdf")])
    assert result.exit_code == 2 and "no organisation has the code 'NOPE'" in result.output
    assert gone(children_of(os.getpid()) - before)
    assert not (tmp_path / "nope.pdf").exists()
