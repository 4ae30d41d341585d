"""Assessment rounds: baseline, midline, endline, each pinned to a questionnaire and rubric version."""
from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from capacity.dbtypes import string_enum
from capacity.extensions import db
from capacity.timeutil import utcnow


class RoundKind(str, enum.Enum):
    BASELINE = "baseline"
    MIDLINE = "midline"
    ENDLINE = "endline"


class AssessmentRound(db.Model):
    __tablename__ = "assessment_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)
    name_ka: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    kind: Mapped[RoundKind] = mapped_column(string_enum(RoundKind))
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    is_open: Mapped[bool] = mapped_column(default=False)
    questionnaire_id: Mapped[str] = mapped_column(sa.String(64))
    questionnaire_version: Mapped[str] = mapped_column(sa.String(32))
    rubric_id: Mapped[str] = mapped_column(sa.String(64))
    rubric_version: Mapped[str] = mapped_column(sa.String(32))
    # The kind of subject the questionnaire assesses, copied from it when the round is saved: the round
    # covers the active subjects of this kind (and lists them even when its files are missing).
    subject_kind: Mapped[str] = mapped_column(sa.String(32), default="organisation", server_default="organisation")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    assessments: Mapped[list["Assessment"]] = relationship(back_populates="round")  # noqa: F821

    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on", name="dates_in_order"),
    )

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_ka
