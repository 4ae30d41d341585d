"""The profile of an instrument unlike the GESI one, read back from the PDF (conftest.py: the every-type instrument).

What the PDF must show comes from scoring the rounds here (``score_round``), not from the report's own view
model: percent on the default rubric, points on the points rubric, each sub-area under its domain, typed answers
as written, items not asked and not scored said so, Armenian content in a shipped font, and nothing the GESI
instrument's reports print that this instrument has no data for.
"""
from __future__ import annotations

import io
import re
import shutil
import subprocess

import pytest
import sqlalchemy as sa
from PIL import Image

from capacity.assessments.scores import score_round
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting import charts
from capacity.reporting.pdf import render_pdf
from capacity.reporting.profile_model import build_profile
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import baseline_for
from tests.reporting.pdfstruct import read
from tests.reporting.pdftext import covered, text_of
from tests.reporting_instrument.conftest import FREE_TEXT, ORG
from tests.reporting_instrument.pdflines import layout, line, pct

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

# (round, baseline, interface language, content language)
PRINTS = {
    "percent": ("et-end", "et-base", "en", None),
    "armenian": ("et-end", "et-base", "ka", "hy"),
    "points": ("et-points", "none", "en", None),
    "gesi": ("oca", "none", "en", None),
}


@pytest.fixture(scope="module")
def printed(instrument_app, tmp_path_factory):
    """Each profile of PRINTS as a PDF, and the official scores of every round (the self track's for et-points)."""
    out = tmp_path_factory.mktemp("profiles")
    paths = {}
    with instrument_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == ORG))
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        for name, (round_code, baseline, language, content) in PRINTS.items():
            round_ = rounds[round_code]
            data = build_profile(org, round_, baseline_for(round_, baseline), language, content=content)
            paths[name] = out / f"{name}.pdf"
            paths[name].write_bytes(render_pdf("profile.html", {"r": data}, language))
        scores = {code: score_round(rounds[code])[0] for code in ("et-base", "et-end")}
        scores["et-points"] = score_round(rounds["et-points"], track="self")[0]
    return paths, scores


def _value(frame, column: str, **where) -> float:
    rows = frame
    for key, value in {"org": ORG, **where}.items():
        rows = rows.loc[rows[key] == value]
    return float(rows[column].iloc[0])


def test_an_instrument_without_profile_questions_prints_no_profile_data_section(printed):
    paths, _scores = printed
    for name in ("percent", "points"):
        text = " ".join(text_of(paths[name]).split())
        assert "GESI section" not in text and "by sex and disability" not in text
        assert "Women" not in text.replace("Women; ", "")  # the ticked option only, no profile table's column
    assert "GESI section" in text_of(paths["gesi"])  # the GESI instrument keeps it


def test_percent_rubric_prints_the_overall_result_domains_and_sub_areas_as_percentages(printed):
    paths, scores = printed
    text = layout(paths["percent"])
    before = _value(scores["et-base"].overall, "percent")
    after = _value(scores["et-end"].overall, "percent")
    assert line(text, pct(before)) == f"{pct(before)} {pct(after)} +{after - before:.0f}"  # the headline boxes
    assert "percentage points" in text and "Leading" in text  # the stage band of 91%: 70–100 on this rubric
    for domain, title in (("GOV", "GOV Governance"), ("SRV", "SRV Services")):
        b = _value(scores["et-base"].domains, "percent", domain=domain)
        a = _value(scores["et-end"].domains, "percent", domain=domain)
        assert line(text, title).endswith(f"{pct(b)} {pct(a)} +{a - b:.0f}"), line(text, title)
    for sub_area, title in (("GOV.A", "GOV.A Leadership"), ("GOV.B", "GOV.B Accountability")):
        b = _value(scores["et-base"].sub_areas, "percent", sub_area=sub_area)
        a = _value(scores["et-end"].sub_areas, "percent", sub_area=sub_area)
        row = line(text, title)  # the domain table's row; the indicator table's sub-area heading has no figures
        assert row.endswith(f"{pct(b)} {pct(a)} +{a - b:.0f}"), row
    # Sub-areas under their own domain: GOV's rows, then GOV.A and GOV.B, then SRV.
    order = [row.strip().split()[0] for row in text.splitlines() if re.match(r"\s*(GOV|SRV|GOV\.[AB]) [A-Z]", row)]
    assert order[:4] == ["GOV", "GOV.A", "GOV.B", "SRV"]


