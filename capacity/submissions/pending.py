"""An uploaded file kept between the dry run and the manager's "import" button (``PendingImport`` rows).

The bytes are kept in the database under a random token, beside what they were checked for (round, track, file
name, who uploaded them, their sha256, the revisions of the stored answers the check saw). The database, not an
instance folder: every server of a deployment shares it, so a check on one server and the confirm on another
work alike. The confirm form sends back only the token: the round, track and file name come from here, never from
the browser, and the bytes are checked against their sha256 before they are imported.

A token is claimed once: ``claim`` deletes its row in the statement that reads it (``DELETE … RETURNING``), so
of two confirms at the same time, on one server or two, exactly one gets the file — on PostgreSQL the second
waits for the first's transaction and then finds nothing; SQLite lets one writer in at a time. Rows older than a
day are refused and removed at the next upload; a person keeps at most five waiting (older ones go).
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from capacity.extensions import db
from capacity.submissions.models import PendingImport
from capacity.timeutil import utcnow

TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
MAX_AGE = timedelta(days=1)
# Checked uploads a person may have waiting at once (a few tabs); older ones go, so repeated checks of 10 MB files
# cannot fill the database.
MAX_PER_USER = 5


@dataclass(frozen=True)
class Kept:
    data: bytes
    filename: str
    track: str
    sha256: str
    basis: dict = field(default_factory=dict)


def prune() -> int:
    """Remove uploads older than a day (never confirmed); how many. The caller commits."""
    result = db.session.execute(sa.delete(PendingImport).where(PendingImport.created_at < utcnow() - MAX_AGE)
                                .execution_options(synchronize_session=False))
    return result.rowcount or 0


def keep(data: bytes, *, filename: str, round_id: int, track: str, user_id: int, basis: dict | None = None) -> str:
    """Keep ``data`` for a later import; the token to send back. Prunes expired uploads; the caller commits."""
    prune()
    token = secrets.token_urlsafe(32)
    db.session.add(PendingImport(token=token, user_id=user_id, round_id=round_id, track=track, filename=filename[:255],
                                 sha256=hashlib.sha256(data).hexdigest(), data=data,
                                 basis=json.dumps(basis or {}, sort_keys=True), created_at=utcnow()))
    db.session.flush()
    newest = (sa.select(PendingImport.id).where(PendingImport.user_id == user_id)
              .order_by(PendingImport.id.desc()).limit(MAX_PER_USER))
    db.session.execute(sa.delete(PendingImport).where(PendingImport.user_id == user_id,
                                                      PendingImport.id.not_in(newest.scalar_subquery()))
                       .execution_options(synchronize_session=False))
    return token


def claim(token: object, *, round_id: int, user_id: int) -> Kept | None:
    """The file kept under ``token`` for this round and user, removed in the same statement (a token is used
    once); None when there is none (used, expired, forged, another user's or round's, altered bytes).

    The removal is part of the caller's transaction: committed with the import, or undone with it.
    """
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    row = db.session.execute(
        sa.delete(PendingImport)
        .where(PendingImport.token == token, PendingImport.user_id == user_id, PendingImport.round_id == round_id,
               PendingImport.created_at >= utcnow() - MAX_AGE)
        .returning(PendingImport.data, PendingImport.filename, PendingImport.track, PendingImport.sha256,
                   PendingImport.basis)
        .execution_options(synchronize_session=False)).first()
    if row is None:
        return None
    data, filename, track, digest, basis = row
    if data is None or hashlib.sha256(data).hexdigest() != digest:
        return None
    try:
        basis = json.loads(basis or "{}")
    except ValueError:
        basis = {}
    return Kept(bytes(data), filename, track, digest, basis if isinstance(basis, dict) else {})


def discard(token: object, *, user_id: int) -> None:
    """Forget the upload kept under ``token`` (the caller commits)."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return
    db.session.execute(sa.delete(PendingImport).where(PendingImport.token == token, PendingImport.user_id == user_id)
                       .execution_options(synchronize_session=False))
