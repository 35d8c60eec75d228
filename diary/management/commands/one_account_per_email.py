"""
`manage.py one_account_per_email`: the e-mail addresses more than one account uses, and,
once there are none, the index that keeps it so (see diary/models/accounts.py).
"""

from django.core.management.base import BaseCommand

from diary.models.accounts import add_email_index, shared_emails


class Command(BaseCommand):
    help = (
        "List e-mail addresses used by more than one account; add the unique index once "
        "there are none."
    )

    def handle(self, *args, **options) -> None:
        shared = shared_emails()
        for address, usernames in sorted(shared.items()):
            self.stdout.write(f"{address}: {', '.join(usernames)} (most recently active first)")
        if shared:
            self.stdout.write(
                f"{len(shared)} address(es) shared. A reset mail goes only to the first account "
                "listed; give the others another address (or none) in the admin, then run this "
                "again."
            )
        if add_email_index():
            self.stdout.write("Every e-mail address belongs to one account at most; kept so.")
