"""SQLite connections that behave like a real transactional database.

pysqlite, left to itself, sends no ``BEGIN`` until the first INSERT/UPDATE: the
SELECTs before it run outside any transaction, so "read, check, then write"
(the stale-save check) depends on timing, ``SELECT … FOR UPDATE`` means nothing,
and SAVEPOINTs do not nest properly. SQLAlchemy's documented recipe (SQLite
dialect docs, "Serializable isolation / Savepoints / Transactional DDL") fixes
that: turn pysqlite's own transaction handling off and emit ``BEGIN`` ourselves
when SQLAlchemy starts a transaction.

One more SQLite rule decides *which* BEGIN: in WAL mode a transaction that has
read and then wants to write, after another connection committed, fails at once
with "database is locked" (SQLITE_BUSY_SNAPSHOT) whatever busy_timeout says.
A transaction that will write therefore starts with ``BEGIN IMMEDIATE``: it
takes the write lock first and waits (up to busy_timeout) for it instead of
failing. Readers start with a plain ``BEGIN`` and never block anyone.

Who writes is said through :func:`write_intent`. The default is "writes", the
safe choice for command-line commands, migrations and background jobs (which read
then commit progress); web requests set it from their method: GET, HEAD and
OPTIONS read, everything else writes. PostgreSQL is left untouched.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

from flask import Flask, g, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

_writes: ContextVar[bool] = ContextVar("capacity_write_intent", default=True)
READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def write_intent(writes: bool = True) -> Iterator[None]:
    """Within the block, SQLite transactions begin IMMEDIATE (``writes=True``) or deferred (``writes=False``).

    Say it before the transaction's first statement: a transaction already open keeps how it began.
    """
    token = _writes.set(writes)
    try:
        yield
    finally:
        _writes.reset(token)


def intends_to_write() -> bool:
    return _writes.get()


def install(app: Flask) -> None:
    """Make every request say whether it writes, from its HTTP method (see the module docstring)."""

    @app.before_request
    def _request_intent() -> None:
        g._capacity_write_token = _writes.set(request.method not in READING_METHODS)

    @app.teardown_request
    def _forget_intent(_error: BaseException | None = None) -> None:
        token = g.pop("_capacity_write_token", None)
        if token is not None:
            _writes.reset(token)


@event.listens_for(Engine, "connect")
def _sqlite_connect(dbapi_connection, _record) -> None:
    """Per SQLite connection: foreign keys, WAL, NORMAL sync, a busy timeout, and our own BEGIN.

    SQLite ignores foreign keys unless asked on each connection, and WAL lets
    readers (report builds) run while a mentor saves answers.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # No implicit BEGIN/COMMIT from pysqlite: _sqlite_begin below opens transactions.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is SQLite's recommended setting with WAL: no corruption, and a commit
    # no longer waits for an fsync, which made every autosave slow.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _sqlite_begin(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _writes.get() else "BEGIN")
