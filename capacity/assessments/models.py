"""Assessments (one per organisation, round and track), their answers and evidence files."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from capacity.dbtypes import string_enum as _enum
from capacity.extensions import db
from capacity.rounds.models import AssessmentRound
from capacity.timeutil import utcnow


class Track(str, enum.Enum):
    SELF = "self"
    MENTOR = "mentor"
    CONSENSUS = "consensus"


class Status(str, enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    VALIDATED = "validated"


class Assessment(db.Model):
    """One organisation's assessment in one round on one track (self, mentor or consensus)."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="RESTRICT"), index=True)
    track: Mapped[Track] = mapped_column(_enum(Track))
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.DRAFT)
    # The exact questionnaire and rubric content the answers were given and scored against.
    questionnaire_hash: Mapped[str | None] = mapped_column(sa.String(64))
    rubric_hash: Mapped[str | None] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    # A change counter bumped when the status changes (report caches fingerprint it). It is deliberately
    # not the mapper's version_id_col: answers carry their own revisions, so saves to different
    # indicators of one assessment never collide on this row.
    version: Mapped[int] = mapped_column(default=1)

    organisation: Mapped["Organisation"] = relationship()  # noqa: F821
    round: Mapped[AssessmentRound] = relationship(back_populates="assessments")
    answers: Mapped[list["Answer"]] = relationship(back_populates="assessment", cascade="all, delete-orphan")

    __table_args__ = (sa.UniqueConstraint("organisation_id", "round_id", "track", name="uq_assessments_org_round_track"),)


class Answer(db.Model):
    """The level (or N/A) given for one indicator, with comment and evidence."""

    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(sa.ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    indicator_code: Mapped[str] = mapped_column(sa.String(32))
    level: Mapped[int | None]  # a level of the scale (scale questions only)
    # Any other question type's answer, as capacity.questionnaires.values encodes it ("yes", an option code,
    # a JSON list of option codes, a number, a text); None when unanswered. Scored at scoring time, by the rubric.
    value: Mapped[str | None] = mapped_column(sa.Text)
    not_applicable: Mapped[bool] = mapped_column(default=False)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    evidence_url: Mapped[str] = mapped_column(sa.String(1000), default="")
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    # Bumped on every save: a save made from an older revision is refused, never silently applied.
    revision: Mapped[int] = mapped_column(default=1, server_default="1")

    assessment: Mapped[Assessment] = relationship(back_populates="answers")
    answered_by: Mapped["User | None"] = relationship()  # noqa: F821
    evidence_files: Mapped[list["EvidenceFile"]] = relationship(back_populates="answer", cascade="all, delete-orphan",
                                                                order_by="EvidenceFile.id")

    __table_args__ = (
        sa.UniqueConstraint("assessment_id", "indicator_code", name="uq_answers_assessment_indicator"),
        sa.CheckConstraint("NOT (not_applicable AND level IS NOT NULL)", name="level_or_na"),
        sa.CheckConstraint("NOT (not_applicable AND value IS NOT NULL)", name="value_or_na"),
        sa.CheckConstraint("level IS NULL OR level >= 1", name="level_positive"),
    )


class EvidenceFile(db.Model):
    """A document backing an answer, served only to those allowed.

    The file's bytes live in the row itself (``content``, loaded only when asked
    for): written in the same transaction as the row, so no server, crash or
    rollback can leave a row without its file or a file without its row, every
    web server reads it, and a database backup holds it.
    """

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    answer_id: Mapped[int] = mapped_column(sa.ForeignKey("answers.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(sa.String(255))
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(sa.String(64))
    storage_name: Mapped[str] = mapped_column(sa.String(64), unique=True)  # its file name before migration 0008
    # None only for a file that was already missing from the disk when 0008 moved files into the database.
    content: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    answer: Mapped[Answer] = relationship(back_populates="evidence_files")
