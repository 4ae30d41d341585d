"""The plan and mentoring sheets: a row per plan action and per mentoring session, codes and labels, counts, overdue."""
from __future__ import annotations

import re
from datetime import timedelta

import pandas as pd
import sqlalchemy as sa

from capacity.exports import frames, services
from capacity.exports.frames import MENTORING_COLUMNS, PLAN_COLUMNS
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.plans.models import OPEN_STATUSES
from capacity.rounds.services import by_code
from tests.exports.conftest import LATE, QUESTIONNAIRE, RATED, SOON, TODAY

TITLES = {i.code: i for i in QUESTIONNAIRE.indicators}
ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def export(app, language: str = "en", today=TODAY, round_code: str = "baseline", orgs=("TEL-01", "BAT-01")):
    with app.app_context():
        organisations = list(db.session.scalars(
            sa.select(Organisation).where(Organisation.code.in_(orgs)).order_by(Organisation.code)))
        return services.round_export(by_code(round_code), organisations, language, today=today)


def test_the_plan_sheet_has_a_row_per_action_of_the_rounds_plans_with_codes_labels_and_counts(app, plans):
    ids = plans(TODAY)
    plan = export(app).plan
    assert list(plan.columns) == PLAN_COLUMNS
    # BAT-01 started a plan without actions: one row, every action column empty. TEL-01: its four actions in the
    # order they were added; its endline plan's action is not in the baseline export.
    assert plan["org_code"].tolist() == ["BAT-01"] + ["TEL-01"] * 4
    assert plan["action_id"].tolist()[1:] == [ids["planned"], ids["ongoing"], ids["done"], ids["dropped"]]
    assert "Endline action" not in set(plan["description"])
    bat = plan.iloc[0]
    assert pd.isna(bat["action_id"]) and bat["round_code"] == "baseline" and bat["region"] == "adjara"
    assert all(pd.isna(bat[c]) or bat[c] == "" for c in PLAN_COLUMNS[PLAN_COLUMNS.index("action_id"):]), bat.to_dict()

    rows = plan.set_index("action_id")
    planned = rows.loc[ids["planned"]]
    assert planned["indicator_codes"] == f"{RATED[0]};{RATED[1]}"
    assert planned["indicator_titles"] == f"{TITLES[RATED[0]].title('en')}; {TITLES[RATED[1]].title('en')}"
    assert (planned["description"], planned["target_level"], planned["responsible"]) == \
        ("Write a safeguarding policy", 3, "Director")
    assert planned["due_on"] == (TODAY + LATE).isoformat() and planned["overdue"] == "yes"
    assert (planned["support_type"], planned["support_type_name"]) == ("training", "Training")
    assert (planned["status"], planned["status_label"]) == ("planned", "Planned")
    assert (planned["evidence_files"], planned["notes"], planned["last_note_on"]) == (1, 2, "2026-04-20")
    assert planned["follow_up"] == "yes" and planned["completed_on"] == ""
    assert ISO_UTC.fullmatch(planned["created_at"]) and ISO_UTC.fullmatch(planned["updated_at"])

    ongoing = rows.loc[ids["ongoing"]]
    assert (ongoing["status_label"], ongoing["support_type_name"], ongoing["overdue"]) == ("In progress", "Mentoring", "no")
    assert (ongoing["notes"], ongoing["evidence_files"], ongoing["last_note_on"], ongoing["follow_up"]) == (0, 0, "", "no")
    assert pd.isna(ongoing["target_level"])
    done = rows.loc[ids["done"]]
    assert (done["status"], done["status_label"], done["completed_on"]) == ("done", "Done", "2026-02-25")
    assert done["evidence_url"] == "https://docs.example.org/budget.pdf" and done["overdue"] == "no"  # past due, done
    dropped = rows.loc[ids["dropped"]]
    assert (dropped["status_label"], dropped["dropped_reason"], dropped["overdue"]) == \
        ("Dropped", "The landlord built one", "no")
    assert dropped["support_type"] == "" and pd.isna(dropped["support_type_name"])


def test_overdue_is_counted_on_the_export_date(app, plans):
    ids = plans(TODAY)

    def overdue(today) -> dict[int, str]:
        plan = export(app, today=today).plan.dropna(subset=["action_id"])
        return dict(zip(plan["action_id"], plan["overdue"]))

    # Due on the export date is not yet overdue; the day after it is. Done and dropped actions never are.
    assert overdue(TODAY + LATE) == {ids["planned"]: "no", ids["ongoing"]: "no", ids["done"]: "no", ids["dropped"]: "no"}
    assert overdue(TODAY + LATE + timedelta(days=1))[ids["planned"]] == "yes"
    assert overdue(TODAY + SOON + timedelta(days=1)) == {ids["planned"]: "yes", ids["ongoing"]: "yes",
                                                          ids["done"]: "no", ids["dropped"]: "no"}


