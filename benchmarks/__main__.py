"""Run every benchmark and write BENCHMARKS.md (figures from this machine, in one run)."""
from __future__ import annotations

import os
import platform
from datetime import datetime, timezone
from pathlib import Path

from benchmarks import reports, scoring, web

OUT = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"


def main() -> None:
    sections = [scoring.markdown(scoring.run()), web.markdown(web.run()), reports.markdown(reports.run())]
    header = (
        "# Benchmarks\n\n"
        "Written by `make bench`; do not edit by hand. "
        f"Last run {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}.\n\n"
    )
    OUT.write_text(header + "\n".join(sections), encoding="utf-8")
    print(OUT.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
