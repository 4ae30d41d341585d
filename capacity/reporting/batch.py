"""Printing every profile of a round on all cores: the pool behind ``capacity report all`` and the print-all job.

The parent reads which profiles the PDF cache already holds, scores the two
rounds once for all organisations and parses the stylesheet and fonts; then it
forks one printer per core, which inherit all of that and render the rest one by
one. The caller gets each PDF as soon as it is finished.

Forking copies only the thread that forks: a lock another thread holds at that
moment (SQLite's, fontconfig's, Pango's) stays locked in the child for ever. So
the pool forks only in a process with one thread: the command line, an RQ work
horse and the web's job process (``capacity.jobs.process``). Anywhere else it
prints in the calling process, one profile after another.

WeasyPrint, matplotlib and pandas are imported by the functions that print, not
with this module, so starting the app or the command line does not load them.
"""
from __future__ import annotations

import ctypes
import gc
import importlib
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from flask import Flask, current_app

from capacity.database import write_intent
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class Printed:
    """One organisation's profile PDF, and the process that printed it (or read it from the cache)."""

    code: str
    pdf: bytes
    printer: int


class PrintingFailed(RuntimeError):
    """A printer process died (killed, out of memory) before its profile was finished."""


@dataclass
class _Batch:
    """What the parent prepared once and every printer inherits when it is forked."""

    app: Flask
    round_code: str
    baseline_code: str | None
    language: str
    viewer_id: int | None
    results: tuple | None = None


_batch: _Batch | None = None


def profile_filename(code: str, round_code: str, language: str) -> str:
    """The name of a profile's file, on disk (``capacity report all``) and in the print-all ZIP alike."""
    return f"capacity-{code}-{round_code}-{language}.pdf"


