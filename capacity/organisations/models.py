"""Subjects of assessment — partner organisations, their services, municipalities — and who is assigned to them.

The table keeps its name, ``organisations``, and every assessment, plan and
profile still points at it: a subject of any kind is a row here, with its
``kind`` (questionnaires/subjects.yaml) and, for a service, the organisation
that runs it (``parent``).
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from capacity.extensions import db
from capacity.organisations.geography import MUNICIPALITIES, SERVICE_AREAS
from capacity.timeutil import utcnow


class Organisation(db.Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Short, stable, ASCII: used in URLs, the CLI and exports, so it never changes.
    code: Mapped[str] = mapped_column(sa.String(16), unique=True)
    # What it is (a kind of questionnaires/subjects.yaml): decides which rounds cover it and who sees it.
    kind: Mapped[str] = mapped_column(sa.String(32), default="organisation", server_default="organisation", index=True)
    # The subject this one belongs to: a service's organisation.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    name_ka: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    municipality: Mapped[str] = mapped_column(sa.String(32))
    # Stored as a ';'-joined list of codes from geography.SERVICE_AREAS.
    service_areas_raw: Mapped[str] = mapped_column("service_areas", sa.String(200), default="")
    contact_name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact_email: Mapped[str] = mapped_column(sa.String(254), default="")
    contact_phone: Mapped[str] = mapped_column(sa.String(40), default="")
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    parent: Mapped["Organisation | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Organisation"]] = relationship(back_populates="parent", order_by="Organisation.code")
    users: Mapped[list["User"]] = relationship(back_populates="organisation")  # noqa: F821
    assignments: Mapped[list["MentorAssignment"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )

    @property
    def region(self) -> str:
        return MUNICIPALITIES[self.municipality].region

    @property
    def service_areas(self) -> list[str]:
        return [code for code in self.service_areas_raw.split(";") if code in SERVICE_AREAS]

    @service_areas.setter
    def service_areas(self, codes: list[str]) -> None:
        self.service_areas_raw = ";".join(code for code in SERVICE_AREAS if code in set(codes))

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_ka

    def __repr__(self) -> str:
        return f"<Organisation {self.code}>"


class MentorAssignment(db.Model):
    """A mentor supports an organisation: they may see and score it."""

    __tablename__ = "mentor_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    mentor_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    mentor: Mapped["User"] = relationship()  # noqa: F821
    organisation: Mapped[Organisation] = relationship(back_populates="assignments")

    __table_args__ = (sa.UniqueConstraint("mentor_id", "organisation_id", name="uq_mentor_assignments_pair"),)


class MunicipalityAssignment(db.Model):
    """An account works on a municipality's assessments (a municipal working group member, a facilitator).

    It sees the subjects whose kind's access rule is ``municipality`` in that
    municipality; its role decides its track (staff: the self-assessment; a mentor:
    the independent assessment), as for organisations.
    """

    __tablename__ = "municipality_assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    municipality: Mapped[str] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)

    user: Mapped["User"] = relationship()  # noqa: F821

    __table_args__ = (sa.UniqueConstraint("user_id", "municipality", name="uq_municipality_assignments_pair"),)
