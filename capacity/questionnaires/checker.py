"""A small, strict reader of YAML mappings that collects every problem with its position.

Each problem is reported as ``file:line:column: message``; the message says
what is wrong and what to do. Nothing is returned half-valid: callers build a
definition only when ``problems`` is empty.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any

from capacity.questionnaires.model import KNOWN_LANGUAGES, LANGUAGES, Text
from capacity.questionnaires.yamlpos import PosDict, PosList

ASCII_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
# Words left where a translation should be: refused as texts (a questionnaire is "complete" only when translated).
PLACEHOLDER = re.compile(r"^\W*(todo|tbd|tba|fixme|xxx+|untranslated|not translated|translate( me)?|translation needed|"
                         r"lorem ipsum.*|placeholder|\?+|…|\.\.\.|-+|—)\W*$", re.IGNORECASE)
UNTRANSLATED_MARK = re.compile(r"^\s*\[(todo|untranslated|draft|translate|tbd)[^\]]*\]", re.IGNORECASE)


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class DefinitionError(ValueError):
    """A questionnaire or rubric file is not valid; ``problems`` lists why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


def suggestion(word: str, choices: list[str] | tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def language_name(code: str) -> str:
    return f"{KNOWN_LANGUAGES[code][0]} ({code})" if code in KNOWN_LANGUAGES else code


class Checker:
    def __init__(self, path: str, source: str = ""):
        self.path = path
        self.problems: list[Problem] = []
        self.lines = source.splitlines()
        # The content languages every text must have, and draft languages a text may have (set from the file).
        self.languages: tuple[str, ...] = LANGUAGES
        self.drafts: tuple[str, ...] = ()

    def written(self, where: tuple[int, int]) -> str:
        """The word written at ``where`` in the file (to quote back what YAML read as something else)."""
        line, column = where
        if not 0 < line <= len(self.lines):
            return ""
        match = re.match(r"[^\s,:}\]#]+", self.lines[line - 1][column - 1:])
        return match.group(0) if match else ""

    def boolean_trap(self, value: Any, where: tuple[int, int], what: str) -> bool:
        """Report a YAML 1.1 boolean (an unquoted No, Yes, On, Off…) where a text was meant; True if it was one."""
        if not isinstance(value, bool):
            return False
        word = self.written(where) or ("Yes" if value else "No")
        self.problem(where, f"{what}: YAML reads the unquoted word {word} as {str(value).lower()}, not as a text; "
                            f"write \"{word}\" in quotes")
        return True

    def problem(self, where: tuple[int, int], message: str) -> None:
        self.problems.append(Problem(self.path, where[0], where[1], message))

    # -- structure ---------------------------------------------------------------
    def mapping(self, value: Any, where: tuple[int, int], what: str) -> PosDict | None:
        if isinstance(value, PosDict):
            return value
        self.problem(where, f"{what} must be a mapping of 'key: value' lines")
        return None

    def sequence(self, value: Any, where: tuple[int, int], what: str, *, allow_empty: bool = False) -> PosList | None:
        if isinstance(value, PosList) and (value or allow_empty):
            return value
        if isinstance(value, PosList):
            self.problem(where, f"{what} is empty; add at least one item")
        else:
            self.problem(where, f"{what} must be a list (lines starting with '- ')")
        return None

    def keys(self, data: PosDict, allowed: tuple[str, ...], required: tuple[str, ...], what: str) -> None:
        for key in data:
            if key not in allowed:
                self.problem(data.at(key), f"unknown key '{key}' in {what}{suggestion(key, allowed)}; "
                                           f"allowed keys: {', '.join(allowed)}")
        for key in required:
            if key not in data:
                self.problem(data.pos, f"{what} has no '{key}'; add it")

    # -- values ------------------------------------------------------------------
    def text(self, data: PosDict, key: str, what: str, *, required: bool = True) -> Text | None:
        if key not in data:
            if required:
                self.problem(data.pos, f"{what} has no '{key}'; add it with a Georgian (ka) and an English (en) text")
            return None
        value = data[key]
        if not isinstance(value, PosDict):
            example = ", ".join(f'{code}: "…"' for code in self.languages)
            self.problem(data.value_at(key), f"'{key}' of {what} must have a text in each language: '{key}: {{{example}}}'")
            return None
        allowed = self.languages + self.drafts
        for language in value:
            if language == "identical":
                if not isinstance(value[language], bool):
                    self.problem(value.value_at(language), f"'identical' in '{key}' of {what} must be true or false")
            elif language not in allowed:
                declared = language in KNOWN_LANGUAGES
                self.problem(value.at(language), f"{'language' if declared else 'unknown language'} '{language}' in '{key}' "
                                                 f"of {what}{' is not declared' if declared else ''}; this file's languages "
                                                 f"are {', '.join(allowed)} (declare more in 'languages' or "
                                                 f"'draft_languages' of the questionnaire)")
        texts = {}
        for language in allowed:
            text = value.get(language)
            where = value.value_at(language) if language in value else value.pos
            if self.boolean_trap(text, where, f"'{language}' of '{key}' of {what}"):
                continue
            if isinstance(text, (int, float)) and language in value:
                text = str(text)  # a number is a fine text ("2024")
            if not isinstance(text, str) or not text.strip():
                if language in self.languages:
                    self.problem(where, f"'{key}' of {what} has no {language_name(language)} translation; add it")
            elif PLACEHOLDER.match(text.strip()) or UNTRANSLATED_MARK.match(text):
                self.problem(where, f"'{key}' of {what} in {language_name(language)} is a placeholder ('{text.strip()[:40]}'), "
                                    f"not a translation; write the text")
            else:
                texts[language] = text.strip()
        if value.get("identical") is not True:
            self._same_texts(value, texts, key, what)
        complete = all(language in texts for language in self.languages)
        return Text.of(texts) if complete else None

    def _same_texts(self, value: PosDict, texts: dict[str, str], key: str, what: str) -> None:
        """Refuse a text copied unchanged into another language (a translation still to do)."""
        first: dict[str, str] = {}
        for language, text in texts.items():
            if not any(ch.isalpha() for ch in text):
                continue
            if text in first:
                self.problem(value.value_at(language), f"'{key}' of {what} is the same in {language_name(first[text])} and "
                                                       f"{language_name(language)} ('{text[:40]}'): translate it, or add "
                                                       f"'identical: true' to this text if it is meant to read the same")
            else:
                first[text] = language

    def string(self, data: PosDict, key: str, what: str, *, required: bool = True, default: str = "") -> str:
        if key not in data:
            if required:
                self.problem(data.pos, f"{what} has no '{key}'; add it")
            return default
        value = data[key]
        if self.boolean_trap(value, data.value_at(key), f"'{key}' of {what}"):
            return default
        if isinstance(value, (int, float)) and not isinstance(value, bool) and key == "version":
            self.problem(data.value_at(key), f"'{key}' of {what} must be text: write it in quotes, e.g. {key}: \"{value}\"")
            return str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(data.value_at(key), f"'{key}' of {what} must be a non-empty text")
            return default
        return value.strip()

    def code(self, data: PosDict, key: str, what: str) -> str:
        value = self.string(data, key, what)
        if value and not ASCII_CODE.match(value):
            self.problem(data.value_at(key), f"code '{value}' of {what} must be ASCII: a Latin letter, then letters, "
                                             "digits, '.', '_' or '-' (at most 32)")
        return value

    def boolean(self, data: PosDict, key: str, what: str, default: bool) -> bool:
        if key not in data:
            return default
        if not isinstance(data[key], bool):
            self.problem(data.value_at(key), f"'{key}' of {what} must be true or false")
            return default
        return data[key]

    def number(self, value: Any, where: tuple[int, int], what: str, *, positive: bool = False) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value) or math.isinf(value):
            self.problem(where, f"{what} must be a number, not '{value}'")
            return None
        if positive and value <= 0:
            self.problem(where, f"{what} must be greater than zero, not {value}")
            return None
        return float(value)

    def tags(self, data: PosDict, key: str, allowed: tuple[str, ...], what: str) -> tuple[str, ...]:
        if key not in data:
            return ()
        values = self.sequence(data[key], data.value_at(key), f"'{key}' of {what}", allow_empty=True)
        result = []
        for index, tag in enumerate(values or []):
            if tag not in allowed:
                self.problem(values.at(index), f"unknown {key} tag '{tag}' in {what}{suggestion(tag, allowed)}; "
                                               f"allowed: {', '.join(allowed)}")
            elif tag not in result:
                result.append(tag)
        return tuple(result)
