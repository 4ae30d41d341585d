"""Evidence files of plan actions: the same checks as answers' evidence, kept in the database the same way.

Adding or removing one is a write to the plan: it goes through ``services.require_open`` like every other.
"""
from __future__ import annotations

from typing import IO, Any

from capacity.assessments.evidence import MAX_BYTES, EvidenceRefused, check_upload  # noqa: F401  (EvidenceRefused: for callers)
from capacity.audit import services as audit
from capacity.extensions import db
from capacity.plans.models import ActionEvidenceFile, PlanAction
from capacity.plans.services import require_open


def store(actor: Any, action: PlanAction, filename: str, stream: IO[bytes], max_bytes: int = MAX_BYTES) -> ActionEvidenceFile:
    """Check an uploaded file and attach it to ``action`` (audited); raise EvidenceRefused saying why not.

    PlanNotOpen while the plan cannot be changed (its assessment reopened).
    """
    require_open(action.plan)
    checked = check_upload(filename, stream, max_bytes)
    record = ActionEvidenceFile(action=action, filename=checked.name, content_type=checked.content_type,
                                size=len(checked.data), sha256=checked.sha256, content=checked.data,
                                uploaded_by_id=getattr(actor, "id", None))
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "action.file_upload", "plan_action", f"{action.plan_id}/{action.id}",
                 organisation_id=action.plan.organisation_id, after={"file": record.filename, "size": record.size})
    return record


def remove(actor: Any, record: ActionEvidenceFile) -> None:
    """Delete an action's file (audited), when the caller commits; PlanNotOpen while the plan cannot be changed."""
    action = record.action
    require_open(action.plan)
    audit.record(actor, "action.file_delete", "plan_action", f"{action.plan_id}/{action.id}",
                 organisation_id=action.plan.organisation_id, before={"file": record.filename})
    db.session.delete(record)
    db.session.flush()
