"""Saving a day's check-in, once, with the change recorded in the same transaction."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from diary.models import DayLog, data_changed


def save_day_log(user, day: date, values: dict) -> tuple[DayLog, bool]:
    """
    Create or update `user`'s check-in for `day` with `values` (field -> value), in one
    transaction that also records the change. Returns (check-in, created).

    Two taps on Save can race: both see no check-in and both insert. The loser's insert fails
    on the unique constraint inside a savepoint, and it updates the winner's row instead.
    """
    with transaction.atomic():
        day_log = DayLog.objects.for_user(user).filter(date=day).first()
        created = day_log is None
        if created:
            try:
                with transaction.atomic():
                    day_log = DayLog.objects.create(user=user, date=day, **values)
            except IntegrityError:
                created = False
                day_log = DayLog.objects.for_user(user).get(date=day)
        if not created:
            for name, value in values.items():
                setattr(day_log, name, value)
            day_log.save()
        data_changed(user)
    return day_log, created
