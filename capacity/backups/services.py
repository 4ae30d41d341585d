"""Backing up and restoring the whole database, which holds everything users entered.

Answers, audit trail, evidence files and print-all ZIPs all live in the database
(migration 0008), so one file is a complete backup. Each backend uses its own
consistent, online tool:

- SQLite: the online backup API copies a snapshot while the app keeps serving;
  the backup is itself an SQLite database (``sqlite3 backup.db`` opens it).
- PostgreSQL: ``pg_dump --format=custom`` of the app's schema, restored with
  ``pg_restore`` in a single transaction.

A restore refuses a file that is not a Capacity backup, one made on the other
kind of database, and one made by a newer Capacity (a schema this code does not
know); it then upgrades an older backup's schema to this version's. Nothing in the
target changes until the file has passed those checks.
"""
from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import URL, Engine, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupProblem(Exception):
    """Why a backup or restore cannot be done, in a sentence for the person at the console."""


@dataclass(frozen=True)
class BackupInfo:
    kind: str  # "sqlite" or "postgresql"
    revision: str | None  # the schema (Alembic revision) the backup was made with
    schema: str | None = None  # PostgreSQL: the schema the app's tables are in


def _kind(url: URL) -> str:
    if url.get_backend_name() == "sqlite":
        return "sqlite"
    if url.get_backend_name() == "postgresql":
        return "postgresql"
    raise BackupProblem(f"backups are made for SQLite and PostgreSQL only, not {url.get_backend_name()}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupProblem("this SQLite database is not a plain file: there is nothing to back up or restore into")
    return Path(url.database)


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore, with the password in the environment, not on ``ps``."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupProblem(f"{name} is not installed: on Debian, install the package postgresql-client "
                            f"(of the same or a newer major version than the database server)")
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupProblem(f"{what} failed: {done.stderr.strip() or done.stdout.strip()}")
    return done.stdout


def current_schema(engine: Engine) -> str:
    """The PostgreSQL schema the app's tables are in: the first of its search path (which may not exist yet)."""
    with engine.connect() as connection:
        existing = connection.scalar(sa.text("SELECT current_schema()"))
        search_path = connection.scalar(sa.text("SHOW search_path")) or ""
    if existing:
        return existing
    named = [part.strip().strip('"') for part in search_path.split(",") if part.strip() and "$user" not in part]
    return named[0] if named else "public"


def backup(engine: Engine, output: Path) -> BackupInfo:
    """Write a consistent backup of ``engine``'s database to ``output`` (written whole or not at all)."""
    kind = _kind(engine.url)
    output = Path(output)
    if output.is_dir():
        raise BackupProblem(f"{output} is a folder: name the backup file, e.g. {output / 'capacity-backup.db'}")
    if not output.parent.is_dir():
        raise BackupProblem(f"the folder {output.parent} does not exist")
    # Written next to its final name and renamed when complete: a crash never leaves half a backup under it.
    handle, partial_name = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".partial", dir=output.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        if kind == "sqlite":
            _sqlite_backup(_sqlite_path(engine.url), partial)
        else:
            schema = current_schema(engine)
            target, env = _libpq(engine.url)
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--schema={schema}",
                  f"--file={partial}", f"--dbname={target}"], env, "pg_dump")
        info = inspect_backup(partial)
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return info


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupProblem(f"the database {source} does not exist")
    # ``target`` is the empty file mkstemp made, readable by its owner only: the backup holds password hashes.
    with _closing(sqlite3.connect(f"file:{source}?mode=ro", uri=True)) as src, \
            _closing(sqlite3.connect(target)) as dst:
        src.backup(dst)  # one step: a snapshot of a single moment while the app goes on writing (WAL)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        problem = dst.execute("PRAGMA integrity_check").fetchone()[0]
        if problem != "ok":
            raise BackupProblem(f"the copy does not pass SQLite's integrity check: {problem}")