def test_points_rubric_prints_points_of_the_maximum(printed):
    paths, scores = printed
    text = layout(paths["points"])
    overall = scores["et-points"].overall
    points, maximum = _value(overall, "points"), _value(overall, "max_points")
    assert f"{points:.0f} of {maximum:.0f} points" in text
    for domain, title in (("GOV", "GOV Governance"), ("SRV", "SRV Services")):
        domains = scores["et-points"].domains
        row = line(text, title).replace(" / ", "/")  # "11 / 12": the layout may or may not keep the thin gaps
        assert row.endswith(f"{_value(domains, 'points', domain=domain):.0f}/"
                            f"{_value(domains, 'max_points', domain=domain):.0f}"), row
    assert "%" not in line(text, "GOV.A Leadership")


def test_answers_that_are_not_levels_print_as_written_and_items_not_asked_or_not_scored_say_so(printed):
    paths, _scores = printed
    text = layout(paths["percent"]).split("Every indicator", 1)[1]  # the table, not the quoted strongest ones
    assert line(text, "GOV.2 Consulting service users").startswith("GOV.2 Consulting service users No Yes +3.00")
    assert line(text, "GOV.3 ").startswith("GOV.3 Who takes part in consultations not asked Women; Persons")
    assert line(text, "GOV.4 ").startswith("GOV.4 Activity report Less than once a Once a year +1.00")
    assert line(text, "SRV.1 ") == "SRV.1 Number of service users 1,234 people 1,234 people 0.00"
    assert line(text, "SRV.2 ") == "SRV.2 Accessible premises — 3 not comparable"  # not applicable at baseline
    assert line(text, "SRV.4 ") == "SRV.4 A change made after feedback not asked not scored"
    assert line(text, "Round et-end: ") == f"Round et-end: {FREE_TEXT}"  # the free text, under its question
    assert line(text, "SRV.5 ") == "SRV.5 Report in accessible formats not asked Yes not scored"
    flat = " ".join(text.split())
    assert "6 of 8 indicators could be compared" in flat  # the two unscored items are not counted


def test_two_domains_are_drawn_as_dots_on_an_axis_not_as_a_radar(printed, tmp_path):
    paths, scores = printed
    subprocess.run(["pdfimages", "-png", str(paths["percent"]), str(tmp_path / "image")], check=True)
    images = sorted(tmp_path.glob("image-*.png"))
    assert len(images) == 1
    drawn = Image.open(images[0]).convert("RGB")
    values = [[_value(scores[code].domains, "percent", domain=d) for d in ("GOV", "SRV")] for code in ("et-base", "et-end")]
    ticks = tuple((float(v), pct(v)) for v in (0, 25, 50, 75, 100))  # the grid at every quarter, labelled as printed
    expected = {kind: Image.open(io.BytesIO(chart(["GOV", "SRV"], *values, ("Round et-base", "Round et-end"), 0, 100,
                                                  ticks))).convert("RGB")
                for kind, chart in (("dots", charts.dots), ("radar", charts.radar))}
    assert drawn.size == expected["dots"].size and drawn.tobytes() == expected["dots"].tobytes()
    assert drawn.tobytes() != expected["radar"].tobytes()
    figure = read(paths["percent"]).root.all("Figure")[0]
    assert figure.alt == (f"Domain scores as a percentage of the maximum: Governance: {pct(values[0][0])} (Round et-base), "
                          f"{pct(values[1][0])} (Round et-end); Services: {pct(values[0][1])} (Round et-base), "
                          f"{pct(values[1][1])} (Round et-end).")


