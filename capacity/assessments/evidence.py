"""Evidence files: checked by type and size on the server, stored outside the web root.

The disk follows the database: an upload is written under a temporary name and
moved into place only when the request's transaction commits (removed if it rolls
back), and a removed file is deleted from disk only after the commit. A failed
request therefore leaves neither an orphan file nor a row without its file.
"""
from __future__ import annotations

import hashlib
import logging
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Callable

from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from capacity.assessments.models import Answer, EvidenceFile
from capacity.audit import services as audit
from capacity.extensions import db

# extension: (content type, accepted leading bytes)
ALLOWED = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
    ".pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (b"PK\x03\x04",)),
    ".odt": ("application/vnd.oasis.opendocument.text", (b"PK\x03\x04",)),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", (b"PK\x03\x04",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
}
MAX_BYTES = 10 * 1024 * 1024


class EvidenceRefused(ValueError):
    def __init__(self, message: Any):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    path: Path
    record: EvidenceFile


PENDING_SUFFIX = ".pending"
_PENDING_KEY = "capacity_evidence_pending"  # in Session.info: (on commit, on rollback) pairs


def storage_dir(instance_path: str) -> Path:
    return Path(instance_path) / "evidence"


def _when_transaction_ends(on_commit: Callable[[], None], on_rollback: Callable[[], None]) -> None:
    db.session.info.setdefault(_PENDING_KEY, []).append((on_commit, on_rollback))


@event.listens_for(Session, "after_commit")
def _apply_pending(session: Session) -> None:
    # after_commit also fires for a savepoint: only the outermost commit makes the change durable.
    if session.in_nested_transaction():
        return
    for on_commit, _on_rollback in session.info.pop(_PENDING_KEY, []):
        _quietly(on_commit)


@event.listens_for(Session, "after_transaction_end")
def _discard_pending(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction ended without its commit having applied the file changes: rolled back or closed.
    if transaction.parent is None and not transaction.nested:
        for _on_commit, on_rollback in session.info.pop(_PENDING_KEY, []):
            _quietly(on_rollback)


def _quietly(change: Callable[[], None]) -> None:
    # The database has already decided: a disk error is logged (the download then says "not found"), not raised.
    try:
        change()
    except OSError:
        logging.getLogger(__name__).exception("evidence file change after the transaction failed")


def store(actor: Any, answer: Answer, filename: str, stream: IO[bytes], instance_path: str, max_bytes: int = MAX_BYTES) -> EvidenceFile:
    """Check and store an uploaded file for ``answer``; raise EvidenceRefused saying why not."""
    name = os.path.basename(filename or "").strip()
    extension = os.path.splitext(name)[1].lower()
    if extension not in ALLOWED:
        raise EvidenceRefused(_l("Files of this type cannot be uploaded. Allowed: PDF, images (PNG, JPEG) and office documents (DOCX, XLSX, PPTX, ODT, ODS, DOC, XLS)."))
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise EvidenceRefused(_l("The file is larger than %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    if not data:
        raise EvidenceRefused(_l("The file is empty."))
    content_type, signatures = ALLOWED[extension]
    if not data.startswith(signatures):
        raise EvidenceRefused(_l("The file's content does not match its name (%(ext)s).", ext=extension))
    folder = storage_dir(instance_path)
    folder.mkdir(parents=True, exist_ok=True)
    storage_name = uuid.uuid4().hex
    final, partial = folder / storage_name, folder / (storage_name + PENDING_SUFFIX)
    partial.write_bytes(data)
    _when_transaction_ends(lambda: partial.replace(final), lambda: partial.unlink(missing_ok=True))
    record = EvidenceFile(answer=answer, filename=name[:255], content_type=content_type, size=len(data),
                          sha256=hashlib.sha256(data).hexdigest(), storage_name=storage_name,
                          uploaded_by_id=getattr(actor, "id", None))
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "evidence.upload", "answer", f"{answer.assessment_id}/{answer.indicator_code}",
                 organisation_id=answer.assessment.organisation_id, after={"file": record.filename, "size": record.size})
    return record


def remove(actor: Any, record: EvidenceFile, instance_path: str) -> None:
    """Delete ``record`` (audited); its file goes from disk when the transaction commits."""
    answer = record.answer
    audit.record(actor, "evidence.delete", "answer", f"{answer.assessment_id}/{answer.indicator_code}",
                 organisation_id=answer.assessment.organisation_id, before={"file": record.filename})
    path = storage_dir(instance_path) / record.storage_name
    db.session.delete(record)
    db.session.flush()
    _when_transaction_ends(lambda: path.unlink(missing_ok=True), lambda: None)
