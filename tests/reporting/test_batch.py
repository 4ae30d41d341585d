"""The pool that prints many profiles (``capacity report all`` and the print-all job): one printer per core,
the same PDFs as printing one by one, the cache read instead of printing, and a printer's death reported
with nothing left running."""
from __future__ import annotations

import os
import signal
import time

import pytest
import sqlalchemy as sa

from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting import batch
from capacity.reporting.pdf import render_pdf
from capacity.reporting.profile_model import build_profile
from capacity.rounds.models import AssessmentRound
from tests.processes import children_of, cores, gone

# The pool forks from this test process, which may have idle threads (a finished job's thread): the rule that
# keeps a web process from forking is lifted here, and Python 3.12+'s warning about it is not an error.
pytestmark = pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")


@pytest.fixture
def may_fork(monkeypatch):
    monkeypatch.setattr(batch, "may_fork", lambda: True)


def codes(app, count: int = 4) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Organisation.code).order_by(Organisation.code).limit(count)))


def printed(app, count: int = 4, **options) -> list[batch.Printed]:
    with app.app_context():
        return [p for p in batch.print_profiles(codes(app, count), "endline", "baseline", "en", **options)
                if p is not None]


def test_profiles_are_printed_by_a_process_per_core_exactly_as_one_by_one(demo_app, may_fork):
    if cores() < 2:
        pytest.skip("one core: the pool has one printer")
    profiles = printed(demo_app, workers=2)
    assert sorted(p.code for p in profiles) == codes(demo_app)
    assert len({p.printer for p in profiles}) == 2 and os.getpid() not in {p.printer for p in profiles}
    with demo_app.app_context():
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        for profile in profiles:
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == profile.code))
            alone = render_pdf("profile.html", {"r": build_profile(org, rounds["endline"], rounds["baseline"], "en")}, "en")
            assert profile.pdf == alone, profile.code


def test_profiles_in_the_cache_are_read_without_scoring_or_printing(demo_app, may_fork, tmp_path, monkeypatch):
    first = {p.code: p.pdf for p in printed(demo_app, 3, instance_path=str(tmp_path))}
    assert len(list((tmp_path / "cache" / "reports").glob("profile-*.pdf"))) == 3

    def no_scoring(_batch):
        raise AssertionError("scored although every profile was in the cache")

    monkeypatch.setattr(batch, "_scored", no_scoring)
    again = printed(demo_app, 3, instance_path=str(tmp_path))
    assert {p.code: p.pdf for p in again} == first and {p.printer for p in again} == {os.getpid()}


def _killed_printer(code: str, cache_path: str | None):
    """A printer killed while printing its second profile (as the kernel's out-of-memory killer would)."""
    if code == _victim:
        os.kill(os.getpid(), signal.SIGKILL)
    return _print(code, cache_path)


_print = batch._print
_victim = ""


def test_a_printer_that_dies_fails_the_batch_with_a_reason_and_no_process_is_left(demo_app, may_fork, monkeypatch):
    global _victim
    _victim = codes(demo_app)[1]
    monkeypatch.setattr(batch, "_print", _killed_printer)
    before = children_of(os.getpid())
    with pytest.raises(batch.PrintingFailed, match="stopped unexpectedly"):
        printed(demo_app, workers=2)
    assert gone(children_of(os.getpid()) - before)
    assert children_of(os.getpid()) <= before


def test_stopping_early_stops_the_printers(demo_app, may_fork):
    before = children_of(os.getpid())
    with demo_app.app_context():
        profiles = batch.print_profiles(codes(demo_app, 6), "endline", "baseline", "en", workers=2)
        first = next(p for p in profiles if p is not None)
        printers = children_of(os.getpid()) - before
        assert len(printers) == 2
        profiles.close()  # what a job declared dead does
    assert first.pdf.startswith(b"%PDF")
    assert gone(printers) and children_of(os.getpid()) <= before


def _hanging_printer(code: str, cache_path: str | None):
    """A printer that never finishes its profile (a lock never released)."""
    time.sleep(600)


def test_printers_that_stop_making_progress_fail_the_batch_and_are_stopped(demo_app, may_fork, monkeypatch):
    monkeypatch.setattr(batch, "_print", _hanging_printer)
    before = children_of(os.getpid())
    beats = 0
    with demo_app.app_context(), pytest.raises(batch.PrintingFailed, match="seem stuck"):
        for profile in batch.print_profiles(codes(demo_app, 2), "endline", "baseline", "en", workers=2, tick=0.2,
                                            stall=1):
            assert profile is None  # nothing finishes; the caller still hears from the pool, to beat its heartbeat
            beats += 1
    assert beats >= 2
    assert gone(children_of(os.getpid()) - before) and children_of(os.getpid()) <= before
