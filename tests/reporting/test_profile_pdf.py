"""The organisation profile PDF: content, every glyph in the shipped fonts, and no fetching of user-typed URLs.

Rendering is slow, so one demo database (conftest.py) and one PDF per language serve the whole module
(SQLite only: the database side of scoring is tested on both backends elsewhere).
"""
from __future__ import annotations

import shutil
import subprocess

import pytest
import sqlalchemy as sa
from weasyprint import HTML

from capacity.assessments.models import Answer, Assessment, Track

from capacity.rounds.models import AssessmentRound
from capacity.assessments.scores import score_round
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting import pdf as pdf_module
from capacity.rounds.queries import baseline_for
from capacity.reporting.pdf import CHART_SCHEME, REPORTS_DIR, RefusedURL, RestrictedFetcher, render_html, render_pdf
from capacity.reporting.profile_model import build_profile

from tests.reporting.pdftext import covered, text_of

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")


@pytest.fixture(scope="module")
def fetched():
    return []


@pytest.fixture(scope="module")
def pdfs(demo_app, tmp_path_factory, fetched):
    original = RestrictedFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    RestrictedFetcher.fetch = spy
    out = tmp_path_factory.mktemp("pdf")
    paths = {}
    try:
        with demo_app.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == demo_app.config["PROFILE_ORG"]))
            rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
            for language in ("ka", "en"):
                data = build_profile(org, rounds["endline"], rounds["baseline"], language)
                paths[language] = out / f"profile-{language}.pdf"
                paths[language].write_bytes(render_pdf("profile.html", {"r": data}, language))
            single = build_profile(org, rounds["baseline"], baseline_for(rounds["baseline"], None), "en")
            paths["single"] = out / "single.pdf"
            paths["single"].write_bytes(render_pdf("profile.html", {"r": single}, "en"))
    finally:
        RestrictedFetcher.fetch = original
    return paths


def test_profile_names_the_organisation_in_georgian_and_shows_its_before_and_after_index(demo_app, pdfs):
    text = text_of(pdfs["ka"])
    name_ka, name_en = demo_app.config["PROFILE_NAMES"]
    assert name_ka in text and any(ch in "აბგდევზთიკლმნოპჟრსტუფქღყშჩცძწჭხჯჰ" for ch in name_ka)
    with demo_app.app_context():
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == demo_app.config["PROFILE_ORG"]))
        before = score_round(rounds["baseline"], organisation_ids=[org_id])[0].overall["index"].iloc[0]
        after = score_round(rounds["endline"], organisation_ids=[org_id])[0].overall["index"].iloc[0]
    assert f"{before:.2f}".replace(".", ",") in text  # Georgian decimal comma
    assert f"{after:.2f}".replace(".", ",") in text
    english = text_of(pdfs["en"])
    assert name_en in english and f"{after:.2f}" in english


