"""
Keeping a checked upload between the preview and the confirmation of an import.

The file goes to a private directory on the server under a random name; the session holds only
that name and the file's SHA-256. The confirmation reads the file back from there: nothing the
browser sends in step 2 is trusted, and a file changed on disk in between is refused. A JSON
file is kept as the digest of its checked entries (diary/data/digest.py), so that step 2 need
not read and check it again; a ZIP ("Download everything") is copied there in chunks and read
back from its path, never whole into memory.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "twitchlog_import"
MAX_AGE_SECONDS = 24 * 3600


def staging_dir() -> Path:
    path = Path(
        getattr(settings, "IMPORT_STAGING_DIR", None)
        or Path(tempfile.gettempdir()) / "twitchlog-imports"
    )
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


# ".json": a file kept whole by an earlier Twitchlog (its digest is refused as stale).
SUFFIXES = (".parsed", ".zip", ".json")
CHUNK = 1024 * 1024


def stage(session, user, digest: bytes, *, name: str, preview: dict) -> None:
    """Keep a checked JSON file's digest for this session's import, replacing any earlier one."""
    _stage(session, user, [digest], name=name, preview=preview, suffix=".parsed")


def stage_file(session, user, source, *, name: str, preview: dict) -> None:
    """Keep the ZIP file `source` (an open binary file) for this session's import."""
    source.seek(0)
    chunks = iter(lambda: source.read(CHUNK), b"")
    _stage(session, user, chunks, name=name, preview=preview, suffix=".zip")


def _stage(session, user, chunks, *, name: str, preview: dict, suffix: str) -> None:
    discard(session)
    token = secrets.token_hex(16)
    path = staging_dir() / f"{token}{suffix}"
    digest = hashlib.sha256()
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in chunks:
            digest.update(chunk)
            handle.write(chunk)
    session[SESSION_KEY] = {
        "token": token,
        "suffix": suffix,
        "sha256": digest.hexdigest(),
        "user": user.pk,
        "name": name[:120],
        "preview": preview,
    }


def _path(entry: dict) -> Path | None:
    token = entry.get("token", "")
    suffix = entry.get("suffix", ".parsed")
    if not re.fullmatch(r"[0-9a-f]{32}", token) or suffix not in SUFFIXES:
        return None
    return staging_dir() / f"{token}{suffix}"


def is_zip(session, user) -> bool:
    entry = pending(session, user)
    return bool(entry) and entry.get("suffix") == ".zip"


def load_path(session, user) -> Path | None:
    """The staged ZIP's path, or None if there is none, it is gone or it was changed."""
    entry = pending(session, user)
    path = entry and _path(entry)
    if not path or not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return path if digest.hexdigest() == entry.get("sha256") else None


def pending(session, user) -> dict | None:
    """The session's staged import (token, name, preview), if it belongs to `user`."""
    entry = session.get(SESSION_KEY)
    if not isinstance(entry, dict) or entry.get("user") != user.pk:
        return None
    return entry


def load(session, user) -> bytes | None:
    """The staged digest's bytes, or None if there is none, it is gone or it was changed."""
    entry = pending(session, user)
    path = entry and _path(entry)
    if not path or not path.is_file():
        return None
    raw = path.read_bytes()
    if hashlib.sha256(raw).hexdigest() != entry.get("sha256"):
        return None
    return raw


def discard(session) -> None:
    entry = session.pop(SESSION_KEY, None)
    path = _path(entry) if isinstance(entry, dict) else None
    if path is not None:
        path.unlink(missing_ok=True)


def purge_stale(max_age: int = MAX_AGE_SECONDS) -> int:
    """Delete staged files older than `max_age` seconds (abandoned previews)."""
    cutoff, removed = time.time() - max_age, 0
    for path in staging_dir().iterdir():
        if path.suffix in SUFFIXES and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
