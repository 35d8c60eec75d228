"""
"Download everything (ZIP)": the JSON export and the videos and photos, in one streamed ZIP.

    twitchlog.json          the JSON export, exactly as "Download JSON" gives it
    clips.json              one entry per clip: its uuid, the episode's uuid, kind, file name,
                            when it was added
    clips/<uuid>.mp4|.jpg   the kept files (stored as they are: they are compressed already)

Written as it is sent: Python's zipfile writes to a stream that cannot seek (each entry's
sizes follow it in a data descriptor), so memory holds one chunk, never the archive or a
whole file. Only ready clips of episodes that are not deleted go in, as only those episodes
go into the JSON. The import (diary/data/zipimport.py) takes this file back.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from datetime import datetime

from django.utils import timezone

from diary.clips import storage
from diary.data.export import instant, iter_json
from diary.models import Clip

JSON_NAME = "twitchlog.json"
MANIFEST_NAME = "clips.json"
CLIPS_FOLDER = "clips"
MANIFEST_FORMAT = "twitchlog-clips"


class _Sink:
    """zipfile's output: collects what it writes until the response takes it."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        if data:
            self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> Iterator[bytes]:
        """What was written since the last take (nothing at all if nothing was)."""
        if self.chunks:
            data, self.chunks = b"".join(self.chunks), []
            yield data


def member_name(clip: Clip) -> str:
    return f"{CLIPS_FOLDER}/{clip.uuid}.{clip.extension}"


def clips_for_export(user):
    return Clip.objects.for_user(user).ready().select_related("episode").order_by("id")


def manifest(clips) -> bytes:
    entries = [
        {
            "uuid": str(clip.uuid),
            "episode": str(clip.episode.uuid),
            "kind": clip.kind,
            "file": member_name(clip),
            "added_at": instant(clip.created_at),
        }
        for clip in clips
    ]
    data = {"format": MANIFEST_FORMAT, "version": 1, "clips": entries}
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def iter_zip(user, *, now: datetime | None = None) -> Iterator[bytes]:
    now = now or timezone.now()
    stamp = timezone.localtime(now).timetuple()[:6]
    clips = list(clips_for_export(user))
    sink = _Sink()
    with zipfile.ZipFile(sink, "w") as archive:
        entry = zipfile.ZipInfo(JSON_NAME, date_time=stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(entry, "w") as out:
            for chunk in iter_json(user, now=now):
                out.write(chunk)
                yield from sink.take()
        entry = zipfile.ZipInfo(MANIFEST_NAME, date_time=stamp)
        entry.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(entry, manifest(clips))
        yield from sink.take()
        for clip in clips:
            entry = zipfile.ZipInfo(member_name(clip), date_time=stamp)
            entry.compress_type = zipfile.ZIP_STORED
            with archive.open(entry, "w") as out:
                for chunk in storage.read_all(clip.file_name):
                    out.write(chunk)
                    yield from sink.take()
    yield from sink.take()


def filename(today) -> str:
    return f"twitchlog-{today.isoformat()}.zip"
