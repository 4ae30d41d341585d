"""An organisation round's profile and portfolio read as they did before subjects had kinds: their titles are the
organisation kind's texts, which equal the sentences they always printed, and every sentence about organisations
is the one the organisation reports' tests pin — none of the words the other kinds' reports use instead."""
from __future__ import annotations

import re
from html import unescape

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import ngettext

from capacity.reporting.html import render_html
from capacity.reporting.portfolio_model import build_portfolio
from capacity.reporting.profile_model import build_profile
from capacity.rounds.queries import baseline_for
from tests.reporting_subjects.conftest import round_, subject

# The organisation reports' own sentences (as the tests of tests/reporting and tests/reporting_instrument pin them).
PROFILE = ["Organisation profile", "Development plan and mentoring"]
PORTFOLIO = [("Organisational capacity of the partner organisations", {}), ("Development plans and mentoring", {}),
             ("Every figure is an aggregate over organisations: none shows an organisation's own levels.", {}),
             ("Domain scores by organisation", {}),
             ("Organisations with a final result in this round: %(n)d. Cronbach's alpha needs at least %(least)d, so "
              "it is not computed.", {"n": 2, "least": 3})]
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
def test_the_organisation_kind_is_the_default_and_its_texts_are_the_old_sentences(subjects_app, reports, language):
    profile, _html = reports["profile", language]
    portfolio, _html = reports["portfolio", language]
    assert profile["kind"]["default"] and portfolio["kind"]["default"]
    with subjects_app.test_request_context(), force_locale(language):
        assert profile["kind"]["profile"] == _("Organisation profile")
        assert portfolio["kind"]["portfolio"] == _("Organisational capacity of the partner organisations")
        assert portfolio["kind"]["name"] == _("Organisation") and portfolio["kind"]["plural"] == _("Organisations")
    assert profile["org"]["parent"] is None


@pytest.mark.parametrize("language", ["ka", "en"])
def test_an_organisation_report_keeps_its_sentences(subjects_app, reports, language):
    _profile, profile_html = reports["profile", language]
    _portfolio, portfolio_html = reports["portfolio", language]
    with subjects_app.test_request_context(), force_locale(language):
        for sentence in PROFILE:
            assert _(sentence) in profile_html, sentence
        for sentence, values in PORTFOLIO:
            assert _(sentence, **values) in unescape(portfolio_html), sentence
        assert ngettext("%(num)d organisation", "%(num)d organisations", 2) + "." in portfolio_html
        title = f"<title>{_('Organisation profile')}: "
    assert title in profile_html
    assert text_of(portfolio_html).count("ORG-") >= 2


def test_an_organisation_report_uses_none_of_the_other_kinds_words(reports):
    for (report, language), (_data, html) in reports.items():
        if language == "en":
            for words in OTHER_KINDS:
                assert words not in html, (report, words)
