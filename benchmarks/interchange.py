"""Interchange and method statistics (issue 15): KoboToolbox submissions import, XLSForm export/conversion/import,
reliability statistics.

All in one throwaway SQLite database holding the demo portfolio; synthetic organisations are added to it for the
large cases (a submissions file at the reader's row limit, a round of 1,000 organisations).
"""
from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import date

import numpy as np
import sqlalchemy as sa

KOBO_ROWS_LARGE = int(os.environ.get("BENCH_KOBO_ROWS", 5000))  # capacity.submissions.reading.MAX_ROWS: the most one file may hold
KOBO_ROWS_APPLIED = int(os.environ.get("BENCH_KOBO_APPLIED", 1000))
RELIABILITY_ORGS = 1000

# The metadata columns KoboToolbox writes around the answers (as tests/submissions/kobo.py builds them).
KOBO_BEFORE = ["start", "end", "today", "deviceid"]
KOBO_AFTER = ["__version__", "meta/instanceID", "_id", "_uuid", "_submission_time", "_validation_status", "_notes",
              "_status", "_submitted_by", "_tags", "_index"]


def kobo_xlsx(questionnaire, organisations: list[str], seed: int = 3) -> bytes:
    """A Kobo-style XLSX export of the collection form: one submission per organisation, every rated indicator
    answered (a level, or "na" now and then where the indicator allows it), headers as group paths."""
    import openpyxl

    rng = np.random.default_rng(seed)
    rated = [i for i in questionnaire.indicators if i.computed is None]
    paths = ["/".join([i.domain] + ([i.sub_area] if i.sub_area else []) + [i.code]) for i in rated]
    allow_na = np.array([i.allow_na for i in rated])
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Capacity collection")
    sheet.append(KOBO_BEFORE + ["capacity_organisation"] + paths + KOBO_AFTER)
    for n, org in enumerate(organisations, start=1):
        levels = rng.integers(questionnaire.min_level, questionnaire.max_level + 1, len(rated))
        na = allow_na & (rng.random(len(rated)) < 0.2)
        answers = ["na" if skip else str(level) for level, skip in zip(levels, na)]
        sheet.append(["2026-05-01T10:00:00.000+04:00", "2026-05-01T10:30:00.000+04:00", "2026-05-01",
                      "enketo.kobotoolbox.org:abc", org] + answers +
                     ["vA1b2", f"uuid:{n:08d}", 1000 + n, f"{n:08d}-uuid", "2026-05-01T06:31:00", "", "",
                      "submitted_via_web", "", "", n])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def result_domains(questionnaire):
    """indicator code → domain, of the scored indicators (as the scoring spec's ``indicators["domain"]``)."""
    import pandas as pd

    rated = [i for i in questionnaire.indicators if i.computed is None]
    return pd.Series([i.domain for i in rated], index=[i.code for i in rated])


def synthetic_frames(questionnaire, organisations: int, seed: int = 5):
    """The frames the statistics read, for a synthetic round: final levels (org, indicator, level; NaN for N/A) and
    self–mentor pairs (org, indicator, domain, first, second). Levels share an organisation effect, so alpha is
    defined; the self-assessment is the mentor's level plus noise, so kappa is neither 0 nor 1."""
    import pandas as pd

    rng = np.random.default_rng(seed)
    rated = [i for i in questionnaire.indicators if i.computed is None]
    low, high = questionnaire.min_level, questionnaire.max_level
    k = len(rated)
    base = rng.normal(2.5, 0.6, organisations)[:, None]
    mentor = np.clip(np.rint(base + rng.normal(0, 0.6, (organisations, k))), low, high).astype(int)
    self_ = np.clip(mentor + rng.choice([-1, 0, 0, 1, 1, 2], (organisations, k)), low, high).astype(int)
    na = np.array([i.allow_na for i in rated])[None, :] & (rng.random((organisations, k)) < 0.2)
    orgs = np.repeat([f"ORG-{i:05d}" for i in range(organisations)], k)
    codes = np.tile([i.code for i in rated], organisations)
    levels = pd.DataFrame({"org": orgs, "indicator": codes,
                           "level": np.where(na, np.nan, mentor.astype(float)).ravel()})
    keep = ~na.ravel()
    pairs = pd.DataFrame({"org": orgs[keep], "indicator": codes[keep],
                          "domain": np.tile([i.domain for i in rated], organisations)[keep],
                          "first": self_.ravel()[keep], "second": mentor.ravel()[keep]})
    return levels, pairs


