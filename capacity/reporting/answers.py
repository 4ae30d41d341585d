"""The profile's table of every indicator: each round's answer as a reader sees it, and the change where it counts.

A level of the scale prints as its number, as it always did. Other answers print as written
(``capacity.questionnaires.values``): "Yes", an option's text, the ticked options, a number in the
reader's format with its unit; a free text gets a row of its own under its question. An item the rubric
does not score says so, and an item whose condition was not met in a round prints "not asked" there
(scored as not applicable: ``capacity.scoring.typed``, whose ``asked`` this reads, so the table and the scores
agree). Changes are of the levels scoring used, so a scored yes/no or number is compared like any level;
comparability is ``scoring.change.indicator_change``'s.

A questionnaire of scale questions only, with no conditions (the GESI instrument), takes the short way:
its rows are exactly the level rows the profile printed before question types existed.
"""
from __future__ import annotations

from decimal import Decimal

import pandas as pd
from flask_babel import format_decimal, gettext as _

from capacity.questionnaires.values import Raw, decode, display
from capacity.reporting import development
from capacity.reporting.numbers import MISSING, number as _num, signed as _signed
from capacity.scoring.change import indicator_change
from capacity.scoring.typed import prepare, scorable


def plain(questionnaire) -> bool:
    """Only scale questions and no conditions: every answer is a level, every item always asked."""
    return all(i.has_levels and i.show_if is None for i in questionnaire.indicators)


def raw_answers(answers: pd.DataFrame, questionnaire) -> dict[str, Raw]:
    """One track's answers as conditions read them ({code: raw}; not applicable and unanswered are left out)."""
    raws: dict[str, Raw] = {}
    values = answers["value"] if "value" in answers else pd.Series([None] * len(answers), index=answers.index)
    for code, level, na, value in zip(answers["indicator"], answers["level"], answers["na"], values):
        indicator = questionnaire.indicator(code)
        if indicator is None or bool(na):
            continue
        value = None if value is None or (isinstance(value, float) and pd.isna(value)) else value
        raw = decode(indicator, None if pd.isna(level) else int(level), value)
        if raw is not None:
            raws[code] = raw
    return raws


def _answer_text(indicator, raw: Raw, language: str) -> str:
    """A non-level answer as printed; numbers in the reader's number format (Georgian: 1 234,5)."""
    if indicator.type == "number":
        unit = indicator.number.unit.get(language) if indicator.number and indicator.number.unit else ""
        return f"{format_decimal(Decimal(str(raw)), format='#,##0.###')} {unit}".strip()
    return display(indicator, raw, language, yes=_("Yes"), no=_("No"))


class _Round:
    """One round's side of the table: its questionnaire, its chosen track's raw answers and what was not asked."""

    def __init__(self, side, prepared: pd.DataFrame, language: str):
        self.questionnaire = side.questionnaire
        self.raws = raw_answers(side.answers, side.questionnaire)
        self.not_asked = set(prepared.loc[~prepared["asked"].astype(bool), "indicator"]) if "asked" in prepared else set()
        self.language = language

    def asked(self, indicator) -> bool:
        return indicator.code not in self.not_asked

    def cell(self, indicator, level) -> tuple[str, str | None, bool]:
        """(what the cell prints, a free text printed under the row or None, whether the cell is the questionnaire's
        text: an option's, a unit; marked with the content's language where that is not the page's)."""
        if indicator is None:
            return MISSING, None, False
        if not self.asked(indicator):
            return _("not asked"), None, False
        if indicator.has_levels:
            return _num(level, 0), None, False
        raw = self.raws.get(indicator.code)
        if raw is None:
            return MISSING, None, False
        if indicator.type == "text":
            return "", str(raw), False
        return _answer_text(indicator, raw, self.language), None, indicator.type in ("single", "multiple", "number")


def indicator_rows(questionnaire, before, after, language: str, round_names: tuple[str, str] | None = None) -> list[dict]:
    """Every indicator with its answer before and after (``before``/``after``: the profile's two sides), comparable
    only through the same code or the crosswalk. ``language``: the content's; ``round_names``: (before, after)."""
    crosswalk = development.crosswalk_between(before.questionnaire, questionnaire) if before else None
    empty = pd.DataFrame(columns=["org", "indicator", "level"])
    typed = not plain(questionnaire) or (before is not None and not plain(before.questionnaire))
    # The levels scoring used: answers that are not levels scored by the rubric, items not asked as not applicable.
    prepared_after = prepare(after.answers, after.result.definitions.spec) if typed else after.answers
    prepared_before = (prepare(before.answers, before.result.definitions.spec) if typed else before.answers) \
        if before else empty
    levels_after = scorable(prepared_after, after.result.definitions.spec) if typed else prepared_after
    levels_before = scorable(prepared_before, before.result.definitions.spec) if typed and before else prepared_before
    change = indicator_change(levels_before, levels_after, crosswalk, after_codes=[i.code for i in questionnaire.indicators])
    change = change.drop_duplicates("indicator").set_index("indicator")
    if typed:
        unscored = after.result.definitions.spec.unscored
        sides = (_Round(before, prepared_before, language) if before else None, _Round(after, prepared_after, language))
        earlier = {new: old for old, new in crosswalk.items() if new} if crosswalk else {}
    rows = []
    for indicator in questionnaire.indicators:
        known = indicator.code in change.index
        match = change.loc[indicator.code] if known else None
        lb, la = (match["level_before"], match["level_after"]) if known else (None, None)
        row = {"code": indicator.code, "domain": indicator.domain, "title": indicator.title(language),
               "before": _num(lb, 0), "after": _num(la, 0),
               "level_after": None if pd.isna(la) or not indicator.has_levels else int(la),
               "change": _signed(match["change"] if known else None),
               "comparable": bool(match["comparable"]) if known else False}
        if typed:
            old = sides[0].questionnaire.indicator(earlier.get(indicator.code, indicator.code)) if before else None
            texts = []
            for key, side, item, level in (("before", sides[0], old, lb), ("after", sides[1], indicator, la)):
                if side is None:
                    continue
                row[key], text, row[f"{key}_content"] = side.cell(item, level)
                if text:
                    texts.append({"round": round_names[0 if key == "before" else 1] if round_names else "", "text": text})
            row.update(scored=indicator.code not in unscored, texts=texts, sub_area=indicator.sub_area,
                       answer=not indicator.has_levels)
        else:
            row.update(scored=True, texts=[], sub_area=indicator.sub_area, answer=False)
        rows.append(row)
    return rows
