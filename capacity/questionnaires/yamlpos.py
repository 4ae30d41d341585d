"""YAML loading that remembers where every key and item stood (line, column).

Validation messages then read ``file:line:column: message``, pointing at
the exact place a programme officer has to fix.

Parsed by libyaml when PyYAML has it (its wheels do): the shipped questionnaire
takes 0.04 s instead of 0.3 s in pure Python, which every command and web worker
that reads the questionnaires paid once. Positions are the same; a syntax error
may be worded differently.

PyYAML itself is imported when a file is first read, not with this module: every
command imports the questionnaire library, and most (``capacity --help``,
``capacity org list``) never read a file.
"""
from __future__ import annotations

import functools
from typing import Any


class PosDict(dict):
    """A mapping that knows its own position and the position of each key and value."""

    pos: tuple[int, int] = (1, 1)
    key_pos: dict
    value_pos: dict

    def at(self, key: Any) -> tuple[int, int]:
        return self.key_pos.get(key, self.pos)

    def value_at(self, key: Any) -> tuple[int, int]:
        return self.value_pos.get(key, self.at(key))


class PosList(list):
    pos: tuple[int, int] = (1, 1)
    item_pos: list

    def at(self, index: int) -> tuple[int, int]:
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


class YamlProblem(ValueError):
    def __init__(self, line: int, column: int, message: str):
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


def _mark(node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


@functools.cache
def _loader():
    """PyYAML's (C)SafeLoader building PosDict and PosList with their positions (made once, on first use)."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
            if not isinstance(node, yaml.MappingNode):
                raise yaml.constructor.ConstructorError(None, None, "expected a mapping", node.start_mark)
            self.flatten_mapping(node)
            result = PosDict()
            result.pos, result.key_pos, result.value_pos = _mark(node), {}, {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    raise YamlProblem(*_mark(key_node), "a key must be a plain word or number") from None
                if key in result:
                    line, column = _mark(key_node)
                    first = result.key_pos[key][0]
                    raise YamlProblem(line, column, f"'{key}' is given twice (first on line {first}); keep one")
                result[key] = self.construct_object(value_node, deep=True)
                result.key_pos[key], result.value_pos[key] = _mark(key_node), _mark(value_node)
            return result

        def construct_sequence(self, node, deep=False):  # noqa: D102 - PyYAML hook
            result = PosList(self.construct_object(child, deep=True) for child in node.value)
            result.pos, result.item_pos = _mark(node), [_mark(child) for child in node.value]
            return result

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, Loader.construct_mapping)
    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, Loader.construct_sequence)
    return Loader


def load(text: str) -> Any:
    """Parse YAML text into PosDict/PosList/scalars; raise YamlProblem with a position."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())  # noqa: S506 - the loader derives from (C)SafeLoader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = error.problem or error.context or "not valid YAML"
        raise YamlProblem(line, column, f"YAML syntax: {reason}") from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (a control character, say)
        # libyaml counts UTF-8 bytes, the pure-Python reader characters.
        before = (text.encode()[:error.position].decode(errors="ignore") if isinstance(error.character, int)
                  else text[:error.position])
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        code = error.character if isinstance(error.character, int) else ord(error.character)  # libyaml: an int
        raise YamlProblem(line, column, f"YAML cannot contain the character {chr(code)!r} "
                                        f"(code point U+{code:04X}); remove it") from None
