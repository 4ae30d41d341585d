"""Programme regions, municipalities and service areas, named in ka and en.

These are reference data, not translatable UI strings: the Georgian and
English names are the programme's official spellings and are printed as they are.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    code: str
    ka: str
    en: str
    region: str = ""

    def label(self, language: str) -> str:
        return self.en if language == "en" else self.ka


REGIONS: dict[str, Place] = {
    p.code: p
    for p in (
        Place("kakheti", "კახეთი", "Kakheti"),
        Place("imereti", "იმერეთი", "Imereti"),
        Place("samtskhe-javakheti", "სამცხე-ჯავახეთი", "Samtskhe-Javakheti"),
        Place("adjara", "აჭარა", "Adjara"),
        Place("guria", "გურია", "Guria"),
        Place("kvemo-kartli", "ქვემო ქართლი", "Kvemo Kartli"),
    )
}

# The nine municipalities of the partner organisations, grouped under their regions, then the pilot
# municipalities of the municipal participation benchmark that are not among them (Chokhatauri, Marneuli,
# Dmanisi; Batumi is both).
MUNICIPALITIES: dict[str, Place] = {
    p.code: p
    for p in (
        Place("telavi", "თელავი", "Telavi", "kakheti"),
        Place("akhmeta", "ახმეტა", "Akhmeta", "kakheti"),
        Place("gurjaani", "გურჯაანი", "Gurjaani", "kakheti"),
        Place("kutaisi", "ქუთაისი", "Kutaisi", "imereti"),
        Place("baghdati", "ბაღდათი", "Baghdati", "imereti"),
        Place("borjomi", "ბორჯომი", "Borjomi", "samtskhe-javakheti"),
        Place("akhaltsikhe", "ახალციხე", "Akhaltsikhe", "samtskhe-javakheti"),
        Place("batumi", "ბათუმი", "Batumi", "adjara"),
        Place("khelvachauri", "ხელვაჩაური", "Khelvachauri", "adjara"),
        Place("chokhatauri", "ჩოხატაური", "Chokhatauri", "guria"),
        Place("marneuli", "მარნეული", "Marneuli", "kvemo-kartli"),
        Place("dmanisi", "დმანისი", "Dmanisi", "kvemo-kartli"),
    )
}

SERVICE_AREAS: dict[str, Place] = {
    p.code: p
    for p in (
        Place("children", "ბავშვები", "Children"),
        Place("disability", "შეზღუდული შესაძლებლობის მქონე პირები (შშმ პირები)", "Persons with disabilities"),
        Place("families", "რისკის ქვეშ მყოფი ოჯახები", "Families at risk"),
    )
}


def find(table: dict[str, Place], value: str) -> Place | None:
    """Find a place by its code, English or Georgian name (case-insensitive)."""
    wanted = value.strip().casefold()
    for place in table.values():
        if wanted in (place.code, place.en.casefold(), place.ka):
            return place
    return None


def municipality_choices(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Municipalities grouped by region, for a <select> with <optgroup>s."""
    return [
        (region.label(language), [(m.code, m.label(language)) for m in MUNICIPALITIES.values() if m.region == region.code])
        for region in REGIONS.values()
    ]