def _timed(fn, repeat: int) -> tuple[float, object]:
    """Median seconds of ``repeat`` calls, and the last call's result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _peak_mb(fn) -> float:
    """Peak Python allocations of one call (a separate call: tracemalloc slows what it traces)."""
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


def _row(section: str, what: str, seconds: float, target: float, peak_mb: float | None = None, repeat: int = 1) -> dict:
    row = {"section": section, "what": what, "seconds": seconds, "target": target, "repeat": repeat}
    print(f"{time.strftime('%H:%M:%S')} {what}: {seconds:.2f} s", file=sys.stderr, flush=True)  # progress
    if peak_mb is not None:
        row["peak_mb"] = peak_mb
    return row


def _add_organisations(db, Organisation, codes: list[str], demo: bool) -> None:
    db.session.execute(sa.insert(Organisation), [
        {"code": code, "name_ka": f"ორგანიზაცია {code}", "name_en": f"Organisation {code}", "municipality": "tbilisi",
         "service_areas_raw": "", "contact_name": "", "contact_email": "", "contact_phone": "", "active": True,
         "is_demo": demo} for code in codes])
    db.session.flush()


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=tmp)
        from flask_babel import force_locale
        from pyxform.xls2xform import convert

        from capacity import create_app
        from capacity.demo.services import build_demo
        from capacity.extensions import db
        from capacity.organisations.models import Organisation
        from capacity.questionnaires.library import load_directory
        from capacity.questionnaires.model import Text
        from capacity.reliability import statistics as stats
        from capacity.reliability.services import round_reliability
        from capacity.rounds.models import AssessmentRound, RoundKind
        from capacity.submissions.services import import_submissions
        from capacity.xlsform.export import export_xlsform
        from capacity.xlsform.importing import import_xlsform

        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.db", "WTF_CSRF_ENABLED": False}, web=False)
        results = []
        with app.app_context(), force_locale("en"):
            db.create_all()
            build_demo()
            db.session.commit()
            library = load_directory()
            questionnaire = library.questionnaire("gesi-oca", "1.0")
            rubric = library.rubric("gesi-oca-default", "1.0")
            demo_orgs = list(db.session.scalars(sa.select(Organisation).where(Organisation.kind == "organisation")
                                               .order_by(Organisation.code)))

            # --- XLSForm -----------------------------------------------------------------------------------
            section = "xlsform"
            seconds, form = _timed(lambda: export_xlsform(questionnaire, rubric=rubric), 5)
            results.append(_row(section, f"export gesi-oca ({len(questionnaire.indicators)} indicators, both "
                                          f"languages, weights) as an XLSForm ({len(form) / 1024:.0f} KB)", seconds, 1.0,
                                _peak_mb(lambda: export_xlsform(questionnaire, rubric=rubric)), 5))
            pairs = [(o.code, Text(ka=o.name_ka, en=o.name_en)) for o in demo_orgs]
            seconds, collection = _timed(lambda: export_xlsform(questionnaire, rubric=rubric, organisations=pairs), 5)
            results.append(_row(section, f"export the collection form for the {len(pairs)} demo organisations",
                                seconds, 1.0, None, 5))
            seconds, _ = _timed(lambda: convert(xlsform=form, file_type=".xlsx", warnings=[]), 3)
            results.append(_row(section, "pyxform converts the exported form to an XForm", seconds, 3.0,
                                _peak_mb(lambda: convert(xlsform=form, file_type=".xlsx", warnings=[])), 3))
            seconds, imported = _timed(lambda: import_xlsform(form, "gesi-oca.xlsx"), 5)
            assert len(imported.questionnaire.indicators) == len(questionnaire.indicators)
            results.append(_row(section, "import the exported form back (read, build YAML, validate)", seconds, 1.0,
                                _peak_mb(lambda: import_xlsform(form, "gesi-oca.xlsx")), 5))

            # --- Reliability statistics ------------------------------------------------------------------
            section = "reliability"
            endline = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "endline"))
            seconds, _ = _timed(lambda: round_reliability(endline), 5)
            results.append(_row(section, f"round statistics of the demo endline ({len(demo_orgs)} organisations: "
                                          "read answers, choose final tracks, alpha, kappa, large gaps)", seconds, 1.0,
                                _peak_mb(lambda: round_reliability(endline)), 5))
            levels, pairs_frame = synthetic_frames(questionnaire, RELIABILITY_ORGS)
            spec_domains = result_domains(questionnaire)
            domains = [d.code for d in questionnaire.domains]
            scale = list(range(questionnaire.min_level, questionnaire.max_level + 1))

            def pure():
                alpha = stats.alpha_by_domain(levels, spec_domains, domains)
                kappa, _gaps = stats.agreement_by_domain(pairs_frame, scale, domains)
                assert all(f.value is not None for f in alpha + kappa)

            seconds, _ = _timed(pure, 5)
            results.append(_row(section, f"the statistics over a synthetic round of {RELIABILITY_ORGS:,} organisations "
                                          f"({len(levels):,} final levels, {len(pairs_frame):,} self–mentor pairs; "
                                          "pure functions on frames)", seconds, 1.0, _peak_mb(pure), 5))

            # --- KoboToolbox submissions import --------------------------------------------------------
            section = "submissions"
            kobo_round = AssessmentRound(code="kobo", name_ka="ტესტი", name_en="Kobo", kind=RoundKind.MIDLINE,
                                         starts_on=date(2026, 6, 1), ends_on=date(2026, 6, 30), is_open=True,
                                         questionnaire_id="gesi-oca", questionnaire_version="1.0",
                                         rubric_id="gesi-oca-default", rubric_version="1.0")
            db.session.add(kobo_round)
            db.session.commit()
            more = [f"BIG-{i:04d}" for i in range(KOBO_ROWS_LARGE - len(demo_orgs))]
            _add_organisations(db, Organisation, more, demo=False)
            db.session.commit()

            def dry(data: bytes):
                report = import_submissions(None, kobo_round, "self", "kobo.xlsx", data, apply=False)
                assert report.ok and not report.applied, report.lines()[:5]
                return report

            def apply(data: bytes):
                report = import_submissions(None, kobo_round, "self", "kobo.xlsx", data, apply=True)
                assert report.applied, report.lines()[:5]
                db.session.flush()
                db.session.rollback()  # the next run starts from the same empty round
                return report

            small = kobo_xlsx(questionnaire, [o.code for o in demo_orgs])
            rated = sum(i.computed is None for i in questionnaire.indicators)
            answers = len(demo_orgs) * rated
            seconds, _ = _timed(lambda: dry(small), 5)
            results.append(_row(section, f"check (dry run) a Kobo XLSX of the {len(demo_orgs)} demo organisations "
                                          f"({answers:,} answers, {len(small) / 1024:.0f} KB)", seconds, 2.0,
                                _peak_mb(lambda: dry(small)), 5))
            seconds, _ = _timed(lambda: apply(small), 3)
            results.append(_row(section, "import it (every answer saved with its revision and audit event, then "
                                          "rolled back)", seconds, 5.0, _peak_mb(lambda: apply(small)), 3))

            codes = [o.code for o in demo_orgs] + more
            large = kobo_xlsx(questionnaire, codes)
            answers = len(codes) * rated
            seconds, _ = _timed(lambda: dry(large), 1)
            results.append(_row(section, f"check a Kobo XLSX at the reader's row limit: {len(codes):,} organisations "
                                          f"({answers:,} answers, {len(large) / 2**20:.1f} MB)", seconds, 60.0,
                                _peak_mb(lambda: dry(large))))
            # Saving costs about a millisecond per answer (revision, audit event): the import is timed on a file of
            # KOBO_ROWS_APPLIED rows, once, so that the whole run stays within minutes.
            part = kobo_xlsx(questionnaire, codes[:KOBO_ROWS_APPLIED])
            seconds, _ = _timed(lambda: apply(part), 1)
            results.append(_row(section, f"import a file of {KOBO_ROWS_APPLIED:,} organisations "
                                          f"({KOBO_ROWS_APPLIED * rated:,} answers) in one savepoint, then rolled "
                                          "back", seconds, 120.0))
            db.session.remove()
            db.engine.dispose()
    return results


SECTIONS = {
    "submissions": ("KoboToolbox submissions import",
                    "A Kobo-style XLSX export of the gesi-oca collection form (metadata columns, group-path headers, "
                    "every rated indicator answered) checked and imported into an open round's self-assessments "
                    "through `import_submissions`, in a throwaway SQLite database; the import is rolled back after "
                    "each run."),
    "xlsform": ("XLSForm", "The gesi-oca questionnaire exported as an XLSForm workbook, converted by pyxform, and "
                           "imported back into a validated questionnaire."),
    "reliability": ("Reliability statistics",
                    "`capacity stats` figures (Cronbach's alpha per domain, quadratic weighted kappa and the share of "
                    "large gaps between self-assessment and mentor): `round_reliability` from the database, and the "
                    "pure functions of `capacity.reliability.statistics` on their own."),
}


def markdown(results: list[dict]) -> str:
    out = []
    for key, (title, sentence) in SECTIONS.items():
        lines = [f"## {title}", "", sentence + " Times are medians where a row says how many runs; peak memory is "
                 "Python allocations (tracemalloc) in a separate run.", "",
                 "| what | time | target | peak memory |", "|---|---|---|---|"]
        for r in (r for r in results if r["section"] == key):
            status = "✓" if r["seconds"] <= r["target"] else "✗ over target"
            what = r["what"] + (f" (median of {r['repeat']})" if r["repeat"] > 1 else "")
            peak = (f"{r['peak_mb']:.1f} MB" if r['peak_mb'] < 10 else f"{r['peak_mb']:.0f} MB") if "peak_mb" in r else ""
            lines.append(f"| {what} | {_seconds(r['seconds'])} | {_seconds(r['target'])} {status} | {peak} |")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out)


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"
