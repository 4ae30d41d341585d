"""Saving each question type, by the page script (autosave) and by the no-script form: what is stored, what is shown
again, and every kind of junk refused with its own message, nothing stored and never an error page."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from capacity.questionnaires.forms import field_name
from tests.question_types.conftest import (BASE, client_for, fieldset, form_fields, sent, stored, text,  # noqa: F401
                                           world)


def test_each_type_saved_by_the_script_round_trips(app, world):
    people = world()
    cso = client_for(app, people["cso"])
    answers = {"GOV.1": sent(level="3"), "GOV.2": sent(value="yes"), "GOV.3": sent(value=["youth", "women"]),
               "GOV.4": sent(value="yearly"), "SRV.1": sent(value="1 250"), "SRV.3": sent(level="4"),
               "SRV.4": sent(value="  We now answer in sign language.  ")}
    for code, data in answers.items():
        response = cso.post(f"{BASE}/self/answers/{code}", data=data, headers={"Accept": "application/json"})
        assert response.status_code == 200, (code, response.get_json())
        assert response.json["revision"] == 1
    assert stored(app) == {
        "GOV.1": (3, None, False, 1), "GOV.2": (None, "yes", False, 1),
        "GOV.3": (None, json.dumps(["women", "youth"]), False, 1),  # in the questionnaire's order
        "GOV.4": (None, "yearly", False, 1), "SRV.1": (None, "1250", False, 1),  # "1 250": a Georgian way of writing
        "SRV.3": (4, None, False, 1), "SRV.4": (None, "We now answer in sign language.", False, 1)}
    governance = cso.get(f"{BASE}/self/GOV")
    assert f'name="{field_name("value", "GOV.2")}" value="yes" checked' in fieldset(governance, "GOV.2")
    multiple = fieldset(governance, "GOV.3")
    assert f'value="women" checked' in multiple and f'value="youth" checked' in multiple
    assert 'value="older">' in multiple  # not ticked
    assert 'value="yearly" checked' in fieldset(governance, "GOV.4")
    services = cso.get(f"{BASE}/self/SRV")
    assert 'value="1\u00a0250"' in fieldset(services, "SRV.1")  # as Georgian writes numbers
    assert ">We now answer in sign language.</textarea>" in fieldset(services, "SRV.4")
    # The progress the script shows counts typed answers too.
    reply = cso.post(f"{BASE}/self/answers/GOV.5", data=sent(level="2")).json
    assert reply["progress"]["GOV"] == [5, 5]


def test_none_of_these_is_an_answer_and_nothing_ticked_is_none(app, world):
    people = world()
    cso = client_for(app, people["cso"])
    cso.post(f"{BASE}/self/answers/GOV.2", data=sent(value="yes"))
    assert cso.post(f"{BASE}/self/answers/GOV.3", data=sent(value="-none-")).status_code == 200
    assert stored(app)["GOV.3"] == (None, "[]", False, 1)
    assert 'value="-none-" checked' in fieldset(cso.get(f"{BASE}/self/GOV"), "GOV.3")
    assert "GOV.3" not in [row for row in text(cso.get(f"{BASE}/self/submit")).split("Still to answer")[1:]]
    # Unticking everything takes the answer back: the question is unanswered again (the script sends one empty value).
    assert cso.post(f"{BASE}/self/answers/GOV.3", data=sent(1, value="")).status_code == 200
    assert stored(app)["GOV.3"] == (None, None, False, 2)


def test_the_no_script_form_saves_every_type_of_a_domain(app, world):
    people = world()
    cso = client_for(app, people["cso"])
    data = {**form_fields("SRV.1", value="12"), **form_fields("SRV.2", level="na"), **form_fields("SRV.3", level="3"),
            **form_fields("SRV.4", value="Ramps", comment="see the photos"), **form_fields("SRV.5")}
    response = cso.post(f"{BASE}/self/SRV", data=data)
    assert response.status_code == 302, text(response)[:2000]
    now = stored(app)
    assert now["SRV.1"][:3] == (None, "12", False) and now["SRV.2"][:3] == (None, None, True)
    assert now["SRV.4"][:3] == (None, "Ramps", False) and "SRV.5" not in now  # nothing given, nothing stored
    data = {**form_fields("GOV.2", value="yes"), **form_fields("GOV.3", value=["older", "disability"]),
            **form_fields("GOV.4", value="more_often"), **form_fields("GOV.1"), **form_fields("GOV.5")}
    assert cso.post(f"{BASE}/self/GOV", data=data).status_code == 302
    assert stored(app)["GOV.3"][1] == json.dumps(["disability", "older"])


def test_a_refused_number_on_the_form_keeps_what_was_typed_beside_its_message(app, world):
    people = world()
    cso = client_for(app, people["cso"], "en")
    data = {**form_fields("SRV.1", value="twelve"), **form_fields("SRV.3", level="2")}
    response = cso.post(f"{BASE}/self/SRV", data=data)
    assert response.status_code == 400
    number = fieldset(response, "SRV.1")
    assert 'value="twelve"' in number and 'aria-invalid="true"' in number
    assert "Enter a number with the digits 0–9, such as 12 or 2.5." in number
    assert "SRV.1 — Enter a number with the digits 0–9" in text(response)
    assert set(stored(app)) == {"SRV.3"}  # the valid answer is saved, the refused one is not


REFUSED = {
    # code: (what is sent, the message)
    "yes/no neither": ("GOV.2", {"value": "maybe"}, "Choose “Yes” or “No”."),
    "yes/no twice": ("GOV.2", {"value": ["yes", "no"]}, "This answer was sent more than once."),
    "yes/no not applicable": ("GOV.2", {"value": "-na-"}, "“Not applicable” is not allowed for this indicator."),
    "yes/no with a level": ("GOV.2", {"value": "yes", "level": "3"}, "This question is not answered with a level."),
    "yes/no with a NUL": ("GOV.2", {"value": "yes\x00"}, "invisible control character (NUL)"),
    "yes/no without an answer field": ("GOV.2", {}, "“Answer” is missing from what the page sent."),
    "yes/no junk in the box": ("GOV.2", {"value": "yes", "na": "maybe"}, "“Not applicable” holds something"),
    "multiple unknown option": ("GOV.3", {"value": ["women", "aliens"]}, "An option sent is not one of this question's options."),
    "multiple twice": ("GOV.3", {"value": ["women", "women"]}, "An option was sent more than once."),
    "multiple none and an option": ("GOV.3", {"value": ["-none-", "women"]}, "“None of these” cannot be ticked together"),
    "multiple hundreds": ("GOV.3", {"value": [f"x{n}" for n in range(500)]}, "Too many answers were sent."),
    "single unknown option": ("GOV.4", {"value": "weekly"}, "The answer sent is not one of this question's options."),
    "single two options": ("GOV.4", {"value": ["never", "yearly"]}, "This answer was sent more than once."),
    "number words": ("SRV.1", {"value": "twelve"}, "Enter a number with the digits 0–9, such as 12 or 2.5."),
    "number NaN": ("SRV.1", {"value": "NaN"}, "Enter a number with the digits 0–9"),
    "number Infinity": ("SRV.1", {"value": "Infinity"}, "Enter a number with the digits 0–9"),
    "number exponent": ("SRV.1", {"value": "1e400"}, "Enter a number with the digits 0–9"),
    "number Arabic-Indic digits": ("SRV.1", {"value": "٣"}, "Enter a number with the digits 0–9"),
    "number with underscores": ("SRV.1", {"value": "1_000"}, "Enter a number with the digits 0–9"),
    "number below its minimum": ("SRV.1", {"value": "-3"}, "Enter a number of at least 0."),
    "number not whole": ("SRV.1", {"value": "2.5"}, "Enter a whole number."),
    "number too long": ("SRV.1", {"value": "9" * 400}, "The number is too long: at most 24 characters."),
    "number twice": ("SRV.1", {"value": ["1", "2"]}, "This answer was sent more than once."),
    "number NUL": ("SRV.1", {"value": "12\x00"}, "invisible control character (NUL)"),
    "number not applicable": ("SRV.1", {"value": "", "na": "1"}, "“Not applicable” is not allowed for this indicator."),
    "text too long": ("SRV.4", {"value": "ა" * 5001}, "The answer is too long: at most 5000 characters."),
    "text NUL": ("SRV.4", {"value": "a\x00b"}, "invisible control character (NUL)"),
    "scale given a value": ("GOV.1", {"level": "3", "value": "yes"}, "This question is answered with a level."),
}


@pytest.mark.parametrize("code, junk, message", REFUSED.values(), ids=REFUSED.keys())
def test_junk_for_each_type_is_refused_with_its_message_and_nothing_is_stored(app, world, code, junk, message):
    people = world()
    cso = client_for(app, people["cso"], "en")
    cso.post(f"{BASE}/self/answers/GOV.2", data=sent(value="yes"))  # GOV.3 is asked
    good = {"GOV.1": sent(level="2"), "GOV.2": sent(1, value="no"), "GOV.3": sent(value="older"),
            "GOV.4": sent(value="never"), "SRV.1": sent(value="7"), "SRV.4": sent(value="kept")}[code]
    if code == "GOV.2":
        good = sent(1, value="yes", comment="kept")
    assert cso.post(f"{BASE}/self/answers/{code}", data=good).status_code == 200
    before = stored(app)
    revision = before[code][3]
    data = {"comment": "", "evidence_url": "", "revision": str(revision)} | junk
    response = cso.post(f"{BASE}/self/answers/{code}", data=data, headers={"Accept": "application/json"})
    assert response.status_code == 400, response.get_data(as_text=True)[:500]
    assert message in response.json["message"]
    assert stored(app) == before
    if not junk:
        return  # the form posts nothing for an unticked radio group: there "no answer field" means "no answer"
    # The same junk through the no-script form: the same message beside the question, nothing stored.
    fields = {field_name(k, code): v for k, v in data.items()}
    page = cso.post(f"{BASE}/self/{code.split('.')[0]}", data=fields)
    assert page.status_code == 400
    assert message.split("“")[0].split("(")[0].strip() in text(page)
    assert stored(app) == before


NOT_APPLICABLE = {
    "yes/no": ("GOV.2", {"value": "-na-"}),
    "multiple": ("GOV.3", {"value": "-na-"}),
    "single": ("GOV.4", {"value": "-na-"}),
    "number": ("SRV.1", {"value": "", "na": "1"}),
    "text": ("SRV.4", {"value": "", "na": "1"}),
}


@pytest.mark.parametrize("code, given", NOT_APPLICABLE.values(), ids=NOT_APPLICABLE.keys())
def test_not_applicable_where_the_questionnaire_allows_it(app, world, code, given):
    people = world(variant=True)
    cso = client_for(app, people["cso"], "en")
    if code == "GOV.3":
        cso.post(f"{BASE}/self/answers/GOV.2", data=sent(value="yes"))
    response = cso.post(f"{BASE}/self/answers/{code}", data={"comment": "", "evidence_url": "", "revision": "0"} | given)
    assert response.status_code == 200, response.get_json()
    assert stored(app)[code] == (None, None, True, 1)
    page = cso.get(f"{BASE}/self/{code.split('.')[0]}")
    shown = fieldset(page, code)
    assert ('value="-na-" checked' in shown) or (f'name="{field_name("na", code)}" value="1" checked' in shown)
    assert "Not applicable" in text(cso.get(f"{BASE}/self/submit"))


@pytest.mark.parametrize("code, given, message", [
    ("SRV.1", {"value": "12", "na": "1"}, "Give either a number or “not applicable”, not both."),
    ("SRV.4", {"value": "words", "na": "1"}, "Give either an answer or “not applicable”, not both."),
    ("GOV.3", {"value": ["-na-", "women"]}, "“Not applicable” cannot be ticked together with an option."),
    ("GOV.4", {"value": "yearly", "na": "1"}, "Give either an answer or “not applicable”, not both."),
])
def test_an_answer_and_not_applicable_together_are_refused(app, world, code, given, message):
    people = world(variant=True)
    cso = client_for(app, people["cso"], "en")
    cso.post(f"{BASE}/self/answers/GOV.2", data=sent(value="yes"))
    response = cso.post(f"{BASE}/self/answers/{code}", data={"comment": "", "evidence_url": "", "revision": "0"} | given)
    assert response.status_code == 400 and message in response.json["message"]
    assert code not in stored(app)


def test_a_stale_typed_answer_is_refused_with_both_versions_and_the_same_one_is_no_conflict(app, world):
    people = world()
    cso, colleague = client_for(app, people["cso"], "en"), client_for(app, people["colleague"], "en")
    opened = cso.get(f"{BASE}/self/GOV")  # both open the page before anyone answers
    assert 'data-revision="0"' in fieldset(opened, "GOV.4")
    assert colleague.post(f"{BASE}/self/answers/GOV.4", data=sent(value="yearly", comment="theirs")).status_code == 200
    stale = cso.post(f"{BASE}/self/answers/GOV.4", data=sent(value="never"), headers={"Accept": "application/json"})
    assert stale.status_code == 409
    theirs = stale.json["theirs"]
    assert theirs["value"] == "yearly" and theirs["revision"] == 1 and theirs["display"] == "Once a year"
    assert theirs["comment"] == "theirs" and stale.json["who"] == "colleague"
    assert stored(app)["GOV.4"] == (None, "yearly", False, 1)  # nothing overwritten
    # Sending exactly what is stored is no conflict, even from the old revision: nothing changes.
    same = cso.post(f"{BASE}/self/answers/GOV.4", data=sent(value="yearly", comment="theirs"))
    assert same.status_code == 200 and same.json["revision"] == 1
    # The no-script form says who saved what, in words, and keeps the rest of the page's answers.
    data = {**form_fields("GOV.4", value="never"), **form_fields("GOV.5", level="2")}
    page = cso.post(f"{BASE}/self/GOV", data=data)
    assert page.status_code == 409
    assert "Saved by someone else: Once a year — „theirs“ (colleague)" in text(page)
    assert stored(app)["GOV.4"][1] == "yearly" and stored(app)["GOV.5"][0] == 2
    # From the revision now shown, the change is saved.
    kept = cso.post(f"{BASE}/self/answers/GOV.4", data=sent(1, value="never"))
    assert kept.status_code == 200 and kept.json["revision"] == 2


def test_a_changed_typed_answer_is_in_the_audit_trail_with_its_value(app, world):
    people = world()
    cso = client_for(app, people["cso"])
    cso.post(f"{BASE}/self/answers/GOV.2", data=sent(value="yes"))
    cso.post(f"{BASE}/self/answers/GOV.3", data=sent(value=["women"]))
    cso.post(f"{BASE}/self/answers/GOV.3", data=sent(1, value=["women", "older"]))
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "answer.save",
                                                                AuditEvent.object_id.endswith("/GOV.3"))
                                    .order_by(AuditEvent.id)).all()
        assert [e.after for e in events] == [{"value": '["women"]'}, {"value": '["women", "older"]'}]
        assert events[1].before == {"value": '["women"]'}
