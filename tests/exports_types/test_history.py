"""The history of an answer that is not a level: its value read as the questionnaire words it, beside level changes."""
from __future__ import annotations

import dataclasses

import sqlalchemy as sa
from flask import session
from flask_babel import gettext

from capacity.audit import display
from capacity.audit import services as audit
from capacity.audit.models import AuditEvent
from capacity.audit.vocabulary import FIELDS
from capacity.auth.models import User
from capacity.extensions import db
from tests.exports_types.instrument import QUESTIONNAIRE


def record(app, actor_id: int, code: str, before: dict | None, after: dict) -> None:
    with app.app_context():
        audit.record(db.session.get(User, actor_id), "answer.save", "answer", f"7/{code}", before=before, after=after)
        db.session.commit()


def lines(app, language: str, questionnaire=QUESTIONNAIRE) -> list[list[tuple[str, str | None, str, str | None]]]:
    """Per event (oldest first): (field, before, after, lang of after) of each change."""
    with app.test_request_context("/"):
        session["language"] = language
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))
        return [[(c.field.text, c.before.text if c.before else None, c.after.text, c.after.lang) for c in row.changes]
                for row in display.describe(events, language, questionnaire)]


def in_language(app, language: str, message: str) -> str:
    with app.test_request_context("/"):
        session["language"] = language
        return gettext(message)


def test_every_type_of_answer_reads_as_words_in_the_page_language(app, factory):
    email = factory.user("mentor", display_name="Lela")
    with app.app_context():
        actor = db.session.scalar(sa.select(User.id).where(User.email == email))
    record(app, actor, "GOV.1", {"level": 2}, {"level": 3})
    record(app, actor, "GOV.2", None, {"value": "yes"})
    record(app, actor, "GOV.3", {"value": "never"}, {"value": "often"})
    record(app, actor, "GOV.4", {"value": '["youth"]'}, {"value": '["women", "youth"]'})
    record(app, actor, "GOV.5", {"value": "12"}, {"value": "2.5"})
    record(app, actor, "GOV.6", {"value": None}, {"value": "=SUM(A1) ჩვენი"})
    record(app, actor, "GOV.4", {"value": '["women"]'}, {"value": "[]"})
    assert FIELDS["value"]
    english = lines(app, "en")
    assert english[0] == [("Level", "2 — Started", "3 — Partial", None)]
    assert english[1] == [("Answer", "—", "Yes", None)]
    assert english[2] == [("Answer", "Never", "Often", None)]
    assert english[3] == [("Answer", "Youth", "Women; Youth", None)]
    assert english[4] == [("Answer", "12 people", "2.5 people", None)]
    assert english[5][0][:3] == ("Answer", "—", "=SUM(A1) ჩვენი")  # text as typed, escaped by the template
    assert english[6] == [("Answer", "Women", "—", None)]  # none of the options ticked
    georgian = lines(app, "ka")
    assert [change[2] for change in georgian[1]] == [in_language(app, "ka", "Yes")]  # the catalogue's word
    assert georgian[2][0][1:] == ("არასდროს", "ხშირად", None)
    assert georgian[4][0][2] == "2.5 ადამიანი"


def test_a_value_whose_question_is_not_known_is_shown_as_stored(app, factory):
    email = factory.user("mentor")
    with app.app_context():
        actor = db.session.scalar(sa.select(User.id).where(User.email == email))
    record(app, actor, "GONE.9", {"value": "often"}, {"value": '["a", "b"]'})
    record(app, actor, "GOV.3", None, {"value": "withdrawn-option"})
    assert lines(app, "en")[0] == [("Answer", "often", '["a", "b"]', None)]
    assert lines(app, "en")[1][0][2] == "withdrawn-option"
    assert lines(app, "en", questionnaire=None)[0][0][2] == '["a", "b"]'


def test_options_in_a_language_the_page_falls_back_from_are_marked_with_it(app, factory):
    email = factory.user("mentor")
    with app.app_context():
        actor = db.session.scalar(sa.select(User.id).where(User.email == email))
    record(app, actor, "GOV.3", None, {"value": "often"})
    armenian_and_english = dataclasses.replace(QUESTIONNAIRE, languages=("hy", "en"), _index={})
    # A Georgian page: the questionnaire has no Georgian, so its English words are shown, marked as English.
    assert [change[1:] for change in lines(app, "ka", armenian_and_english)[0]] == [("—", "Often", "en")]
