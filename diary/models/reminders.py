"""
Reminders: what a person asked to be reminded of and when (`ReminderSettings`, one per user,
everything off until they switch it on), the devices that receive Web Push (`PushDevice`),
the server's VAPID key pair (`PushKey`), and one `ReminderDelivery` row per person and local
date: at most one reminder a day, and the record that makes each one go out exactly once.

Times are wall-clock times in the person's profile zone; the dispatcher in diary/reminders/
reads them in whatever zone the profile has when the time comes, so moving to another zone
moves the reminder with the person.
"""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS as DAY_NAMES
from django.utils.translation import pgettext, pgettext_lazy

from diary.lib import formats

# The weekday names of Django's own catalog (every language has them).
WEEKDAYS = [(number, DAY_NAMES[number]) for number in range(7)]
# "function check on Mondays": one message a day (languages inflect the day differently).
ON_WEEKDAYS = {
    0: pgettext_lazy("reminders that are on", "function check on Mondays"),
    1: pgettext_lazy("reminders that are on", "function check on Tuesdays"),
    2: pgettext_lazy("reminders that are on", "function check on Wednesdays"),
    3: pgettext_lazy("reminders that are on", "function check on Thursdays"),
    4: pgettext_lazy("reminders that are on", "function check on Fridays"),
    5: pgettext_lazy("reminders that are on", "function check on Saturdays"),
    6: pgettext_lazy("reminders that are on", "function check on Sundays"),
}
DEFAULT_TIME = time(21, 0)
# A function-check nudge comes this many days before an appointment.
APPOINTMENT_CHECK_DAYS = 3
# Push devices one person can have; bounds how long one person's send can take.
MAX_DEVICES = 10


class ReminderKind(models.TextChoices):
    """What a reminder is about, in the order one is picked when several fall on one day."""

    APPOINTMENT = "appointment", pgettext_lazy("a kind of reminder", "Appointment")
    APPOINTMENT_CHECK = (
        "appointment-check",
        pgettext_lazy("a kind of reminder", "Function check before an appointment"),
    )
    FUNCTION_CHECK = "function-check", pgettext_lazy("a kind of reminder", "Weekly function check")
    CHECKIN = "checkin", pgettext_lazy("a kind of reminder", "Daily check-in")

    @property
    def in_a_sentence(self) -> str:
        """The kind inside "You will get no more … reminders": "daily check-in"."""
        return str(IN_A_SENTENCE[self])


# "No more daily check-in reminders": each kind as the middle of that sentence.
IN_A_SENTENCE = {
    ReminderKind.APPOINTMENT: pgettext_lazy("no more … reminders", "appointment"),
    ReminderKind.APPOINTMENT_CHECK: pgettext_lazy(
        "no more … reminders", "function check before an appointment"
    ),
    ReminderKind.FUNCTION_CHECK: pgettext_lazy("no more … reminders", "weekly function check"),
    ReminderKind.CHECKIN: pgettext_lazy("no more … reminders", "daily check-in"),
}


class ReminderSettingsQuerySet(models.QuerySet["ReminderSettings"]):
    def switched_on(self) -> ReminderSettingsQuerySet:
        """People with at least one reminder on (an appointment one only with a date)."""
        return self.filter(
            Q(checkin=True)
            | Q(function_check=True)
            | Q(appointment_date__isnull=False) & (Q(appointment=True) | Q(appointment_check=True))
        )


class ReminderSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    checkin = models.BooleanField("daily check-in", default=False)
    function_check = models.BooleanField("weekly function check", default=False)
    function_check_weekday = models.PositiveSmallIntegerField("on", choices=WEEKDAYS, default=6)
    appointment_date = models.DateField("appointment", null=True, blank=True)
    appointment = models.BooleanField("the day before the appointment", default=False)
    appointment_check = models.BooleanField("a function check three days before", default=False)
    remind_at = models.TimeField("at", default=DEFAULT_TIME)
    quiet_from = models.TimeField("quiet from", null=True, blank=True)
    quiet_until = models.TimeField("until", null=True, blank=True)
    by_email = models.BooleanField("also by e-mail", default=True)
    # Bookkeeping of the dispatcher: the local date it last handed this person to the queue
    # for, and when (a lost task is handed over again after a while).
    dispatched_for = models.DateField(null=True, editable=False)
    dispatched_at = models.DateTimeField(null=True, editable=False)

    objects = ReminderSettingsQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(function_check_weekday__lte=6), name="reminder_weekday"
            ),
            models.CheckConstraint(
                condition=Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="reminder_quiet_hours_both_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders of {self.user}"

    def summary(self) -> list[str]:
        """What is switched on, in words, for the Settings page."""
        on = []
        if self.checkin:
            on.append(pgettext("reminders that are on", "daily check-in"))
        if self.function_check:
            on.append(str(ON_WEEKDAYS[self.function_check_weekday]))
        if self.appointment_date and (self.appointment or self.appointment_check):
            on.append(
                pgettext("reminders that are on", "your appointment on %(day)s")
                % {"day": formats.day_month(self.appointment_date)}
            )
        return on

    def is_quiet(self, at: time) -> bool:
        """`at` (a local wall-clock time) is inside the quiet hours; they may span midnight."""
        start, end = self.quiet_from, self.quiet_until
        if start is None or end is None or start == end:
            return False
        if start < end:
            return start <= at < end
        return at >= start or at < end

    def kind_for(self, day: date, *, checked_in: bool) -> ReminderKind | None:
        """The one reminder for `day` (a local date), or None: at most one a day."""
        if self.appointment_date is not None:
            if self.appointment and self.appointment_date == day + timedelta(days=1):
                return ReminderKind.APPOINTMENT
            if self.appointment_check and self.appointment_date == day + timedelta(
                days=APPOINTMENT_CHECK_DAYS
            ):
                return ReminderKind.APPOINTMENT_CHECK
        if self.function_check and day.weekday() == self.function_check_weekday:
            return ReminderKind.FUNCTION_CHECK
        if self.checkin and not checked_in:
            return ReminderKind.CHECKIN
        return None

    def stop(self, kind: str) -> bool:
        """Switch off the reminders of `kind` (the stop link); False if it was already off."""
        field = {
            ReminderKind.CHECKIN: "checkin",
            ReminderKind.FUNCTION_CHECK: "function_check",
            ReminderKind.APPOINTMENT: "appointment",
            ReminderKind.APPOINTMENT_CHECK: "appointment_check",
        }[ReminderKind(kind)]
        updated = ReminderSettings.objects.filter(pk=self.pk, **{field: True}).update(
            **{field: False}
        )
        setattr(self, field, False)
        return bool(updated)


class DeliveryStatus(models.TextChoices):
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped by the person"
    NOT_NEEDED = "not-needed", "Nothing to send"
    FAILED = "failed", "Could not be sent"


class ReminderDeliveryQuerySet(models.QuerySet["ReminderDelivery"]):
    def for_user(self, user) -> ReminderDeliveryQuerySet:
        return self.filter(user=user)

    def settled(self, *, stale_before) -> ReminderDeliveryQuerySet:
        """Rows that end the day's reminder: all but a claim whose sender went quiet."""
        return self.exclude(status=DeliveryStatus.SENDING, claimed_at__lt=stale_before)


class ReminderDelivery(models.Model):
    """
    The day's reminder of one person: unique per person and local date.

    "sending" is committed before anything goes out, with the claimer's token; each channel
    that has taken the message is added to `done` in its own commit, and the last one marks
    the row "sent". A claim older than diary.reminders.delivery.SENDING_TIMEOUT belongs to a
    sender that died: the next round takes it over and sends to the channels not yet done.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    day = models.DateField()
    kind = models.CharField(max_length=20, choices=ReminderKind.choices, blank=True)
    status = models.CharField(max_length=12, choices=DeliveryStatus.choices)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The channels that took the message: "push:<device uuid>", "mail".
    done = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderDeliveryQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="one_reminder_a_day"),
        ]
        indexes = [models.Index(fields=["status", "claimed_at"], name="reminder_delivery_claims")]

    def __str__(self) -> str:
        return f"{self.kind or 'reminder'} for {self.user} on {self.day:%Y-%m-%d}: {self.status}"


class PushDeviceQuerySet(models.QuerySet["PushDevice"]):
    def for_user(self, user) -> PushDeviceQuerySet:
        return self.filter(user=user)


class PushDevice(models.Model):
    """A browser that allowed notifications: its push service endpoint and encryption keys."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_devices"
    )
    # One subscription, one owner: a browser subscribed again by another account moves to it.
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=100)
    auth = models.CharField(max_length=40)
    name = models.CharField(max_length=80)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PushDeviceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} of {self.user}"

    def subscription_info(self) -> dict:
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class PushKey(models.Model):
    """The server's VAPID key pair (one row), made by `manage.py vapid_keys`."""

    private_key = models.TextField()  # base64url of the 32-byte private value
    public_key = models.CharField(max_length=100)  # base64url, uncompressed point
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="one_push_key")]

    def __str__(self) -> str:
        return f"VAPID key {self.public_key[:12]}…"
