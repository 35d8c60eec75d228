"""
A reminder by e-mail, through Django's mail backend: plain text and HTML, with the one-tap
stop in the body and in the headers mail programs turn into an "Unsubscribe" button
(RFC 2369 List-Unsubscribe, RFC 8058 one-click: they POST to the link, which needs no login).
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from diary.reminders.messages import STOP_LABEL, Reminder

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def message(address: str, reminder: Reminder, *, person: str) -> EmailMultiAlternatives:
    context = {
        "reminder": reminder,
        "open_url": absolute(reminder.path),
        "stop_url": absolute(reminder.stop_path),
        "stop_label": STOP_LABEL,
        "settings_url": absolute(reverse("reminders")),
    }
    domain = settings.SITE_URL.split("://", 1)[-1].split("/")[0].split(":")[0] or "localhost"
    mail = EmailMultiAlternatives(
        subject=reminder.title,
        body=render_to_string("reminders/mail.txt", context),
        to=[address],
        headers={
            "List-Unsubscribe": f"<{context['stop_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # The same reminder sent again (see delivery.py) has the same id.
            "Message-ID": f"<reminder-{reminder.kind}-{reminder.day:%Y%m%d}-{person}@{domain}>",
            "Auto-Submitted": "auto-generated",
        },
    )
    mail.attach_alternative(render_to_string("reminders/mail.html", context), "text/html")
    return mail


def send(address: str, reminder: Reminder, *, person: str) -> bool:
    """True if the mail server took it."""
    try:
        message(address, reminder, person=person).send()
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("Reminder mail failed: %s", error)
        return False
    return True
