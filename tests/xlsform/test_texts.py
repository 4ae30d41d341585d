"""Texts survive YAML writing and the XLSForm round trip exactly: YAML-hostile characters, Georgian quotation
marks, line breaks, '#' and ':', characters YAML refuses or folds, NFD as well as NFC."""
from __future__ import annotations

import dataclasses
import unicodedata

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity.questionnaires.model import Text
from capacity.questionnaires.yamlpos import load
from capacity.xlsform.export import export_xlsform
from capacity.xlsform.importing import import_xlsform
from capacity.xlsform.yaml_writer import write_yaml
from tests.xlsform.helpers import load as load_instrument

HOSTILE = "#:'\"„“”‘’«»\\{}[],&*!|>%@`?-=~ \n\t\u00a0\u0085\u2028\u2029\ufeff\u0096\u007f\u200b"
GEORGIAN = "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ"
# Anything a YAML-writing mistake could trip on: hostile punctuation, every plane but surrogates and controls
# openpyxl cannot store, plus words YAML would read as booleans, numbers or null.
any_text = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40),
    st.text(alphabet=HOSTILE + GEORGIAN + "ab01.", max_size=40),
    st.sampled_from(["yes", "No", "on", "null", "~", "1.0", "0x1F", "1e3", ".inf", "- a", "? b", "a: b", "#c", "'", "\"",
                     "!!python/object", "&anchor", "*alias", "%TAG", "---", "...", "| x", "> y", "@", "`"]),
)


@settings(max_examples=400, deadline=None)
@given(ka=any_text, en=any_text, code=any_text, words=st.lists(any_text, max_size=3))
def test_written_yaml_loads_back_as_the_same_strings(ka, en, code, words):
    data = {"id": code, "title": {"ka": ka, "en": en}, "tags": words, code or "k": {"ka": en}}
    text, _ = write_yaml(data)
    loaded = load(text)
    assert loaded["id"] == code and loaded["title"]["ka"] == ka and loaded["title"]["en"] == en
    assert list(loaded["tags"]) == words and loaded[code or "k"] == {"ka": en}


# What a spreadsheet cell can hold (XML forbids most C0 controls; '\r' becomes '\n' in any XML file) and a
# questionnaire text is (trimmed, not empty, not a placeholder): the round trip must keep it to the character.
cell_chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff") | st.sampled_from("\n\t")


def _cell_text(alphabet: str):
    return st.text(alphabet=st.sampled_from(alphabet) | cell_chars, min_size=1, max_size=30).map(
        lambda text: "ი" + text.strip() + "ს" if alphabet == GEORGIAN else "W" + text.strip() + "z")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ka=_cell_text(GEORGIAN + HOSTILE), en=_cell_text("abc" + HOSTILE), nfd=st.booleans())
def test_texts_survive_export_and_import_exactly(ka, en, nfd):
    if nfd:  # decomposed text (as some Mac editors save it) must not be recomposed, nor the reverse
        ka, en = unicodedata.normalize("NFD", ka + "é"), unicodedata.normalize("NFD", en + "ñ")
    questionnaire, _ = load_instrument("every-type")
    domain = questionnaire.domains[0]
    indicator = domain.indicators[0]
    levels = dict(indicator.levels)
    levels[1] = Text(ka, en, (("hy", "Հ" + en),))
    changed_indicator = dataclasses.replace(indicator, text=Text(ka + "?", en + "?", (("hy", "Ա" + en),)), levels=levels)
    changed = dataclasses.replace(questionnaire, domains=(dataclasses.replace(
        domain, title=Text("„" + ka + "“", "‘" + en + "’", (("hy", "«" + en + "»"),)),
        indicators=(changed_indicator,) + domain.indicators[1:]),) + questionnaire.domains[1:])
    back = import_xlsform(export_xlsform(changed)).questionnaire
    first = back.domains[0].indicators[0]
    assert (first.text.ka, first.text.en) == (ka + "?", en + "?")
    assert (first.levels[1].ka, first.levels[1].en, first.levels[1].own("hy")) == (ka, en, "Հ" + en)
    assert (back.domains[0].title.ka, back.domains[0].title.en) == ("„" + ka + "“", "‘" + en + "’")


def test_georgian_quotes_line_breaks_and_yaml_marks_in_the_shipped_round_trip():
    questionnaire, _ = load_instrument("gesi-oca")
    text = "ორგანიზაცია: „სტრატეგია“ #1 — ‘მიზნები’\nმეორე ხაზი: 'კი' \"არა\""
    domain = dataclasses.replace(questionnaire.domains[0], title=Text(text, "Strategy: \"#1\"\n- second: 'yes'",
                                                                    (("ru", "Стратегия: «№1»\nвторая"),)))
    changed = dataclasses.replace(questionnaire, domains=(domain,) + questionnaire.domains[1:])
    imported = import_xlsform(export_xlsform(changed))
    assert imported.questionnaire.domains[0].title == domain.title
    assert "\\n" in imported.yaml  # a line break is written as an escape inside its quoted text, never loose


def test_a_control_character_a_cell_cannot_store_is_named_not_a_crash():
    import pytest

    from capacity.xlsform.export import ExportError

    questionnaire, _ = load_instrument("every-type")
    domain = dataclasses.replace(questionnaire.domains[0], title=Text("ა\x01ბ", "a\x0bb", (("hy", "Ա"),)))
    changed = dataclasses.replace(questionnaire, domains=(domain,) + questionnaire.domains[1:])
    with pytest.raises(ExportError) as caught:
        export_xlsform(changed)
    assert str(caught.value) == (f"survey: label::Georgian (ka) of '{domain.code}' holds the control character U+0001, "
                                 "which a spreadsheet cannot store; remove it from the text")
    with pytest.raises(ExportError, match=r"choices: label::English \(en\) of 'ORG-1' \(list capacity_organisations\) "
                                          r"holds the control character U\+000B"):
        export_xlsform(questionnaire, organisations=[("ORG-1", Text("ა", "Name\x0bwith a vertical tab"))])
