"""The mentoring log: sessions a mentor holds with an organisation, and their follow-ups.

A session belongs to an organisation and to the round whose development plan it
supports (the support given between that round and the next is counted against
that plan's actions in the reports).
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from capacity.dbtypes import string_enum
from capacity.extensions import db
from capacity.timeutil import utcnow

MAX_MINUTES = 12 * 60


class SessionMode(str, enum.Enum):
    ON_SITE = "on_site"
    ONLINE = "online"
    PHONE = "phone"


session_actions = sa.Table(
    "mentoring_session_actions", db.metadata,
    sa.Column("session_id", sa.ForeignKey("mentoring_sessions.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("action_id", sa.ForeignKey("plan_actions.id", ondelete="CASCADE"), primary_key=True),
)


class MentoringSession(db.Model):
    """One mentoring or supervision session with an organisation."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="RESTRICT"), index=True)
    mentor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    held_on: Mapped[date]
    duration_minutes: Mapped[int]
    mode: Mapped[SessionMode] = mapped_column(string_enum(SessionMode))
    # ';'-joined indicator codes worked on (may be empty: a session about the plan as a whole).
    indicators_raw: Mapped[str] = mapped_column("indicators", sa.String(400), default="")
    participants_total: Mapped[int]
    participants_female: Mapped[int] = mapped_column(default=0)
    participants_male: Mapped[int] = mapped_column(default=0)
    participants_with_disability: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Bumped on every save: an edit made from an older page is refused.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    round: Mapped["AssessmentRound"] = relationship()  # noqa: F821
    mentor: Mapped["User | None"] = relationship(foreign_keys=[mentor_id])  # noqa: F821
    actions: Mapped[list["PlanAction"]] = relationship(secondary=session_actions)  # noqa: F821
    follow_ups: Mapped[list["FollowUp"]] = relationship(back_populates="session", cascade="all, delete-orphan",
                                                        order_by="FollowUp.id")

    __table_args__ = (
        sa.CheckConstraint(f"duration_minutes > 0 AND duration_minutes <= {MAX_MINUTES}", name="duration_in_range"),
        sa.CheckConstraint("participants_total >= 0 AND participants_female >= 0 AND participants_male >= 0 "
                           "AND participants_with_disability >= 0", name="participants_not_negative"),
        sa.CheckConstraint("participants_female + participants_male <= participants_total "
                           "AND participants_with_disability <= participants_total", name="participants_within_total"),
    )

    @property
    def indicators(self) -> list[str]:
        from capacity.plans.models import split_codes
        return split_codes(self.indicators_raw)


class FollowUp(db.Model):
    """Something agreed in a session to do next; it can become an action of the development plan."""

    __tablename__ = "mentoring_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("mentoring_sessions.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(sa.Text)

    session: Mapped[MentoringSession] = relationship(back_populates="follow_ups")
