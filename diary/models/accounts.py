"""
One e-mail address, one account. The address is where a password-reset mail goes, so two
accounts sharing one would both be reset from one inbox. Django's User does not make it
unique; a partial unique index of ours on auth_user does, case-insensitively, leaving empty
addresses out (the address is optional): `twitchlog_user_email_once`, added by migration 0011
when the database has no shared address yet. A database that already had some keeps working:
`check --deploy` says how many, a reset mail goes only to the most recently active of the
accounts, and `manage.py one_account_per_email` lists them and adds the index once they are
resolved.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, F, QuerySet
from django.db.models.functions import Coalesce, Lower

EMAIL_INDEX = "twitchlog_user_email_once"
EMAIL_INDEX_SQL = (
    f"CREATE UNIQUE INDEX IF NOT EXISTS {EMAIL_INDEX} ON auth_user (LOWER(email)) WHERE email <> ''"
)


def accounts_with_email(email: str) -> QuerySet:
    """The accounts using `email` (in any case), the most recently active first."""
    return (
        get_user_model()
        .objects.filter(email__iexact=email.strip())
        .exclude(email="")
        .order_by(Coalesce("last_login", "date_joined").desc(), F("pk").desc())
    )


def shared_emails() -> dict[str, list[str]]:
    """{address: usernames} for every address more than one account uses."""
    User = get_user_model()
    shared = (
        User.objects.exclude(email="")
        .annotate(address=Lower("email"))
        .values("address")
        .annotate(accounts=Count("pk"))
        .filter(accounts__gt=1)
        .values_list("address", flat=True)
    )
    found: dict[str, list[str]] = {}
    for address in shared:
        found[address] = list(accounts_with_email(address).values_list("username", flat=True))
    return found


def has_email_index() -> bool:
    with connection.cursor() as cursor:
        return EMAIL_INDEX in connection.introspection.get_constraints(cursor, "auth_user")


def add_email_index() -> bool:
    """Add the index if no address is shared; whether the table has it now."""
    if shared_emails():
        return has_email_index()
    with connection.cursor() as cursor:
        cursor.execute(EMAIL_INDEX_SQL)
    return True
