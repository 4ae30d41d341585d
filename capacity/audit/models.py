"""The audit trail: append-only records of who changed what, when."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from capacity.extensions import db
from capacity.timeutil import utcnow


class AuditEventImmutable(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(sa.String(64))
    object_type: Mapped[str] = mapped_column(sa.String(32))
    object_id: Mapped[str] = mapped_column(sa.String(64))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    actor: Mapped["User | None"] = relationship()  # noqa: F821


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditEventImmutable(f"audit event {target.id} cannot be changed")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(_mapper, _connection, target: AuditEvent) -> None:
    raise AuditEventImmutable(f"audit event {target.id} cannot be deleted")


# The same refusal inside the database, so that raw SQL, another program or a console
# session cannot rewrite history either. Attached to the table so that create_all() (the
# tests, a fresh install) and migration 0006 build the same guard; the migration keeps its
# own frozen copy of these statements.
GUARD_FUNCTION = "audit_events_refuse_change"
_SQLITE_GUARD = [
    f"CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events "
    f"BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END"
    for verb in ("UPDATE", "DELETE")
]
_POSTGRES_GUARD = [
    f"CREATE OR REPLACE FUNCTION {GUARD_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'audit events cannot be changed or deleted'; END $$",
    f"CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events "
    f"FOR EACH ROW EXECUTE FUNCTION {GUARD_FUNCTION}()",
]

for _statement in _SQLITE_GUARD:
    event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="sqlite"))
for _statement in _POSTGRES_GUARD:
    event.listen(AuditEvent.__table__, "after_create", sa.DDL(_statement).execute_if(dialect="postgresql"))
# Dropping the table drops its triggers; the function outlives it on PostgreSQL.
event.listen(AuditEvent.__table__, "after_drop",
             sa.DDL(f"DROP FUNCTION IF EXISTS {GUARD_FUNCTION}()").execute_if(dialect="postgresql"))
