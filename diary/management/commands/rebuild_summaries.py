"""`manage.py rebuild_summaries`: recompute every per-day summary from the Episode rows."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from diary.models import data_changed
from diary.models.summary import rebuild_days


class Command(BaseCommand):
    help = (
        "Delete and rebuild the per-day summaries (what Trends and the PDF read) from the "
        "episodes, for every user or the ones named; bumps their data version so cached pages "
        "are rebuilt too. Safe to run at any time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("usernames", nargs="*", help="Only these users (default: all).")

    def handle(self, *args, **options) -> None:
        users = get_user_model().objects.order_by("pk")
        if options["usernames"]:
            users = users.filter(username__in=options["usernames"])
        total = 0
        for user in users.iterator():
            with transaction.atomic():
                total += rebuild_days(user.pk, None)
                data_changed(user)
        self.stdout.write(f"Rebuilt {total} day summaries.")
