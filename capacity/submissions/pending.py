"""An uploaded file kept between the dry run and the manager's "import" button.

The bytes are kept in the instance folder under a random token, beside what they were checked for (round,
track, file name, who uploaded them, their sha256). The confirm form sends back only the token: the round,
track and file name come from here, never from the browser, and the bytes are checked against their sha256
before they are imported. A token is used once; files older than a day are removed at the next upload.
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

FOLDER = "submissions-pending"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{40,64}$")
MAX_AGE_SECONDS = 24 * 3600


@dataclass(frozen=True)
class Kept:
    data: bytes
    filename: str
    track: str
    sha256: str


def _folder(instance_path: str) -> Path:
    folder = Path(instance_path) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _prune(folder: Path) -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass  # another process removed it first


def keep(instance_path: str, data: bytes, *, filename: str, round_code: str, track: str, user_id: int) -> str:
    """Keep ``data`` for a later import; the token to send back."""
    folder = _folder(instance_path)
    _prune(folder)
    token = secrets.token_urlsafe(32)
    (folder / f"{token}.bin").write_bytes(data)
    meta = {"filename": filename, "round": round_code, "track": track, "user": user_id,
            "sha256": hashlib.sha256(data).hexdigest()}
    (folder / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load(instance_path: str, token: str, *, round_code: str, user_id: int) -> Kept | None:
    """The file kept under ``token`` for this round and user, claimed (a token is used once); None when there is
    none (used, expired, forged, another user's or round's)."""
    if not isinstance(token, str) or not TOKEN.fullmatch(token):
        return None
    folder = _folder(instance_path)
    try:
        meta = json.loads((folder / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if meta.get("round") != round_code or meta.get("user") != user_id:
        return None
    try:
        # Claimed by renaming, which only one request can do: a double click imports once.
        (folder / f"{token}.json").rename(folder / f"{token}.used")
        data = (folder / f"{token}.bin").read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != meta.get("sha256"):
        return None
    return Kept(data, str(meta.get("filename", "")), str(meta.get("track", "")), meta["sha256"])


def discard(instance_path: str, token: str) -> None:
    if not TOKEN.fullmatch(token or ""):
        return
    for suffix in (".bin", ".json", ".used"):
        try:
            (Path(instance_path) / FOLDER / f"{token}{suffix}").unlink()
        except OSError:
            pass