def test_armenian_content_under_a_georgian_interface_says_so_and_prints_in_the_shipped_fonts(printed):
    paths, scores = printed
    text = layout(paths["armenian"])
    flat = " ".join(text.split())
    assert "ინტერფეისის ენა: ქართული. შინაარსის ენა: სომხური (Հայերեն)." in flat
    assert "თარგმანის სამუშაო ვერსია" not in flat  # Armenian is a complete content language here
    assert "Կառավարում" in flat and "Ծառայություններ" in flat  # the domains
    assert "Ղեկավարում" in flat and "Հաշվետվողականություն" in flat  # the sub-areas
    assert "Առաջատար" in flat  # the rubric's stage name in Armenian
    assert "Կազմակերպությունն ինքն է լրացնում հարցաշարը" in flat  # the instrument's own method note
    assert "რაუნდი et-end" in flat and "არ დასმულა" in flat  # the interface stays Georgian
    after = _value(scores["et-end"].overall, "percent")
    assert pct(after, "ka") in flat
    assert line(text.split("SRV.1 ", 1)[1], "").endswith("1 234 մարդ 1 234 մարդ 0,00")  # Georgian number format, Armenian unit
    missing = sorted({f"{c} U+{ord(c):04X}" for c in text if not c.isspace() and ord(c) not in covered()})
    assert missing == []
    fonts = subprocess.run(["pdffonts", str(paths["armenian"])], capture_output=True, text=True, check=True).stdout
    rows = [row.split() for row in fonts.splitlines()[2:] if row.strip()]
    names = {row[0].split("+")[-1] for row in rows}
    assert {"Noto-Sans-Armenian", "Noto-Sans-Armenian-Bold", "Noto-Sans-Georgian"} <= names, fonts
    assert all(name.startswith("Noto-Sans") for name in names) and all(row[-5] == "yes" for row in rows), fonts


def test_the_armenian_content_is_marked_with_its_language_for_screen_readers(printed):
    paths, _scores = printed
    tagged = read(paths["armenian"])
    assert tagged.lang == "ka"  # the document's language is the interface's
    html = subprocess.run(["pdfinfo", "-struct-text", str(paths["armenian"])], capture_output=True, text=True).stdout
    assert "Կառավարում" in html


def test_no_self_and_mentor_section_in_a_round_without_mentor_assessments(printed):
    paths, _scores = printed
    assert "Self-assessment and mentor assessment" in " ".join(text_of(paths["percent"]).split())
    points = " ".join(text_of(paths["points"]).split())
    assert "Self-assessment and mentor assessment" not in points and "mentor assessment is submitted" not in points
    assert "Provisional: self-assessment only, not verified." in points


def test_the_method_names_the_instrument_and_prints_its_own_note_and_rules(printed):
    paths, _scores = printed
    text = " ".join(text_of(paths["percent"]).split())
    method = text.split("Method", 1)[1]
    assert method.startswith(" The organisation answers the questionnaire itself; a mentor then checks each answer")
    assert "Questionnaire: “Test questionnaire with every question type”, version 1.0." in method
    assert "Rubric: “Every-type test rubric (percent)”, version 1.0." in method
    assert "Where a domain has sub-areas" in method and "the stages are bands of that percentage" in method
    assert "Overall index:" not in text  # a percent rubric has no index on the scale to explain
    gesi = " ".join(text_of(paths["gesi"]).split())
    assert "Where a domain has sub-areas" not in gesi and "Results are shown" not in gesi


def test_the_gesi_instrument_prints_its_mean_index_radar_and_sections_as_before(printed):
    """Every answer at level 3: an index of 3.00 on the 1–4 scale, every domain and lens 3.00, the radar's eight spokes."""
    paths, _scores = printed
    rows = layout(paths["gesi"])
    text = " ".join(rows.split())
    assert "Overall index: the weighted mean of the domain scores on the 1–4 scale." in text
    assert line(rows, "3.00") == "3.00"  # the headline box: the index on the scale, as always
    assert "Interface language" not in text and "not asked" not in text and "not scored" not in text
    domains = rows.split("Domain", 1)[1].split("Strongest indicators", 1)[0]
    scored = [" ".join(row.split()) for row in domains.splitlines() if re.match(r"\s+[A-Z]{2,4} [A-Z]", row)]
    assert len(scored) == 8 and all(row.endswith(" 3.00") for row in scored), scored
    assert "GESI sub-index 3.00" in text
    figure = read(paths["gesi"]).root.all("Figure")[0]
    assert figure.alt.startswith("Domain scores on the 1–4 scale: Governance and leadership: 3.00;")
    assert figure.alt.count(": 3.00") == 8
