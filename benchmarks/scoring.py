"""Scoring speed and memory: the demo portfolio and 10,000 synthetic organisations."""
from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from capacity.questionnaires.library import load_directory, load_files
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


# The test instrument of every question type (conditions, sub-areas, typed answers scored by the rubric).
EVERY_TYPE = sorted((Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "questionnaires").glob("every-type*.yaml"))


def typed_answers(questionnaire, organisations: int, seed: int = 11) -> pd.DataFrame:
    """One round of answers to every item of ``questionnaire``, each of its own type (some unanswered)."""
    rng = np.random.default_rng(seed)
    frames = []
    orgs = np.array([f"ORG-{i:05d}" for i in range(organisations)], dtype=object)
    for indicator in questionnaire.indicators:
        level, value = np.full(organisations, np.nan), np.full(organisations, None, dtype=object)
        if indicator.type == "scale":
            level = rng.integers(1, 5, organisations).astype(float)
        elif indicator.type == "yes_no":
            value = np.where(rng.random(organisations) < 0.6, "yes", "no").astype(object)
        elif indicator.type == "single":
            value = rng.choice([o.code for o in indicator.options], organisations).astype(object)
        elif indicator.type == "multiple":
            codes = [o.code for o in indicator.options]
            value = np.array([json.dumps(codes[:k]) for k in rng.integers(0, len(codes) + 1, organisations)], dtype=object)
        elif indicator.type == "number":
            value = rng.integers(0, 400, organisations).astype(str).astype(object)
        else:
            value = np.full(organisations, "A change we made.", dtype=object)
        frames.append(pd.DataFrame({"org": orgs, "round": "baseline", "track": "official", "indicator": indicator.code,
                                    "level": level, "na": False, "value": value}))
    return pd.concat(frames, ignore_index=True)


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

    types, problems = load_files(EVERY_TYPE, library)
    assert not problems, problems
    typed_spec = scoring_spec(types.questionnaire("every-type", "1.0"), types.rubric("every-type-default", "1.0"))
    typed = typed_answers(types.questionnaire("every-type", "1.0"), 10_000)
    tracemalloc.start()
    times = _time(lambda: score(typed, typed_spec), 3)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    results.append({"what": "score 10,000 organisations on the every-type test instrument: every question type, 4 "
                            f"conditions, sub-areas, percent ({len(typed):,} answers)",
                    "median": statistics.median(times), "target": 2.0, "peak_mb": peak / 2**20})
    return results


def markdown(results: list[dict]) -> str:
    lines = ["## Scoring", "", "| what | median | target | peak memory |", "|---|---|---|---|"]
    for r in results:
        status = "✓" if r["median"] <= r["target"] else "✗ over target"
        peak = f"{r['peak_mb']:.0f} MB (Python allocations)" if "peak_mb" in r else ""
        lines.append(f"| {r['what']} | {r['median'] * 1000:.1f} ms | {r['target'] * 1000:.0f} ms {status} | {peak} |")
    return "\n".join(lines) + "\n"
