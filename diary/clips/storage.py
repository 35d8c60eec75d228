"""
The "clips" storage (settings.STORAGES): local files in a private folder, or an S3 bucket.

Names are `<clip uuid>/<file>`: the upload (`original`) until it is prepared, then `clip.mp4`
or `photo.jpg`, `poster.jpg` and `thumb.jpg`. Reading a byte range asks S3 for just that range
(a phone seeking in a video does not make the server fetch the whole file), and seeks in a
local file. Nothing here makes a URL: files reach a browser only through diary/clips/serving.py.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage, storages

logger = logging.getLogger(__name__)
CHUNK = 64 * 1024
# The names of a clip's files in storage.
ORIGINAL = "original"


def clip_storage() -> Storage:
    return storages["clips"]


def is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def name_for(clip_uuid, file: str) -> str:
    return f"{clip_uuid}/{file}"


def save_path(name: str, path: Path) -> str:
    """Store the local file `path` as `name` (replacing a file of that name); the name used."""
    storage = clip_storage()
    if not is_s3(storage) and storage.exists(name):
        storage.delete(name)  # a task run again: the local storage would pick another name
    with path.open("rb") as handle:
        return storage.save(name, File(handle, name=name))


def save_upload(name: str, upload) -> str:
    """Store an uploaded file as `name`, chunk by chunk (never read into memory whole)."""
    upload.seek(0)
    return clip_storage().save(name, upload)


def local_path(name: str) -> Path | None:
    """Where a stored file is on this machine's disk, if the storage is local files."""
    try:
        return Path(clip_storage().path(name))
    except NotImplementedError:
        return None


def fetch(name: str, target: Path) -> None:
    """Copy a stored file to the local `target` (a task worker's own temporary folder)."""
    with clip_storage().open(name, "rb") as source, target.open("wb") as out:
        shutil.copyfileobj(source, out, CHUNK)


def read_range(name: str, start: int, length: int) -> Iterator[bytes]:
    """`length` bytes of a stored file from `start`, in chunks."""
    if length <= 0:
        return
    storage = clip_storage()
    if is_s3(storage):
        yield from _s3_range(storage, name, start, length)
        return
    with storage.open(name, "rb") as handle:
        handle.seek(start)
        left = length
        while left > 0:
            chunk = handle.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk


def _s3_range(storage, name: str, start: int, length: int) -> Iterator[bytes]:
    from storages.utils import clean_name

    key = storage._normalize_name(clean_name(name))
    answer = storage.connection.meta.client.get_object(
        Bucket=storage.bucket_name, Key=key, Range=f"bytes={start}-{start + length - 1}"
    )
    body = answer["Body"]
    try:
        yield from body.iter_chunks(CHUNK)
    finally:
        body.close()


def read_all(name: str) -> Iterator[bytes]:
    """A stored file's bytes in chunks (the ZIP export)."""
    with clip_storage().open(name, "rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def delete(names: list[str]) -> None:
    """
    Remove stored files. Called after the rows are gone (on commit); a file that cannot be
    removed now (storage unreachable) is logged, and purge_deleted removes it later as a file
    no clip owns.
    """
    storage = clip_storage()
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            logger.exception("Could not remove %s from the clips storage", name)


def modified(name: str):
    return clip_storage().get_modified_time(name)


def list_names(folder: str = "") -> list[str]:
    """Every stored name under `folder`, sorted (tests, and finding files no clip owns)."""
    storage = clip_storage()
    found: list[str] = []
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    found += [prefix + name for name in files]
    for sub in folders:
        found += list_names(prefix + sub)
    return sorted(found)


def top_folders() -> list[str]:
    """The clip folders (one per clip uuid) in storage."""
    try:
        return sorted(clip_storage().listdir("")[0])
    except FileNotFoundError:
        return []
