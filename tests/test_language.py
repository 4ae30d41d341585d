"""Georgian and English: switchable on every page, remembered per user."""
from __future__ import annotations

import html
import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from flask import session
from markupsafe import Markup

from tests.conftest import login

ROOT = Path(__file__).resolve().parents[1]


def test_language_switch_turns_the_page_english_and_back(client):
    response = client.post("/language", data={"language": "en", "next": "/login"})
    assert response.location == "/login"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page
    client.post("/language", data={"language": "ka", "next": "/login"})
    assert "შესვლა" in client.get("/login").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    assert client.post("/language", data={"language": "fr"}).status_code == 400


def test_language_choice_is_remembered_for_the_user(app, factory):
    email = factory.user("manager")
    first = app.test_client()
    login(first, email)
    first.post("/language", data={"language": "en", "next": "/"})
    # A new browser (no session) gets English once this user logs in.
    second = app.test_client()
    login(second, email)
    assert "Partner organisations" in second.get("/").get_data(as_text=True)


def test_language_switch_does_not_redirect_to_another_site(client):
    response = client.post("/language", data={"language": "en", "next": "//evil.example/x"})
    assert response.location == "/"


# --- WTForms' and Flask-WTF's own messages come from our catalogues -------------------------------------------

BAD_NEW_USER = {"email": "not-an-email", "display_name": "", "role": "chief", "language": "ka", "password": "short"}
FORM_MESSAGES = {
    "ka": {"email": "ელ. ფოსტის მისამართი არასწორია.", "display_name": "ეს ველი სავალდებულოა.",
           "role": "არჩეული ვარიანტი არასწორია.", "password": "ველში უნდა იყოს 12-დან 200-მდე სიმბოლო."},
    "en": {"email": "Invalid email address.", "display_name": "This field is required.",
           "role": "Not a valid choice.", "password": "Field must be between 12 and 200 characters long."},
}


def field_error(page: str, field: str) -> str:
    """The text of the error shown under ``field`` (tags and the screen readers' "Error:" prefix removed)."""
    found = re.search(rf'<p class="error" id="{field}-error">(.*?)</p>', page, re.S)
    assert found, f"no error shown for {field}"
    text = re.sub(r"<span class=\"visually-hidden\">.*?</span>", "", found.group(1))
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


@pytest.mark.parametrize("language", ["ka", "en"])
def test_an_admin_form_says_what_is_wrong_in_the_page_language(app, factory, language):
    client = app.test_client()
    login(client, factory.user("admin"))
    client.post("/language", data={"language": language, "next": "/"})
    page = client.post("/admin/users/new", data=BAD_NEW_USER).get_data(as_text=True)
    for field, message in FORM_MESSAGES[language].items():
        assert field_error(page, field) == message
    other = FORM_MESSAGES["en" if language == "ka" else "ka"]
    assert not any(message in page for message in other.values())


def test_the_plural_messages_are_translated_too(app):
    from wtforms import Form, StringField
    from wtforms.validators import Length

    from capacity.forms import FlaskForm

    class Short(FlaskForm):
        name = StringField(validators=[Length(min=3)])
        code = StringField(validators=[Length(max=2)])

    assert issubclass(Short, Form)
    with app.test_request_context("/", method="POST", data={"name": "ab", "code": "abc"}):
        session["language"] = "ka"
        form = Short(meta={"csrf": False})
        assert not form.validate()
        assert form.name.errors == ["ველში უნდა იყოს სულ მცირე 3 სიმბოლო."]
        assert form.code.errors == ["ველში უნდა იყოს არაუმეტეს 2 სიმბოლო."]


@pytest.mark.parametrize("language, message", [("ka", "ფორმას აკლია უსაფრთხოების კოდი."),
                                               ("en", "The CSRF token is missing.")])
def test_a_forms_own_csrf_check_speaks_the_page_language(app, language, message):
    from capacity.forms import FlaskForm

    with app.test_request_context("/", method="POST", data={}):
        session["language"] = language
        form = FlaskForm(meta={"csrf": True})
        assert not form.validate()
        assert form.csrf_token.errors == [message]


def _wtforms_template_ids() -> set[str]:
    import wtforms
    from babel.messages.pofile import read_po

    with (Path(wtforms.__file__).parent / "locale" / "wtforms.pot").open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def _extracted(path: Path) -> set[str]:
    """The msgids pybabel finds in ``path`` with the Makefile's keywords (make extract-messages)."""
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file

    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    return {m[1] if isinstance(m[1], str) else m[1][0] for m in extract_from_file("python", str(path), keywords)}


