"""
Who is due a reminder now: the round's query, zone by zone.

A reminder time is a wall-clock time in the person's profile zone, read in the zone the profile
has at the moment of the round. A person is due from their time for CATCH_UP (but never past
the end of that local day), once: the round picks everyone whose time has passed within it and
whose day has no settled reminder row yet, so a round that was late, a worker that died or
quiet hours that held it are caught up by a later round. What follows:
- on the day clocks spring forward, a time inside the skipped hour (01:30 in London, 02:30 in
  New York) is due at the first minute after the jump (02:00 and 03:00 there), once;
- on the day they fall back, a time in the repeated hour is due at its first occurrence, and
  the day's row stops the second;
- a person who moves to another zone is reminded at their time in the new zone, and never
  twice on one local date;
- a time of 00:00 is due at midnight, and a day ends at midnight: a reminder never reaches
  into the next day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, F, OuterRef, Q

from diary.models import DayLog, DeliveryStatus, PushDevice, ReminderDelivery, ReminderSettings
from diary.models.reminders import APPOINTMENT_CHECK_DAYS
from diary.reminders.delivery import SENDING_TIMEOUT, settle

# How long after its time a reminder may still come (a late round, quiet hours, a retry).
CATCH_UP = timedelta(hours=2)
# A person handed to the queue is not handed over again for this long: long enough for a
# busy queue to reach them, short enough that a task lost with a killed worker is redone soon.
REDISPATCH_AFTER = timedelta(minutes=15)


def quiet_at(at: time) -> Q:
    """Rows whose quiet hours include the wall-clock time `at` (they may span midnight)."""
    within = Q(quiet_from__lt=F("quiet_until"), quiet_from__lte=at, quiet_until__gt=at)
    across_midnight = Q(quiet_from__gt=F("quiet_until")) & (
        Q(quiet_from__lte=at) | Q(quiet_until__gt=at)
    )
    return within | across_midnight


def wanted_on(day: date) -> Q:
    """Rows with a reminder for `day` (ReminderSettings.kind_for, as a query)."""
    checked_in = DayLog.objects.filter(user=OuterRef("user"), date=day)
    return (
        Q(appointment=True, appointment_date=day + timedelta(days=1))
        | Q(appointment_check=True, appointment_date=day + timedelta(days=APPOINTMENT_CHECK_DAYS))
        | Q(function_check=True, function_check_weekday=day.weekday())
        | Q(checkin=True) & ~Exists(checked_in)
    )


def reachable() -> Q:
    """Rows of people with a device or an e-mail address to send to."""
    devices = PushDevice.objects.filter(user=OuterRef("user"))
    return Exists(devices) | Q(by_email=True) & ~Q(user__email="")


def zones() -> list[str]:
    """The zones of everyone with a reminder switched on."""
    return list(
        ReminderSettings.objects.switched_on()
        .order_by()
        .values_list("user__profile__timezone", flat=True)
        .distinct()
    )


def due_in(zone: str, now: datetime) -> tuple[date, list[int]]:
    """The local date in `zone` at `now`, and the ids of the people there due a reminder."""
    local = now.astimezone(ZoneInfo(zone))
    day, at = local.date(), local.time()
    earliest = (now - CATCH_UP).astimezone(ZoneInfo(zone))
    window = Q(remind_at__lte=at)
    if earliest.date() == day:
        window &= Q(remind_at__gt=earliest.time())
    stale_before = now - SENDING_TIMEOUT
    today = ReminderDelivery.objects.filter(user=OuterRef("user"), day=day)
    settled = today.settled(stale_before=stale_before)
    # A claim gone stale: its sender died or a channel failed. Handed over again at once (the
    # sender that takes it over needs the claim to be stale, so two cannot both send).
    stale = today.filter(status=DeliveryStatus.SENDING, claimed_at__lt=stale_before)
    recently_handed = Q(dispatched_for=day, dispatched_at__gt=now - REDISPATCH_AFTER)
    people = (
        ReminderSettings.objects.filter(window, user__profile__timezone=zone)
        .filter(wanted_on(day), reachable())
        .exclude(quiet_at(at))
        .exclude(Exists(settled))
        .exclude(recently_handed & ~Exists(stale))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    return day, list(people)


def after_change(reminders: ReminderSettings, *, now: datetime) -> None:
    """
    Reminders changed after today's time has gone by start tomorrow: a person who sets up a
    21:00 reminder at 21:30, in the app already, is not reminded a minute later.
    """
    local = now.astimezone(reminders.user.profile.zone)
    if local.time() >= reminders.remind_at:
        settle(reminders.user_id, local.date(), DeliveryStatus.NOT_NEEDED, now=now)
