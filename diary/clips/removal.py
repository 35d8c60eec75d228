"""
Deleting clips removes their files from storage, not just their rows: one clip (its page's
Delete), every clip of purged episodes and of a deleted account (their rows go with a
cascade), and files that no clip owns any more (an upload whose row was never written, a file
a failed storage call left behind).

Files go once the deleting transaction has committed: a rollback keeps the rows and their files.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from diary.clips import storage
from diary.models import Clip, data_changed

# A file younger than this may belong to an upload whose row is being written.
ORPHAN_AGE = timedelta(hours=6)


def delete_clip(clip: Clip) -> None:
    with transaction.atomic():
        names = clip.storage_names()
        clip.delete()
        data_changed(clip.user)
        transaction.on_commit(lambda: storage.delete(names))


def files_go_with(clips: QuerySet[Clip]) -> int:
    """
    The files of `clips` are removed when the current transaction commits: call it before
    deleting the rows (or what they cascade from) in the same transaction. Returns how many.
    """
    fields = ("original_name", "file_name", "poster_name", "thumb_name")
    names = [name for row in clips.values_list(*fields) for name in row if name]
    if names:
        transaction.on_commit(lambda: storage.delete(names))
    return len(names)


def sweep_orphans(*, now: datetime | None = None) -> int:
    """Remove stored files of clips that no longer exist (older than ORPHAN_AGE); how many."""
    cutoff = (now or timezone.now()) - ORPHAN_AGE
    removed = 0
    for folder in storage.top_folders():
        try:
            owner = uuidlib.UUID(folder)
        except ValueError:
            owner = None
        if owner is not None and Clip.objects.filter(uuid=owner).exists():
            continue
        names = [name for name in storage.list_names(folder) if storage.modified(name) < cutoff]
        storage.delete(names)
        removed += len(names)
    return removed
