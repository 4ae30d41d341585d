"""An uploaded submissions file waiting between the check (dry run) and the manager's "import" button.

In the database, not in a server's instance folder: with several servers behind one address (README, "Several
servers") the check may run on one server and the confirm land on another, and only the database is shared.
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from capacity.extensions import db
from capacity.timeutil import utcnow


class PendingImport(db.Model):
    __tablename__ = "pending_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random, sent to the browser in the confirm form; the only thing the browser sends back.
    token: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # Whose check it was and for which round: a token is no use to another manager or on another round's page.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("assessment_rounds.id", ondelete="CASCADE"), index=True)
    track: Mapped[str] = mapped_column(sa.String(16))
    filename: Mapped[str] = mapped_column(sa.String(255))
    sha256: Mapped[str] = mapped_column(sa.String(64))
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    # The revision of each stored answer the check saw ({"ORG": {"GOV.1": 2}}): the import saves on those, so an
    # answer saved on the web after the check is never overwritten silently (the import is refused instead).
    basis: Mapped[str] = mapped_column(sa.Text, default="{}")
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, index=True)
