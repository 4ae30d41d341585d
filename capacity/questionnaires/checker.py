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

from capacity.questionnaires.model import LANGUAGES, Text
from capacity.questionnaires.yamlpos import PosDict, PosList

ASCII_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")


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


class Checker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

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
            self.problem(data.value_at(key), f"'{key}' of {what} must have a Georgian and an English text: "
                                             f"'{key}: {{ka: \"…\", en: \"…\"}}'")
            return None
        for language in value:
            if language not in LANGUAGES:
                self.problem(value.at(language), f"unknown language '{language}' in '{key}' of {what}; use ka and en")
        texts = {}
        for language in LANGUAGES:
            text = value.get(language)
            if not isinstance(text, str) or not text.strip():
                name = "Georgian" if language == "ka" else "English"
                where = value.value_at(language) if language in value else value.pos
                self.problem(where, f"'{key}' of {what} has no {name} ({language}) translation; add it")
            else:
                texts[language] = text.strip()
        return Text(**texts) if len(texts) == len(LANGUAGES) else None

    def string(self, data: PosDict, key: str, what: str, *, required: bool = True, default: str = "") -> str:
        if key not in data:
            if required:
                self.problem(data.pos, f"{what} has no '{key}'; add it")
            return default
        value = data[key]
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
