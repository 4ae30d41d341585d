"""Reports a screen reader can read: profile (Georgian and English) and portfolio PDFs are tagged PDF/UA.

Read back from the PDF itself (tests/reporting/pdfstruct.py): the catalogue says the
document is marked, in which language and under which title; the structure tree has
the report's headings as H1/H2, tables whose data cells point to their header cells,
and one Figure per chart whose alternative text states the chart's values in the
report's language and number format. The expected numbers come from scoring the
rounds here, not from the report's own view model.
"""
from __future__ import annotations

import html as html_module
import re
import shutil

import pytest
import sqlalchemy as sa

from capacity.assessments.scores import score_round
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting.html import render_for_print
from capacity.reporting.pdf import render_pdf
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.models import AssessmentRound
from tests.reporting.pdfstruct import read, texts_under
from tests.reporting.pdftext import text_of

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo) is not installed")

DOMAIN_TITLES = {"ka": "მმართველობა და ხელმძღვანელობა", "en": "Governance and leadership"}


def _headings(page: str, level: int) -> list[str]:
    """The text of each <hN> of a report's HTML, without white space (the PDF's text wraps where the page does)."""
    found = re.findall(rf"<h{level}\b[^>]*>(.*?)</h{level}>", page, flags=re.DOTALL)
    return ["".join(html_module.unescape(re.sub(r"<[^>]+>", "", h)).split()) for h in found]


@pytest.fixture(scope="module")
def reports(demo_app, tmp_path_factory):
    """The PDFs, the HTML they were printed from and, independently, the official scores of both rounds."""
    out = tmp_path_factory.mktemp("tagged")
    made = {}
    with demo_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == demo_app.config["PROFILE_ORG"]))
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        for language in ("ka", "en"):
            data = build_profile(org, rounds["endline"], rounds["baseline"], language)
            path = out / f"profile-{language}.pdf"
            path.write_bytes(render_pdf("profile.html", {"r": data}, language))
            made[f"profile-{language}"] = (path, render_for_print("profile.html", {"r": data}, language)[0])
        data = build_portfolio(rounds["endline"], rounds["baseline"], "ka")
        path = out / "portfolio-ka.pdf"
        path.write_bytes(render_pdf("portfolio.html", {"p": data}, "ka"))
        made["portfolio-ka"] = (path, render_for_print("portfolio.html", {"p": data}, "ka")[0])
        scores = {code: score_round(rounds[code])[0] for code in ("baseline", "endline")}
        made["org"] = (org.code, org.name_ka, org.name_en)
        made["scores"] = scores
    return made


def _score(frame, org: str, domain: str) -> float:
    row = frame.loc[(frame["org"] == org) & (frame["domain"] == domain), "score"]
    return float(row.iloc[0])


def _local(value: float, digits: int, language: str) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",") if language == "ka" else text


@pytest.mark.parametrize("name", ["profile-ka", "profile-en", "portfolio-ka"])
def test_the_pdf_is_tagged_pdf_ua_with_its_language_and_title(reports, name):
    path, _page = reports[name]
    tagged = read(path)
    language = name.rsplit("-", 1)[1]
    assert tagged.root is not None, "no /StructTreeRoot"
    assert tagged.marked, "/MarkInfo /Marked is not true"
    assert tagged.lang == language
    assert 'pdfuaid:part="1"' in tagged.xmp  # declares PDF/UA-1
    _code, name_ka, name_en = reports["org"]
    expected = {"profile-ka": f"ორგანიზაციის პროფილი: {name_ka}", "profile-en": f"Organisation profile: {name_en}",
                "portfolio-ka": "პროგრამის შემაჯამებელი ანგარიში: საბოლოო შეფასება 2026"}[name]
    assert tagged.title == expected and tagged.displays_title  # a reader announces the title, not the file name


@pytest.mark.parametrize("name", ["profile-ka", "profile-en", "portfolio-ka"])
def test_the_report_headings_are_h1_and_h2_headings(reports, name):
    path, page = reports[name]
    h1 = ["".join(t.split()) for t in texts_under(path, "H1")]
    h2 = ["".join(t.split()) for t in texts_under(path, "H2")]
    assert h1 == _headings(page, 1) and len(h1) == 1
    assert h2 == _headings(page, 2) and len(h2) >= 7
    if name == "profile-en":
        assert h2[0] == "Domains" and h2[-1] == "Method"


@pytest.mark.parametrize("name", ["profile-ka", "profile-en", "portfolio-ka"])
def test_every_data_cell_points_to_header_cells_of_its_table(reports, name):
    tagged = read(reports[name][0])
    tables = tagged.root.all("Table")
    assert len(tables) >= 5
    for table in tables:
        header_ids = {th.id for th in table.all("TH")}
        assert header_ids and None not in header_ids, "a table without header cells"
        body_cells = [td for part in table.all("TBody") for td in part.all("TD")]
        assert body_cells
        for td in body_cells:
            assert td.headers, "a data cell with no header cell"
            assert set(td.headers) <= header_ids
        # Rows have their own header: the first cell of a body row names what the row is about.
        rows = [tr for part in table.all("TBody") for tr in part.all("TR")]
        assert sum(tr.children[0].tag == "TH" for tr in rows) >= len(rows) / 2


