"""Printing every profile of a service round (the print-all ZIP and ``capacity report all``) prints its services'
profiles only; the command line's other report commands follow the round's kind too."""
from __future__ import annotations

import io
import time
import zipfile

import pytest

from tests.reporting_subjects.conftest import MANAGER, client_for

SERVICES = ["SRV-1", "SRV-2", "SRV-3", "SRV-4"]
# Jobs of this package's app run one after another, as the print-all tests' do.
pytestmark = pytest.mark.xdist_group("redis-queue")


def test_the_print_all_zip_of_a_service_round_holds_the_services_profiles_only(subjects_app):
    client = client_for(subjects_app, MANAGER, "en")
    response = client.post("/rounds/srv-end/profiles.zip", data={"lang": "en"})
    assert response.status_code == 302 and response.location.startswith("/jobs/")
    deadline = time.monotonic() + 180
    while (state := client.get(response.location + ".json").json)["status"] not in ("done", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["status"] == "done" and state["done"] == state["total"] == 4, state
    archive = client.get(state["download"])
    names = sorted(zipfile.ZipFile(io.BytesIO(archive.data)).namelist())
    archive.close()
    assert names == [f"capacity-{code}-srv-end-en.pdf" for code in SERVICES]


def test_capacity_report_all_prints_a_service_round_s_services(subjects_app, tmp_path):
    from capacity.cli import cli

    runner = subjects_app.test_cli_runner()
    result = runner.invoke(cli, ["report", "all", "--round", "srv-end", "--lang", "ka", "--workers", "2",
                                 "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"capacity-{code}-srv-end-ka.pdf" for code in SERVICES]
    refused = runner.invoke(cli, ["report", "all", "--round", "srv-end", "--org", "ORG-1", "--out-dir", str(tmp_path)])
    assert refused.exit_code == 2 and "ORG-1" in refused.output


def test_the_command_line_reports_follow_the_round_s_kind(subjects_app, tmp_path):
    from capacity.cli import cli

    runner = subjects_app.test_cli_runner()
    wrong = runner.invoke(cli, ["report", "profile", "--org", "ORG-1", "--round", "srv-end", "-o",
                                str(tmp_path / "x.pdf")])
    assert wrong.exit_code == 2 and "assesses subjects of the kind 'service'" in wrong.output
    portfolio = runner.invoke(cli, ["report", "portfolio", "--round", "mun-2026", "--lang", "en", "-o",
                                    str(tmp_path / "towns.pdf")])
    assert portfolio.exit_code == 0 and "4 municipalities" in portfolio.output, portfolio.output
    stats = runner.invoke(cli, ["stats", "--round", "srv-end"])
    assert stats.exit_code == 0 and "Services (n)" in stats.output and "rganisation" not in stats.output, stats.output
