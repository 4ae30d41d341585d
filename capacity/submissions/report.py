"""What an import of submissions found and did: the mapping report the web page shows and the command prints.

It holds only what the file said and what the target track holds (counts), never another track's answers: a
mentor-track import must not show the organisation's self-assessment (blind scoring), and the report is the
same whoever reads it. Messages are plain strings in the language of the request (or English on the command
line) that built the report.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """Why the file is refused: ``row`` its number in the file (None: the file as a whole), ``column`` the
    column's header, ``value`` the cell as written."""

    row: int | None
    column: str
    value: str
    message: str


@dataclass(frozen=True)
class Matched:
    """One organisation the file answers for: its row, how many answers the file gives it, how many stored
    draft answers of the same track those replace (a different level or value; the same one is left as is)."""

    code: str
    name_ka: str
    name_en: str
    row: int
    answers: int
    replaced: int

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_ka


@dataclass
class Report:
    filename: str
    sha256: str
    round_code: str
    track: str
    file_problem: str | None = None  # the file (or the round, or the track) as a whole cannot be imported
    problems: list[Problem] = field(default_factory=list)
    organisations: list[Matched] = field(default_factory=list)
    unknown_organisations: list[Problem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    metadata_columns: int = 0
    profile_columns: int = 0  # the collection form's profile questions: not imported
    indicator_columns: int = 0
    rows: int = 0  # rows below the header that are not blank
    blank_rows: list[int] = field(default_factory=list)
    applied: bool = False
    # The revision of each stored answer of the target track the check read ({org code: {indicator: revision}}):
    # kept with the upload for the confirm step (see services.import_submissions), never shown.
    basis: dict[str, dict[str, int]] = field(default_factory=dict)
    subject_kind: str = "organisation"  # what the round assesses: the report's lines name it

    def _plural(self) -> str:
        """The round's subjects in English, as a sentence names them ("organisations", "services")."""
        from capacity.subjects.lookup import kind_of
        kind = kind_of(self.subject_kind)
        return kind.plural.en.lower() if kind is not None and kind.plural.en else "subjects"

    @property
    def ok(self) -> bool:
        """Nothing stands in the way: every row can be imported (and there is at least one)."""
        return (self.file_problem is None and not self.problems and not self.unknown_organisations
                and bool(self.organisations))

    @property
    def answers(self) -> int:
        return sum(m.answers for m in self.organisations)

    @property
    def replaced(self) -> int:
        return sum(m.replaced for m in self.organisations)

    def lines(self) -> list[str]:
        """The report as text lines (the command line prints these, in English). A control character from the
        file (an escape sequence that would recolour or clear the terminal, a line break) is written as its
        escape (``\\x1b``), never sent to the terminal."""
        return [_printable(line) for line in self._lines()]

    def _lines(self) -> list[str]:
        out = [f"{self.filename} (sha256 {self.sha256[:12]}…): round {self.round_code}, track {self.track}"]
        if self.file_problem:
            return out + [f"REFUSED: {self.file_problem}"]
        out.append(f"{self.rows} rows; {self.indicator_columns} indicator columns, {self.metadata_columns} "
                   f"KoboToolbox/ODK columns left aside")
        if self.profile_columns:
            out.append(f"{self.profile_columns} profile columns not imported (profile data is entered on the web)")
        if self.unknown_columns:
            out.append("Unknown columns (not imported): " + ", ".join(self.unknown_columns))
        if self.blank_rows:
            out.append("Blank rows skipped: " + ", ".join(str(n) for n in self.blank_rows))
        for m in self.organisations:
            out.append(f"  {m.code} {m.name_en}: row {m.row}, {m.answers} answers, replacing {m.replaced} stored")
        for p in self.unknown_organisations:
            out.append(f"  row {p.row}: unknown code '{p.value}' ({p.message})")
        for p in self.problems:
            where = f"row {p.row}" if p.row is not None else "file"
            out.append(f"  {where}, column {p.column or '-'}, value '{p.value}': {p.message}")
        if self.ok:
            if self.applied:
                out.append(f"IMPORTED: {self.answers} answers for {len(self.organisations)} {self._plural()} "
                           f"({self.replaced} stored answers replaced). The assessments stay drafts: staff or "
                           "mentors review and submit them on the web.")
            else:
                out.append(f"DRY RUN: {self.answers} answers for {len(self.organisations)} {self._plural()} would be "
                           f"imported ({self.replaced} stored answers replaced); nothing was saved.")
        else:
            count = len(self.problems) + len(self.unknown_organisations)
            out.append(f"REFUSED: {count} problems; nothing was saved." if count
                       else "REFUSED: the file holds no submissions; nothing was saved.")
        return out


def _printable(text: str) -> str:
    return "".join(repr(c)[1:-1] if unicodedata.category(c).startswith("C") else c for c in text)