def test_the_gesi_table_links_each_figure_to_its_column_and_its_row(reports):
    tagged = read(reports["profile-en"][0])
    gesi = next(t for t in tagged.root.all("Table") if t.all("THead") and len(t.all("THead")[0].all("TR")) == 2)
    assert [th.tag for th in gesi.all("THead")[0].all("TR")[1].children] == ["TD"] + ["TH"] * 6  # two rounds × 3
    first_row = gesi.all("TBody")[0].all("TR")[0]
    row_header = first_row.children[0].id
    cells = first_row.children[1:]
    assert all(row_header in td.headers and len(td.headers) >= 2 for td in cells)  # the row, and the column
    assert len({h for td in cells for h in td.headers} - {row_header}) >= 6  # each column its own header


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_radar_states_every_domain_score_of_both_rounds_in_the_report_language(reports, language):
    tagged = read(reports[f"profile-{language}"][0])
    figures = tagged.root.all("Figure")
    assert len(figures) == 1  # the radar; the change bars are drawn as backgrounds, artifacts, not figures
    alt = figures[0].alt
    assert alt and DOMAIN_TITLES[language] in alt
    assert ("მიმართულებების ქულები 1–4 შკალაზე" if language == "ka" else "Domain scores on the 1–4 scale") in alt
    assert ("საბაზისო შეფასება 2025" if language == "ka" else "Baseline assessment 2025") in alt
    code = reports["org"][0]
    scores = reports["scores"]
    for domain in ("GOV", "STR", "HR", "FIN", "SRV", "MEL", "ADV", "GESI"):
        before = _local(_score(scores["baseline"].domains, code, domain), 2, language)
        after = _local(_score(scores["endline"].domains, code, domain), 2, language)
        assert f"{before} (" in alt and f"{after} (" in alt, (domain, before, after, alt)
    assert re.search(r"\d,\d\d" if language == "ka" else r"\d\.\d\d", alt)
    assert not re.search(r"\d\.\d\d" if language == "ka" else r"\d,\d\d", alt)


def test_the_portfolio_charts_state_every_value_they_draw(reports):
    tagged = read(reports["portfolio-ka"][0])
    figures = tagged.root.all("Figure")
    assert len(figures) == 2 and all(f.alt for f in figures)
    stages, heatmap = figures[0].alt, figures[1].alt
    assert stages.startswith("ორგანიზაციების რაოდენობა განვითარების თითოეულ ეტაპზე:")
    for stage in ("საწყისი", "განვითარებადი", "ჩამოყალიბებული", "მდგრადი"):
        assert f"{stage}: " in stages
    assert "(საბაზისო შეფასება 2025)" in stages and "(საბოლოო შეფასება 2026)" in stages
    assert heatmap.startswith("მიმართულებების ქულები ორგანიზაციების მიხედვით, საბოლოო შეფასება 2026, 1–4 შკალაზე")
    endline = reports["scores"]["endline"].domains
    described = dict(re.findall(r"([A-Z]{3}-\d\d): (GOV [^;]*|ქულა არ არის)", heatmap))
    assert len(described) == 27
    scored = {org: cells for org, cells in described.items() if cells.startswith("GOV ")}
    assert len(scored) >= 15
    for org, cells in scored.items():
        values = dict(re.findall(r"([A-Z]+) (\d+,\d|ქულა არ არის)", cells))
        assert list(values) == ["GOV", "STR", "HR", "FIN", "SRV", "MEL", "ADV", "GESI"]
        assert values["GOV"] == _local(_score(endline, org, "GOV"), 1, "ka"), org


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_method_note_names_questionnaire_and_rubric_by_title_and_version(reports, language):
    text = " ".join(text_of(reports[f"profile-{language}"][0]).split())
    assert "hash" not in text and "ჰეში" not in text and "gesi-oca" not in text
    if language == "ka":
        assert ("კითხვარი: „ორგანიზაციული შესაძლებლობების შეფასება GESI-ის სენსიტიური მეთოდოლოგიით“, ვერსია 1.0. "
                "შეფასების რუბრიკა: „ორგანიზაციული შესაძლებლობების შეფასების რუბრიკა (ძირითადი)“, ვერსია 1.0.") in text
    else:
        assert ("Questionnaire: “GESI-sensitive organisational capacity assessment”, version 1.0. "
                "Rubric: “Organisational capacity assessment rubric (default)”, version 1.0.") in text
    assert "60%" in text  # the rubric's minimum answered share, as a percentage of the locale
    portfolio = " ".join(text_of(reports["portfolio-ka"][0]).split())
    assert "hash" not in portfolio and "ვერსია 1.0" in portfolio


def test_words_in_the_other_language_are_marked_with_it_in_the_report_html(reports):
    """The preview shows the report's HTML: a screen reader switches voice for the English name and gloss."""
    _path, page = reports["profile-ka"]
    _code, _name_ka, name_en = reports["org"]
    assert f'<p class="subtitle" lang="en">{html_module.escape(name_en, quote=False)}</p>' in page
    assert '(<span lang="en">safeguarding</span>)' in page  # the glossary's gloss in a Georgian domain title
    # What a person typed in Latin letters, a rationale here, is marked as a whole (and still escaped).
    assert '<span lang="en">&lt;img src=&#34;file:///etc/passwd&#34;&gt; http://127.0.0.1:9/steal.png</span>' in page
    _path, english = reports["profile-en"]
    assert '<p class="subtitle" lang="ka">' in english and 'lang="en"' not in english.split("<body>", 1)[1]
