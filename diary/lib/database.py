"""
The SQLite database file is readable by its owner only: it holds people's health diaries, and
the server's other users (or a world-readable backup of the directory) have no business there.
SQLite creates the -wal and -shm files with the database file's mode, so they follow.
"""

from __future__ import annotations

from pathlib import Path

from django.db.backends.signals import connection_created
from django.dispatch import receiver

OWNER_ONLY = 0o600


@receiver(connection_created, dispatch_uid="diary_sqlite_owner_only")
def restrict_sqlite_file(sender, connection, **kwargs) -> None:
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    database = Path(connection.settings_dict["NAME"])
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists() and path.stat().st_mode & 0o777 != OWNER_ONLY:
            path.chmod(OWNER_ONLY)
