"""Profiles and portfolios of services and municipalities as PDFs, in Georgian and English: titled by their kind,
every glyph in the shipped fonts, and no sentence that speaks of organisations.

One PDF per report and language for the module (rendering is slow): a service's profile compared with the
baseline round (SRV-1), a municipality's single-round profile (MUN-BAT), and both rounds' portfolios.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from functools import cache

import pytest
from babel.messages.pofile import read_po

from capacity import TRANSLATIONS_DIR
from capacity.extensions import db
from capacity.reporting.pdf import render_pdf
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.queries import baseline_for
from tests.reporting.pdftext import covered, text_of
from tests.reporting_subjects.conftest import round_, subject

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed")

# (report, subject kind): what is printed, for whom.
REPORTS = {"service-profile": ("SRV-1", "srv-end"), "service-portfolio": (None, "srv-end"),
           "municipality-profile": ("MUN-BAT", "mun-2026"), "municipality-portfolio": (None, "mun-2026")}
TITLES = {  # the kind's texts (questionnaires/subjects.yaml) each report must print
    ("service-profile", "en"): ["Service profile"],
    ("service-profile", "ka"): ["მომსახურების პროფილი"],
    ("service-portfolio", "en"): ["Quality of the social services", "Service", "Services"],
    ("service-portfolio", "ka"): ["სოციალური მომსახურების ხარისხი", "მომსახურება", "მომსახურებები"],
    ("municipality-profile", "en"): ["Municipal benchmark"],
    ("municipality-profile", "ka"): ["მუნიციპალიტეტის შედარება (ბენჩმარკინგი)"],
    ("municipality-portfolio", "en"): ["Citizen participation in the municipalities", "Municipality",
                                       "Municipalities"],
    ("municipality-portfolio", "ka"): ["მოქალაქეთა მონაწილეობა მუნიციპალიტეტებში", "მუნიციპალიტეტი",
                                       "მუნიციპალიტეტები"],
}
CASES = [(report, language) for report in REPORTS for language in ("ka", "en")]


@pytest.fixture(scope="module")
def pdfs(subjects_app, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdfs")
    paths = {}
    with subjects_app.app_context():
        for (report, language) in CASES:
            code, round_code = REPORTS[report]
            later = round_(round_code)
            baseline = baseline_for(later, None)
            if code:
                template, data = "profile.html", {"r": build_profile(subject(code), later, baseline, language)}
            else:
                template, data = "portfolio.html", {"p": build_portfolio(later, baseline, language)}
            paths[report, language] = out / f"{report}-{language}.pdf"
            paths[report, language].write_bytes(render_pdf(template, data, language))
        db.session.remove()
    return paths


def flat(text: str) -> str:
    return " ".join(text.split())


@cache
def organisation_sentences() -> dict[str, list[str]]:
    """Per language, the words of every report sentence about organisations (the catalogue's messages used in the
    reports whose English names organisations): the longest run of each between its placeholders."""
    with (TRANSLATIONS_DIR / "ka" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    found: dict[str, list[str]] = {"en": [], "ka": []}
    for message in catalogue:
        ids = [message.id] if isinstance(message.id, str) else list(message.id or ())
        strings = [message.string] if isinstance(message.string, str) else list(message.string or ())
        places = [path for path, _line in message.locations]
        if not any(p.startswith(("reports/", "capacity/reporting/", "capacity/reliability/")) for p in places):
            continue
        if not any("rganisation" in i for i in ids):
            continue
        for language, texts in (("en", ids), ("ka", strings)):
            for text in texts:
                longest = max(re.split(r"%\(\w+\)[sd]|%[sd]", text), key=len).strip(" .,:;()")
                if len(longest) >= 14:
                    found[language].append(flat(longest))
    return found


@pytest.mark.parametrize("report,language", CASES)
def test_every_character_is_in_the_shipped_fonts_and_only_they_are_embedded(pdfs, report, language):
    text = text_of(pdfs[report, language])
    missing = sorted({f"{c} U+{ord(c):04X}" for c in text if not c.isspace() and ord(c) not in covered()})
    assert missing == []
    fonts = subprocess.run(["pdffonts", str(pdfs[report, language])], capture_output=True, text=True,
                           check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all("Noto-Sans" in row[0] for row in rows), fonts
    assert all(row[-5] == "yes" for row in rows), fonts  # embedded


@pytest.mark.parametrize("report,language", CASES)
def test_each_report_is_titled_by_its_kind_and_says_nothing_of_organisations(pdfs, report, language):
    text = flat(text_of(pdfs[report, language]))
    for title in TITLES[report, language]:
        assert title.casefold() in text.casefold(), title  # an English eyebrow is printed in capitals
    if report.endswith("profile"):  # the document's title: the kind's report title and the subject's name
        info = subprocess.run(["pdfinfo", str(pdfs[report, language])], capture_output=True, text=True,
                              check=True).stdout
        assert re.search(rf"^Title:\s+{re.escape(TITLES[report, language][0])}: ", info, re.M), info
    assert "Organisation profile" not in text and "ორგანიზაციის პროფილი" not in text
    assert "Organisational capacity" not in text and "ორგანიზაციული შესაძლებლობები" not in text
    sentences = organisation_sentences()[language]
    assert len(sentences) > 20
    printed = [sentence for sentence in sentences if sentence in text]
    if report == "service-profile":  # its lead names the organisation that runs it, labelled with that kind's name
        printed = [s for s in printed if s not in ("Organisation", "ორგანიზაცია")]
    assert printed == []


@pytest.mark.parametrize("language", ["ka", "en"])
def test_a_service_profile_names_its_organisation_and_its_organisation_s_mentors(pdfs, language):
    text = flat(text_of(pdfs["service-profile", language]))
    if language == "en":
        assert "Organisation: Telavi Women's Centre · ORG-1" in text
        assert "Mentors: Monitor Mentor" in text and "Day centre" in text
        assert "Rounds compared: Round srv-base and Round srv-end" in text
        assert "Quality improvement plan and mentoring" in text
    else:
        assert "ორგანიზაცია: თელავის ქალთა ცენტრი · ORG-1" in text
        assert "მენტორები: Monitor Mentor" in text and "დღის ცენტრი" in text
        assert "ხარისხის გაუმჯობესების გეგმა" in text


@pytest.mark.parametrize("language", ["ka", "en"])
def test_a_municipality_profile_names_the_accounts_assigned_to_its_municipality(pdfs, language):
    text = flat(text_of(pdfs["municipality-profile", language]))
    label = "Mentors" if language == "en" else "მენტორები"
    assert f"{label}: ლევან ცეცხლაძე" in text
    assert ("Batumi (Adjara) · MUN-BAT" if language == "en" else "ბათუმი (აჭარა) · MUN-BAT") in text
    plan = "Action plan for citizen participation" if language == "en" else "მოქალაქეთა მონაწილეობის სამოქმედო გეგმა"
    assert plan in text


@pytest.mark.parametrize("language", ["ka", "en"])
def test_each_portfolio_lists_the_subjects_of_its_round_s_kind_only(pdfs, language):
    services = text_of(pdfs["service-portfolio", language])
    assert all(code in services for code in ("SRV-1", "SRV-2", "SRV-3", "SRV-4"))
    assert "ORG-1" not in services and "MUN-" not in services
    towns = text_of(pdfs["municipality-portfolio", language])
    assert all(code in towns for code in ("MUN-BAT", "MUN-CHO", "MUN-MAR", "MUN-DMA"))
    assert "ORG-" not in towns and "SRV-" not in towns
    counted = flat(services)
    assert ("Services: 4." if language == "en" else "მომსახურებები: 4.") in counted


def test_the_english_portfolio_words_its_counts_and_annex_without_naming_organisations(pdfs):
    text = flat(text_of(pdfs["service-portfolio", "en"]))
    for sentence in ("Round srv-end: 3 of 4 with a final result.",
                     "No final result yet: 1. Such rows are marked provisional",
                     "Domain scores (Services): Round srv-end",
                     "Moved up at least one level, by domain (Services)",
                     "Pairs (Services × indicators): each with a final result in both rounds",
                     "With a final result in this round: 3 of 4.",
                     "Every figure is an aggregate: none shows the levels of any single one (Services).",
                     "Services (n)"):
        assert sentence in text, sentence


@pytest.mark.parametrize("report", list(REPORTS))
def test_the_georgian_reports_have_no_english_sentence_left(pdfs, report):
    """Every sentence the reports print for these kinds is translated: no run of five English words (the
    questionnaires' own texts are Georgian too; names and codes are shorter)."""
    text = flat(text_of(pdfs[report, "ka"]))
    english = re.findall(r"(?:\b[A-Za-z][a-z’']*[,;:]? ){5,}", text)
    assert english == []
