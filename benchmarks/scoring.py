"""Scoring speed and memory: the demo portfolio and 10,000 synthetic organisations."""
from __future__ import annotations

import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from capacity.questionnaires.library import load_directory
from capacity.scoring.frames import scoring_spec
from capacity.scoring.rollup import official_answers, score


def synthetic_answers(spec, organisations: int, rounds: int, tracks: tuple[str, ...], seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    codes = spec.indicators.index.to_numpy()
    n = organisations * rounds * len(tracks) * len(codes)
    org = np.repeat(np.arange(organisations), rounds * len(tracks) * len(codes))
    rnd = np.tile(np.repeat(np.arange(rounds), len(tracks) * len(codes)), organisations)
    trk = np.tile(np.repeat(np.arange(len(tracks)), len(codes)), organisations * rounds)
    ind = np.tile(codes, organisations * rounds * len(tracks))
    level = rng.integers(1, 5, n).astype(float)
    na = spec.indicators["allow_na"].to_numpy()[np.tile(np.arange(len(codes)), organisations * rounds * len(tracks))] & (rng.random(n) < 0.2)
    level[na] = np.nan
    level[rng.random(n) < 0.03] = np.nan  # a few unanswered
    return pd.DataFrame({
        "org": pd.Categorical.from_codes(org, [f"ORG-{i:05d}" for i in range(organisations)]).astype(str),
        "round": np.array(["baseline", "endline"])[rnd], "track": np.array(tracks)[trk],
        "indicator": ind, "level": level, "na": na,
    })


def _time(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def run() -> list[dict]:
    library = load_directory()
    questionnaire = library.questionnaire("gesi-oca", "1.0")
    spec = scoring_spec(questionnaire, library.rubric("gesi-oca-default", "1.0"))
    results = []

    demo = synthetic_answers(spec, 27, 2, ("self", "mentor", "consensus"))
    score(demo, spec)  # warm up
    times = _time(lambda: score(demo, spec), 20)
    results.append({"what": "score the demo portfolio: 27 organisations × 2 rounds × 3 tracks "
                            f"({len(demo):,} answers)", "median": statistics.median(times), "target": 0.050})
    times = _time(lambda: score(official_answers(demo, spec.official_track), spec), 20)
    results.append({"what": "official track of the demo portfolio (choose track, then score)",
                    "median": statistics.median(times), "target": 0.050})

    big = synthetic_answers(spec, 10_000, 2, ("official",))
    tracemalloc.start()
    times = _time(lambda: score(big, spec), 3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results.append({"what": f"score 10,000 synthetic organisations × 2 rounds ({len(big):,} answers)",
                    "median": statistics.median(times), "target": 2.0, "peak_mb": peak / 2**20})
    return results


def markdown(results: list[dict]) -> str:
    lines = ["## Scoring", "", "| what | median | target | peak memory |", "|---|---|---|---|"]
    for r in results:
        status = "✓" if r["median"] <= r["target"] else "✗ over target"
        peak = f"{r['peak_mb']:.0f} MB (Python allocations)" if "peak_mb" in r else ""
        lines.append(f"| {r['what']} | {r['median'] * 1000:.1f} ms | {r['target'] * 1000:.0f} ms {status} | {peak} |")
    return "\n".join(lines) + "\n"
