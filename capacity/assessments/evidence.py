"""Evidence files: checked by type and size on the server, kept in the database.

A file's bytes are written with its row, in the request's one transaction: a
rolled-back request leaves no orphan, a removed file is gone when its removal
commits, every web server reads the same file, and a database backup holds the
evidence too (see EvidenceFile).
"""
from __future__ import annotations

import hashlib
import os
import unicodedata
import uuid
from dataclasses import dataclass
from typing import IO, Any

from flask_babel import lazy_gettext as _l

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


def clean_name(filename: str) -> str:
    """A file name without control or format characters.

    A line break cannot go into the download's Content-Disposition header, and a bidi
    override (U+202E) makes "‮fdp.exe" read as "exe.pdf": neither belongs in a name.
    """
    return "".join(ch for ch in filename if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: its cleaned name, content type and bytes."""

    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_upload(filename: str, stream: IO[bytes], max_bytes: int = MAX_BYTES) -> CheckedFile:
    """Check an uploaded file's type, size and leading bytes; raise EvidenceRefused saying why not.

    Shared by every kind of evidence (answers', development plan actions'), so a file refused in one
    place is refused everywhere with the same words.
    """
    name = clean_name(os.path.basename(filename or ""))
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
    return CheckedFile(name[:255], content_type, data)


def store(actor: Any, answer: Answer, filename: str, stream: IO[bytes], max_bytes: int = MAX_BYTES) -> EvidenceFile:
    """Check an uploaded file for ``answer`` and add it (audited); raise EvidenceRefused saying why not."""
    checked = check_upload(filename, stream, max_bytes)
    record = EvidenceFile(answer=answer, filename=checked.name, content_type=checked.content_type,
                          size=len(checked.data), sha256=checked.sha256, storage_name=uuid.uuid4().hex,
                          content=checked.data, uploaded_by_id=getattr(actor, "id", None))
    db.session.add(record)
    db.session.flush()
    audit.record(actor, "evidence.upload", "answer", f"{answer.assessment_id}/{answer.indicator_code}",
                 organisation_id=answer.assessment.organisation_id, after={"file": record.filename, "size": record.size})
    return record


def remove(actor: Any, record: EvidenceFile) -> None:
    """Delete ``record`` and its file (audited), when the caller commits."""
    answer = record.answer
    audit.record(actor, "evidence.delete", "answer", f"{answer.assessment_id}/{answer.indicator_code}",
                 organisation_id=answer.assessment.organisation_id, before={"file": record.filename})
    db.session.delete(record)
    db.session.flush()
