"""The history of changes names every action, field and value in the page's language: never a raw key."""
from __future__ import annotations

import ast
import io
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import session

from capacity.audit import display
from capacity.audit import services as audit
from capacity.audit.models import AuditEvent
from capacity.audit.vocabulary import ACTIONS, FIELDS
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import Organisation
from tests.assessments.helpers import BASE, QUESTIONNAIRE, client_for, people  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
PDF_125_KB = b"%PDF-1.4\n" + b"0" * (125 * 1024 - 9)
NBSP = "\xa0"  # Babel's Georgian thousands separator, and the space before ₾


# --- every action and field the code records has a name --------------------------------------------------------

def _record_calls():
    """(module tree, call) for every ``audit.record(...)`` in capacity/."""
    for path in sorted((ROOT / "capacity").rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "record" \
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "audit":
                yield path, tree, node


def _strings(node) -> set[str]:
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def _recorded_actions() -> set[str]:
    """The actions passed to audit.record: literals, or a parameter whose callers in the module pass literals."""
    actions = set()
    for _path, tree, call in _record_calls():
        argument = call.args[1]
        if isinstance(argument, ast.Name):  # e.g. answering._set_status(actor, assessment, status, action)
            function = next(f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and call in list(ast.walk(f)))
            position = [a.arg for a in function.args.args].index(argument.id)
            for caller in ast.walk(tree):
                if isinstance(caller, ast.Call) and getattr(caller.func, "id", None) == function.name:
                    actions |= _strings(caller.args[position])
        else:
            actions |= _strings(argument)
    return {a for a in actions if re.fullmatch(r"[a-z_]+\.[a-z_]+", a)}


def test_every_recorded_action_has_a_name():
    actions = _recorded_actions()
    assert {"answer.save", "assessment.submit", "assessment.reopen", "evidence.upload", "user.deactivate"} <= actions
    assert not actions - ACTIONS.keys(), f"actions without a name in capacity/audit/vocabulary.py: {actions - ACTIONS.keys()}"


def test_every_field_written_in_a_record_call_has_a_name():
    from capacity.assessments.answering import snapshot
    from capacity.organisations import services as organisations
    from capacity.rounds import services as rounds

    fields = set()
    for _path, _tree, call in _record_calls():
        for keyword in call.keywords:
            if keyword.arg in ("before", "after"):
                fields |= {k.value for n in ast.walk(keyword.value) if isinstance(n, ast.Dict)
                           for k in n.keys if isinstance(k, ast.Constant)}
    # Fields that reach the record call through a variable (audit.changes, snapshots, field lists):
    fields |= set(snapshot(None)) - {"revision"} | set(organisations.FIELDS) | set(rounds.FIELDS)
    fields |= {"email", "display_name", "role", "organisation_id", "language"}  # users.services.update_user
    assert {"file", "size", "status", "mentor", "by", "limit", "questionnaire_hash"} <= fields
    assert not fields - FIELDS.keys(), f"fields without a name in capacity/audit/vocabulary.py: {fields - FIELDS.keys()}"


# --- what the rows say -------------------------------------------------------------------------------------------

def rows_in(app, language: str, questionnaire=QUESTIONNAIRE, **where) -> list[str]:
    """Each audit event as the history page words it (one line of plain text), newest first."""
    with app.test_request_context("/"):
        session["language"] = language
        events = db.session.scalars(sa.select(AuditEvent).filter_by(**where).order_by(AuditEvent.id.desc()))
        return [" | ".join([row.who.text, row.action, row.subject.text if row.subject else ""] +
                           [(f"{c.field.text}: " if c.field else "") + (f"{c.before.text} → " if c.before else "")
                            + c.after.text for c in row.changes])
                for row in display.describe(events, language, questionnaire)]


@pytest.fixture
def admin(app, factory):
    email = factory.user("admin", display_name="ნინო ადმინი")
    factory.org("TEL-01", name_ka="თელავის ცენტრი", name_en="Telavi Centre")
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.email == email))


def record(app, actor_id, *args, **kwargs) -> None:
    with app.app_context():
        audit.record(db.session.get(User, actor_id) if actor_id else None, *args, **kwargs)
        db.session.commit()


