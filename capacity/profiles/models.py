"""Profile answers: one number per organisation, round, question and category."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capacity.extensions import db
from capacity.timeutil import utcnow


class ProfileValue(db.Model):
    """E.g. staff / female = 12 for TEL-01 at baseline; category "total" holds the whole count."""

    __tablename__ = "profile_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="RESTRICT"), index=True)
    code: Mapped[str] = mapped_column(sa.String(32))
    category: Mapped[str] = mapped_column(sa.String(32), default="total")
    value: Mapped[float] = mapped_column(sa.Float)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "round_id", "code", "category", name="uq_profile_values_cell"),
        sa.CheckConstraint("value >= 0", name="not_negative"),
    )


class ProfileSheet(db.Model):
    """An organisation's profile data for one round as a whole, with the revision that guards it.

    The form is saved all at once, so one revision per sheet: a save made from an older revision
    (someone saved the sheet after the user opened it) is refused with both versions, never applied.
    """

    __tablename__ = "profile_sheets"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="RESTRICT"), index=True)
    revision: Mapped[int] = mapped_column(default=1, server_default="1")
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("organisation_id", "round_id", name="uq_profile_sheets_organisation_round"),)