def test_the_mentoring_sheet_has_a_row_per_session_supporting_the_rounds_plans(app, plans, world):
    ids = plans(TODAY)
    mentoring = export(app).mentoring
    assert list(mentoring.columns) == MENTORING_COLUMNS
    assert mentoring["session_id"].tolist() == [ids["batumi"], ids["earlier"], ids["first"]]  # by org, then day
    first = mentoring.set_index("session_id").loc[ids["first"]]
    assert (first["org_code"], first["round_code"], first["held_on"]) == ("TEL-01", "baseline", "2026-04-10")
    assert (first["duration_minutes"], first["hours"], first["mode"], first["mode_label"]) == (90, 1.5, "on_site", "On site")
    assert first["mentor_name"] == world["users"]["kakheti"].split("@")[0]
    assert first["indicator_codes"] == f"{RATED[0]};{RATED[2]}"
    assert first["action_ids"] == f"{ids['planned']};{ids['ongoing']}"
    assert [first[c] for c in ("participants_total", "participants_female", "participants_male",
                               "participants_with_disability")] == [8, 5, 3, 1]
    assert first["notes"] == "Policy and board" and (first["follow_ups"], first["follow_ups_to_actions"]) == (2, 1)
    earlier = mentoring.set_index("session_id").loc[ids["earlier"]]
    assert (earlier["mentor_name"], earlier["action_ids"], earlier["indicator_codes"]) == ("", "", "")
    assert (earlier["hours"], earlier["mode_label"], earlier["follow_ups"], earlier["follow_ups_to_actions"]) == \
        (0.75, "Online", 0, 0)
    batumi = mentoring.set_index("session_id").loc[ids["batumi"]]
    assert (batumi["org_code"], batumi["mode"], batumi["mode_label"], batumi["hours"]) == ("BAT-01", "phone", "Phone", 0.5)


def test_georgian_labels_sit_beside_the_same_codes(app, plans):
    plans(TODAY)
    ka, en = export(app, "ka"), export(app, "en")
    for name in ("plan", "mentoring"):
        keys = "action_id" if name == "plan" else "session_id"
        assert list(ka.sheets()[name].columns) == list(en.sheets()[name].columns)
        assert ka.sheets()[name][keys].tolist() == en.sheets()[name][keys].tolist()
    codes = ["status", "support_type", "indicator_codes", "overdue", "follow_up", "due_on"]
    assert ka.plan[codes].fillna("").values.tolist() == en.plan[codes].fillna("").values.tolist()
    labels = ka.plan.dropna(subset=["action_id"])
    assert labels["status_label"].tolist() == ["დაგეგმილი", "მიმდინარე", "შესრულებული", "გაუქმებული"]
    assert labels["support_type_name"].tolist()[:3] == ["ტრენინგი", "მენტორობა", "მცირე გრანტი"]
    assert labels["indicator_titles"].iloc[0] == f"{TITLES[RATED[0]].title('ka')}; {TITLES[RATED[1]].title('ka')}"
    assert labels["org_name"].iloc[0] == "ასოციაცია „ნაბიჯი“"
    assert ka.mentoring["mode_label"].tolist() == ["ტელეფონით", "ონლაინ", "ადგილზე"]
    assert en.mentoring["mode_label"].tolist() == ["Phone", "Online", "On site"]


def test_plan_and_sessions_are_read_with_three_queries_whatever_their_number(app, plans):
    plans(TODAY)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    with app.app_context():
        sa.event.listen(db.engine, "before_cursor_execute", seen)
        try:
            export(app)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", seen)
    tables = ("development_plans", "plan_actions", "plan_action_notes", "plan_action_files", "mentoring_sessions",
              "mentoring_follow_ups", "mentoring_session_actions")
    touching = [s for s in statements if any(re.search(rf"\b{table}\b", s) for table in tables)]
    assert len(touching) == 3, touching


def test_an_export_without_plans_or_sessions_has_both_tables_with_their_headers(app, world):
    data = export(app)
    assert data.plan.empty and list(data.plan.columns) == PLAN_COLUMNS
    assert data.mentoring.empty and list(data.mentoring.columns) == MENTORING_COLUMNS


def test_the_statuses_that_can_fall_overdue_are_the_plans_own():
    assert frames.OPEN_ACTION_STATUSES == tuple(status.value for status in OPEN_STATUSES)
