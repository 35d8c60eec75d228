"""
Housekeeping behind `manage.py purge_deleted` and `manage.py backup`: purging soft-deleted
entries once Undo is long past (with their clips' files), files in the clips storage that no
clip owns, and a consistent copy of a running SQLite database.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from diary.clips.removal import files_go_with, sweep_orphans
from diary.data import staging
from diary.models import Clip, Episode, FunctionCheck, data_changed

PURGE_AFTER = timedelta(days=30)


class BackupRefused(Exception):
    pass


def purge_deleted(*, now: datetime | None = None, older_than: timedelta = PURGE_AFTER) -> dict:
    """Delete episodes and checks soft-deleted before now - older_than; counts by kind."""
    cutoff = (now or timezone.now()) - older_than
    episodes = Episode.objects.filter(deleted_at__lt=cutoff)
    checks = FunctionCheck.objects.filter(deleted_at__lt=cutoff)
    touched: dict[int, set[date]] = defaultdict(set)
    for user_id, day in episodes.values_list("user_id", "local_date"):
        touched[user_id].add(day)
    for user_id in checks.values_list("user_id", flat=True):
        touched.setdefault(user_id, set())
    with transaction.atomic():
        clip_files = files_go_with(Clip.objects.filter(episode__in=episodes))
        counts = {"episodes": episodes.delete()[1].get("diary.Episode", 0)}
        counts["function checks"] = checks.delete()[1].get("diary.FunctionCheck", 0)
        for user in get_user_model().objects.filter(pk__in=touched):
            data_changed(user, sorted(touched[user.pk]))
    counts["clip files"] = clip_files
    counts["abandoned import files"] = staging.purge_stale()
    counts["clip files no clip owns"] = sweep_orphans(now=now)
    return counts


def backup_sqlite(target: Path) -> int:
    """
    Copy the database to `target` with SQLite's online backup API: a consistent snapshot
    while the app keeps running (readers and the writer are not blocked for long). Returns
    the size in bytes.
    """
    if target.exists():
        raise BackupRefused(f"{target} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise BackupRefused(f"The folder {target.parent} does not exist.")
    if connection.vendor != "sqlite":
        raise BackupRefused(
            f"backup copies SQLite databases; this one is {connection.vendor}. On PostgreSQL "
            'use pg_dump, e.g. pg_dump --format=custom --file=twitchlog.dump "$DATABASE_URL".'
        )
    connection.ensure_connection()
    destination = sqlite3.connect(target)
    try:
        with destination:
            connection.connection.backup(destination)
    finally:
        destination.close()
    return target.stat().st_size
