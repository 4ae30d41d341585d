"""A background report job and its progress, in the database so that every web server sees it."""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capacity.extensions import db
from capacity.timeutil import utcnow


class ReportJob(db.Model):
    __tablename__ = "report_jobs"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)  # random: also the job's address
    kind: Mapped[str] = mapped_column(sa.String(32), default="profiles_zip")
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="CASCADE"))
    baseline_id: Mapped[int | None] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(sa.String(5))
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(sa.String(16), default="queued")  # queued, running, done, failed
    total: Mapped[int] = mapped_column(default=0)
    done: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Who runs it and when it last showed life: a job whose worker died is told apart from a slow one
    # (capacity.jobs.liveness). runner: "thread" (this web process) or "rq"; worker: "host:pid" once running.
    runner: Mapped[str] = mapped_column(sa.String(8), default="thread", server_default="thread")
    worker: Mapped[str] = mapped_column(sa.String(128), default="", server_default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # The finished ZIP, in the database so that any web server can hand out what any worker printed;
    # loaded only for a download. archive_size is None before the job is done and after a prune.
    archive: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    archive_size: Mapped[int | None] = mapped_column()
