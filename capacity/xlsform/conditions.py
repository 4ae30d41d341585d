"""``show_if`` ⇄ XLSForm ``relevant``: the forms written, and those (with hand-written variants) read back.

Written: equals ``${X} = 'v'``; any_of ``${X} = 'a' or ${X} = 'b'``; includes ``selected(${X}, 'v')``;
at_least ``${X} >= n``; at_most ``${X} <= n``. Read back also: double quotes, any spacing and case of ``or``,
``selected(${X}, 'v')`` on a single choice (as equals / any_of), ``'v' = ${X}``, ``==``, an unquoted number,
and ``n <= ${X}``. Anything else (``and``, ``not``, two questions, functions) is refused with the reason.
"""
from __future__ import annotations

import re

from capacity.questionnaires.model import Condition
from capacity.xlsform.columns import number_text

_REF = r"\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}"
_VALUE = r"(?:'([^']*)'|\"([^\"]*)\"|(-?\d+(?:\.\d+)?))"
_EQUALS = re.compile(rf"^{_REF}\s*==?\s*{_VALUE}$")
_EQUALS_FLIPPED = re.compile(rf"^{_VALUE}\s*==?\s*{_REF}$")
_SELECTED = re.compile(rf"^selected\s*\(\s*{_REF}\s*,\s*{_VALUE}\s*\)$")
_COMPARE = re.compile(rf"^{_REF}\s*(>=|<=)\s*{_VALUE}$")
_COMPARE_FLIPPED = re.compile(rf"^{_VALUE}\s*(>=|<=)\s*{_REF}$")
_OR = re.compile(r"\s+or\s+", re.IGNORECASE)


def _quote(value: object) -> str:
    return f"'{value}'"


def to_relevant(condition: Condition) -> str:
    """The XLSForm ``relevant`` expression of a ``show_if`` condition."""
    ref = f"${{{condition.code}}}"
    if condition.operator == "equals":
        return f"{ref} = {_quote(condition.value)}"
    if condition.operator == "any_of":
        return " or ".join(f"{ref} = {_quote(v)}" for v in condition.value)
    if condition.operator == "includes":
        return f"selected({ref}, {_quote(condition.value)})"
    sign = ">=" if condition.operator == "at_least" else "<="
    return f"{ref} {sign} {number_text(float(condition.value))}"


class ConditionError(ValueError):
    """A ``relevant`` expression Capacity cannot hold as a ``show_if``; the message says why."""


def _value(match: re.Match, first: int) -> tuple[str, bool]:
    """The literal of a match (its text, and whether it was a bare number)."""
    single, double, number = match.group(first), match.group(first + 1), match.group(first + 2)
    if number is not None:
        return number, True
    return (single if single is not None else double), False


def _term(term: str) -> tuple[str, str, str, bool]:
    """One comparison: (question name, operator, value, bare number)."""
    term = term.strip()
    while term.startswith("(") and term.endswith(")") and term.count("(") == 1:
        term = term[1:-1].strip()
    if match := _EQUALS.match(term):
        return (match.group(1), "equals") + _value(match, 2)
    if match := _EQUALS_FLIPPED.match(term):
        return (match.group(4), "equals") + _value(match, 1)
    if match := _SELECTED.match(term):
        return (match.group(1), "selected") + _value(match, 2)
    if match := _COMPARE.match(term):
        return (match.group(1), "at_least" if match.group(2) == ">=" else "at_most") + _value(match, 3)
    if match := _COMPARE_FLIPPED.match(term):
        operator = "at_most" if match.group(4) == ">=" else "at_least"
        return (match.group(5), operator) + _value(match, 1)
    raise ConditionError(f"cannot read '{term}' as a condition; write ${{QUESTION}} = 'value', "
                         "selected(${QUESTION}, 'value'), ${QUESTION} >= number or ${QUESTION} <= number "
                         "(several '= ' terms on one question may be joined by 'or')")


def parse_relevant(expression: str, source_types: dict[str, str]) -> dict:
    """The ``show_if`` mapping (as in a questionnaire file) of a ``relevant`` expression.

    ``source_types`` maps each earlier question's name to its Capacity type, to read values as the
    questionnaire file writes them (a scale level as a number). Raises ConditionError when it cannot.
    """
    if re.search(r"\band\b|\bnot\s*\(", expression, re.IGNORECASE):
        raise ConditionError(f"cannot hold '{expression}': a Capacity condition is one test of one earlier answer "
                             "(or several '=' values joined by 'or'); 'and' and 'not()' have no place")
    terms = [_term(t) for t in _OR.split(expression.strip())]
    names = {t[0] for t in terms}
    if len(names) != 1:
        raise ConditionError(f"the condition names several questions ({', '.join(sorted(names))}); Capacity shows an "
                             "indicator after one earlier answer only")
    name = names.pop()
    kind = source_types.get(name)
    if kind is None:
        raise ConditionError(f"the condition names '{name}', which is not a question above this one")
    operators = {t[1] for t in terms}
    if len(terms) > 1:
        if not operators <= {"equals", "selected"} or kind == "multiple":
            raise ConditionError("only '=' terms on one single-choice or scale question may be joined by 'or'")
        return {"code": name, "any_of": [_typed(t[2], kind) for t in terms]}
    _, operator, value, _bare = terms[0]
    if operator == "selected":
        operator = "includes" if kind == "multiple" else "equals"
    if operator in ("at_least", "at_most"):
        try:
            number = float(value)
        except ValueError:
            raise ConditionError(f"'{value}' is not a number to compare with") from None
        return {"code": name, operator: int(number) if number.is_integer() else number}
    return {"code": name, operator: _typed(value, kind)}


def _typed(value: str, kind: str):
    """A compared value as the questionnaire file writes it: scale levels are numbers, the rest codes."""
    if kind == "scale" and value.strip().isdigit():
        return int(value)
    return value
