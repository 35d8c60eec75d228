"""
What a reminder says, per kind, and the signed "stop these reminders" link each one carries.

Calm and short: an invitation, never "you missed", no count of days, nothing urgent. The link
in a notification or mail opens the page the reminder is about (that day's check-in, the
function check, the Report).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core import signing
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.lib import formats
from diary.models import ReminderKind

STOP_SALT = "twitchlog.reminders.stop"
STOP_LABEL = gettext_lazy("Stop these reminders")


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    day: date  # the person's local date it is for
    title: str
    body: str
    path: str  # the page it opens
    stop_path: str

    @property
    def tag(self) -> str:
        """The notification's tag: a repeat of the same reminder replaces it."""
        return f"twitchlog-{self.kind}-{self.day:%Y-%m-%d}"

    @property
    def topic(self) -> str:
        """RFC 8030 Topic (at most 32 URL-safe characters): a repeat replaces a waiting one."""
        return f"{self.kind}-{self.day:%Y%m%d}"[:32]

    def payload(self) -> dict:
        """What the service worker receives (static/js/sw.js shows it)."""
        return {
            "title": self.title,
            "body": self.body,
            "url": self.path,
            "tag": self.tag,
            "stop": self.stop_path,
            "stopLabel": str(STOP_LABEL),
            # What the notification says once stopped; and the language it is in.
            "stopped": _("Reminders stopped"),
            "stoppedBody": _("You will get no more of these. Settings, Reminders has the rest."),
            "lang": translation.get_language() or "",
        }


def long_date(day: date) -> str:
    return formats.weekday_day_month(day)


def compose(kind: ReminderKind, day: date, *, person: UUID, appointment: date | None) -> Reminder:
    stop = reverse("reminders-stop", args=[stop_token(person, kind)])
    if kind == ReminderKind.APPOINTMENT:
        title, body = (
            _("Your appointment tomorrow"),
            _("Your summary for tomorrow is ready to look over."),
        )
        path = reverse("report")
    elif kind == ReminderKind.APPOINTMENT_CHECK:
        if appointment:
            title = _("Before your appointment on %(day)s") % {"day": long_date(appointment)}
        else:
            title = _("Before your appointment")
        body = _(
            "If you would like your summary to include a recent function check, it takes "
            "about a minute."
        )
        path = reverse("function-check-new")
    elif kind == ReminderKind.FUNCTION_CHECK:
        title = _("Weekly function check")
        body = _(
            "About a minute of everyday tasks, such as stairs, jars and buttons, whenever it "
            "suits you."
        )
        path = reverse("function-check-new")
    else:
        title = _("Today's check-in")
        body = _("A few taps about today: sleep, caffeine, stress. Whenever it suits you.")
        path = reverse("checkin-edit", args=[day.isoformat()])
    return Reminder(kind, day, title, body, path, stop)


def stop_token(person: UUID, kind: str) -> str:
    """A link that switches off one kind of reminder of one person, without logging in."""
    return signing.dumps({"p": str(person), "k": str(kind)}, salt=STOP_SALT, compress=False)


def read_stop_token(token: str) -> tuple[UUID, ReminderKind] | None:
    try:
        data = signing.loads(token, salt=STOP_SALT)
        return UUID(data["p"]), ReminderKind(data["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