def test_account_and_mentor_events_name_people_roles_and_organisations(app, factory, admin):
    mentor = factory.user("mentor", email="lela@example.org", display_name="ლელა მენტორი")
    with app.app_context():
        org_id = db.session.scalar(sa.select(Organisation.id).where(Organisation.code == "TEL-01"))
        mentor_id = db.session.scalar(sa.select(User.id).where(User.email == mentor))
    record(app, admin, "user.update", "user", mentor_id, before={"role": "cso", "language": "ka", "organisation_id": org_id},
           after={"role": "mentor", "language": "en", "organisation_id": None})
    record(app, admin, "assignment.create", "user", mentor_id, organisation_id=org_id, after={"mentor": mentor})
    record(app, admin, "user.deactivate", "user", mentor_id, before={"active": True}, after={"active": False})
    assert rows_in(app, "ka") == [
        "ნინო ადმინი | ანგარიში დეაქტივირებულია | ლელა მენტორი | ანგარიში: აქტიური → დეაქტივირებული",
        "ნინო ადმინი | მენტორი მიმაგრებულია | ლელა მენტორი | მენტორი: ლელა მენტორი",
        "ნინო ადმინი | ანგარიშის მონაცემები შეცვლილია | ლელა მენტორი | როლი: ორგანიზაციის თანამშრომელი → მენტორი"
        " | ორგანიზაცია: თელავის ცენტრი → — | ენა: ქართული → English",
    ]
    assert rows_in(app, "en")[2] == ("ნინო ადმინი | Account changed | ლელა მენტორი | Role: Organisation staff → Mentor"
                                     " | Organisation: Telavi Centre → — | Language: ქართული → English")


def test_values_in_another_language_than_the_page_are_marked(app, admin):
    record(app, admin, "organisation.update", "organisation", "TEL-01",
           before={"name_en": "Telavi Centre", "contact_email": "info@telavi.example.org"},
           after={"name_en": "Telavi Social Centre", "contact_email": "office@telavi.example.org"})
    with app.test_request_context("/"):
        session["language"] = "ka"
        [row] = display.describe(db.session.scalars(sa.select(AuditEvent)), "ka")
    assert row.subject == display.Shown("თელავის ცენტრი")
    name, email = row.changes
    assert name.field.text == "სახელწოდება ინგლისურად"
    assert name.before == display.Shown("Telavi Centre", lang="en")
    assert name.after == display.Shown("Telavi Social Centre", lang="en")
    assert email == display.Change(display.Shown("საკონტაქტო ელ. ფოსტა"), display.Shown("info@telavi.example.org"),
                                   display.Shown("office@telavi.example.org"))  # an address is in no language


def test_round_lockout_and_profile_events_use_names_units_and_local_number_formats(app, factory, admin):
    round_code = factory.round("endline-2026")
    record(app, admin, "round.create", "round", round_code, after={"kind": "endline", "starts_on": "2026-09-01"})
    record(app, admin, "round.close", "round", round_code, before={"is_open": True}, after={"is_open": False})
    record(app, None, "auth.lockout", "login", "someone@example.org",
           after={"by": "account", "address": "127.0.0.1", "limit": "10 per 15 minute"})
    record(app, admin, "profile.save", "profile", "1/1",
           before={"annual_budget.total": 250000.0, "staff.female": None, "gesi_budget_share.total": 4.0},
           after={"annual_budget.total": 363300.5, "staff.female": 12.0, "gesi_budget_share.total": 12.5})
    ka = rows_in(app, "ka")
    assert ka[0] == ("ნინო ადმინი | პროფილის მონაცემები შეცვლილია |  | წლიური ბიუჯეტი: 250 000 ₾ → 363 300,5 ₾"
                     " | GESI-ის ხარჯების წილი ბიუჯეტში: 4% → 12,5% | თანამშრომლები — ქალები: — → 12").replace(" ₾", NBSP + "₾") \
        .replace("250 000", f"250{NBSP}000").replace("363 300", f"363{NBSP}300")
    assert ka[1] == ("სისტემა | შესვლა დაბლოკილია წარუმატებელი მცდელობების გამო | someone@example.org | რა დაიბლოკა: ანგარიში"
                     " | ქსელის მისამართი: 127.0.0.1 | ზღვარი: 10 წარუმატებელი მცდელობა 15 წუთში")
    assert ka[2] == "ნინო ადმინი | შეფასების რაუნდი დახურულია | რაუნდი endline-2026 | შეფასების რაუნდი: ღია → დახურული"
    assert ka[3] == ("ნინო ადმინი | შეფასების რაუნდი შექმნილია | რაუნდი endline-2026 | რაუნდის ტიპი: საბოლოო შეფასება"
                     " | დაწყების თარიღი: 1 სექტემბერი, 2026")
    en = rows_in(app, "en")
    assert en[0].startswith(f"ნინო ადმინი | Profile data changed |  | Annual budget: 250,000{NBSP}₾ → 363,300.5{NBSP}₾"
                            " | Share of budget spent on GESI: 4% → 12.5% | Staff — Women: — → 12")
    assert en[1].endswith("Limit: 10 failed logins in 15 minutes")
    assert en[3].endswith("Kind of round: Endline | Start date: September 1, 2026")


