"""``capacity cache prune``, cache keys that follow translations and the version, and a pruned job ZIP."""
from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from capacity.cli import cli
from capacity.extensions import db
from capacity.jobs.models import ReportJob
from capacity.maintenance.prune import BadDuration, parse_duration, prune
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import utcnow
from capacity.reporting import cache
from tests.jobs.test_print_all import small_round, start, wait_until_done  # noqa: F401  (fixture)

DAY = 24 * 3600


def aged(path: Path, seconds: float, content: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    then = time.time() - seconds
    os.utime(path, (then, then))
    return path


@pytest.mark.parametrize("text, seconds", [("7d", 7 * DAY), ("12h", 12 * 3600), ("30m", 1800), ("45s", 45),
                                           ("1d12h", DAY + 12 * 3600)])
def test_durations_are_read(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


@pytest.mark.parametrize("junk", ["", "7", "d", "7 days", "-1d", "1.5h", "7d junk", "7w"])
def test_junk_durations_are_refused(junk):
    with pytest.raises(BadDuration):
        parse_duration(junk)


def finished_job(app, job_id: str, age_seconds: float, content: bytes = b"PK zip") -> None:
    """A done print-all job whose ZIP (in its row) was made ``age_seconds`` ago."""
    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound))
        finished = utcnow() - timedelta(seconds=age_seconds)
        db.session.add(ReportJob(id=job_id, round_id=round_.id, language="en", status="done", total=1, done=1,
                                 created_at=finished, finished_at=finished, archive=content, archive_size=len(content)))
        db.session.commit()


def archives(app) -> dict[str, bytes | None]:
    with app.app_context():
        return {job_id: archive for job_id, archive in db.session.execute(sa.select(ReportJob.id, ReportJob.archive))}


def test_prune_removes_old_pdfs_and_zips_only(app, runner, factory):
    instance = Path(app.instance_path)
    factory.round("baseline")
    old_pdf = aged(instance / "cache" / "reports" / "profile-old.pdf", 8 * DAY)
    new_pdf = aged(instance / "cache" / "reports" / "profile-new.pdf", 1 * DAY)
    finished_job(app, "old", 8 * DAY)
    finished_job(app, "new", 3600, b"PK new")
    legacy_zip = aged(instance / "jobs" / "legacy.zip", 8 * DAY)  # where ZIPs were kept before migration 0008
    result = runner.invoke(cli, ["cache", "prune"])
    assert result.exit_code == 0, result.output
    assert "Removed 1 cached PDF(s) and 2 job ZIP(s)" in result.output
    assert not old_pdf.exists() and not legacy_zip.exists()
    assert new_pdf.exists() and archives(app) == {"old": None, "new": b"PK new"}
    assert runner.invoke(cli, ["cache", "prune", "--older-than", "30m"]).exit_code == 0
    assert not new_pdf.exists() and archives(app) == {"old": None, "new": None}


def test_prune_refuses_a_junk_age_clearly(app, runner, factory):
    factory.round("baseline")
    finished_job(app, "old", 8 * DAY)
    result = runner.invoke(cli, ["cache", "prune", "--older-than", "soon"])
    assert result.exit_code == 2
    assert "'soon' is not a duration" in result.output and "7d, 12h, 30m" in result.output
    assert archives(app) == {"old": b"PK zip"}


def test_a_pruned_zip_is_a_sentence_and_print_again_not_an_error(app, small_round):
    client, location = start(app, small_round)
    client.post("/language", data={"language": "en", "next": "/"})
    state, _ = wait_until_done(client, location)
    assert client.get(state["download"]).status_code == 200
    with app.app_context():  # as `capacity cache prune` does a week later
        prune(app.instance_path, timedelta(0), now=time.time() + 60)
        db.session.commit()
    download = client.get(state["download"])
    assert download.status_code == 404
    assert "The ZIP of this job has been removed" in download.get_data(as_text=True)
    after = client.get(location + ".json").json
    assert after["download"] is None and after["again"] is True and "removed" in after["message"]
    page = client.get(location).get_data(as_text=True)
    assert '<form id="job-again" method="post"' in page and '<p id="job-download" hidden>' in page


def test_a_print_all_job_prunes_old_files_when_it_starts(app, small_round):
    stale = aged(Path(app.instance_path) / "cache" / "reports" / "profile-stale.pdf", 30 * DAY)
    client, location = start(app, small_round)
    wait_until_done(client, location)
    assert not stale.exists()


def test_cache_keys_change_with_the_translations_and_the_version(tmp_path, monkeypatch):
    catalogues = tmp_path / "translations"
    for language in ("ka", "en"):
        (catalogues / language / "LC_MESSAGES").mkdir(parents=True)
        (catalogues / language / "LC_MESSAGES" / "messages.mo").write_bytes(b"catalogue " + language.encode())
    monkeypatch.setattr(cache, "TRANSLATIONS_DIR", catalogues)
    before = cache.cache_key("portfolio.html", {"n": 1}, "en")
    mo = catalogues / "ka" / "LC_MESSAGES" / "messages.mo"
    mo.write_bytes(b"catalogue ka, a typo fixed")
    os.utime(mo, ns=(mo.stat().st_mtime_ns + 10**9, mo.stat().st_mtime_ns + 10**9))
    fixed = cache.cache_key("portfolio.html", {"n": 1}, "en")
    assert fixed != before
    monkeypatch.setattr(cache, "package_version", lambda: "99.0")
    assert cache.cache_key("portfolio.html", {"n": 1}, "en") != fixed


def test_the_version_falls_back_to_setup_cfg(monkeypatch):
    import importlib.metadata

    def not_installed(_name):
        raise importlib.metadata.PackageNotFoundError(_name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert cache.package_version() == "0.1.0"
