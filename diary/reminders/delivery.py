"""
Exactly once: the day's `ReminderDelivery` row, unique per person and local date, claimed
before anything is sent and finished channel by channel.

The sequence for one person (diary/reminders/sending.py):

1. `claim()` commits a row "sending" with a random token (or takes over a claim older than
   SENDING_TIMEOUT, whose sender died). Losing the unique race means another sender has it.
2. For each channel not yet in `done`: send, then `channel_done()` commits that channel into
   `done` (the last one also marks the row "sent"). Every write checks the token, so a
   sender that lost its claim writes nothing.

What a killed sender leaves behind:
- before the claim committed: no row; the next round sends.
- after the claim, before a channel's send: the claim goes stale and the next round takes it
  over and sends to the channels not in `done`. Nothing is lost.
- after a channel's send, before its commit: that one channel is sent again by the round that
  takes over. This is the one window where a person can be sent the same reminder twice: it
  lasts from the push service's (or mail server's) answer to one UPDATE's commit, about a
  millisecond. The repeat carries the same RFC 8030 Topic and notification tag, so a push
  service still holding the first replaces it, and a phone that already shows it replaces it
  in place; a repeated mail has the same Message-ID.
- after the commit: nothing is sent again.

SENDING_TIMEOUT must be longer than any live send can take, or a slow sender would be taken
over while it still works: one person has at most MAX_DEVICES devices and a mail, each
bounded by a 10-second timeout, so 2 x 11 x 10 s.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from diary.models import DeliveryStatus, ReminderDelivery, ReminderKind

SENDING_TIMEOUT = timedelta(minutes=4)
# A reminder whose channels keep failing is tried this many times, then left as failed.
MAX_ATTEMPTS = 3


@dataclass
class Claim:
    """This sender's hold on one person's reminder of one day."""

    row_id: int
    token: str
    done: list[str] = field(default_factory=list)
    attempts: int = 1


def claim(user_id: int, day: date, kind: ReminderKind, *, now: datetime) -> Claim | None:
    """Hold the day's reminder of `user_id` for this sender, or None if it is not ours."""
    token = secrets.token_hex(16)
    try:
        with transaction.atomic():
            row = ReminderDelivery.objects.create(
                user_id=user_id,
                day=day,
                kind=kind,
                status=DeliveryStatus.SENDING,
                claim=token,
                claimed_at=now,
                attempts=1,
            )
        return Claim(row.pk, token)
    except IntegrityError:
        pass
    return take_over(user_id, day, kind, now=now, token=token)


def take_over(
    user_id: int, day: date, kind: ReminderKind, *, now: datetime, token: str
) -> Claim | None:
    """Take over a claim whose sender went quiet (killed, or out of attempts' time)."""
    row = (
        ReminderDelivery.objects.filter(user_id=user_id, day=day)
        .values("pk", "status", "claimed_at", "claim", "attempts", "done")
        .first()
    )
    if (
        row is None
        or row["status"] != DeliveryStatus.SENDING
        or row["claimed_at"] >= now - SENDING_TIMEOUT
    ):
        return None
    if row["attempts"] >= MAX_ATTEMPTS:
        finish(Claim(row["pk"], row["claim"]), DeliveryStatus.FAILED, now=now)
        return None
    # Only one of several senders finding the same stale claim wins: the token it read must
    # still be there when it writes.
    won = ReminderDelivery.objects.filter(pk=row["pk"], claim=row["claim"]).update(
        claim=token, claimed_at=now, attempts=F("attempts") + 1, kind=kind
    )
    if not won:
        return None
    return Claim(row["pk"], token, list(row["done"]), row["attempts"] + 1)


def channel_done(claim: Claim, channel: str, *, last: bool, now: datetime) -> bool:
    """Record that `channel` took the message (and, if `last`, that the reminder is sent)."""
    claim.done.append(channel)
    changes: dict = {"done": claim.done}
    if last:
        changes.update(status=DeliveryStatus.SENT, finished_at=now)
    return bool(
        ReminderDelivery.objects.filter(pk=claim.row_id, claim=claim.token).update(**changes)
    )


def finish(claim: Claim, status: DeliveryStatus, *, now: datetime) -> bool:
    return bool(
        ReminderDelivery.objects.filter(pk=claim.row_id, claim=claim.token).update(
            status=status, finished_at=now
        )
    )


def release(claim: Claim, *, now: datetime) -> None:
    """
    Some channel failed: leave the claim to go stale, so a later round tries the channels not
    yet done (after SENDING_TIMEOUT), up to MAX_ATTEMPTS.
    """
    if claim.attempts >= MAX_ATTEMPTS:
        finish(claim, DeliveryStatus.FAILED, now=now)


def settle(user_id: int, day: date, status: DeliveryStatus, *, now: datetime) -> bool:
    """Close the day with nothing sent ("not needed"); False if the day already has a row."""
    try:
        with transaction.atomic():
            ReminderDelivery.objects.create(
                user_id=user_id, day=day, status=status, claimed_at=now, finished_at=now
            )
    except IntegrityError:
        return False
    return True


def skipped_today(user, day: date) -> bool:
    return ReminderDelivery.objects.filter(
        user=user, day=day, status=DeliveryStatus.SKIPPED
    ).exists()


def skip(user, day: date) -> bool:
    """The person's "skip today": closes the day unless its reminder already went out."""
    return settle(user.pk, day, DeliveryStatus.SKIPPED, now=timezone.now())


def unskip(user, day: date) -> bool:
    deleted, _ = ReminderDelivery.objects.filter(
        user=user, day=day, status=DeliveryStatus.SKIPPED
    ).delete()
    return bool(deleted)
