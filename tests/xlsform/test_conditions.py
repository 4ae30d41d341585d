"""`relevant` expressions: the forms the export writes, and hand-written variants, read back as `show_if`."""
from __future__ import annotations

import dataclasses

import pytest

from capacity.questionnaires.model import Condition, Option, Text
from capacity.xlsform.conditions import ConditionError, parse_relevant, to_relevant
from capacity.xlsform.export import ExportError, export_xlsform
from capacity.xlsform.importing import import_xlsform
from tests.xlsform.helpers import load

TYPES = {"S": "scale", "Y": "yes_no", "C": "single", "M": "multiple", "N": "number"}


@pytest.mark.parametrize("condition", [
    Condition("S", "equals", 3), Condition("Y", "equals", "yes"), Condition("C", "any_of", ("a", "b")),
    Condition("M", "includes", "women"), Condition("N", "at_least", 1.0), Condition("N", "at_most", 2.5),
    Condition("S", "any_of", (1, 2)),
])
def test_what_is_written_reads_back(condition):
    read = parse_relevant(to_relevant(condition), TYPES)
    operator = next(k for k in read if k != "code")
    value = read[operator]
    assert (read["code"], operator, tuple(value) if isinstance(value, list) else value) == \
        (condition.code, condition.operator, condition.value)


@pytest.mark.parametrize("written, expected", [
    ('${Y} = "yes"', {"code": "Y", "equals": "yes"}),
    ("${Y}=='yes'", {"code": "Y", "equals": "yes"}),
    ("'yes' = ${Y}", {"code": "Y", "equals": "yes"}),
    ("${S} = 3", {"code": "S", "equals": 3}),
    ("selected(${C}, 'a')", {"code": "C", "equals": "a"}),
    ("selected( ${C} , \"a\" ) OR selected(${C}, 'b')", {"code": "C", "any_of": ["a", "b"]}),
    ("${S} = '1' or ${S} = '2'", {"code": "S", "any_of": [1, 2]}),
    ("selected(${M}, 'women')", {"code": "M", "includes": "women"}),
    ("2 <= ${N}", {"code": "N", "at_least": 2}),
    ("(${N} >= 10)", {"code": "N", "at_least": 10}),
    ("${N} <= 0.5", {"code": "N", "at_most": 0.5}),
])
def test_hand_written_variants(written, expected):
    assert parse_relevant(written, TYPES) == expected


@pytest.mark.parametrize("written, reason", [
    ("${N} > 1", "cannot read '${N} > 1' as a condition"),
    ("${S} = '1' and ${Y} = 'yes'", "a Capacity condition is one test of one earlier answer"),
    ("not(${Y} = 'yes')", "'and' and 'not()' have no place"),
    ("${S} = '1' or ${C} = 'a'", "the condition names several questions (C, S)"),
    ("${Z} = '1'", "'Z', which is not a question above this one"),
    ("selected(${M}, 'a') or selected(${M}, 'b')", "only '=' terms on one single-choice or scale question"),
    ("count-selected(${M}) >= 2", "cannot read"),
])
def test_what_cannot_be_held_is_refused(written, reason):
    with pytest.raises(ConditionError, match=None) as caught:
        parse_relevant(written, TYPES)
    assert reason in str(caught.value)


def test_a_single_choice_of_yes_and_no_stays_a_single_choice():
    questionnaire, _ = load("every-type")
    gov4 = questionnaire.indicator("GOV.4")
    options = (Option("yes", Text("კი", "Yes", (("hy", "Այո"),))), Option("no", Text("არ", "No", (("hy", "Ոչ"),))))
    changed_indicator = dataclasses.replace(gov4, options=options)
    domain = questionnaire.domains[0]
    domain = dataclasses.replace(domain, indicators=tuple(changed_indicator if i.code == "GOV.4" else i
                                                          for i in domain.indicators))
    changed = dataclasses.replace(questionnaire, domains=(domain,) + questionnaire.domains[1:])
    changed = dataclasses.replace(changed, domains=tuple(
        dataclasses.replace(d, indicators=tuple(dataclasses.replace(i, show_if=None) if i.code == "SRV.5" else i
                                                for i in d.indicators)) for d in changed.domains))
    back = import_xlsform(export_xlsform(changed)).questionnaire.indicator("GOV.4")
    assert back.type == "single" and [o.code for o in back.options] == ["yes", "no"]


def test_sub_areas_whose_indicators_are_apart_cannot_be_exported():
    questionnaire, _ = load("every-type")
    domain = questionnaire.domains[0]
    first, *rest = domain.indicators
    moved = dataclasses.replace(domain, indicators=tuple(rest[:3]) + (first,) + tuple(rest[3:]))
    changed = dataclasses.replace(questionnaire, domains=(moved,) + questionnaire.domains[1:])
    with pytest.raises(ExportError, match="the indicators of sub-area GOV.A are not listed together in domain GOV"):
        export_xlsform(changed)
