"""Saving an organisation's profile data for a round (counted facts, audited)."""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from capacity.audit import services as audit
from capacity.extensions import db
from capacity.profiles.models import ProfileValue
from capacity.timeutil import utcnow


def current_values(organisation_id: int, round_id: int) -> dict[tuple[str, str], float]:
    rows = db.session.execute(sa.select(ProfileValue.code, ProfileValue.category, ProfileValue.value).where(
        ProfileValue.organisation_id == organisation_id, ProfileValue.round_id == round_id))
    return {(code, category): value for code, category, value in rows}


def save_values(actor: Any, organisation_id: int, round_id: int, values: dict[tuple[str, str], float | None]) -> int:
    """Store the given cells (None clears one); return how many changed. One audit event lists the changes."""
    existing = {(v.code, v.category): v for v in db.session.scalars(sa.select(ProfileValue).where(
        ProfileValue.organisation_id == organisation_id, ProfileValue.round_id == round_id))}
    before, after = {}, {}
    for key, value in values.items():
        row = existing.get(key)
        old = row.value if row else None
        if old == value:
            continue
        label = ".".join(key)
        before[label], after[label] = old, value
        if value is None:
            db.session.delete(row)
        elif row is None:
            db.session.add(ProfileValue(organisation_id=organisation_id, round_id=round_id, code=key[0], category=key[1],
                                        value=float(value), updated_by_id=getattr(actor, "id", None)))
        else:
            row.value, row.updated_by_id, row.updated_at = float(value), getattr(actor, "id", None), utcnow()
    if after:
        audit.record(actor, "profile.save", "profile", f"{organisation_id}/{round_id}", organisation_id=organisation_id,
                     before=before, after=after)
    db.session.flush()
    return len(after)