class _closing:
    """sqlite3's own context manager commits but does not close; this one closes."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection

    def __enter__(self) -> sqlite3.Connection:
        return self.connection

    def __exit__(self, *_exc) -> None:
        self.connection.close()


def inspect_backup(path: Path) -> BackupInfo:
    """What kind of backup ``path`` is and which schema it was made with; BackupProblem if it is none."""
    path = Path(path)
    if not path.is_file():
        raise BackupProblem(f"{path} does not exist or is not a file")
    with path.open("rb") as stream:
        head = stream.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        try:
            with _closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as connection:
                tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                if "alembic_version" not in tables or "organisations" not in tables:
                    raise BackupProblem(f"{path} is an SQLite database but not a Capacity backup (it has no "
                                        f"Capacity tables)")
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.DatabaseError as error:
            raise BackupProblem(f"{path} is a damaged SQLite file: {error}") from None
        return BackupInfo("sqlite", row[0] if row else None)
    if head.startswith(PG_MAGIC):
        listing = _run([_tool("pg_restore"), "--list", str(path)], dict(os.environ), "reading the backup's contents")
        schemas = re.findall(r"^\d+; \d+ \d+ SCHEMA - (\S+) ", listing, flags=re.MULTILINE)
        if not re.search(r" TABLE \S+ alembic_version ", listing):
            raise BackupProblem(f"{path} is a PostgreSQL dump but not a Capacity backup (it has no Capacity tables)")
        data = _run([_tool("pg_restore"), "--data-only", "--table=alembic_version", "--file=-", str(path)],
                    dict(os.environ), "reading the backup's schema version")
        match = re.search(r"^COPY \S*alembic_version \(version_num\) FROM stdin;\n(\S+)\n", data, flags=re.MULTILINE)
        return BackupInfo("postgresql", match.group(1) if match else None, schemas[0] if schemas else "public")
    raise BackupProblem(f"{path} is not a Capacity backup: it is neither an SQLite database nor a PostgreSQL "
                        f"dump made by `capacity backup`")


def has_data(engine: Engine) -> bool:
    """Whether the database already holds users or organisations (a restore would replace them)."""
    inspector = sa.inspect(engine)
    with engine.connect() as connection:
        for table in ("users", "organisations"):
            if inspector.has_table(table) and connection.scalar(sa.text(f"SELECT count(*) FROM {table}")):
                return True
    return False


def restore(engine: Engine, path: Path, known_revisions: set[str]) -> BackupInfo:
    """Replace ``engine``'s database with the backup at ``path``; the caller upgrades the schema afterwards."""
    info = inspect_backup(path)
    kind = _kind(engine.url)
    if info.kind != kind:
        raise BackupProblem(f"{path} is a backup of {'an SQLite' if info.kind == 'sqlite' else 'a PostgreSQL'} "
                            f"database, and this Capacity is configured for "
                            f"{'SQLite' if kind == 'sqlite' else 'PostgreSQL'} (CAPACITY_DATABASE_URL): restore it "
                            f"into the same kind of database")
    if info.revision not in known_revisions:
        raise BackupProblem(f"{path} was made by a newer or different version of Capacity (database schema "
                            f"{info.revision or 'unknown'}): install that version, or a newer one, to restore it")
    engine.dispose()  # no pooled connection may keep reading the database being replaced
    if kind == "sqlite":
        target = _sqlite_path(engine.url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with _closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as src, \
                _closing(sqlite3.connect(target, timeout=30)) as dst:
            src.backup(dst)  # in one transaction: readers see the old database or the restored one
    else:
        schema = current_schema(engine)
        if schema != info.schema:
            raise BackupProblem(f"{path} holds the schema '{info.schema}' and this Capacity uses the schema "
                                f"'{schema}': restore it into a database whose search path is '{info.schema}'")
        target, env = _libpq(engine.url)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
              "--exit-on-error", f"--dbname={target}", str(path)], env, "pg_restore")
    return info


def database_name(url: str | URL) -> str:
    """The database as a person would name it: a file for SQLite, host/database for PostgreSQL (no password)."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        return str(url.database)
    return f"{url.host or 'localhost'}/{url.database}"
