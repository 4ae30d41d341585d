"""Input a hostile or careless user sends: never a 500, always a sentence, nothing already saved lost.

Each case here once gave a 500 on at least one database (found by a second
read of the viewer-scoped read model): numbers that are not finite in the
profile data, an evidence link with an unclosed IPv6 address, a NUL character
anywhere in an address or form (PostgreSQL cannot even compare such text), a
row id longer than a database integer, and a consensus row sent twice. The last
four were found by the generated junk of test_junk_input.py: a JSON body read as
a form, a form part without a name, a kept form nested too deep to read after a
login, and a search longer than SQLite's LIKE takes.
"""
from __future__ import annotations

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from capacity.assessments import answering
from capacity.assessments.models import EvidenceFile, Track
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.profiles.models import ProfileValue
from capacity.questionnaires.forms import field_name
from capacity.questionnaires.library import load_directory
from capacity.rounds.models import AssessmentRound
from tests.assessments.helpers import BASE, client_for, people  # noqa: F401 (a fixture)
from tests.factories import Factory

PROFILE = "/organisations/OWN-01/profile/baseline"
QUESTIONNAIRE = load_directory().questionnaire("gesi-oca", "1.0")
RUBRIC = load_directory().rubric("gesi-oca-default", "1.0")


def _english(client):
    client.post("/language", data={"language": "en", "next": "/"})
    return client


def _budget(app) -> list[float]:
    with app.app_context():
        return list(db.session.scalars(sa.select(ProfileValue.value).where(ProfileValue.code == "annual_budget")))


def test_numbers_that_are_not_finite_or_absurdly_large_are_refused_in_profile_data(app, people):
    staff = _english(client_for(app, people["cso"]))
    assert staff.post(PROFILE, data={"profile__annual_budget__total": "120000", "sheet_revision": "0"}).status_code == 302
    for junk in ("Infinity", "-Infinity", "NaN", "1e309", "1e400", "9" * 400):
        response = staff.post(PROFILE, data={"profile__annual_budget__total": junk, "sheet_revision": "1"})
        assert response.status_code < 500, junk
        assert response.status_code != 302, junk  # not saved
        page = response.get_data(as_text=True)
        assert "Enter a number." in page or "Enter an amount of 0 or more." in page, junk
    for junk in ("NaN", "Infinity"):
        response = staff.post(PROFILE, data={"profile__gesi_budget_share__total": junk, "sheet_revision": "1"})
        assert response.status_code < 500 and "Enter a number." in response.get_data(as_text=True)
    assert _budget(app) == [120000.0]  # what was saved before is still there


def test_a_value_stored_before_figures_were_bounded_does_not_break_the_page_that_corrects_it(app, people):
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound))
        db.session.add(ProfileValue(organisation_id=org.id, round_id=round_.id, code="staff", category="total",
                                    value=float("inf")))
        db.session.commit()
    assert client_for(app, people["cso"]).get(PROFILE).status_code == 200


def test_an_evidence_link_that_cannot_even_be_parsed_is_a_message_beside_the_field(app, people):
    staff = _english(client_for(app, people["cso"]))
    for link in ("http://[::1", "https://[x", "http://[::1]:99999999999/"):
        response = staff.post(f"{BASE}/self/answers/GOV.01",
                              data={"level": "2", "comment": "", "evidence_url": link, "revision": "0"})
        assert response.status_code == 400, link
        assert response.json["field"] == "evidence_url"
        assert "https://" in response.json["message"]


def test_a_nul_character_in_an_address_or_a_form_is_a_bad_request_on_every_database(app, people):
    manager, staff = _english(client_for(app, people["manager"])), _english(client_for(app, people["cso"]))
    for client, url in ((manager, "/organisations/OWN-01/report?round=base%00line"),
                        (manager, "/organisations/OWN-01/report/baseline?baseline=%00"),
                        (manager, "/organisations/OWN-01/report/baseline.pdf?baseline=base%00line"),
                        (manager, "/organisations/OWN%00/report/baseline"),
                        (staff, "/organisations/OWN-01/profile/base%00line"),
                        (manager, "/rounds/base%00line/portfolio.pdf"),
                        (manager, "/organisations/?q=%00")):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "invisible control character" in response.get_data(as_text=True)
    assert manager.post("/rounds/base%00line/repin").status_code == 400
    login = app.test_client().post("/login", data={"email": "a\x00b@example.org", "password": "x"})
    assert login.status_code == 400
    # In an answer the form says which field holds it, beside the field.
    refused = staff.post(f"{BASE}/self/answers/GOV.01",
                         data={"level": "2", "comment": "a\x00b", "evidence_url": "", "revision": "0"})
    assert refused.status_code == 400 and refused.json["field"] == "comment"


def test_a_row_id_longer_than_a_database_integer_is_simply_not_found(app, people):
    manager = client_for(app, people["manager"])
    assert manager.get("/evidence/99999999999999999999999").status_code == 404
    assert manager.post("/evidence/99999999999999999999999/delete").status_code == 404
    assert manager.get("/admin/users/99999999999999999999999/edit").status_code in (403, 404)


