"""
Sending the day's reminder to a batch of people whose time has come (one task of the queue):
decide what, if anything, each one gets today, claim it (delivery.py), and hand it to each
device's push service and to the mail server.
"""

from __future__ import annotations

import enum
import logging
from collections import defaultdict
from datetime import date, datetime

import requests
from django.utils import timezone, translation

from diary.lib import languages
from diary.models import DayLog, DeliveryStatus, PushDevice, ReminderSettings
from diary.reminders import delivery, mail, push
from diary.reminders.keys import Keys, current_keys
from diary.reminders.messages import Reminder, compose

logger = logging.getLogger(__name__)

MAIL = "mail"


class Result(enum.Enum):
    SENT = "sent"
    NOT_NEEDED = "not-needed"  # nothing to send today (checked in already, no channel)
    NOT_NOW = "not-now"  # too early, quiet hours or the day is over in the person's zone
    TAKEN = "taken"  # another sender has it, or the day is settled
    FAILED = "failed"  # a channel failed: a later round tries again
    LOST = "lost"  # the claim went to another sender while this one worked


def push_channel(device: PushDevice) -> str:
    return f"push:{device.uuid}"


def send_batch(user_ids: list[int], day: date, *, now: datetime | None = None) -> dict[str, int]:
    """Send `day`'s reminder to each of `user_ids`; returns how many ended how."""
    now = now or timezone.now()
    people = ReminderSettings.objects.filter(user_id__in=user_ids).select_related(
        "user", "user__profile"
    )
    devices: dict[int, list[PushDevice]] = defaultdict(list)
    for device in PushDevice.objects.filter(user_id__in=user_ids):
        devices[device.user_id].append(device)
    checked_in = set(
        DayLog.objects.filter(user_id__in=user_ids, date=day).values_list("user_id", flat=True)
    )
    keys = current_keys()
    counts: dict[str, int] = defaultdict(int)
    with requests.Session() as session:
        for person in people:
            result = send_one(
                person,
                day,
                now=now,
                devices=devices[person.user_id] if keys else [],
                checked_in=person.user_id in checked_in,
                keys=keys,
                session=session,
            )
            counts[result.value] += 1
    return dict(counts)


def send_one(
    person: ReminderSettings,
    day: date,
    *,
    now: datetime,
    devices: list[PushDevice],
    checked_in: bool,
    keys: Keys | None,
    session: requests.Session,
) -> Result:
    profile = person.user.profile
    local = now.astimezone(profile.zone)
    # The person may have moved to another zone since the round picked them, or the quiet
    # hours begun: a later round (or day) picks them again.
    if local.date() != day or local.time() < person.remind_at or person.is_quiet(local.time()):
        return Result.NOT_NOW
    kind = person.kind_for(day, checked_in=checked_in)
    address = person.user.email if person.by_email else ""
    by_channel: dict[str, PushDevice | None] = {push_channel(d): d for d in devices}
    if address:
        by_channel[MAIL] = None
    if kind is None or not by_channel:
        settled = delivery.settle(person.user_id, day, DeliveryStatus.NOT_NEEDED, now=now)
        return Result.NOT_NEEDED if settled else Result.TAKEN
    claim = delivery.claim(person.user_id, day, kind, now=now)
    if claim is None:
        return Result.TAKEN
    # The reminder and its mail speak the person's language (this runs on the task queue).
    with translation.override(languages.chosen(profile.language)):
        reminder = compose(kind, day, person=profile.uuid, appointment=person.appointment_date)
        pending = [channel for channel in by_channel if channel not in claim.done]
        failed = False
        for index, channel in enumerate(pending):
            final = index == len(pending) - 1
            device = by_channel[channel]
            if device is None:
                outcome = push.Outcome.DELIVERED if mail_to(address, reminder, profile) else None
            else:
                outcome = push_to(device, reminder, keys, local, session)
            if outcome is push.Outcome.DELIVERED:
                settles = final and not failed
                if not delivery.channel_done(claim, channel, last=settles, now=timezone.now()):
                    return Result.LOST
                if settles:
                    return Result.SENT
            elif outcome is push.Outcome.GONE:
                # The browser unsubscribed or the app was removed: that device is gone for good.
                device.delete()
            else:
                failed = True
        if failed:
            delivery.release(claim, now=now)
            return Result.FAILED
        status = DeliveryStatus.SENT if claim.done else DeliveryStatus.NOT_NEEDED
        delivery.finish(claim, status, now=timezone.now())
        return Result.SENT if claim.done else Result.NOT_NEEDED


def mail_to(address: str, reminder: Reminder, profile) -> bool:
    return mail.send(address, reminder, person=str(profile.uuid))


def push_to(
    device: PushDevice, reminder: Reminder, keys: Keys | None, local: datetime, session
) -> push.Outcome:
    if keys is None:
        return push.Outcome.FAILED
    # Kept by the push service for an offline phone until the person's day ends, not longer.
    midnight = datetime.combine(local.date(), datetime.max.time(), tzinfo=local.tzinfo)
    ttl = max(60, int((midnight - local).total_seconds()))
    return push.send(
        device, reminder.payload(), keys=keys, ttl=ttl, topic=reminder.topic, session=session
    )
