"""Who sees what, proven from the content each role gets on every surface, in every state of an assessment.

The rules (capacity/access.py, README "Who sees what, when"):
- organisation staff see their own self-assessment always; never the mentor's independent scores, comments,
  index or even the mentor track's progress; the agreed assessment only once it is validated. Before that
  their profile is a self-assessment profile, headed so and marked provisional. No exports, no print-all.
- an assigned mentor never sees the self-assessment (levels, comments, evidence, scores, gaps) before
  submitting their own mentor assessment; sees their own track and the consensus drafts.
- managers and administrators see everything.
- every result says whether it is final (a validated agreement) or provisional.
The same rules hold for every kind of subject (questionnaires/subjects.yaml): a service's provider staff and its
organisation's mentor (the monitor), a municipality's working group (staff) and its facilitator (a mentor) see
as an organisation's staff and mentor do.

Each test takes one world (subject kind × state × backend, see conftest.py) and one role, fetches every surface of
SURFACES through the test client in English, and collects every failure into one message. A surface that
refuses (403/404) must show none of the markers either. test_every_surface_has_entries fails when a GET
route is in neither SURFACES nor NOT_A_SURFACE, so a new page cannot skip this check.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import re
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl
import pytest

from tests.conftest import login
from tests.reporting.pdftext import text_of
from tests.visibility.conftest import ROLES, STATE_NAMES, World, definitions

ORG, ROUND = "OWN-01", "baseline"
OTHER = "OTH-01"  # another subject of the same kind, with its own staff and mentor
A = f"/organisations/{ORG}/assessments/{ROUND}"
TRACKS = ("self", "mentor", "consensus")

# What a surface may print, and the pattern that finds it.
def number(printed: str) -> re.Pattern:
    """A score as printed ("1.00"), not part of a longer number."""
    return re.compile(rf"(?<![\d.]){re.escape(printed)}(?!\d)")


MARKERS: dict[str, re.Pattern] = {
    "SELF-NOTE": re.compile(r"SELF-NOTE"),
    "SELF-FILE": re.compile(r"SELF-FILE"),
    "MENTOR-NOTE": re.compile(r"MENTOR-NOTE"),
    "MENTOR-FILE": re.compile(r"MENTOR-FILE"),
    "AGREED-WHY": re.compile(r"AGREED-WHY"),
    # The overall index (and every domain and lens score) of each track in the organisation worlds: all its levels
    # are equal. A world whose consensus index differs (World.index) gets its own pattern (Who.markers).
    "1.00": number("1.00"),
    "4.00": number("4.00"),
    "2.00": number("2.00"),
    # A comparison of self and mentor scores: gap counts, gap flags, the profile's gap table.
    "GAPS": re.compile(r"Indicators where the two differ|Difference of \d+ levels|<th[^>]*\bclass=\"num\"[^>]*>Mentor assessment</th>"),
}
NOTES = {"self": {"SELF-NOTE", "SELF-FILE"}, "mentor": {"MENTOR-NOTE", "MENTOR-FILE"}, "consensus": {"AGREED-WHY"}}
INDEX = {"self": "1.00", "mentor": "4.00", "consensus": "2.00"}
TRACK_MARKERS = {track: NOTES[track] | {INDEX[track]} for track in NOTES}
FIRST_DATA = {"self": 1, "mentor": 2, "consensus": 3}  # the state from which a track has answers


@dataclass(frozen=True)
class Who:
    """One role looking at OWN-01 (a subject of ``kind``) in one state, and what the rules let it see."""

    role: str
    state: str
    kind: str = "organisation"
    index: tuple[tuple[str, str], ...] = tuple(INDEX.items())  # (track, its overall index as printed): World.index

    @property
    def indexes(self) -> dict[str, str]:
        return dict(self.index)

    @property
    def markers(self) -> dict[str, re.Pattern]:
        """Every marker of this world: the notes, and each track's index."""
        base = {name: pattern for name, pattern in MARKERS.items() if name not in INDEX.values()}
        return {**base, **{printed: number(printed) for printed in self.indexes.values()}}

    @property
    def n(self) -> int:
        return int(self.state[1])

    @property
    def of_org(self) -> bool:
        return self.role in ("staff", "mentor", "manager", "admin")

    @property
    def programme(self) -> bool:
        return self.role in ("manager", "admin")

    def sees(self, track: str) -> bool:
        if not self.of_org:
            return False
        if self.programme:
            return True
        if self.role == "staff":
            return track == "self" or (track == "consensus" and self.n >= 4)
        return track != "self" or self.n >= 3  # the mentor: the self-assessment once their own is submitted

    def has_data(self, track: str) -> bool:
        return self.n >= FIRST_DATA[track]

    def shown(self, track: str) -> bool:
        return self.sees(track) and self.has_data(track)

    def notes(self, *, files: bool = True) -> set[str]:
        """The comments (and evidence file names) of every track this viewer sees that has answers."""
        found = set()
        for track, note, file in (("self", "SELF-NOTE", "SELF-FILE"), ("mentor", "MENTOR-NOTE", "MENTOR-FILE"),
                                  ("consensus", "AGREED-WHY", None)):
            if self.shown(track):
                found.add(note)
                if files and file:
                    found.add(file)
        return found

    def forbidden(self) -> set[str]:
        """Markers this viewer must never get, on any surface, in this state."""
        out = set()
        for track in TRACKS:
            if not self.sees(track):
                out |= NOTES[track] | {self.indexes[track]}
        if not (self.sees("self") and self.sees("mentor")):
            out.add("GAPS")
        return out

    def result_track(self) -> str | None:
        """The track whose numbers the profile gives this viewer (access.result_choice)."""
        if not self.of_org:
            return None
        if self.n >= 4:
            return "consensus"
        if self.role == "staff":
            return "self"
        if self.role == "mentor":
            return "mentor" if self.n >= 2 else None
        return "mentor" if self.n >= 3 else "self"  # the official track: mentor once submitted, else self

    def export_track(self) -> str | None:
        """The official track's scores in an export: left empty when the official track is hidden from the viewer."""
        if not self.of_org or self.role == "staff":
            return None
        official = "consensus" if self.n >= 4 else "mentor" if self.n >= 3 else "self"
        return official if self.sees(official) else None


