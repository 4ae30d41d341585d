"""Rendering every organisation's profile of a round, on all cores.

Each worker process builds its own app (and database engine) once, scores the
two rounds once for all organisations, then renders profiles one by one; the
caller sees each finished file as soon as it is written.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Iterator

import sqlalchemy as sa

from capacity.assessments.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation

_worker_app = None
_worker_results: dict = {}


def _start_worker(config: dict) -> None:
    global _worker_app
    from capacity import create_app

    _worker_app = create_app(config)
    _worker_results.clear()


def _render(code: str, round_code: str, baseline_code: str | None, language: str, out_dir: str) -> str:
    from capacity.reporting.pdf import render_pdf
    from capacity.reporting.profile_model import RoundResult, build_profile

    with _worker_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        round_, baseline = rounds[round_code], rounds.get(baseline_code) if baseline_code else None
        key = (round_code, baseline_code)
        if key not in _worker_results:  # once per worker: scoring a round costs the same for one organisation or all
            _worker_results[key] = (RoundResult(round_, None), RoundResult(baseline, None) if baseline else None)
        data = build_profile(org, round_, baseline, language, results=_worker_results[key])
        path = Path(out_dir) / f"capacity-{code}-{round_code}-{language}.pdf"
        path.write_bytes(render_pdf("profile.html", {"r": data}, language))
        db.session.remove()
    return str(path)


def render_all(app_config: dict, codes: list[str], round_code: str, baseline_code: str | None, language: str,
               out_dir: Path, workers: int | None = None) -> Iterator[Path]:
    """Yield each organisation's profile PDF as it is finished (in any order)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    workers = max(1, min(workers or os.cpu_count() or 1, len(codes) or 1))
    config = {key: app_config[key] for key in ("SQLALCHEMY_DATABASE_URI", "SECRET_KEY", "TESTING",
                                               "SQLALCHEMY_ENGINE_OPTIONS", "CAPACITY_ENV") if key in app_config}
    # fork: the workers start in a moment, without importing matplotlib and WeasyPrint again.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(config,)) as pool:
        futures = [pool.submit(_render, code, round_code, baseline_code, language, str(out_dir)) for code in codes]
        for future in as_completed(futures):
            yield Path(future.result())
