"""The checks of a learning-resources file, each problem told in English and in Georgian.

The questionnaire and rubric files are written by the programme's M&E officer in
English terms; the resources file is kept up to date by the training team, who
read Georgian first. So each of its problems reads ``file:line:column: English —
Georgian``. The Georgian names its subject first („რესურსი R03: …“): a code or a
key then never needs a case ending glued to it.

``Said`` is a pair of one subject in both languages: ("resource R03", "რესურსი R03").
"""
from __future__ import annotations

import difflib
from typing import Any, NamedTuple

from capacity.questionnaires.checker import ASCII_CODE, Checker
from capacity.questionnaires.model import LANGUAGES, Text
from capacity.questionnaires.yamlpos import PosDict, PosList

LANGUAGE_NAMES = {"ka": ("Georgian", "ქართული"), "en": ("English", "ინგლისური")}


class Said(NamedTuple):
    en: str
    ka: str


def closest(word: Any, choices) -> str | None:
    """The choice a typo most likely meant (as the other definition files suggest it), or None."""
    found = difflib.get_close_matches(str(word), [str(c) for c in choices], n=1, cutoff=0.6)
    return found[0] if found else None


def suggested(word: Any, choices) -> Said:
    """" (did you mean 'X'?)" in both languages, or nothing."""
    close = closest(word, choices)
    if close is None:
        return Said("", "")
    return Said(f" (did you mean '{close}'?)", f" (ხომ არ გულისხმობდით: '{close}'?)")


class BilingualChecks:
    """The generic checks (keys, texts, codes, lists, tags) of ``Checker``, reported in both languages."""

    def __init__(self, check: Checker):
        self.check = check

    @property
    def path(self) -> str:
        return self.check.path

    @property
    def problems(self) -> list:
        return self.check.problems

    def say(self, where: tuple[int, int], en: str, ka: str) -> None:
        self.check.problem(where, f"{en} — {ka}")

    # -- structure ---------------------------------------------------------------
    def mapping(self, value: Any, where: tuple[int, int], what: Said) -> PosDict | None:
        if isinstance(value, PosDict):
            return value
        self.say(where, f"{what.en} must be a mapping of 'key: value' lines",
                 f"{what.ka}: აქ უნდა იყოს 'გასაღები: მნიშვნელობა' სტრიქონები")
        return None

    def sequence(self, value: Any, where: tuple[int, int], what: Said, *, allow_empty: bool = False) -> PosList | None:
        if isinstance(value, PosList) and (value or allow_empty):
            return value
        if isinstance(value, PosList):
            self.say(where, f"{what.en} is empty; add at least one item",
                     f"{what.ka}: სია ცარიელია; დაამატეთ ერთი ჩანაწერი მაინც")
        else:
            self.say(where, f"{what.en} must be a list (lines starting with '- ')",
                     f"{what.ka}: აქ უნდა იყოს სია (სტრიქონები, რომლებიც '- ' ნიშნით იწყება)")
        return None

    def keys(self, data: PosDict, allowed: tuple[str, ...], required: tuple[str, ...], what: Said) -> None:
        for key in data:
            if key not in allowed:
                hint = suggested(key, allowed)
                self.say(data.at(key), f"unknown key '{key}' in {what.en}{hint.en}; allowed keys: {', '.join(allowed)}",
                         f"{what.ka}: უცნობი გასაღები '{key}'{hint.ka}; დასაშვები გასაღებებია: {', '.join(allowed)}")
        for key in required:
            if key not in data:
                self.say(data.pos, f"{what.en} has no '{key}'; add it", f"{what.ka}: აკლია '{key}'; გთხოვთ, დაამატოთ")

    # -- values ------------------------------------------------------------------
    def text(self, data: PosDict, key: str, what: Said, *, required: bool = True) -> Text | None:
        if key not in data:
            if required:
                self.say(data.pos, f"{what.en} has no '{key}'; add it with a Georgian (ka) and an English (en) text",
                         f"{what.ka}: აკლია '{key}'; დაამატეთ ქართული (ka) და ინგლისური (en) ტექსტით")
            return None
        value = data[key]
        if not isinstance(value, PosDict):
            self.say(data.value_at(key), f"'{key}' of {what.en} must have a Georgian and an English text: "
                                         f"'{key}: {{ka: \"…\", en: \"…\"}}'",
                     f"{what.ka}: ველში '{key}' საჭიროა ქართული და ინგლისური ტექსტი: '{key}: {{ka: \"…\", en: \"…\"}}'")
            return None
        for language in value:
            if language not in LANGUAGES:
                self.say(value.at(language), f"unknown language '{language}' in '{key}' of {what.en}; use ka and en",
                         f"{what.ka}: ველში '{key}' მითითებულია უცნობი ენა '{language}'; გამოიყენეთ ka და en")
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                name_en, name_ka = LANGUAGE_NAMES[language]
                where = value.value_at(language) if language in value else value.pos
                self.say(where, f"'{key}' of {what.en} has no {name_en} ({language}) translation; add it",
                         f"{what.ka}: ველს '{key}' აკლია {name_ka} ({language}) ტექსტი; გთხოვთ, დაამატოთ")
            else:
                texts[language] = text.strip()
        return Text(**texts) if len(texts) == len(LANGUAGES) else None

    def string(self, data: PosDict, key: str, what: Said, *, required: bool = True) -> str:
        if key not in data:
            if required:
                self.say(data.pos, f"{what.en} has no '{key}'; add it", f"{what.ka}: აკლია '{key}'; გთხოვთ, დაამატოთ")
            return ""
        value = data[key]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "version":
            self.say(data.value_at(key), f"'{key}' of {what.en} must be text: write it in quotes, e.g. {key}: \"{value}\"",
                     f"{what.ka}: ველი '{key}' ტექსტი უნდა იყოს: ჩაწერეთ ბრჭყალებში, მაგ. {key}: \"{value}\"")
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.say(data.value_at(key), f"'{key}' of {what.en} must be a non-empty text",
                     f"{what.ka}: ველში '{key}' უნდა ეწეროს ტექსტი (ცარიელი არ შეიძლება)")
            return ""
        return value.strip()

    def code(self, data: PosDict, key: str, what: Said) -> str:
        value = self.string(data, key, what)
        if value and not ASCII_CODE.match(value):
            self.say(data.value_at(key), f"code '{value}' of {what.en} must be ASCII: a Latin letter, then letters, "
                                         "digits, '.', '_' or '-' (at most 32)",
                     f"{what.ka}: კოდი '{value}' უნდა დაიწეროს ლათინური ასოებით: ჯერ ასო, შემდეგ ასოები, ციფრები, "
                     "'.', '_' ან '-' (არაუმეტეს 32 სიმბოლოსი)")
        return value

    def tags(self, data: PosDict, key: str, allowed: tuple[str, ...], what: Said) -> tuple[str, ...]:
        if key not in data:
            return ()
        values = self.sequence(data[key], data.value_at(key), Said(f"'{key}' of {what.en}", f"{what.ka}, ველი '{key}'"),
                               allow_empty=True)
        result: list[str] = []
        for index, tag in enumerate(values or []):
            if tag not in allowed:
                hint = suggested(tag, allowed)
                self.say(values.at(index), f"unknown {key} tag '{tag}' in {what.en}{hint.en}; allowed: {', '.join(allowed)}",
                         f"{what.ka}: ველში '{key}' უცნობი ტეგია '{tag}'{hint.ka}; დასაშვებია: {', '.join(allowed)}")
            elif tag not in result:
                result.append(tag)
        return tuple(result)
