"""
An upload becomes a clip: every check first (size, what the file is, its length, room on the
episode and in the person's quota), then the upload is put in storage, the row written and
the preparing queued once the row is committed. A refused upload changes nothing.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy

from diary.clips import storage
from diary.clips.limits import Refused, check_room, max_upload_bytes, too_big_message
from diary.clips.probe import probe
from diary.models import Clip, Episode, data_changed

EMPTY = gettext_lazy("The file is empty. Choose the video or photo again.")


@contextmanager
def on_disk(upload) -> Iterator[Path]:
    """The upload as a file on this machine's disk (a small one held in memory is written out)."""
    if hasattr(upload, "temporary_file_path"):
        yield Path(upload.temporary_file_path())
        return
    with tempfile.NamedTemporaryFile(prefix="twitchlog-clip-") as copy:
        upload.seek(0)
        shutil.copyfileobj(upload, copy)
        copy.flush()
        yield Path(copy.name)


def add_clip(user, episode: Episode, upload) -> Clip:
    """A pending clip of `upload` on `episode` (the user's own); Refused says why not."""
    if upload.size > max_upload_bytes():
        raise Refused(too_big_message())
    if upload.size == 0:
        raise Refused(EMPTY)
    with on_disk(upload) as path:
        found = probe(path)
    check_room(user, episode)
    clip = Clip(
        user=user,
        episode=episode,
        kind=found.kind,
        upload_bytes=upload.size,
        width=found.width,
        height=found.height,
        duration=found.duration,
    )
    # The upload goes to storage before the row: a row never points at a file not there yet
    # (a crash in between leaves a file no clip owns, which purge_deleted removes).
    clip.original_name = storage.save_upload(storage.name_for(clip.uuid, storage.ORIGINAL), upload)
    try:
        with transaction.atomic():
            check_room(user, episode)  # again, inside the write: two uploads at once
            clip.save()
            data_changed(user)
            transaction.on_commit(lambda: queue(clip.pk))
    except BaseException:
        storage.delete([clip.original_name])
        raise
    return clip


def queue(clip_id: int) -> None:
    from diary.clips.tasks import process_clip

    process_clip.enqueue(clip_id)
