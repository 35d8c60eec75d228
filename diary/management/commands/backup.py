"""`manage.py backup PATH`: a consistent copy of the SQLite database, while the app runs."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from diary.data.maintenance import BackupRefused, backup_sqlite


class Command(BaseCommand):
    help = (
        "Write a consistent copy of the SQLite database to PATH (SQLite's online backup; the "
        "app can keep running). On PostgreSQL use pg_dump instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="The new file to write.")

    def handle(self, *args, **options) -> None:
        try:
            size = backup_sqlite(options["path"])
        except BackupRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"Wrote {options['path']} ({size / 1_000_000:.1f} MB).")
