"""Users and their roles."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from capacity.extensions import db
from capacity.timeutil import utcnow


class Role(str, enum.Enum):
    ADMIN = "admin"
    MANAGER = "manager"
    MENTOR = "mentor"
    CSO = "cso"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    role: Mapped[Role] = mapped_column(sa.Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    language: Mapped[str] = mapped_column(sa.String(5), default="ka")
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    # Part of every login's identity (see get_id): raising it ends every session and
    # "keep me logged in" cookie of this user at their next request.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    organisation: Mapped["Organisation | None"] = relationship(back_populates="users")  # noqa: F821

    __table_args__ = (
        # Only staff (CSO) accounts belong to an organisation; other roles to none. A staff account may belong
        # to none when it works on municipalities instead (a municipal working group): the users service checks
        # that it has one or the other, which a CHECK cannot (the municipalities are rows of another table).
        sa.CheckConstraint("role = 'cso' OR organisation_id IS NULL", name="only_staff_belong_to_organisation"),
    )

    def set_password(self, password: str) -> None:
        # scrypt: werkzeug's current default, memory-hard.
        self.password_hash = generate_password_hash(password, method="scrypt")

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """"id:generation": what Flask-Login keeps in the session and the remember cookie.

        capacity.auth.sessions.load_user refuses it once the generation has moved on.
        """
        return f"{self.id}:{self.session_generation}"

    def end_all_sessions(self) -> None:
        """Log this user out everywhere: every session and remember cookie is refused from now on."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
