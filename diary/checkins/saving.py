"""Saving a day's check-in, once, with the change recorded in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from diary.models import DayLog, data_changed


def save_day_log(user, day: date, values: dict) -> tuple[DayLog, bool]:
    """
    Create or update `user`'s check-in for `day` with `values` (field -> value), in one
    transaction that also records the change. Returns (check-in, created).

    Two taps on Save can race: both see no check-in and both insert. update_or_create inserts
    in a savepoint, and the loser, refused by the unique constraint, updates the winner's row.
    """
    with transaction.atomic():
        day_log, created = DayLog.objects.update_or_create(user=user, date=day, defaults=values)
        data_changed(user)
    return day_log, created
