"""Rendering every organisation's profile of a round, on all cores.

The parent scores the two rounds once for all organisations and parses the
stylesheet and fonts; then it forks one worker per core, which inherit all of
that and render profiles one by one. The caller sees each finished file as soon
as it is written.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa
from flask import Flask, current_app

from capacity.rounds.models import AssessmentRound
from capacity.database import write_intent
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting.pdf import collector_paused, render_pdf, warm_up
from capacity.reporting.profile_model import build_profile
from capacity.reporting.round_result import RoundResult
from capacity.rounds.queries import baseline_for

# Set by the parent just before forking; each worker inherits them.
_worker_app: Flask | None = None
_worker_results: dict[tuple[str, str | None], tuple[RoundResult, RoundResult | None]] = {}


def _start_worker(counter) -> None:
    with counter.get_lock():  # one core each: the scheduler moving workers around costs them their caches
        core, counter.value = counter.value, counter.value + 1
    cores = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(cores) > 1:
        os.sched_setaffinity(0, {cores[core % len(cores)]})
    with _worker_app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)  # the parent's pooled connections stay the parent's
    gc.freeze()  # what the parent built is permanent here: no collection needs to walk it again


def _render(code: str, round_code: str, baseline_code: str | None, language: str, out_dir: str) -> str:
    # Reading only: a plain BEGIN on SQLite, so rendering never holds the write lock that saves wait for.
    with _worker_app.app_context(), collector_paused(), write_intent(False):
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
        baseline = baseline_for(round_, baseline_code)
        data = build_profile(org, round_, baseline, language, results=_worker_results[(round_code, baseline_code)])
        path = Path(out_dir) / f"capacity-{code}-{round_code}-{language}.pdf"
        path.write_bytes(render_pdf("profile.html", {"r": data}, language))
        db.session.remove()
    return str(path)


def render_all(codes: list[str], round_code: str, baseline_code: str | None, language: str, out_dir: Path,
               workers: int | None = None) -> Iterator[Path]:
    """Yield each organisation's profile PDF as it is finished (in any order). Call inside an app context.

    ``baseline_code``: as ``rounds.queries.baseline_for`` takes it (a round code, "none", or None for the previous
    comparable round). The profiles are the programme's (every track visible), as a manager prints them.
    """
    global _worker_app
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(codes) or 1))
    round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == round_code))
    baseline = baseline_for(round_, baseline_code).round
    # Scoring a round costs about the same for one organisation or all: once, here, for every worker.
    _worker_results[(round_code, baseline_code)] = (RoundResult(round_, None),
                                                    RoundResult(baseline, None) if baseline else None)
    warm_up("profile.html")  # template compiled, fonts and CSS parsed once, before forking
    _worker_app = current_app._get_current_object()
    db.session.remove()
    # fork: the workers start in a moment, with matplotlib, WeasyPrint and the scores already loaded.
    context = multiprocessing.get_context("fork")
    try:
        counter = context.Value("i", 0)
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker,
                                 initargs=(counter,)) as pool:
            futures = [pool.submit(_render, code, round_code, baseline_code, language, str(out_dir)) for code in codes]
            for future in as_completed(futures):
                yield Path(future.result())
    finally:
        _worker_results.pop((round_code, baseline_code), None)
