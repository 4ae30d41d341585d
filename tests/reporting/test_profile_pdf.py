"""The organisation profile PDF: content, every glyph in the shipped fonts, and no fetching of user-typed URLs.

Rendering is slow, so one demo database and one PDF per language serve the whole module (SQLite only:
the database side of scoring is tested on both backends elsewhere).
"""
from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa
from fontTools.ttLib import TTFont

from capacity import create_app
from capacity.assessments.models import Answer, Assessment, AssessmentRound, Track
from capacity.assessments.results import score_round
from capacity.demo.services import build_demo
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting import pdf as pdf_module
from capacity.reporting.pdf import REPORTS_DIR, RefusedURL, RestrictedFetcher, render_pdf
from capacity.reporting.profile_model import build_profile

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")
FONTS = sorted((REPORTS_DIR / "fonts").glob("*.ttf"))
HOSTILE = '<img src="file:///etc/passwd"> http://127.0.0.1:9/steal.png'


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reports")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPACITY_INSTANCE_PATH", str(folder))
        app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'db.sqlite'}"})
    with app.app_context():
        db.create_all()
        build_demo()
        # A rationale typed by a user, full of things a renderer might try to fetch.
        # The first organisation whose agreed assessment explains a gap: its profile prints that rationale.
        answer = db.session.scalar(sa.select(Answer).join(Assessment).join(Organisation).join(AssessmentRound).where(
            AssessmentRound.code == "endline", Assessment.track == Track.CONSENSUS, Answer.comment != "")
            .order_by(Organisation.code, Answer.indicator_code).limit(1))
        answer.comment = HOSTILE
        app.config["PROFILE_ORG"] = answer.assessment.organisation.code
        app.config["PROFILE_NAMES"] = (answer.assessment.organisation.name_ka, answer.assessment.organisation.name_en)
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


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
            single = build_profile(org, rounds["baseline"], None, "en")
            paths["single"] = out / "single.pdf"
            paths["single"].write_bytes(render_pdf("profile.html", {"r": single}, "en"))
    finally:
        RestrictedFetcher.fetch = original
    return paths


def text_of(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


@functools.cache
def covered() -> frozenset[int]:
    codes: set[int] = set()
    for font in FONTS:
        codes |= set(TTFont(font).getBestCmap())
    return frozenset(codes)


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
    assert all(url.startswith("file://") and str(REPORTS_DIR) in url for url in fetched), fetched
    assert not any("passwd" in url or "127.0.0.1" in url for url in fetched)


def test_the_fetcher_refuses_anything_outside_the_report_assets():
    fetcher = RestrictedFetcher()
    for url in ("file:///etc/passwd", "http://127.0.0.1:9/x.png", "https://example.org/", f"file://{REPORTS_DIR}/../setup.cfg"):
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)
    assert pdf_module.REPORTS_DIR.is_dir()


def test_a_single_round_profile_says_there_is_nothing_to_compare(pdfs):
    text = " ".join(text_of(pdfs["single"]).split())
    assert "There is no earlier round to compare with." in text


def test_cli_writes_the_profile(demo_app, tmp_path):
    from capacity.cli import cli

    output = tmp_path / "tel-02.pdf"
    result = demo_app.test_cli_runner().invoke(cli, ["report", "profile", "--org", demo_app.config["PROFILE_ORG"], "--round", "endline",
                                                     "--lang", "en", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF")
    bad = demo_app.test_cli_runner().invoke(cli, ["report", "profile", "--org", "NOPE", "--round", "endline", "-o", str(output)])
    assert bad.exit_code == 2 and "NOPE" in bad.output
