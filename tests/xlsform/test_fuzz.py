"""Random workbooks built from XLSForm's vocabulary (types, names, conditions, bounds, weights, lists, good and bad):
the import either succeeds or lists problems as sheet:row lines, never anything else."""
from __future__ import annotations

import io
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from capacity.xlsform.importing import import_xlsform
from capacity.xlsform.reading import XlsFormError

TYPES = ["begin_group", "end_group", "begin group", "end group", "select_one L1", "select_one L2", "select_multiple L2",
         "select_one capacity_yes_no", "integer", "decimal", "text", "calculate", "note", "begin_repeat", "", "select_one",
         "select_one L1 or_other", "start", "select_one yn"]
NAMES = ["D", "S", "Q1", "Q2", "Q3", "capacity_profile", "capacity_organisation", "", "1bad", "Q.1", "D.A", "x" * 40]
RELEVANT = ["", "${Q1} = '1'", "${Q2} >= 2", "selected(${Q2}, 'a')", "${Q1} = '1' or ${Q1} = '2'", "${Q1}", "(", "${Q9} = 'x'",
            "${Q1} = 'a' and ${Q2} = 'b'", "'1' = ${Q1}", "2 <= ${Q3}", "${Q1} <= -1.5"]
CONSTRAINT = ["", ". >= 0", ".<=10", ". >= 5 and . <= 1", "regex(.)", ". >= x"]
WEIGHT = ["", "1", "0", "-1", "abc", "2,5"]
LISTS = ["capacity_scale", "L1", "L2", "capacity_yes_no", "yn", "", "capacity_organisations"]
CNAMES = ["1", "2", "3", "na", "NA", "yes", "no", "a", "b", "", "01", "1.0"]
srow = st.fixed_dictionaries({"type": st.sampled_from(TYPES), "name": st.sampled_from(NAMES),
    "label::English (en)": st.sampled_from(["", "Label", "x"]), "label::Georgian (ka)": st.sampled_from(["", "ლეიბლი"]),
    "hint::English (en)": st.sampled_from(["", "Hint"]), "hint::Georgian (ka)": st.sampled_from(["", "მინიშნება"]),
    "required": st.sampled_from(["", "yes", "no", "maybe"]), "relevant": st.sampled_from(RELEVANT),
    "constraint": st.sampled_from(CONSTRAINT), "capacity_weight": st.sampled_from(WEIGHT),
    "capacity_rule": st.sampled_from(["", "share", "value", "bogus"]), "capacity_thresholds": st.sampled_from(["", "0.2 0.4 0.6", "x"]),
    "capacity_kind": st.sampled_from(["", "count", "money", "bogus"]), "capacity_allow_na": st.sampled_from(["", "yes"]),
    "capacity_sub_area": st.sampled_from(["", "S", "Z"])})
crow = st.fixed_dictionaries({"list_name": st.sampled_from(LISTS), "name": st.sampled_from(CNAMES),
    "label::English (en)": st.sampled_from(["", "L", "M"]), "label::Georgian (ka)": st.sampled_from(["", "ლ"]),
    "capacity_score": st.sampled_from(["", "1", "x"])})
settings_row = st.fixed_dictionaries({"form_id": st.sampled_from(["f", "", "bad id"]), "version": st.sampled_from(["1", "", "1.0"]),
    "capacity_draft_languages": st.sampled_from(["", "ka", "ru", "xx"])})

def book(survey, choices, setting, extra_header):
    b = Workbook(); b.remove(b.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", [setting])):
        s = b.create_sheet(title)
        header = list(rows[0].keys()) if rows else ["type"]
        if title == "survey" and extra_header: header.append(extra_header)
        s.append(header)
        for r in rows: s.append([r.get(h, "") for h in header])
    out = io.BytesIO(); b.save(out); return out.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(srow, max_size=12), st.lists(crow, max_size=12), settings_row,
       st.sampled_from([None, "media::image", "label", "label::xx", "capacity_foo", "Type", "appearance"]))
def test_any_workbook_imports_or_lists_its_problems_by_place(survey, choices, setting, extra):
    try:
        import_xlsform(book(survey, choices, setting, extra))
    except XlsFormError as error:
        assert error.problems
        for problem in error.problems:
            assert re.match(r"^(survey|choices|settings|workbook):\d+: ", str(problem)), str(problem)