@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_character_is_in_the_shipped_fonts_and_only_they_are_embedded(pdfs, language):
    text = text_of(pdfs[language])
    missing = sorted({f"{c} U+{ord(c):04X}" for c in text if not c.isspace() and ord(c) not in covered()})
    assert missing == []
    fonts = subprocess.run(["pdffonts", str(pdfs[language])], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Noto-Sans" in row[0] for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # embedded


def test_georgian_capitals_and_the_lari_sign_are_covered():
    for char in "ᲐᲑᲒᲓᲔ₾„“–":
        assert ord(char) in covered(), char


def test_user_typed_urls_are_printed_literally_and_never_fetched(pdfs, fetched):
    text = "".join(text_of(pdfs["ka"]).split())  # table cells wrap lines: compare without white space
    assert '<imgsrc="file:///etc/passwd">' in text and "http://127.0.0.1:9/steal.png" in text
    charts = [url for url in fetched if url.startswith(CHART_SCHEME)]  # the charts the report drew, handed over in memory
    assert len(charts) >= 2
    assert all(url.startswith("file://") and str(REPORTS_DIR) in url for url in fetched if url not in charts), fetched
    assert not any("passwd" in url or "127.0.0.1" in url for url in fetched)


def test_the_fetcher_refuses_anything_outside_the_report_assets():
    fetcher = RestrictedFetcher({f"{CHART_SCHEME}0": b"\x89PNG"})
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/", f"file://{REPORTS_DIR}/../setup.cfg",
                "data:text/html,<script>alert(1)</script>", "data:image/png;base64,iVBORw0KGgo=", "ftp://127.0.0.1/x",
                f"{CHART_SCHEME}1"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert fetcher.fetch(f"{CHART_SCHEME}0").read() == b"\x89PNG"
    assert fetcher.fetch(f"file://{REPORTS_DIR}/print.css").read().startswith(b"/*")


def test_a_single_round_profile_says_there_is_nothing_to_compare(pdfs):
    text = " ".join(text_of(pdfs["single"]).split())
    assert "Single round: Baseline assessment 2025. There is no earlier round of this questionnaire to compare with." in text
    assert "Final result: the agreed assessment, validated." in text
    assert "Change in score" not in text


def test_cli_writes_the_profile(demo_app, tmp_path):
    from capacity.cli import cli

    output = tmp_path / "tel-02.pdf"
    result = demo_app.test_cli_runner().invoke(cli, ["report", "profile", "--org", demo_app.config["PROFILE_ORG"], "--round", "endline",
                                                     "--lang", "en", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF")
    bad = demo_app.test_cli_runner().invoke(cli, ["report", "profile", "--org", "NOPE", "--round", "endline", "-o", str(output)])
    assert bad.exit_code == 2 and "NOPE" in bad.output


@pytest.fixture(scope="module")
def portfolio_pdf(demo_app, tmp_path_factory):
    from capacity.reporting.portfolio_model import build_portfolio

    path = tmp_path_factory.mktemp("portfolio") / "portfolio.pdf"
    with demo_app.app_context():
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        path.write_bytes(render_pdf("portfolio.html", {"p": build_portfolio(rounds["endline"], rounds["baseline"], "ka")}, "ka"))
        codes = list(db.session.scalars(sa.select(Organisation.code).where(Organisation.kind == "organisation")))
        others = list(db.session.scalars(sa.select(Organisation.code).where(Organisation.kind != "organisation")))
    return path, codes, others


def test_portfolio_lists_every_organisation_and_uses_only_the_shipped_fonts(portfolio_pdf):
    path, codes, others = portfolio_pdf
    text = text_of(path)
    assert len(codes) == 27
    for code in codes:
        assert code in text, code
    assert others and not [code for code in others if code in text]  # the demo's services and municipalities
    assert sorted({c for c in text if not c.isspace() and ord(c) not in covered()}) == []
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert all("Noto-Sans" in line.split()[0] for line in fonts.splitlines()[2:] if line.strip()), fonts


def test_staff_download_their_own_profile_and_nobody_else_s(demo_app):
    client = demo_app.test_client()
    org = demo_app.config["PROFILE_ORG"]
    assert client.post("/login", data={"email": f"{org.lower()}@demo.example.org", "password": "capacity-demo"}).status_code == 302
    own = client.get(f"/organisations/{org}/report/endline.pdf?lang=en")
    assert own.status_code == 200 and own.mimetype == "application/pdf" and own.data.startswith(b"%PDF")
    assert "attachment" in own.headers["Content-Disposition"]
    other = "TEL-02" if org != "TEL-02" else "TEL-03"
    assert client.get(f"/organisations/{other}/report/endline.pdf").status_code == 404
    assert client.get("/rounds/endline/portfolio.pdf").status_code == 404
    preview = client.get(f"/organisations/{org}/report/endline").get_data(as_text=True)
    assert demo_app.config["PROFILE_NAMES"][0] in preview and 'href="/report-assets/print.css"' in preview
    assert "&lt;img src=&#34;file:///etc/passwd&#34;&gt;" in preview or "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in preview


def test_only_the_report_stylesheet_and_fonts_are_served_as_assets(demo_app):
    client = demo_app.test_client()
    css = client.get("/report-assets/print.css")
    assert css.status_code == 200 and b"@font-face" in css.data
    css.close()
    font = client.get("/report-assets/fonts/NotoSansGeorgian-Regular.ttf")
    assert font.status_code == 200
    font.close()
    for path in ("/report-assets/profile.html", "/report-assets/../setup.cfg", "/report-assets/fonts/OFL.txt"):
        assert client.get(path).status_code == 404, path


def test_report_all_writes_one_profile_per_organisation_using_several_processes(demo_app, tmp_path):
    from capacity.cli import cli

    out = tmp_path / "all"
    result = demo_app.test_cli_runner().invoke(cli, ["report", "all", "--round", "endline", "--lang", "en", "--workers", "2",
                                                     "--org", "TEL-02", "--org", "BAT-01", "--out-dir", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["capacity-BAT-01-endline-en.pdf", "capacity-TEL-02-endline-en.pdf"]
    assert "Association “Bright Path”" in text_of(out / "capacity-BAT-01-endline-en.pdf")
    bad = demo_app.test_cli_runner().invoke(cli, ["report", "all", "--round", "endline", "--org", "NOPE", "--out-dir", str(out)])
    assert bad.exit_code == 2 and "NOPE" in bad.output


def test_a_rendered_profile_is_reused_until_something_it_shows_changes(demo_app, tmp_path):
    from capacity.reporting import cache

    calls = []
    original = cache.render_pdf

    def counting(*args, **kwargs):
        calls.append(args[0])
        return original(*args, **kwargs)

    cache.render_pdf = counting
    try:
        with demo_app.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "TEL-02"))
            rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
            first = cache.cached_pdf(str(tmp_path), "profile.html", "r", build_profile(org, rounds["endline"], rounds["baseline"], "en"), "en")
            again = cache.cached_pdf(str(tmp_path), "profile.html", "r", build_profile(org, rounds["endline"], rounds["baseline"], "en"), "en")
            assert first == again and len(calls) == 1
            cache.cached_pdf(str(tmp_path), "profile.html", "r", build_profile(org, rounds["endline"], rounds["baseline"], "ka"), "ka")
            assert len(calls) == 2  # another language: another PDF
            answer = db.session.scalar(sa.select(Answer).join(Assessment).join(AssessmentRound).where(
                Assessment.organisation_id == org.id, AssessmentRound.code == "endline", Assessment.track == Track.CONSENSUS,
                Answer.indicator_code == "GOV.01"))
            answer.level = 1 if answer.level != 1 else 4
            db.session.commit()
            cache.cached_pdf(str(tmp_path), "profile.html", "r", build_profile(org, rounds["endline"], rounds["baseline"], "en"), "en")
            assert len(calls) == 3  # an answer changed: rendered again
    finally:
        cache.render_pdf = original


def test_a_cached_profile_is_served_without_rebuilding_until_an_answer_changes(demo_app, tmp_path):
    from capacity.reporting import cache

    built = []
    original = cache.build_profile

    def counting(*args, **kwargs):
        built.append(args[0].code)
        return original(*args, **kwargs)

    cache.build_profile = counting
    try:
        with demo_app.app_context():
            org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "BAT-01"))
            rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
            first = cache.cached_profile(str(tmp_path), org, rounds["endline"], rounds["baseline"], "en")
            assert cache.cached_profile(str(tmp_path), org, rounds["endline"], rounds["baseline"], "en") == first
            assert built == ["BAT-01"]  # the second one came from the cache: nothing scored
            answer = db.session.scalar(sa.select(Answer).join(Assessment).join(AssessmentRound).where(
                Assessment.organisation_id == org.id, AssessmentRound.code == "baseline", Assessment.track == Track.SELF,
                Answer.indicator_code == "HR.01"))
            answer.comment = "changed after printing"
            answer.revision += 1  # as every save does
            db.session.commit()
            cache.cached_profile(str(tmp_path), org, rounds["endline"], rounds["baseline"], "en")
            assert built == ["BAT-01", "BAT-01"]
    finally:
        cache.build_profile = original


def test_reports_are_parsed_as_xml_and_print_the_same_text_as_with_the_html5_parser(demo_app, tmp_path):
    with demo_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == demo_app.config["PROFILE_ORG"]))
        rounds = {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}
        data = build_profile(org, rounds["endline"], rounds["baseline"], "ka")
        charts: dict[str, bytes] = {}

        def chart(png: bytes) -> str:
            charts[f"{CHART_SCHEME}{len(charts)}"] = png
            return f"{CHART_SCHEME}{len(charts) - 1}"

        html = render_html("profile.html", {"r": data}, "ka", chart)
        fast = pdf_module._document(html, RestrictedFetcher(charts))
        slow = HTML(string=html, base_url=str(REPORTS_DIR) + "/", url_fetcher=RestrictedFetcher(charts))
        assert isinstance(fast, pdf_module._ParsedHTML)
        css, fonts = pdf_module.stylesheet()
        for name, document in (("fast", fast), ("slow", slow)):
            (tmp_path / f"{name}.pdf").write_bytes(document.write_pdf(stylesheets=[css], font_config=fonts))
    assert text_of(tmp_path / "fast.pdf") == text_of(tmp_path / "slow.pdf")
    assert data["org"]["name"] in text_of(tmp_path / "fast.pdf")


def test_text_xml_cannot_carry_falls_back_to_the_html5_parser(demo_app, tmp_path):
    html = "<!DOCTYPE html><html lang='en'><body><p>pasted\x0cform feed</p></body></html>"
    with demo_app.app_context():
        document = pdf_module._document(html, RestrictedFetcher())
        assert not isinstance(document, pdf_module._ParsedHTML)
        (tmp_path / "fallback.pdf").write_bytes(document.write_pdf())
    assert "pasted" in text_of(tmp_path / "fallback.pdf") and "form feed" in text_of(tmp_path / "fallback.pdf")
