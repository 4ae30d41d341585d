"""Column types shared by the models."""
from __future__ import annotations

import enum

import sqlalchemy as sa


def string_enum(cls: type[enum.Enum], length: int = 16) -> sa.Enum:
    """An enum stored as a plain string with a CHECK, identical on SQLite and PostgreSQL."""
    return sa.Enum(cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