@dataclass
class Page:
    status: int
    text: str = ""
    tracks: set[str] | None = None   # exports: the tracks of OWN-01's rows in the long table
    note: str = ""                    # what was fetched, for messages


@dataclass(frozen=True)
class Surface:
    endpoints: tuple[str, ...]
    fetch: Callable[[object, World], Page]
    allowed: Callable[[Who], bool]
    required: Callable[[Who], set[str]] = lambda who: set()
    index: Callable[[Who], str | None] | None = None  # prints one track's index: which (the others must not appear)
    extra: Callable[[Who, Page], list[str]] | None = None
    refused: tuple[int, ...] = (403, 404)
    applies: Callable[[World], bool] = lambda world: True


# ---------------------------------------------------------------------------------------------------- fetching

def _pdf_text(data: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.pdf"
        path.write_bytes(data)
        return text_of(path)


def html(url: str | Callable[[World], str], follow: bool = False) -> Callable:
    def fetch(client, world: World) -> Page:
        target = url(world) if callable(url) else url
        response = client.get(target, follow_redirects=follow)
        page = Page(response.status_code, response.get_data(as_text=True), note=target)
        response.close()
        return page
    return fetch


def pdf(url: str) -> Callable:
    def fetch(client, world: World) -> Page:
        response = client.get(url)
        if response.status_code == 200 and response.data.startswith(b"%PDF"):
            page = Page(200, _pdf_text(response.data), note=url)
        else:
            page = Page(response.status_code if response.status_code != 200 else 599,
                        response.get_data(as_text=True), note=url)
        response.close()
        return page
    return fetch


def _cell(value) -> str:
    """A cell that is not a score, as plainly as possible: a count of points or a percentage (4.0 → "4") must not
    look like a track's index ("4.00")."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:g}"
    text = str(value)
    return f"{float(text):g}" if re.fullmatch(r"-?\d+\.\d+", text) else text


def _score(value) -> str:
    """A score cell as the reports print it (XLSX hands back 1.0 as the integer 1)."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value)):
        return f"{float(value):.2f}"
    return _cell(value)


def _export_page(sheets: dict[str, list[list]], url: str) -> Page:
    lines, tracks = [], set()
    for name, rows in sheets.items():
        header = [str(h) for h in rows[0]] if rows else []
        scored = {n for n, column in enumerate(header) if column == "index" or column.startswith(("domain_", "lens_"))}
        for row in rows:
            lines.append("\t".join(_score(v) if n in scored else _cell(v) for n, v in enumerate(row)))
        if name == "long" and rows:
            header = list(rows[0])
            org, track = header.index("org_code"), header.index("track")
            tracks |= {row[track] for row in rows[1:] if row[org] == ORG}
    return Page(200, "\n".join(lines), tracks, note=url)


def export_xlsx(client, world: World) -> Page:
    url = f"/rounds/{ROUND}/export.xlsx"
    response = client.get(url)
    data = response.get_data()
    response.close()
    if response.status_code != 200:
        return Page(response.status_code, data.decode("utf-8", "replace"), note=url)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    return _export_page(sheets, url)


def export_zip(client, world: World) -> Page:
    url = f"/rounds/{ROUND}/export.zip"
    response = client.get(url)
    data = response.get_data()
    response.close()
    if response.status_code != 200:
        return Page(response.status_code, data.decode("utf-8", "replace"), note=url)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheets = {name.removesuffix(".csv"): list(csv.reader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
              for name in archive.namelist()}
    return _export_page(sheets, url)


def print_all(client, world: World) -> Page:
    """Start printing every profile, wait for the job, and read OWN-01's PDF from the ZIP."""
    url = f"/rounds/{ROUND}/profiles.zip"
    response = client.post(url, data={"lang": "en"})
    response.close()
    if response.status_code != 302:
        return Page(response.status_code, response.get_data(as_text=True), note=url)
    location = response.location
    deadline = time.monotonic() + 180  # a loaded test machine prints slowly: a timeout is no finding
    while True:
        state = client.get(location + ".json").json
        if state["status"] in ("done", "failed") or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    status_page = client.get(location).get_data(as_text=True)
    if state["status"] != "done":
        return Page(598, f"job {state}", note=f"{url}: job {state['status']}, {state.get('message')}")
    download = client.get(state["download"])
    data = download.get_data()
    download.close()
    archive = zipfile.ZipFile(io.BytesIO(data))
    name = f"capacity-{ORG}-{ROUND}-en.pdf"
    if name not in archive.namelist():
        return Page(597, f"{name} not in {archive.namelist()}", note=url)
    return Page(200, _pdf_text(archive.read(name)) + "\n" + status_page, note=url)


def evidence(track: str) -> Callable:
    def fetch(client, world: World) -> Page:
        url = f"/evidence/{world.files[track]}"
        response = client.get(url)
        page = Page(response.status_code, response.data.decode("utf-8", "replace"), note=url)
        response.close()
        return page
    return fetch


# ---------------------------------------------------------------------------------------------------- checks

def _not_other_org(who: Who, page: Page) -> list[str]:
    """OWN-01 is not named to those of OTH-01, nor OTH-01 to OWN-01's staff and mentor (the programme sees both)."""
    if not who.of_org and ORG in page.text:
        return [f"shows {ORG} to a user of another {who.kind}"]
    if who.role in ("staff", "mentor") and OTHER in page.text:
        return [f"shows {OTHER}, which is not theirs, to {ORG}'s {who.role}"]
    return []


def _all(*checks: Callable[[Who, Page], list[str]]) -> Callable[[Who, Page], list[str]]:
    return lambda who, page: [problem for check in checks for problem in check(who, page)]


STANDING = {  # the sentence a profile prints beside the result of each track (reporting.round_result.standing_text)
    None: "No result yet that you may see.",
    "self": "Provisional: self-assessment only, not verified.",
    "mentor": "Provisional: the mentor assessment, not yet agreed with the organisation.",
    "consensus": "Final result: the agreed assessment, validated.",
}
# A service's or a municipality's result names nobody to agree with (a kind's name cannot go into a sentence).
OTHER_KINDS_STANDING = {**STANDING, "mentor": "Provisional: the mentor assessment, not yet agreed."}


def standing(who: Who) -> str:
    """The sentence beside the result ``who`` gets."""
    return (STANDING if who.kind == "organisation" else OTHER_KINDS_STANDING)[who.result_track()]


def self_heading(who: Who, translate: Callable[[str], str] = str, language: str = "en") -> str:
    """The heading of staff's profile before validation: an organisation's "Self-assessment profile", another
    kind's profile title (questionnaires/subjects.yaml) · "Self-assessment"."""
    if who.kind == "organisation":
        return translate("Self-assessment profile")
    from capacity.subjects.lookup import kind_of

    return f"{kind_of(who.kind).profile.get(language)} · {translate('Self-assessment')}"


def _standing(*, pdf_text: bool) -> Callable[[Who, Page], list[str]]:
    """A profile says final or provisional, and staff's pre-validation profile is headed as a self-assessment."""
    def check(who: Who, page: Page) -> list[str]:
        problems, text = [], page.text
        track = who.result_track()
        if standing(who) not in " ".join(text.split()):
            problems.append(f"does not say {standing(who)!r}")
        if track is None:
            if "Final result" in text or "Provisional" in text:
                problems.append("says Final/Provisional although the viewer has no result to see")
        elif track == "consensus":
            if "Final result" not in text:
                problems.append("a validated agreement is not called 'Final result'")
            if "Provisional" in text:
                problems.append("a validated agreement is called 'Provisional'")
        else:
            if "Provisional" not in text:
                problems.append(f"the {track} track's result is not marked 'Provisional'")
            if "Final result" in text:
                problems.append(f"the {track} track's result is called 'Final result'")
        heading = self_heading(who).upper() if pdf_text else self_heading(who)
        if who.role == "staff" and who.n < 4 and heading not in text:
            problems.append(f"staff's profile before validation is not headed {heading!r} "
                            f"(the heading says {_eyebrow(text, pdf_text)!r})")
        if (who.role != "staff" or who.n >= 4) and heading in text:
            problems.append(f"headed {heading!r} although it is not staff's own provisional self-assessment")
        return problems
    return check


def _eyebrow(text: str, pdf_text: bool) -> str:
    if pdf_text:
        return next((line for line in text.splitlines() if line.isupper() and "PROFILE" in line), "?")
    match = re.search(r'<p class="eyebrow">([^<]*)</p>', text)
    return match.group(1) if match else "?"


def _portfolio(who: Who, page: Page) -> list[str]:
    problems, text = [], page.text
    final = 1 if who.n >= 4 else 0
    flat = " ".join(text.split())
    if f"{final} of 2 with a final result" not in flat:
        found = re.findall(r"\d+ of \d+ with a final result", flat)
        problems.append(f"does not say '{final} of 2 with a final result' (says {found})")
    index = who.indexes[who.result_track()]
    starred = re.search(rf"(?<![\d.]){re.escape(index)}\s*\*", text) is not None
    if who.n < 4:
        if not starred:
            problems.append(f"OWN-01's provisional index {index} is not starred as provisional")
        if "Provisional:" not in text:
            problems.append("OWN-01's row has no 'Provisional:' standing line")
    elif starred:
        problems.append(f"OWN-01's final index {index} is starred as provisional")
    return problems


def _export_result(who: Who, page: Page) -> list[str]:
    """The export's tracks for OWN-01 are exactly the visible ones with answers; result says Final/Provisional."""
    problems = []
    expected = {t for t in TRACKS if who.shown(t)} if who.of_org else set()
    if page.tracks != expected:
        problems.append(f"long table has OWN-01 rows of tracks {sorted(page.tracks or [])}, expected {sorted(expected)}")
    if who.of_org:
        word, other = ("Final", "Provisional") if who.n >= 4 else ("Provisional", "Final")
        cells = set(re.split(r"[\t\n]", page.text))
        if word not in cells:
            problems.append(f"OWN-01's result is not labelled {word!r}")
        if other in cells:
            problems.append(f"a result is labelled {other!r}")
    return problems


def _staff_no_mentor_progress(who: Who, page: Page) -> list[str]:
    """Staff learn nothing of the mentor's assessment: no column, no status, no count."""
    if who.role != "staff":
        return []
    return ["shows the mentor assessment's column to staff"] if "Mentor assessment" in page.text else []


def _results_standing(who: Who, page: Page) -> list[str]:
    """The results page says final or provisional like the profile, and heads staff's pre-validation page as theirs."""
    problems = [p for p in _standing(pdf_text=False)(who, page) if self_heading(who) not in p]
    own = "Your own self-assessment, provisional."
    shown = who.role == "staff" and who.n < 4
    if shown and own not in page.text:
        problems.append(f"staff's results before validation do not say {own!r}")
    if not shown and own in page.text:
        problems.append(f"says {own!r} although it is not staff's own provisional self-assessment")
    return problems


ORG_SEEN = lambda who: who.of_org  # noqa: E731
PROFILE_REQUIRED = lambda who: ({"AGREED-WHY"} if who.shown("consensus") else set())  # noqa: E731

# Every surface that shows an organisation's assessment data (or could leak it), by name.
SURFACES: dict[str, Surface] = {
    "self overview": Surface(("assessments.overview",), html(f"{A}/self/"), lambda w: w.sees("self")),
    "self domain page": Surface(("assessments.domain",), html(lambda world: f"{A}/self/{world.domain}"),
                                lambda w: w.sees("self"), lambda w: {"SELF-NOTE", "SELF-FILE"}),
    "mentor overview": Surface(("assessments.overview",), html(f"{A}/mentor/"), lambda w: w.sees("mentor")),
    "mentor domain page": Surface(("assessments.domain",), html(lambda world: f"{A}/mentor/{world.domain}"),
                                  lambda w: w.sees("mentor"),
                                  lambda w: {"MENTOR-NOTE", "MENTOR-FILE"} if w.has_data("mentor") else set()),
    "consensus page": Surface(
        ("assessments.consensus",), html(f"{A}/consensus"), ORG_SEEN,
        # Staff get a page saying the agreement is not validated yet; once it is, their answers beside the agreed ones.
        lambda w: (w.notes() if w.sees("consensus") else set())
        | ({"GAPS"} if w.sees("self") and w.sees("mentor") else set())),
    "self history": Surface(("assessments.history",), html(f"{A}/self/history"), lambda w: w.sees("self"),
                            lambda w: {"SELF-NOTE", "SELF-FILE"}),
    "mentor history": Surface(("assessments.history",), html(f"{A}/mentor/history"), lambda w: w.sees("mentor"),
                              lambda w: {"MENTOR-NOTE", "MENTOR-FILE"} if w.has_data("mentor") else set()),
    "consensus history": Surface(("assessments.history",), html(f"{A}/consensus/history"),
                                 lambda w: w.sees("consensus"),
                                 lambda w: {"AGREED-WHY"} if w.has_data("consensus") else set()),
    "self evidence file": Surface(("assessments.download_evidence",), evidence("self"), lambda w: w.sees("self"),
                                  lambda w: {"SELF-FILE"}, refused=(404,)),
    "mentor evidence file": Surface(("assessments.download_evidence",), evidence("mentor"),
                                    lambda w: w.sees("mentor"), lambda w: {"MENTOR-FILE"}, refused=(404,),
                                    applies=lambda world: world.files.get("mentor") is not None),
    "organisation page": Surface(("organisations.detail",), html(f"/organisations/{ORG}"), ORG_SEEN,
                                 extra=_staff_no_mentor_progress, refused=(404,)),
    "organisation list": Surface(("organisations.index",), html("/organisations/"), lambda w: True,
                                 extra=_not_other_org),
    "home": Surface(("home.index",), html("/", follow=True), lambda w: True,
                    extra=_all(_not_other_org, _staff_no_mentor_progress)),
    "profile data form": Surface(("profiles.edit",), html(f"/organisations/{ORG}/profile/{ROUND}"), ORG_SEEN,
                                 refused=(404,)),
    # The summary before submitting (a reader who cannot submit is sent on: followed) and what happens next.
    "self submit summary": Surface(("assessments.review",), html(f"{A}/self/submit", follow=True),
                                   lambda w: w.sees("self"), extra=_staff_no_mentor_progress, refused=(404,)),
    "self what happens next": Surface(("assessments.submitted",), html(f"{A}/self/submitted", follow=True),
                                      lambda w: w.sees("self"), extra=_staff_no_mentor_progress, refused=(404,)),
    "mentor what happens next": Surface(("assessments.submitted",), html(f"{A}/mentor/submitted", follow=True),
                                        lambda w: w.sees("mentor"), refused=(404,)),
    "results page": Surface(("results.page",), html(f"/organisations/{ORG}/results/{ROUND}"), ORG_SEEN,
                            lambda w: PROFILE_REQUIRED(w) | ({"GAPS"} if w.sees("self") and w.sees("mentor")
                                                             and w.has_data("mentor") else set()),
                            index=lambda w: w.result_track(), extra=_all(_results_standing, _staff_no_mentor_progress),
                            refused=(404,)),
    "round progress": Surface(("rounds.progress",), html(f"/rounds/{ROUND}/progress"),
                              lambda w: w.role not in ("staff", "other_staff"), extra=_not_other_org, refused=(404,)),
    "profile preview": Surface(("reports.profile_preview",), html(f"/organisations/{ORG}/report/{ROUND}?lang=en"),
                               ORG_SEEN, lambda w: PROFILE_REQUIRED(w) | ({"GAPS"} if w.sees("self") and w.sees("mentor")
                                                                          and w.has_data("mentor") else set()),
                               index=lambda w: w.result_track(), extra=_standing(pdf_text=False), refused=(404,)),
    "profile PDF": Surface(("reports.profile_pdf",), pdf(f"/organisations/{ORG}/report/{ROUND}.pdf?lang=en"),
                           ORG_SEEN, PROFILE_REQUIRED, index=lambda w: w.result_track(),
                           extra=_standing(pdf_text=True), refused=(404,)),
    "export XLSX": Surface(("exports.round_xlsx",), export_xlsx, lambda w: w.role not in ("staff", "other_staff"),
                           lambda w: w.notes(files=False), index=lambda w: w.export_track(),
                           extra=_all(_export_result, _not_other_org), refused=(404,)),
    "export CSV ZIP": Surface(("exports.round_zip",), export_zip, lambda w: w.role not in ("staff", "other_staff"),
                              lambda w: w.notes(files=False), index=lambda w: w.export_track(),
                              extra=_all(_export_result, _not_other_org), refused=(404,)),
    "print-all ZIP (OWN-01's PDF)": Surface(("jobs.download", "jobs.status", "jobs.progress"), print_all,
                                            lambda w: w.programme, PROFILE_REQUIRED, index=lambda w: w.result_track(),
                                            extra=_standing(pdf_text=True), refused=(404,)),
    "portfolio PDF": Surface(("reports.portfolio_pdf",), pdf(f"/rounds/{ROUND}/portfolio.pdf?lang=en"),
                             lambda w: w.programme, index=lambda w: w.result_track(), extra=_portfolio, refused=(404,)),
}

# GET routes that show no organisation's assessment data, and why.
NOT_A_SURFACE: dict[str, str] = {
    "static": "the application's own scripts and stylesheets",
    "auth.login": "the login form",
    "organisations.create": "an empty form for a new organisation's record (administrators)",
    "organisations.edit": "an organisation's name, place and contacts (administrators); no assessment data",
    "organisations.mentors": "which mentors are assigned (programme managers); no assessment data",
    "users.index": "user accounts (administrators)",
    "users.create": "an empty form for a new user account",
    "users.edit": "one user account's name, role and organisation",
    "users.password": "setting a user's password",
    "reports.profile_choice": "only redirects to reports.profile_preview or reports.profile_pdf (both in SURFACES)",
    "reports.asset": "the report stylesheet and fonts",
    "favicon": "the application's icon",
    "organisations.setup": "an organisation's next steps for the administrator: its staff accounts and mentors; "
                           "no assessment data",
    "rounds.index": "the rounds, their dates and whether they are open; no organisation's data",
    "rounds.create": "an empty form for a new round",
    "rounds.edit": "a round's name, dates and questionnaire",
    "rounds.close": "asks a manager to confirm closing a round: how many organisations have not submitted each track "
                    "(counts over all organisations, no organisation named, no answer or score)",
}

# Each feature keeps its own surfaces (same format, same worlds) beside its tests.
# ``surfaces(module)`` gets this module, so they build Surface rows with its helpers (html, pdf, ORG_SEEN, …).
from tests.plans import surfaces as _plan_surfaces  # noqa: E402
from tests.mentoring import surfaces as _mentoring_surfaces  # noqa: E402
from tests.learning import surfaces as _learning_surfaces  # noqa: E402
from tests.submissions import surfaces as _submissions_surfaces  # noqa: E402

# A feature's rows check its own content in the organisation worlds; in a service's or a municipality's world they
# check only what every surface must (no marker the role may not see, refusals as the rules say), unless the feature
# says its checks hold for every kind (EVERY_KIND = True in its surfaces module).
ORGANISATION_CONTENT: set[str] = set()

for _feature in (_plan_surfaces, _mentoring_surfaces, _learning_surfaces, _submissions_surfaces):
    _rows = _feature.surfaces(sys.modules[__name__])
    SURFACES.update(_rows)
    NOT_A_SURFACE.update(_feature.NOT_A_SURFACE)
    if not getattr(_feature, "EVERY_KIND", False):
        ORGANISATION_CONTENT |= _rows.keys()


def for_kind(name: str, surface: Surface, kind: str) -> Surface:
    """The row as it applies to a world of ``kind`` (see ORGANISATION_CONTENT)."""
    if kind == "organisation" or name not in ORGANISATION_CONTENT:
        return surface
    return dataclasses.replace(surface, required=lambda who: set(), extra=None)


def get_routes(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}


def test_every_surface_has_entries(app):
    covered = {endpoint for surface in SURFACES.values() for endpoint in surface.endpoints}
    routes = get_routes(app)
    missing = routes - covered - NOT_A_SURFACE.keys()
    assert not missing, ("GET routes in neither SURFACES nor NOT_A_SURFACE (say who may see what on them, or "
                         f"why they show no assessment data): {sorted(missing)}")
    both = covered & NOT_A_SURFACE.keys()
    assert not both, f"routes both in SURFACES and NOT_A_SURFACE: {sorted(both)}"
    stale = (covered | NOT_A_SURFACE.keys()) - routes
    assert not stale, f"SURFACES or NOT_A_SURFACE name routes that no longer exist: {sorted(stale)}"


# ---------------------------------------------------------------------------------------------------- the matrix

def _found(page: Page, who: Who) -> set[str]:
    return {name for name, pattern in who.markers.items() if pattern.search(page.text)}


def check_surface(who: Who, name: str, surface: Surface, page: Page) -> list[str]:
    problems = []
    found = _found(page, who)
    if not surface.allowed(who):
        if page.status not in surface.refused:
            problems.append(f"answers {page.status}, expected refusal {surface.refused}")
        leaked = set(found)
        if leaked:
            problems.append(f"refused but shows {sorted(leaked)}")
        return [f"{name} [{page.note}]: {p}" for p in problems]
    if page.status != 200:
        return [f"{name} [{page.note}]: answers {page.status}, expected 200"]
    forbidden = who.forbidden()
    required = set(surface.required(who))
    if surface.index is not None:
        track = surface.index(who)
        index_markers = set(who.indexes.values())
        if track is not None:
            required.add(who.indexes[track])
            forbidden |= index_markers - {who.indexes[track]}
        else:
            forbidden |= index_markers
    leaked = found & forbidden
    if leaked:
        problems.append(f"LEAK: shows {sorted(leaked)}" + _context(page, leaked, who))
    missing = required - found
    if missing:
        problems.append(f"MISSING: does not show {sorted(missing)}")
    if surface.extra is not None:
        problems.extend(surface.extra(who, page))
    return [f"{name} [{page.note}]: {p}" for p in problems]


def _context(page: Page, markers: set[str], who: Who) -> str:
    """Where a leaked marker sits in the page, so a report can quote it."""
    bits = []
    for marker in sorted(markers):
        match = who.markers[marker].search(page.text)
        start = max(match.start() - 80, 0)
        bits.append(" ".join(page.text[start:match.end() + 80].split()))
    return " — e.g. …" + " … | … ".join(bits) + "…"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_what_the_rules_allow_on_every_surface(world: World, role: str):
    who = Who(role, world.state, world.kind, tuple(world.index.items()))
    client = world.app.test_client()
    assert login(client, world.users[role]).status_code == 302
    assert client.post("/language", data={"language": "en"}).status_code == 302
    failures = []
    for name, surface in SURFACES.items():
        surface = for_kind(name, surface, world.kind)
        if not surface.applies(world):
            continue
        page = surface.fetch(client, world)
        failures.extend(check_surface(who, name, surface, page))
    header = f"{role} in {world.kind} {world.state} ({STATE_NAMES[world.state]}), {world.backend}:"
    assert not failures, "\n".join([header, *failures])


def test_the_world_has_the_markers_it_claims(world: World):
    """The markers are where the checks expect them (the domain page shows the three commented indicators)."""
    assert all(code.startswith(f"{world.domain}.") for code in world.noted)
    # Who.sees assumes blind scoring: the kind's rubric must hide the self-assessment until the mentor submits.
    assert definitions(world.kind).rubric.hide_self_until_mentor_submits
    assert world.files["self"] is not None
    assert (world.files["mentor"] is not None) == (world.level >= 2)


def _in_georgian(app, english: str) -> str:
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("ka"):
        return gettext(english)


@pytest.mark.parametrize("role", ("staff", "mentor", "manager"))
def test_results_say_final_or_provisional_in_georgian(world: World, role: str):
    """The profile preview in Georgian says, in Georgian, whether the result is final or provisional."""
    who = Who(role, world.state, world.kind, tuple(world.index.items()))
    client = world.app.test_client()
    assert login(client, world.users[role]).status_code == 302
    page = html(f"/organisations/{ORG}/report/{ROUND}?lang=ka")(client, world)
    assert page.status == 200
    text = " ".join(page.text.split())
    problems = []
    wanted = [standing(who)]
    if role == "staff" and who.n < 4:
        wanted.append("Self-assessment profile" if world.kind == "organisation" else "Self-assessment")
    for english in wanted:
        georgian = _in_georgian(world.app, english)
        if georgian == english:
            problems.append(f"{english!r} has no Georgian translation" + (" (the ka page prints it in English)"
                                                                            if english in text else ""))
        elif georgian not in text:
            problems.append(f"the ka page does not say {georgian!r} ({english!r})")
    if role == "staff" and who.n < 4:
        heading = self_heading(who, lambda english: _in_georgian(world.app, english), "ka")
        if heading not in text:
            problems.append(f"the ka page is not headed {heading!r}")
    if role != "staff":  # staff may not export
        assert client.post("/language", data={"language": "ka"}).status_code == 302
        exported = export_xlsx(client, world)
        word = "Final" if who.n >= 4 else "Provisional"
        georgian = _in_georgian(world.app, word)
        cells = set(re.split(r"[\t\n]", exported.text))
        if georgian == word:
            problems.append(f"export.xlsx in Georgian: the result label {word!r} has no Georgian translation"
                            + (" (the export prints it in English)" if word in cells else ""))
        elif georgian not in cells:
            problems.append(f"export.xlsx in Georgian does not label OWN-01's result {georgian!r} ({word!r})")
    assert not problems, "\n".join([f"{role} in {world.kind} {world.state} ({STATE_NAMES[world.state]}), {world.backend}, "
                                    f"in Georgian (profile preview ?lang=ka, export):", *problems])
