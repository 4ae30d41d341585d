"""Flask extensions, created unbound so that any module can import them.

This module never imports the application: it is what breaks import cycles
between feature packages: every module imports what it needs at the top, with no
bottom-of-file imports to dodge a cycle.
"""
from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from capacity import database

# Named constraints, so that Alembic can alter them on SQLite (batch mode)
# and migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class _SQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy plus SQLite transactions that begin when they should (see capacity/database.py).

    Installed with the extension so that every app, whatever builds it, gets the
    per-request write intent.
    """

    def init_app(self, app: Flask) -> None:
        super().init_app(app)
        database.install(app)


db = _SQLAlchemy(model_class=Base)
babel = Babel()
login_manager = LoginManager()
csrf = CSRFProtect()
# The login limiter lives in capacity.auth.throttling: only the web app loads Flask-Limiter.
