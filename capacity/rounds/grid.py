"""The progress grid read at a glance: its order, and totals per municipality and region.

Works on the rows ``services.progress`` computed (one aggregate query for the
whole grid), so sorting and totals cost no query. Sorting is by plain query
string (``?sort=mentor&order=desc``): it works without scripts and a sorted
grid can be bookmarked or sent to a colleague.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from capacity.assessments.models import Status, Track
from capacity.organisations.geography import MUNICIPALITIES, REGIONS
from capacity.rounds.services import DONE, ProgressRow

TRACK_KEYS = tuple(track.value for track in Track)
SORT_KEYS = ("code", "organisation", "municipality", *TRACK_KEYS, "activity")
ORDERS = ("asc", "desc")
# How far a track has got: "not started" first when ascending, so the organisations that need a push come first.
STATE_RANK = {None: 0, Status.DRAFT: 1, Status.SUBMITTED: 2, Status.VALIDATED: 3}


@dataclass(frozen=True)
class Sorting:
    key: str = "code"
    order: str = "asc"

    @property
    def descending(self) -> bool:
        return self.order == "desc"

    def toggled(self, key: str) -> "Sorting":
        """The sorting a column header's link asks for: the other order on the current column, else ascending."""
        if key == self.key:
            return Sorting(key, "asc" if self.descending else "desc")
        return Sorting(key, "asc")


def sorting(key: str | None, order: str | None) -> Sorting:
    """The sorting asked for in the query string; anything unknown is the default (by code, ascending)."""
    return Sorting(key if key in SORT_KEYS else "code", order if order in ORDERS else "asc")


def _municipality_name(code: str, language: str) -> str:
    place = MUNICIPALITIES.get(code)
    return place.label(language) if place else code


def sort_rows(rows: list[ProgressRow], chosen: Sorting, language: str) -> list[ProgressRow]:
    """``rows`` in the chosen order; ties stay in code order (Python's sort is stable, reversed too)."""
    by_code = sorted(rows, key=lambda row: row.organisation.code)
    key = chosen.key
    if key == "code":
        return list(reversed(by_code)) if chosen.descending else by_code
    if key == "organisation":
        def value(row):
            return row.organisation.name(language).casefold()
    elif key == "municipality":
        def value(row):
            return _municipality_name(row.organisation.municipality, language).casefold()
    elif key == "activity":
        def value(row):  # no activity at all counts as the oldest
            return (row.last_activity is not None, row.last_activity or datetime.min)
    else:
        track = Track(key)

        def value(row):
            cell = row.cells[track]
            return (STATE_RANK[cell.status], cell.answered)
    return sorted(by_code, key=value, reverse=chosen.descending)


@dataclass
class Total:
    """Organisations of one place (a municipality, a region, or all shown) and how many are done per track."""

    place: str  # a municipality or region code; "" for all organisations shown
    organisations: int = 0
    done: dict[Track, int] = field(default_factory=lambda: {track: 0 for track in Track})
    municipalities: list["Total"] = field(default_factory=list)  # a region's, in the programme's order

    def add(self, row: ProgressRow) -> None:
        self.organisations += 1
        for track in Track:
            self.done[track] += row.cells[track].status in DONE


def totals(rows: list[ProgressRow]) -> tuple[list[Total], Total]:
    """Per region (each with its municipalities) and overall: organisations, and submitted or validated per track.

    Regions and municipalities come in the programme's order (north-east to south-west,
    as in every list of the app), and only those with an organisation shown.
    """
    by_municipality: dict[str, Total] = {}
    overall = Total("")
    for row in rows:
        code = row.organisation.municipality
        by_municipality.setdefault(code, Total(code)).add(row)
        overall.add(row)
    order = list(MUNICIPALITIES) + sorted(set(by_municipality) - set(MUNICIPALITIES))
    regions: dict[str, Total] = {}
    for code in order:
        municipality = by_municipality.get(code)
        if municipality is None:
            continue
        region_code = MUNICIPALITIES[code].region if code in MUNICIPALITIES else ""
        region = regions.setdefault(region_code, Total(region_code))
        region.municipalities.append(municipality)
        region.organisations += municipality.organisations
        for track in Track:
            region.done[track] += municipality.done[track]
    ordered = [regions[code] for code in [*REGIONS, ""] if code in regions]
    return ordered, overall
