"""The profile-data form as people read and type it: units once, numbers the locale's way, and where they came from."""
from __future__ import annotations

import html
import re
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from flask_babel import force_locale, format_date

from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.parsing import locale_number
from capacity.profiles import services
from capacity.profiles.models import ProfileValue
from capacity.profiles.views import unit_label
from capacity.questionnaires.model import ProfileQuestion, Text
from capacity.rounds.models import AssessmentRound
from tests.assessments.helpers import client_for, people, text  # noqa: F401

URL = "/organisations/OWN-01/profile/baseline"
NBSP = "\u00a0"


def in_language(client, language: str):
    assert client.post("/language", data={"language": language}).status_code == 302
    return client


def load(app, values: dict, actor=None) -> None:
    """Figures stored without the form (a command, an import, the demo): no author unless ``actor`` is given."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
        services.save_values(actor, org.id, round_.id, values)
        db.session.commit()


def stored(app) -> dict[tuple[str, str], float]:
    with app.app_context():
        return {(code, category): value for code, category, value in db.session.execute(
            sa.select(ProfileValue.code, ProfileValue.category, ProfileValue.value))}


def box(page: str, name: str) -> dict[str, str]:
    """The attributes of one input box."""
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    return {k: html.unescape(v) for k, v in re.findall(r'(\w[\w-]*)="([^"]*)"', tag)}


def revision(page: str) -> str:
    return re.search(r'name="sheet_revision" value="(\d+)"', page).group(1)


BUDGET, GESI, ACCESS = "profile__annual_budget__total", "profile__gesi_budget_share__total", \
    "profile__accessibility_budget_share__total"


def test_units_are_said_once(app, people):
    cso = client_for(app, people["cso"])
    for language, budget, share in (("en", "Annual budget (GEL)", "Share of budget spent on GESI (%)"),
                                    ("ka", "წლიური ბიუჯეტი (ლარი)", "GESI-ის ხარჯების წილი ბიუჯეტში (%)")):
        response = in_language(cso, language).get(URL)
        body = response.get_data(as_text=True)
        # The legend, then the box's label: each says the question with its unit, once.
        assert re.search(rf'<legend>{re.escape(budget)}</legend>', body)
        assert re.search(rf'<label for="{BUDGET}">{re.escape(budget)}</label>', body)
        assert re.search(rf'<label for="{GESI}">{re.escape(share)}</label>', body)
        page = text(response)
        assert "(₾)" not in page and "(%) (%)" not in page and "(GEL) (" not in page and "(ლარი) (" not in page


def test_a_label_without_its_unit_gets_the_sign_once():
    def question(kind: str, en: str) -> ProfileQuestion:
        return ProfileQuestion(code="x", label=Text(ka=en, en=en), help=None, kind=kind, breakdown=())
    assert unit_label(question("money", "Reserves"), "en") == "Reserves (₾)"
    assert unit_label(question("money", "Reserves in GEL"), "en") == "Reserves in GEL"
    assert unit_label(question("percent", "Overheads"), "en") == "Overheads (%)"
    assert unit_label(question("percent", "Overheads (%)"), "en") == "Overheads (%)"
    assert unit_label(question("count", "Staff"), "en") == "Staff"


def test_numbers_are_shown_the_locale_way(app, people):
    load(app, {("annual_budget", "total"): 363300.0, ("gesi_budget_share", "total"): 2.5,
               ("staff", "total"): 1200.0, ("staff", "female"): 700.0, ("staff", "male"): 500.0})
    cso = client_for(app, people["cso"])
    page = in_language(cso, "ka").get(URL).get_data(as_text=True)
    assert box(page, BUDGET)["value"] == f"363{NBSP}300"
    assert box(page, GESI)["value"] == "2,5"
    assert box(page, "profile__staff__total")["value"] == f"1{NBSP}200"
    assert box(page, BUDGET)["type"] == "text" and box(page, BUDGET)["inputmode"] == "decimal"
    page = in_language(cso, "en").get(URL).get_data(as_text=True)
    assert box(page, BUDGET)["value"] == "363,300"
    assert box(page, GESI)["value"] == "2.5"
    assert "363300.0" not in page


@pytest.mark.parametrize("language, budget, share, access", [
    ("ka", "363 300,5", "2,5", "1 %"),
    ("ka", f"363{NBSP}300,5 ₾", "2.5", "1"),   # as shown, with the sign; a point is still a decimal point
    ("en", "363,300.5", "2.5", "1%"),
    ("en", "363300.5", "2.5", "1.0"),
])
def test_numbers_are_taken_back_as_typed(app, people, language, budget, share, access):
    cso = in_language(client_for(app, people["cso"]), language)
    seen = revision(cso.get(URL).get_data(as_text=True))
    saved = cso.post(URL, data={BUDGET: budget, GESI: share, ACCESS: access, "sheet_revision": seen})
    assert saved.status_code == 302, text(saved)[:2000]
    assert stored(app) == {("annual_budget", "total"): 363300.5, ("gesi_budget_share", "total"): 2.5,
                           ("accessibility_budget_share", "total"): 1.0}


@pytest.mark.parametrize("typed", ["12 34", "٣٦٣", "1_000", "363.300,5", "-5"])
def test_what_is_not_a_number_in_the_locale_is_refused_and_kept_as_typed(app, people, typed):
    cso = in_language(client_for(app, people["cso"]), "ka")
    refused = cso.post(URL, data={BUDGET: typed, "sheet_revision": "0"})
    assert refused.status_code == 200  # the form again, with the message beside the box
    page = refused.get_data(as_text=True)
    assert box(page, BUDGET)["value"] == typed
    assert re.search(r'id="profile__annual_budget__total-error">[^<]+<', page)
    assert stored(app) == {}


def test_each_question_says_where_its_figures_came_from(app, people):
    cso = in_language(client_for(app, people["cso"]), "en")
    load(app, {("staff", "total"): 10.0, ("staff", "female"): 6.0, ("staff", "male"): 4.0})
    seen = revision(cso.get(URL).get_data(as_text=True))
    assert cso.post(URL, data={BUDGET: "120,000", "profile__staff__total": "10", "profile__staff__female": "6",
                               "profile__staff__male": "4", "sheet_revision": seen}).status_code == 302
    page = cso.get(URL).get_data(as_text=True)
    with app.test_request_context(), force_locale("en"):
        today = format_date(datetime.now(timezone.utc), "long")

    def said(question: str) -> str:
        fieldset = re.search(rf'<fieldset class="profile-question[^"]*" id="profile-{question}".*?</fieldset>', page, re.S)
        return " ".join(re.findall(r'<p class="muted source">(.*?)</p>', fieldset.group(0), re.S)).strip()

    assert said("annual_budget") == f"Entered by staff on {today}."
    assert said("staff") == f"Loaded on {today} without a recorded author (an import by the programme team, or an " \
                            "account since removed)."
    assert said("volunteers") == ""  # nothing stored, nothing to explain
    with app.app_context():
        db.session.execute(sa.update(Organisation).values(is_demo=True))
        db.session.commit()
    page = cso.get(URL).get_data(as_text=True)
    assert said("staff") == f"Loaded with the demo data on {today} (fictional figures)."
    page = in_language(cso, "ka").get(URL).get_data(as_text=True)
    assert said("annual_budget").startswith('შეიყვანა: <span lang="en">staff</span>, ')  # a Latin name marked as such


@pytest.mark.parametrize("typed, decimal, group, expected", [
    (f"363{NBSP}300,5", ",", NBSP, "363300.5"),
    ("363 300", ",", NBSP, "363300"),
    ("1\u202f000", ",", NBSP, "1000"),
    ("2,5", ",", NBSP, "2.5"),
    ("363,300.5", ".", ",", "363300.5"),
    ("1,000,000", ".", ",", "1000000"),
    ("12.5", ",", NBSP, None),        # not this locale's way: left to the field's own reading
    ("12,5", ".", ",", None),         # a group of two is no group
    ("1 2", ",", NBSP, None),
    ("٣", ",", NBSP, None),           # ASCII digits only
    ("１２", ",", NBSP, None),
    ("1_000", ",", NBSP, None),
    ("-5", ",", NBSP, None),
    (",5", ",", NBSP, None),
    ("1,", ",", NBSP, None),
    ("", ",", NBSP, None),
    ("9" * 80, ",", NBSP, None),
])
def test_locale_numbers(typed, decimal, group, expected):
    assert locale_number(typed, decimal, group) == expected


def test_locale_numbers_take_the_unit_sign_they_are_given():
    assert locale_number("363 300 ₾", ",", NBSP, ("₾",)) == "363300"
    assert locale_number("15 %", ",", NBSP, ("%",)) == "15"
    assert locale_number("15 %", ",", NBSP) is None
