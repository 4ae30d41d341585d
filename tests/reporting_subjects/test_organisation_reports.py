"""An organisation round's profile and portfolio read as they did before subjects had kinds: their titles are the
organisation kind's texts, which equal the sentences they always printed, and every sentence about organisations
is the one the organisation reports' tests pin — none of the words the other kinds' reports use instead."""
from __future__ import annotations

import re
from html import unescape

import pytest

from capacity.reporting.html import render_html
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.queries import baseline_for
from tests.reporting_subjects.conftest import round_, subject

# The organisation reports' own sentences, as the organisation reports' tests pin them and as they printed them before
# subjects had kinds (in English and Georgian: a sentence no template uses any longer leaves the catalogues).
PROFILE = {"en": ["<title>Organisation profile: ", "Organisation profile", "Development plan and mentoring"],
           "ka": ["<title>ორგანიზაციის პროფილი: ", "ორგანიზაციის პროფილი", "განვითარების გეგმა და მენტორობა"]}
PORTFOLIO = {
    "en": ["Organisational capacity of the partner organisations", "2 organisations.", "Development plans and mentoring",
           "Every figure is an aggregate over organisations: none shows an organisation's own levels.",
           "Domain scores by organisation",
           "Organisations with a final result in this round: 2. Cronbach's alpha needs at least 3, so it is not computed."],
    "ka": ["პარტნიორი ორგანიზაციების ორგანიზაციული შესაძლებლობები", "2 ორგანიზაცია.",
           "განვითარების გეგმები და მენტორობა",
           "ყველა მაჩვენებელი რამდენიმე ორგანიზაციის მონაცემებს აერთიანებს: არცერთი არ აჩვენებს ცალკეული "
           "ორგანიზაციის დონეებს.", "მიმართულებების ქულები ორგანიზაციების მიხედვით",
           "ამ შეფასების რაუნდში დადასტურებული შედეგი აქვს 2 ორგანიზაციას. კრონბახის ალფას სულ მცირე 3 სჭირდება, "
           "ამიტომ ის არ გამოითვლება."],
}
# What the reports of other kinds print instead (their English words): never in an organisation's report.
OTHER_KINDS = ["Services", "Municipalities", "Assesses", "Plans of ", "none shows the levels of any single one",
               "Number in each stage", "Domain scores (", "not yet agreed.", "with a final result.",
               "No final result yet:", "Moved up at least one level, by domain (", "GESI sub-index (",
               "This profile shows your own self-assessment", "Pairs (Organisations"]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture(scope="module")
def reports(subjects_app):
    rendered = {}
    with subjects_app.app_context():
        later = round_("oca")
        for language in ("ka", "en"):
            profile = build_profile(subject("ORG-1"), later, baseline_for(later, None), language)
            portfolio = build_portfolio(later, baseline_for(later, None), language)
            rendered["profile", language] = (profile, render_html("profile.html", {"r": profile}, language))
            rendered["portfolio", language] = (portfolio, render_html("portfolio.html", {"p": portfolio}, language))
    return rendered


@pytest.mark.parametrize("language", ["ka", "en"])
def test_the_organisation_kind_is_the_default_and_its_texts_are_the_old_sentences(reports, language):
    profile, _html = reports["profile", language]
    portfolio, _html = reports["portfolio", language]
    assert profile["kind"]["default"] and portfolio["kind"]["default"]
    assert profile["kind"]["profile"] == PROFILE[language][1]
    assert portfolio["kind"]["portfolio"] == PORTFOLIO[language][0]
    assert (portfolio["kind"]["name"], portfolio["kind"]["plural"]) == \
        {"en": ("Organisation", "Organisations"), "ka": ("ორგანიზაცია", "ორგანიზაციები")}[language]
    assert profile["org"]["parent"] is None


@pytest.mark.parametrize("language", ["ka", "en"])
def test_an_organisation_report_keeps_its_sentences(reports, language):
    _profile, profile_html = reports["profile", language]
    _portfolio, portfolio_html = reports["portfolio", language]
    for sentence in PROFILE[language]:
        assert sentence in profile_html, sentence
    for sentence in PORTFOLIO[language]:
        assert sentence in " ".join(unescape(portfolio_html).split()), sentence
    assert text_of(portfolio_html).count("ORG-") >= 2


def test_an_organisation_report_uses_none_of_the_other_kinds_words(reports):
    for (report, language), (_data, html) in reports.items():
        if language == "en":
            for words in OTHER_KINDS:
                assert words not in html, (report, words)
