"""The database itself refuses to rewrite the audit trail, on every backend."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from capacity.audit.models import AuditEvent
from capacity.extensions import db
from tests.conftest import login


def one_event() -> int:
    db.session.execute(sa.text(
        "INSERT INTO audit_events (at, action, object_type, object_id) "
        "VALUES (CURRENT_TIMESTAMP, 'user.create', 'user', '1')"))
    db.session.commit()
    return db.session.scalar(sa.select(AuditEvent.id))


STATEMENTS = [
    "UPDATE audit_events SET action = 'nothing.happened' WHERE id = :id",
    "DELETE FROM audit_events WHERE id = :id",
]


def refused(app, statement: str) -> None:
    with app.app_context():
        event_id = one_event()
        with pytest.raises(sa.exc.DatabaseError, match="audit events cannot be changed or deleted"):
            db.session.execute(sa.text(statement), {"id": event_id})
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.id == event_id)) == "user.create"


@pytest.mark.parametrize("statement", STATEMENTS)
def test_raw_sql_cannot_change_or_delete_an_audit_event_in_a_migrated_database(migrated, statement):
    refused(migrated, statement)


@pytest.mark.parametrize("statement", STATEMENTS)
def test_a_database_made_by_create_all_has_the_same_guard(app, statement):
    refused(app, statement)


def test_new_events_are_still_written(migrated, factory):
    app = migrated
    email = factory.user("admin")
    client = app.test_client()
    login(client, email)
    client.post("/admin/users/new", data={"email": "x@example.org", "display_name": "X", "role": "manager",
                                          "language": "en", "password": "river bread window"})
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id))) == 1
