"""Recording audit events."""
from __future__ import annotations

from typing import Any

from capacity.audit.models import AuditEvent
from capacity.extensions import db


def record(
    actor: Any,
    action: str,
    object_type: str,
    object_id: object,
    *,
    organisation_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (the caller commits with its change).

    ``actor`` is a User or None (the command line); ``before``/``after`` hold
    only the fields that changed, as JSON-serialisable values.
    """
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        organisation_id=organisation_id,
        before=before,
        after=after,
    )
    db.session.add(event)
    return event


def changes(obj: Any, values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Compare ``values`` with ``obj``'s attributes: return (before, after) of what differs."""
    before, after = {}, {}
    for key, new in values.items():
        old = getattr(obj, key)
        if old != new:
            before[key], after[key] = _plain(old), _plain(new)
    return before, after


def _plain(value: Any) -> Any:
    return getattr(value, "value", value)
