"""`manage.py purge_deleted`: remove soft-deleted episodes and checks older than 30 days."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from diary.data.maintenance import PURGE_AFTER, purge_deleted


class Command(BaseCommand):
    help = (
        "Delete for good the episodes (with their videos and photos) and function checks deleted "
        "more than 30 days ago (Undo is long past), abandoned import uploads and stored clip "
        "files no clip owns. Run it daily, e.g. from cron."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=PURGE_AFTER.days, help="Age in days (default 30)."
        )

    def handle(self, *args, **options) -> None:
        counts = purge_deleted(older_than=timedelta(days=max(options["days"], 1)))
        summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
        self.stdout.write(f"Purged {summary}.")