def die_with_parent() -> None:
    """Ask Linux to kill this process when its parent dies, so a killed parent leaves no printer behind."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the parent's normal shutdown still ends its children
        return
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _start_printer(counter) -> None:
    die_with_parent()
    with counter.get_lock():  # one core each: the scheduler moving printers around costs them their caches
        core, counter.value = counter.value, counter.value + 1
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) > 1:
        os.sched_setaffinity(0, {cores[core % len(cores)]})
    with _batch.app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)  # nothing of the parent's pool is used (or closed) here
    gc.freeze()  # what the parent built is permanent here: no collection needs to walk it again


def _print(code: str, cache_path: str | None) -> tuple[str, bytes, int]:
    """Build and render one profile (in a printer, or in the calling process); keep it in the cache when asked."""
    from capacity.auth.models import User
    from capacity.reporting.cache import store
    from capacity.reporting.pdf import collector_paused, render_pdf
    from capacity.reporting.profile_model import build_profile

    batch = _batch
    # Reading only: a plain BEGIN on SQLite, so printing never holds the write lock that saves wait for.
    with batch.app.app_context(), collector_paused():
        with write_intent(False):
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
            round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == batch.round_code))
            baseline = baseline_for(round_, batch.baseline_code)
            viewer = db.session.get(User, batch.viewer_id) if batch.viewer_id else None
            data = build_profile(org, round_, baseline, batch.language, viewer, results=batch.results)
            db.session.remove()  # the reading transaction ends before the long part, the layout
        pdf = render_pdf("profile.html", {"r": data}, batch.language)
    if cache_path:
        store(Path(cache_path), pdf)
    return code, pdf, os.getpid()


def _plan(codes: list[str], batch: _Batch, instance_path: str | None) -> tuple[list[Printed], list[tuple[str, str | None]]]:
    """Which profiles the cache holds (read now) and which must be printed (with where to keep them)."""
    from capacity.auth.models import User
    from capacity.reporting.cache import profile_path

    if instance_path is None:
        return [], [(code, None) for code in codes]
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == batch.round_code))
    baseline = baseline_for(round_, batch.baseline_code)
    viewer = db.session.get(User, batch.viewer_id) if batch.viewer_id else None
    organisations = {o.code: o for o in db.session.scalars(sa.select(Organisation).where(Organisation.code.in_(codes)))}
    cached, missing = [], []
    for code in codes:
        path = profile_path(instance_path, organisations[code], round_, baseline, batch.language, viewer)
        if path.is_file():
            cached.append(Printed(code, path.read_bytes(), os.getpid()))
        else:
            missing.append((code, str(path)))
    return cached, missing


def _scored(batch: _Batch) -> tuple:
    """Both rounds scored for every organisation: about the same cost as for one, so once, for every printer.

    Also loads what printing needs (matplotlib and WeasyPrint included) before forking, so the printers
    inherit it instead of each importing it again.
    """
    from capacity.reporting.pdf import warm_up
    from capacity.reporting.round_result import RoundResult

    for module in ("capacity.auth.models", "capacity.reporting.cache", "capacity.reporting.profile_model"):
        importlib.import_module(module)

    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == batch.round_code))
    baseline = baseline_for(round_, batch.baseline_code).round
    results = (RoundResult(round_, None), RoundResult(baseline, None) if baseline else None)
    # The plans every profile's plan section reads (the baseline's, or the round's own), loaded once for all printers.
    from capacity.reporting import development
    development.shared(results[0], baseline or round_)
    warm_up("profile.html")  # template compiled, fonts and CSS parsed once, before forking
    return results


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def may_fork() -> bool:
    # Only this thread may exist (see the module docstring); threading counts the threads Python started.
    return threading.active_count() == 1


def print_profiles(codes: list[str], round_code: str, baseline_code: str | None, language: str, *,
                   viewer_id: int | None = None, instance_path: str | None = None, workers: int | None = None,
                   tick: float | None = None, stall: float | None = None) -> Iterator[Printed | None]:
    """Yield each organisation's profile as it is finished (in any order). Call inside an app context.

    ``baseline_code``: as ``rounds.queries.baseline_for`` takes it (a round code, "none", or None for the
    previous comparable round). ``viewer_id``: print as this user may see (None: the programme, everything).
    ``instance_path``: read and keep PDFs in that instance folder's cache (None: print every one).
    ``workers``: processes (default: one per core). ``tick``: seconds after which, when nothing was finished,
    None is yielded, so a caller can show it is alive; ``stall``: seconds without a finished profile after which
    the printers are taken for stuck. Raises PrintingFailed when a printer died or got stuck.
    Opens and ends its own reading transactions: the caller's session holds none between two profiles.
    """
    global _batch
    db.session.commit()  # a reading transaction starts here (a writing one open would keep SQLite's write lock)
    batch = _Batch(current_app._get_current_object(), round_code, baseline_code, language, viewer_id)
    with write_intent(False):
        cached, missing = _plan(codes, batch, instance_path)
        batch.results = _scored(batch) if missing else None
        db.session.commit()
    yield from cached
    if not missing:
        return
    _batch = batch
    workers = max(1, min(workers or cores(), len(missing)))
    try:
        if workers > 1 and not may_fork():
            current_app.logger.warning("printing %d profiles one after another: this process has %d threads and "
                                       "must not fork printers", len(missing), threading.active_count())
        if workers == 1 or not may_fork():
            for code, path in missing:
                yield Printed(*_print(code, path))
        else:
            yield from _pooled(missing, workers, tick, stall)
    finally:
        _batch = None


def _pooled(missing: list[tuple[str, str | None]], workers: int, tick: float | None,
            stall: float | None) -> Iterator[Printed | None]:
    # The parent's connections are closed, not handed down: a child closing an inherited SQLite handle or
    # PostgreSQL socket could disturb the parent's. The parent reconnects when it next reads.
    for engine in db.engines.values():
        engine.dispose()
    # fork: the printers start in a moment, with matplotlib, WeasyPrint and the scores already loaded.
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_printer,
                               initargs=(context.Value("i", 0),))
    finished = stopped = False
    try:
        pending = {pool.submit(_print, code, path) for code, path in missing}
        last = time.monotonic()
        while pending:
            done, pending = wait(pending, timeout=tick, return_when=FIRST_COMPLETED)
            if not done:
                # A printer can hang (a lock, a pathological document) while its parent lives on: the job's
                # heartbeat would say "alive" for ever, so waiting ends here.
                if stall is not None and time.monotonic() - last > stall:
                    raise PrintingFailed(f"no profile was finished in {stall:.0f} seconds: the printers seem stuck")
                yield None
                continue
            last = time.monotonic()
            for future in done:
                try:
                    code, pdf, printer = future.result()
                except BrokenProcessPool as error:  # a printer was killed: every unfinished profile is lost
                    raise PrintingFailed("a process printing the profiles stopped unexpectedly (killed, or out of "
                                         "memory?); the profiles already printed are in the cache") from error
                yield Printed(code, pdf, printer)
        finished = True
    except GeneratorExit:  # the caller stopped (a job declared dead)
        stopped = True
        raise
    finally:
        # The caller stopped: unstarted profiles are cancelled and each printer ends with the profile in hand.
        # Killing a printer while it sends a PDF back leaves the pool's reader waiting for the rest for ever,
        # so printers are killed only when they failed or hang (and so are not sending anything).
        if not finished and not stopped:
            # _processes: private until Python 3.14's kill_workers(), but only ever a dict of multiprocessing's
            # Process objects (or None once shut down).
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.kill()
        pool.shutdown(wait=True, cancel_futures=True)


def render_all(codes: list[str], round_code: str, baseline_code: str | None, language: str, out_dir: Path,
               workers: int | None = None) -> Iterator[Path]:
    """Write each organisation's profile PDF into ``out_dir``, yielding each file as it is finished (any order).

    The profiles are the programme's (every track visible), as a manager prints them; the cache is not used.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for printed in print_profiles(codes, round_code, baseline_code, language, workers=workers):
        if printed is not None:
            path = out_dir / profile_filename(printed.code, round_code, language)
            path.write_bytes(printed.pdf)
            yield path