def test_a_corrected_mentoring_session_shows_its_date_duration_mode_and_people_in_words(app, admin):
    record(app, admin, "mentoring.update", "mentoring_session", "5",
           before={"held_on": "2026-03-04", "duration_minutes": 90, "mode": "phone", "participants_female": 2,
                   "notes": "Worked on the budget", "actions": [3]},
           after={"held_on": "2026-03-05", "duration_minutes": 120, "mode": "on_site", "participants_female": 4,
                  "notes": "ბიუჯეტზე ვიმუშავეთ", "actions": [3, 7]})
    en = rows_in(app, "en")[0]
    assert en.endswith("Date of the session: March 4, 2026 → March 5, 2026 | Duration: 1 h 30 min → 2 h"
                       " | How it was held: Phone → On site | Plan actions worked on: #3 → #3, #7"
                       " | Women: 2 → 4 | Notes: Worked on the budget → ბიუჯეტზე ვიმუშავეთ"), en
    assert "Mentoring session changed" in en
    ka = rows_in(app, "ka")[0]
    assert "ტელეფონით → ადგილზე" in ka and "4 მარტი, 2026 → 5 მარტი, 2026" in ka, ka


def test_an_unknown_action_or_field_is_shown_readably_not_a_crash(app, admin):
    record(app, admin, "archive.purge", "archive", "7", before={"kept_days": 30, "odd": [1, "x"], "nested": {"a": 1}},
           after={"kept_days": 7, "status": "no-such-status", "level": "high", "organisation": 12, "mentor": 3,
                  "organisation_id": "TEL-01", "round": None, "size": "big", "starts_on": "soon"})
    [row] = rows_in(app, "ka", questionnaire=None)
    assert row.startswith("ნინო ადმინი | სხვა ცვლილება |  | ჩაწერილია, როგორც: archive.purge")
    assert "kept days: 30 → 7" in row and "სტატუსი: — → no-such-status" in row and "დონე: — → high" in row


# --- the history page -------------------------------------------------------------------------------------------

def upload(client, name: str, data: bytes):
    return client.post(f"{BASE}/self/evidence/GOV.01", data={"file": (io.BytesIO(data), name)},
                       headers={"Accept": "application/json"}, content_type="multipart/form-data")


def history_text(client) -> str:
    page = client.get(f"{BASE}/self/history").get_data(as_text=True)
    table = page[page.index("<tbody>"):page.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", table))


@pytest.fixture
def history(app, people):
    """A self-assessment's life: answered, one answer changed, evidence added and removed, submitted, reopened."""
    from tests.assessments.helpers import answer_everything

    cso = client_for(app, people["cso"])
    answer_everything(cso)  # every level 3 (revision 1)
    assert cso.post(f"{BASE}/self/answers/GOV.01", data={"level": "2", "comment": "ჩვენი პოლიტიკა", "evidence_url": "",
                                                           "revision": "1"}).status_code == 200
    file_id = upload(cso, "policy.pdf", PDF_125_KB).get_json()["id"]
    assert cso.post(f"/evidence/{file_id}/delete").status_code in (200, 302)
    assert cso.post(f"{BASE}/self/submit").status_code == 302
    manager = client_for(app, people["manager"])
    assert manager.post(f"{BASE}/self/reopen").status_code == 302
    return manager


@pytest.mark.parametrize("language, expected", [
    ("ka", ["მტკიცებულება დამატებულია: GOV.01 policy.pdf (125 კბ)", "მტკიცებულება წაშლილია: GOV.01 policy.pdf",
            "პასუხი შეცვლილია: GOV.01 დონე: 3 — ჩამოყალიბებული → 2 — განვითარებადი კომენტარი: — → ჩვენი პოლიტიკა",
            "შეფასება წარდგენილია სტატუსი: მონახაზი → წარდგენილი",
            "შეფასება ხელახლა გახსნილია სტატუსი: წარდგენილი → მონახაზი"]),
    ("en", ["Evidence added: GOV.01 policy.pdf (125 KB)", "Evidence removed: GOV.01 policy.pdf",
            "Answer changed: GOV.01 Level: 3 — Established → 2 — Developing Comment: — → ჩვენი პოლიტიკა",
            "Assessment submitted Status: Draft → Submitted", "Assessment reopened Status: Submitted → Draft"]),
])
def test_the_history_page_says_what_happened_in_the_page_language(history, language, expected):
    history.post("/language", data={"language": language, "next": "/"})
    page = history.get(f"{BASE}/self/history").get_data(as_text=True)
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page[page.index("<tbody>"):page.index("</tbody>")]))
    text = re.sub(r" ([:→])", r"\1", text).replace(":", ": ").replace(":  ", ": ").replace("→", " → ").replace("  ", " ")
    for line in expected:
        assert line in text
    for raw in ("evidence.upload", "answer.save", "assessment.", "status:", "size:", "file:", "evidence_url", "None"):
        assert raw not in text
    assert not re.search(r"\bdraft\b", text)  # the raw status value (its English name is "Draft")
    # Only what people typed in the other language is marked: the Latin account names on a Georgian page,
    # the Georgian comment on an English one.
    tbody = page[page.index("<tbody>"):page.index("</tbody>")]
    marked = set(re.findall(r'<span lang="([a-z]+)">([^<]*)</span>', tbody))
    assert marked == ({("en", "manager"), ("en", "staff")} if language == "ka" else {("ka", "ჩვენი პოლიტიკა")})