def test_every_numeric_address_part_is_a_bounded_row_id(app):
    """Flask's <int:…> takes any length of digits, which overflows a database integer (a 500 on SQLite):
    every route names its rows with <id:…> (capacity/urls.py RowIdConverter) instead."""
    from werkzeug.routing import IntegerConverter

    from capacity.urls import RowIdConverter

    unbounded = sorted(f"{rule.rule} ({name})" for rule in app.url_map.iter_rules()
                       for name, converter in (rule._converters or {}).items()
                       if isinstance(converter, IntegerConverter) and not isinstance(converter, RowIdConverter))
    assert not unbounded, f"routes with an unbounded integer in their address: {unbounded}"


def test_a_consensus_row_sent_twice_with_different_values_saves_nothing_for_it(app, people):
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound))
        for track in (Track.SELF, Track.MENTOR):
            assessment = answering.get_or_create_assessment(org, round_, track, QUESTIONNAIRE, RUBRIC)
            for indicator in QUESTIONNAIRE.indicators:
                if indicator.computed is None:
                    answering.save_answer(None, assessment, QUESTIONNAIRE, indicator.code,
                                          answering.AnswerInput("3", revision=0))
            answering.submit(None, assessment, QUESTIONNAIRE)
        db.session.commit()
    mentor = _english(client_for(app, people["mentor"]))
    level, revision = field_name("level", "GOV.01"), field_name("revision", "GOV.01")
    response = mentor.post(f"{BASE}/consensus", data=MultiDict([(level, "2"), (level, "3"), (revision, "0"), (revision, "0")]))
    assert response.status_code == 400
    assert "sent twice" in response.get_data(as_text=True)
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        consensus = answering.get_assessment(org, db.session.scalar(sa.select(AssessmentRound)), Track.CONSENSUS)
        assert consensus is None or "GOV.01" not in answering.answers_by_code(consensus)


def test_staff_learn_nothing_of_the_mentor_from_the_agreed_assessment_badge(app, people):
    staff = _english(client_for(app, people["cso"]))
    before = staff.get("/organisations/OWN-01").get_data(as_text=True)
    assert "Not validated yet" in before  # nothing started at all
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
        round_ = db.session.scalar(sa.select(AssessmentRound))
        # The mentor submits and starts the agreement: the badge staff see must not change.
        answering.get_or_create_assessment(org, round_, Track.MENTOR, QUESTIONNAIRE, RUBRIC)
        consensus = answering.get_or_create_assessment(org, round_, Track.CONSENSUS, QUESTIONNAIRE, RUBRIC)
        answering.save_answer(None, consensus, QUESTIONNAIRE, "GOV.01", answering.AnswerInput("2", revision=0))
        db.session.commit()
    after = staff.get("/organisations/OWN-01").get_data(as_text=True)
    assert after.count("Not validated yet") == before.count("Not validated yet")
    assert "Mentor assessment" not in after


def test_a_body_nested_too_deep_to_parse_or_not_utf8_is_a_bad_request_not_a_crash(app):
    client = app.test_client()
    deep = '{"email": ' + "[" * 5000 + "]" * 5000 + "}"
    assert client.post("/login", data=deep, content_type="application/json").status_code == 400
    assert client.post("/login", data="email" + "[a]" * 5000 + "=x&password=y",
                       content_type="application/x-www-form-urlencoded").status_code == 200
    assert client.post("/login", data=b"email=%ff%fe&password=%80",
                       content_type="application/x-www-form-urlencoded").status_code == 200


def test_a_json_body_is_refused_with_a_sentence_not_read_as_the_form(app, people, factory):
    """Flask-WTF takes a JSON body as the form's data: numbers, lists and lone surrogates where every field wants text."""
    admin = _english(client_for(app, factory.user("admin")))
    for body in ('{"email": 1.5, "display_name": [], "role": "cso", "password": 1e309}', '"\\ud800"', "[" * 5000 + "]" * 5000):
        response = admin.post("/admin/users/new", data=body, content_type="application/json")
        assert response.status_code == 400, body
        assert "takes a form, not JSON" in response.get_data(as_text=True)
    manager = _english(client_for(app, people["manager"]))
    assert manager.post("/rounds/baseline/close", data='"\\ud800"', content_type="application/json").status_code == 400
    with app.app_context():
        assert db.session.scalar(sa.select(AssessmentRound.is_open))  # nothing was done
    staff = client_for(app, people["cso"])
    saved = staff.post(f"{BASE}/self/answers/GOV.01", data='{"level": "2", "revision": 0}', content_type="application/json")
    assert saved.status_code == 400


def test_a_form_part_without_a_name_is_no_crash(app, people):
    # Werkzeug files a multipart part whose name it cannot read under the name None.
    body = b'--B\r\nContent-Disposition: form-data; name="\n"\r\n\r\nv\r\n--B\r\nContent-Disposition: form-data\r\n\r\nw\r\n--B--\r\n'
    assert app.test_client().post("/login", data=body, content_type="multipart/form-data; boundary=B").status_code == 200


