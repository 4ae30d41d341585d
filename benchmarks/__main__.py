"""Run every benchmark and write BENCHMARKS.md (figures from this machine, in one run).

Each section runs in a fresh Python process, so that one section's memory
(the 10,000 synthetic organisations of the scoring benchmark, say) never shows
up in another's peak.
"""
from __future__ import annotations

import importlib
import json
import os
import platform
import subprocess
import sys
import timeit
from datetime import datetime, timezone
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
SECTIONS = ("scoring", "web", "collisions", "reports", "edges", "interchange")


def run_section(name: str) -> list[dict]:
    """One section's results, measured in a process of its own."""
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--section", name], check=True, stdout=subprocess.PIPE,
                          text=True, cwd=OUT.parent)
    return json.loads(done.stdout.strip().splitlines()[-1])


def reference_seconds() -> float:
    """A fixed pure-Python workload (best of 5): how fast this machine was during the run.

    Shared virtual machines vary: the same code has measured two to three times
    slower at one hour than at another. Compare runs by this figure first.
    """
    def work() -> int:
        total = 0
        for i in range(2_000_000):
            total += i % 7
        return total

    return min(timeit.repeat(work, number=1, repeat=5))


def main() -> None:
    if sys.argv[1:2] == ["--section"]:
        module = importlib.import_module(f"benchmarks.{sys.argv[2]}")
        print(json.dumps(module.run(), default=lambda value: value.item() if hasattr(value, "item") else str(value)))
        return
    before = reference_seconds()
    sections = [importlib.import_module(f"benchmarks.{name}").markdown(run_section(name)) for name in SECTIONS]
    after = reference_seconds()
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench`; do not edit by hand. "
        f"Last run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.\n\n"
        f"Machine speed during the run: a fixed pure-Python loop took {before * 1000:.0f} ms before and "
        f"{after * 1000:.0f} ms after (lower is faster). This shared virtual machine varies by two to three times "
        "from hour to hour, so compare runs by this figure before comparing their results.\n\n"
    )
    OUT.write_text(header + "\n".join(sections), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
