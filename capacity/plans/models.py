"""Capacity-development plans: one per organisation and round, opened once the round's result is final.

A plan holds priorities (indicators suggested from the validated results, or added
by hand, each accepted or dropped) and actions (what will be done about which
indicators, by whom and when), with dated progress notes and evidence of
completion. Every change is an audit event; plan and action rows carry a revision
so that a save made from an older page is refused, never silently applied.
"""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from capacity.dbtypes import string_enum
from capacity.extensions import db
from capacity.timeutil import utcnow

CODES_SEPARATOR = ";"


def split_codes(raw: str) -> list[str]:
    """Indicator codes stored as one ';'-joined string, in the order given."""
    return [code for code in (raw or "").split(CODES_SEPARATOR) if code]


def join_codes(codes: list[str]) -> str:
    return CODES_SEPARATOR.join(dict.fromkeys(code for code in codes if code))


class PriorityReason(str, enum.Enum):
    LOWEST = "lowest"   # among the lowest-scoring indicators
    GESI = "gesi"       # a GESI-tagged indicator below the rubric's threshold
    GAP = "gap"         # among the widest self/mentor gaps
    ADDED = "added"     # added by staff or the mentor


class PriorityStatus(str, enum.Enum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    DROPPED = "dropped"


class ActionStatus(str, enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class DevelopmentPlan(db.Model):
    """The capacity-development plan of one organisation after one round's assessment."""

    __tablename__ = "development_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="RESTRICT"), index=True)
    # The track whose validated levels seeded the priorities (consensus, normally).
    seeded_from: Mapped[str] = mapped_column(sa.String(16), default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Bumped on every change to the plan's priorities: a decision made on an older page is refused.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    round: Mapped["AssessmentRound"] = relationship()  # noqa: F821
    priorities: Mapped[list["PlanPriority"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                            order_by="PlanPriority.id")
    actions: Mapped[list["PlanAction"]] = relationship(back_populates="plan", cascade="all, delete-orphan",
                                                       order_by="PlanAction.id")

    __table_args__ = (sa.UniqueConstraint("organisation_id", "round_id", name="uq_development_plans_org_round"),)


class PlanPriority(db.Model):
    """An indicator the plan should work on: suggested from the results (with why) or added by hand."""

    __tablename__ = "plan_priorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(32))
    # ';'-joined PriorityReason values: one indicator may be both among the lowest and GESI-tagged.
    reasons_raw: Mapped[str] = mapped_column("reasons", sa.String(64), default="")
    level: Mapped[int | None]  # the validated level when suggested
    status: Mapped[PriorityStatus] = mapped_column(string_enum(PriorityStatus), default=PriorityStatus.SUGGESTED)
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="priorities")

    __table_args__ = (sa.UniqueConstraint("plan_id", "indicator_code", name="uq_plan_priorities_plan_indicator"),)

    @property
    def reasons(self) -> list[PriorityReason]:
        return [PriorityReason(r) for r in split_codes(self.reasons_raw) if r in PriorityReason._value2member_map_]


class PlanAction(db.Model):
    """One action of a plan: what will be done about which indicators, by whom, by when, with what support."""

    __tablename__ = "plan_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("development_plans.id", ondelete="CASCADE"), index=True)
    # ';'-joined indicator codes of the round's questionnaire: at least one.
    indicators_raw: Mapped[str] = mapped_column("indicators", sa.String(400))
    description: Mapped[str] = mapped_column(sa.Text)
    target_level: Mapped[int | None]
    responsible: Mapped[str] = mapped_column(sa.String(120), default="")
    due_on: Mapped[date | None]
    support_type: Mapped[str] = mapped_column(sa.String(32), default="")  # a code from the rubric's plan settings
    status: Mapped[ActionStatus] = mapped_column(string_enum(ActionStatus), default=ActionStatus.PLANNED)
    dropped_reason: Mapped[str] = mapped_column(sa.Text, default="")
    completed_on: Mapped[date | None]
    evidence_url: Mapped[str] = mapped_column(sa.String(1000), default="")
    # The mentoring session follow-up this action was made from, if any.
    follow_up_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mentoring_follow_ups.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # Bumped on every save: a save made from an older revision is refused with both versions.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="actions")
    notes: Mapped[list["ActionNote"]] = relationship(back_populates="action", cascade="all, delete-orphan",
                                                     order_by="ActionNote.noted_on, ActionNote.id")
    evidence_files: Mapped[list["ActionEvidenceFile"]] = relationship(back_populates="action", cascade="all, delete-orphan",
                                                                      order_by="ActionEvidenceFile.id")

    __table_args__ = (
        sa.CheckConstraint("indicators <> ''", name="action_has_indicator"),
        sa.CheckConstraint("status <> 'dropped' OR dropped_reason <> ''", name="dropped_has_reason"),
        # One action per follow-up: of two "make it an action" at once, one is refused (NULLs: any number).
        sa.UniqueConstraint("follow_up_id", name="uq_plan_actions_follow_up"),
    )

    @property
    def indicators(self) -> list[str]:
        return split_codes(self.indicators_raw)

    def is_overdue(self, today: date) -> bool:
        return self.status in OPEN_STATUSES and self.due_on is not None and self.due_on < today


class ActionNote(db.Model):
    """A dated progress note on an action (append-only, like a logbook)."""

    __tablename__ = "plan_action_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    noted_on: Mapped[date]
    text: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    action: Mapped[PlanAction] = relationship(back_populates="notes")
    author: Mapped["User | None"] = relationship()  # noqa: F821


class ActionEvidenceFile(db.Model):
    """A document showing an action was done; kept in the database like answers' evidence (see EvidenceFile)."""

    __tablename__ = "plan_action_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(sa.ForeignKey("plan_actions.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    content: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    action: Mapped[PlanAction] = relationship(back_populates="evidence_files")