def test_a_kept_form_nested_too_deep_to_read_is_dropped_and_the_login_goes_on(app, people):
    client = app.test_client()
    response = client.post("/login", data={"email": people["cso"], "password": Factory.PASSWORD, "pending": "[" * 100_000})
    assert response.status_code == 302  # logged in, and sent on as without a kept form
    assert client.get("/organisations/").status_code == 200


def test_a_search_longer_than_any_name_is_refused_with_a_sentence(app, people):
    staff = _english(client_for(app, people["cso"]))
    refused = staff.get("/organisations/?q=" + "x" * 100_000)  # SQLite refuses a LIKE pattern over 50,000 bytes
    assert refused.status_code == 400
    assert "The search text is too long: at most 200 characters." in refused.get_data(as_text=True)
    assert staff.get("/organisations/?q=" + "x" * 200).status_code == 200
    assert "OWN-01" in staff.get("/organisations/?q=own").get_data(as_text=True)


def test_digits_that_are_not_ascii_are_refused_not_read_as_numbers(app, people, factory):
    """int() and Decimal() read "٣" as 3 and "1_000" as 1000: a form takes the digits 0–9 only (capacity.parsing)."""
    staff = _english(client_for(app, people["cso"]))
    for junk in ("٣", "１２", "1_000", "²", "1.5"):
        response = staff.post(PROFILE, data={"profile__staff__total": junk, "sheet_revision": "0"})
        assert response.status_code == 200, junk  # the form again, nothing saved
        assert "Enter a whole number." in response.get_data(as_text=True), junk
        assert "Enter a number of 0 or more." not in response.get_data(as_text=True), junk  # one message, not two
    for junk in ("٣.٥", "1_000"):
        response = staff.post(PROFILE, data={"profile__annual_budget__total": junk, "sheet_revision": "0"})
        assert response.status_code == 200 and "Enter a number." in response.get_data(as_text=True), junk
    assert _budget(app) == []
    assert staff.post(PROFILE, data={"profile__staff__total": " 12 ", "sheet_revision": "0"}).status_code == 302
    # A mentor's id written in Arabic-Indic digits names no mentor.
    manager = _english(client_for(app, people["manager"]))
    spare = factory.user("mentor")
    arabic = str(factory.user_id(spare)).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert manager.post("/organisations/OWN-01/mentors", data={"mentors": arabic}).status_code == 200
    with app.app_context():
        assigned = db.session.scalars(sa.select(MentorAssignment.mentor_id)).all()
    assert factory.user_id(spare) not in assigned


def test_a_range_that_cannot_be_served_gets_this_sites_page(app):
    client = app.test_client()
    for junk in ("²", "bytes=99999999-", "bytes=" + "9" * 5000 + "-"):
        response = client.get("/static/app.css", headers={"Range": junk})
        assert response.status_code == 416, junk
        assert 'class="site-header"' in response.get_data(as_text=True), junk  # not Werkzeug's bare page
    assert client.get("/organisations").status_code == 308  # a routing redirect is still one


def test_a_file_name_with_a_control_character_is_refused_before_it_is_stored(app, people):
    """A NUL cannot be stored (a 500 on PostgreSQL); a line break, sent as filename*=, broke every later download (500)."""
    staff = _english(client_for(app, people["cso"]))
    for disposition in ('filename="a\x00b.pdf"', "filename*=UTF-8''a%00b.pdf", "filename*=UTF-8''a%0D%0Ab.pdf"):
        for url, field, accept in ((f"{BASE}/self/evidence/GOV.01", "file", "application/json"),
                                   (f"{BASE}/self/GOV", field_name("file", "GOV.01"), "text/html")):
            body = (f'--B\r\nContent-Disposition: form-data; name="{field}"; {disposition}\r\n'
                    "Content-Type: application/pdf\r\n\r\n%PDF-1.4 x\r\n--B--\r\n").encode()
            response = staff.post(url, data=body, content_type="multipart/form-data; boundary=B", headers={"Accept": accept})
            assert response.status_code == 400, (url, disposition)
            assert "invisible control character" in response.get_data(as_text=True), (url, disposition)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(EvidenceFile.id))) == 0


def test_a_next_address_that_cannot_even_be_parsed_leads_home(app, people):
    """urlsplit raises on an unclosed IPv6 host: the language switch and the login answered with a 500."""
    staff = client_for(app, people["cso"])
    for junk in ("http://[::1", "//["):
        switched = staff.post("/language", data={"language": "en", "next": junk})
        assert switched.status_code == 302 and switched.location == "/", junk
        logged_in = app.test_client().post("/login", data={"email": people["other_cso"], "password": Factory.PASSWORD,
                                                           "next": junk})
        assert logged_in.status_code == 302 and logged_in.location == "/", junk