def test_every_wtforms_message_is_extracted_and_has_georgian():
    from babel.messages.pofile import read_po

    import capacity.i18n.form_messages as listed

    extracted = _extracted(Path(listed.__file__))
    missing = _wtforms_template_ids() - extracted
    assert not missing, f"WTForms messages not listed in capacity/i18n/form_messages.py: {sorted(missing)}"
    with (ROOT / "capacity/translations/ka/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = {m.id if isinstance(m.id, str) else m.id[0]: m for m in read_po(handle) if m.id}
    for msgid in extracted:
        strings = catalogue[msgid].string
        strings = strings if isinstance(strings, tuple) else (strings,)
        assert all(s and re.search("[ა-ჰ]", s) for s in strings), f"no Georgian for {msgid!r}"


def test_flask_wtfs_csrf_reasons_are_listed():
    import flask_wtf.csrf

    import capacity.i18n.form_messages as listed

    source = Path(flask_wtf.csrf.__file__).read_text(encoding="utf-8")
    reasons = set(re.findall(r'raise ValidationError\("([^"]+)"\)', source))
    assert reasons and reasons <= _extracted(Path(listed.__file__))


def test_every_form_class_uses_the_base_form_that_translates():
    import flask_wtf

    import capacity
    from capacity.forms import FlaskForm

    for module in pkgutil.walk_packages(capacity.__path__, "capacity."):
        if not module.name.startswith("capacity.migrations"):
            importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = [cls for cls in subclasses(flask_wtf.FlaskForm) if cls.__module__.startswith("capacity.")]
    assert len(forms) > 5
    strays = [f"{cls.__module__}.{cls.__qualname__}" for cls in forms if not issubclass(cls, FlaskForm)]
    assert not strays, f"forms that bypass capacity.forms.FlaskForm (their messages would stay English): {strays}"


# --- the header names the person and their role once, in the page's language ----------------------------------

def header_who(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<span class="who">(.*?)</span>\s*<button', page, re.DOTALL).group(1)


@pytest.mark.parametrize("language, expected", [("ka", "ადმინისტრატორი"), ("en", "Administrator")])
def test_a_name_that_is_the_role_is_said_once_in_the_page_language(app, factory, language, expected):
    client = app.test_client()
    login(client, factory.user("admin", display_name="ადმინისტრატორი"))
    client.post("/language", data={"language": language, "next": "/"})
    assert header_who(client) == expected


@pytest.mark.parametrize("language, expected", [
    ("ka", "<span>თამარ გელაშვილი</span> · პროგრამის მენეჯერი"),
    ("en", '<span lang="ka">თამარ გელაშვილი</span> · Programme manager'),
])
def test_the_header_shows_name_and_role_with_the_names_language_marked(app, factory, language, expected):
    client = app.test_client()
    login(client, factory.user("manager", display_name="თამარ გელაშვილი"))
    client.post("/language", data={"language": language, "next": "/"})
    assert header_who(client) == expected


# --- a few words of the other language inside a text are marked --------------------------------------------------

@pytest.mark.parametrize("text, page, expected", [
    ("GESI და დაცვის პოლიტიკა (safeguarding)", "ka", 'GESI და დაცვის პოლიტიკა (<span lang="en">safeguarding</span>)'),
    ("სტანდარტები (მაგ., Keeping Children Safe, IASC-ის) & PSEA", "ka",
     'სტანდარტები (მაგ., <span lang="en">Keeping Children Safe</span>, IASC-ის) &amp; PSEA'),
    ("Telavi: ასოციაცია „ნაბიჯი“ <b>", "en", 'Telavi: <span lang="ka">ასოციაცია „ნაბიჯი“</span> &lt;b&gt;'),
    ("GOV.01 — GESI-ის ტრენინგები", "ka", "GOV.01 — GESI-ის ტრენინგები"),
    ("John Smith (mentor12@example.org), policy.pdf, https://example.org/a-b, endline-2026.", "ka",
     '<span lang="en">John Smith</span> (mentor12@example.org), policy.pdf, https://example.org/a-b, endline-2026.'),
    # A template's translated string arrives as Markup: marked between its tags and entities, not escaped again.
    (Markup("Excel-ის წიგნი &amp; <b>XLSX</b>"), "ka", '<span lang="en">Excel</span>-ის წიგნი &amp; <b>XLSX</b>'),
])
def test_words_in_the_other_script_are_marked_and_the_rest_escaped(text, page, expected):
    from capacity.i18n.scripts import mark_other_script

    assert str(mark_other_script(text, page)) == expected


def test_a_domain_page_marks_the_english_words_of_the_georgian_questionnaire(app, factory):
    factory.round("baseline")
    client = app.test_client()
    login(client, factory.user("manager"))
    client.post("/language", data={"language": "ka", "next": "/"})
    page = client.get(f"/organisations/{factory.org('TEL-01')}/assessments/baseline/self/GESI").get_data(as_text=True)
    assert 'დაცვის პოლიტიკა (<span lang="en">safeguarding</span>)</h1>' in page
    assert "(safeguarding)" not in page.split("</title>", 1)[1]


@pytest.mark.parametrize("language, expected", [
    ("en", '<span lang="ka">თამარ გელაშვილი</span>'),
    ("ka", '<span lang="en">John Smith</span>'),
])
def test_names_in_the_other_script_are_marked_in_lists_and_checkboxes(app, factory, language, expected):
    name = "თამარ გელაშვილი" if language == "en" else "John Smith"
    factory.org("TEL-01")
    factory.user("mentor", display_name=name)
    client = app.test_client()
    login(client, factory.user("admin"))
    client.post("/language", data={"language": language, "next": "/"})
    assert expected in client.get("/admin/users/").get_data(as_text=True)
    assert f'{expected} (mentor' in client.get("/organisations/TEL-01/mentors").get_data(as_text=True)  # (e-mail)


def test_a_mentor_named_in_georgian_is_marked_in_the_english_progress_filter(app, factory):
    mentor = factory.user("mentor", display_name="ნინო ბერიძე")
    factory.assign(mentor, factory.org("TEL-01"))
    factory.round("baseline")
    client = app.test_client()
    login(client, factory.user("manager"))
    client.post("/language", data={"language": "en", "next": "/"})
    page = client.get("/rounds/baseline/progress").get_data(as_text=True)
    assert re.search(r'<option lang="ka" value="\d+">ნინო ბერიძე</option>', page)
