"""Writing a questionnaire (as the mapping a questionnaire file holds) as readable YAML, remembering each line's origin.

Block style, keys in the order given, texts in double quotes (so "yes", "1.0" or "on" stay texts), codes bare
when YAML reads them back as the same text, lists of words in flow style. Each mapping may carry an ``origin``
(sheet, row, and the column of each key) so a problem found on a line of the YAML points back at the spreadsheet.
"""
from __future__ import annotations

import json
import re

from capacity.questionnaires.model import KNOWN_LANGUAGES

SAFE_WORD = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
# Characters a YAML reader refuses (C1 controls, U+FFFE/U+FFFF, lone surrogates), folds as line breaks inside a
# quoted text (NEL, U+2028, U+2029) or drops (a BOM): written as escapes so the text reads back unchanged.
UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that loads back as exactly ``text``."""
    return UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(text, ensure_ascii=False))


class Item(dict):
    """A mapping with where it came from: ``origin`` (sheet, row) and ``columns`` (key → column it was read from)."""

    def __init__(self, *args, origin: tuple[str, int] | None = None, columns: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.origin = origin
        self.columns = dict(columns or {})


def scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    text = str(value)
    if SAFE_WORD.match(text) and text.lower() not in YAML_WORDS:
        return text
    return quoted(text)


def _key(key) -> str:
    return scalar(key) if not isinstance(key, str) else (key if SAFE_WORD.match(key) and key.lower() not in YAML_WORDS
                                                         else quoted(key))


def _is_text(value) -> bool:
    """A text in several languages: every value a string, every key a language code."""
    return isinstance(value, dict) and bool(value) and all(isinstance(v, str) for v in value.values()) and \
        all(k in KNOWN_LANGUAGES for k in value)


class YamlWriter:
    def __init__(self):
        self.lines: list[str] = []
        self.origins: dict[int, tuple[str, int, str]] = {}  # line number → (sheet, row, column)

    def _note(self, item, key) -> None:
        origin = getattr(item, "origin", None)
        if origin:
            # the line just written, counted from 1
            self.origins[len(self.lines)] = (origin[0], origin[1], item.columns.get(key, ""))

    def mapping(self, item: dict, indent: int, first_prefix: str | None = None) -> None:
        pad = " " * indent
        for index, (key, value) in enumerate(item.items()):
            prefix = first_prefix if index == 0 and first_prefix is not None else pad
            head = f"{prefix}{_key(key)}:"
            if isinstance(value, dict) and value:
                self.lines.append(head)
                self._note(item, key)
                if _is_text(value):
                    self._text(value, indent + 2)
                else:
                    self.mapping(value, indent + 2)
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                self.lines.append(head)
                self._note(item, key)
                for element in value:
                    self.mapping(element, indent + 4, " " * (indent + 2) + "- ")
            elif isinstance(value, list):
                self.lines.append(f"{head} [{', '.join(scalar(v) for v in value)}]")
                self._note(item, key)
            else:
                self.lines.append(f"{head} {scalar(value) if not isinstance(value, dict) else '{}'}")
                self._note(item, key)

    def _text(self, text: dict, indent: int) -> None:
        seen: set[str] = set()
        same = False
        for language, value in text.items():
            self.lines.append(f"{' ' * indent}{language}: {quoted(value)}")
            self._note(text, language)
            same = same or (value in seen and any(ch.isalpha() for ch in value))
            seen.add(value)
        if same:  # meant to read the same (a name, an acronym): say so, as the questionnaire format asks
            self.lines.append(f"{' ' * indent}identical: true")


def write_yaml(data: dict, header: str = "") -> tuple[str, dict[int, tuple[str, int, str]]]:
    """The YAML text of ``data`` and, per line number (1-based), the spreadsheet place it came from."""
    writer = YamlWriter()
    writer.lines.extend(line.rstrip() for line in header.splitlines())
    writer.mapping(data, 0)
    return "\n".join(writer.lines) + "\n", writer.origins
