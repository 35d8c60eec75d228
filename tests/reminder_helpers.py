"""Helpers for the reminder tests: a person with reminders and a device, and rounds of the clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import time_machine

from diary.models import ReminderSettings
from diary.reminders import devices
from diary.reminders.tasks import remind
from tests.factories import UserFactory

CHROME_ON_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


def person(push_service=None, *, zone="Europe/London", at=time(21), email="", **choices):
    """A user in `zone` with reminders at `at` (the daily check-in unless `choices` say
    otherwise), and a subscribed device when a push service is given."""
    user = UserFactory(timezone=zone, email=email)
    choices = choices or {"checkin": True}
    ReminderSettings.objects.create(user=user, remind_at=at, **choices)
    subscription = None
    if push_service is not None:
        subscription = push_service.subscribe()
        devices.subscribe(user, subscription, user_agent=CHROME_ON_ANDROID)
    return user, subscription


def local(text: str, zone: str, fold: int = 0) -> datetime:
    """An aware instant from a wall-clock time in `zone` ("2027-03-28 01:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone), fold=fold)


def minutes(start: datetime, end: datetime, step=timedelta(minutes=1)) -> Iterator[datetime]:
    """Every `step` of real time from `start` to `end` (aware instants, compared in UTC)."""
    if start > end:
        raise ValueError(f"{start} is after {end}: no rounds would run")
    instant = start.astimezone(UTC)
    while instant <= end:
        yield instant
        instant += step


def run_rounds(start: datetime, end: datetime, step=timedelta(minutes=1)) -> None:
    """The scheduler's round at every `step` from `start` to `end`, under a pinned clock."""
    with time_machine.travel(start, tick=False) as clock:
        for instant in minutes(start, end, step):
            clock.move_to(instant)
            remind.call()


def rounds_around(instant: datetime, *, before=timedelta(minutes=20), after=timedelta(hours=3)):
    """Every minute from `before` the instant to 10 minutes after it, then every 10 minutes
    until `after` it: the minute something comes, and that nothing comes again. The spans are
    real time (in UTC): local wall-clock arithmetic would cross a jump of the clocks wrongly
    (02:00 BST minus 30 minutes is 01:30 GMT, half an hour *after* it)."""
    instant = instant.astimezone(UTC)
    run_rounds(instant - before, instant + timedelta(minutes=10))
    run_rounds(instant + timedelta(minutes=20), instant + after, step=timedelta(minutes=10))


def round_at(instant: datetime) -> int:
    with time_machine.travel(instant, tick=False):
        return remind.call()


def received_at(message, zone: str) -> datetime:
    return datetime.fromtimestamp(message.received_at, ZoneInfo(zone))
