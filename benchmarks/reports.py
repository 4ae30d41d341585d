"""Report rendering: one profile, all 27 (sequential and on all cores), the portfolio, a cached profile."""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=tmp)
        from capacity import create_app
        from capacity.rounds.models import AssessmentRound
        from capacity.demo.services import build_demo
        from capacity.extensions import db
        from capacity.organisations.models import Organisation
        from capacity.reporting.batch import render_all
        from capacity.reporting.cache import cached_pdf
        from capacity.reporting.pdf import render_pdf
        from capacity.reporting.portfolio_model import build_portfolio
        from capacity.reporting.profile_model import build_profile

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "WTF_CSRF_ENABLED": False})
        results = []
        with app.app_context():
            db.create_all()
            build_demo()
            db.session.commit()
            rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
            orgs = list(db.session.scalars(sa.select(Organisation).where(Organisation.kind == "organisation")
                                          .order_by(Organisation.code)))
            org = next(o for o in orgs if o.code == "TEL-02")

            def profile(o=org):
                return render_pdf("profile.html", {"r": build_profile(o, rounds["endline"], rounds["baseline"], "ka")}, "ka")

            profile()  # warm: imports, fonts, templates
            times, size = [], 0
            for _ in range(9):
                start = time.perf_counter()
                size = len(profile())
                times.append(time.perf_counter() - start)
            results.append({"what": "one profile, warm (median of 9)", "seconds": statistics.median(times), "target": 0.5,
                            "size": size, "spread": (min(times), max(times))})

            start = time.perf_counter()
            for o in orgs:
                profile(o)
            results.append({"what": f"all {len(orgs)} profiles, one after another (naive loop)",
                            "seconds": time.perf_counter() - start, "target": None})

            start = time.perf_counter()
            portfolio = render_pdf("portfolio.html", {"p": build_portfolio(rounds["endline"], rounds["baseline"], "ka")}, "ka")
            results.append({"what": "portfolio report", "seconds": time.perf_counter() - start, "target": 3.0,
                            "size": len(portfolio)})

            data = build_profile(org, rounds["endline"], rounds["baseline"], "ka")
            cached_pdf(tmp, "profile.html", "r", data, "ka")
            client = app.test_client()
            assert client.post("/login", data={"email": "manager@demo.example.org", "password": "capacity-demo"}).status_code == 302
            url = "/organisations/TEL-02/report/endline.pdf?lang=ka"
            first = client.get(url)
            assert first.status_code == 200 and first.data.startswith(b"%PDF")
            first.close()
            times = []
            for _ in range(5):
                start = time.perf_counter()
                client.get(url).close()
                times.append(time.perf_counter() - start)
            results.append({"what": "a profile served from the cache (web request, median of 5)",
                            "seconds": statistics.median(times), "target": 0.05})
            codes = [o.code for o in orgs]
            times = []
            for _ in range(3):
                start = time.perf_counter()
                for _ in render_all(codes, "endline", "baseline", "ka", Path(tmp) / "all"):
                    pass
                times.append(time.perf_counter() - start)
            sizes = [p.stat().st_size for p in (Path(tmp) / "all").iterdir()]
            results.append({"what": f"all {len(codes)} profiles on {os.cpu_count()} cores (capacity report all, median of 3)",
                            "seconds": statistics.median(times), "target": 8.0, "spread": (min(times), max(times)),
                            "size": sum(sizes), "size_note": "all"})
            db.session.remove()
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # before the command below starts
        # The same as a person types it: a new process, so Python, matplotlib and WeasyPrint start up too.
        env = {**os.environ, "CAPACITY_DATABASE_URL": f"sqlite:///{tmp}/bench.db", "CAPACITY_SECRET_KEY": "benchmark"}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "from capacity.cli import main; main()", "report", "all", "--round", "endline",
                        "--baseline", "baseline", "--lang", "ka", "--out-dir", str(Path(tmp) / "command")],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        results.append({"what": "the same, typed as a command (a new process: start-up included)",
                        "seconds": time.perf_counter() - start, "target": None})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append({"what": "peak memory of this process (demo, one profile, naive loop, portfolio, web requests)",
                         "seconds": None, "target": None, "peak_mb": peak})
        results.append({"what": "peak memory of a worker of capacity report all", "seconds": None, "target": None,
                        "peak_mb": worker})
    return results


def markdown(results: list[dict]) -> str:
    lines = ["## Reports (PDF)", "", "| what | time | target | size |", "|---|---|---|---|"]
    for r in results:
        if r.get("seconds") is None:
            lines.append(f"| {r['what']} | {r['peak_mb']:.0f} MB | 300 MB {'✓' if r['peak_mb'] <= 300 else '✗'} | |")
            continue
        target = "" if r["target"] is None else f"{r['target']:g} s {'✓' if r['seconds'] <= r['target'] else '✗ over target'}"
        size = f"{r['size'] / 1024:.0f} KB" if r.get("size") else ""
        if r.get("size_note"):
            size = f"{r['size'] / 1024 / 1024:.1f} MB in all"
        spread = f" ({r['spread'][0]:.2f}–{r['spread'][1]:.2f})" if r.get("spread") else ""
        lines.append(f"| {r['what']} | {r['seconds']:.2f} s{spread} | {target} | {size} |")
    return "\n".join(lines) + "\n"
