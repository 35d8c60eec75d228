"""
`manage.py vapid_keys`: make the server's VAPID key pair for Web Push once and keep it in the
database (running it again changes nothing); `--print` makes a pair and prints it for the
environment (VAPID_PRIVATE_KEY) instead of storing it.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from diary.reminders.keys import current_keys, new_keys, store_new_keys


class Command(BaseCommand):
    help = "Create the VAPID key pair that signs Web Push reminders (once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--print",
            action="store_true",
            help="print a new pair for the environment instead of storing one",
        )

    def handle(self, *args, print: bool = False, **options) -> None:
        if print:
            keys = new_keys()
            self.stdout.write(f"VAPID_PRIVATE_KEY={keys.private}\n")
            self.stdout.write(f"# public key (applicationServerKey): {keys.public}\n")
            return
        if settings.VAPID_PRIVATE_KEY:
            keys = current_keys()
            self.stdout.write(f"VAPID_PRIVATE_KEY is set; its public key is {keys.public}.")
            return
        keys, created = store_new_keys()
        verb = "Created and stored" if created else "Already stored:"
        self.stdout.write(f"{verb} the VAPID key pair; public key {keys.public}.")
