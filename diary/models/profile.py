"""
The profile, one per user: the name printed on the report, the time zone pages are shown in,
the questions for the appointment and the answers "About your twitching" (about.py) that the
doctor summary prints, the data version that caches are keyed on,
and the built-in triggers the person has hidden from the Log page.
"""

from __future__ import annotations

import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from diary.models.about import ABOUT_TEXT_MAX_LENGTH, TEXT_VALIDATORS, AboutTwitching
from diary.models.triggers import Trigger
from diary.models.validators import validate_timezone

APPOINTMENT_NOTE_MAX_LENGTH = ABOUT_TEXT_MAX_LENGTH
APPOINTMENT_NOTE_VALIDATORS = TEXT_VALIDATORS


class Profile(AboutTwitching):
    """
    One per user: the name printed on the report, the time zone pages are shown in, the
    questions for the appointment and the answers "About your twitching" (diary/models/about.py).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # A stable id that is neither the login name nor the e-mail: the Patient identifier of the
    # FHIR file (diary/sharing/fhir), so a clinic's system recognises the same person again.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    display_name = models.CharField(
        max_length=80, blank=True, help_text=_("Printed on your doctor summary.")
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # The language pages, mails and the doctor summary speak (a code of settings.LANGUAGES,
    # checked by the forms: the list may grow without a migration). Empty: the browser's.
    language = models.CharField(max_length=10, blank=True, default="")
    # The appointment note printed on the doctor summary (medicines and tests done are in
    # "About your twitching").
    questions = models.TextField(
        _("questions to ask"), blank=True, validators=APPOINTMENT_NOTE_VALIDATORS
    )
    # Bumped (with an F() update) in the same transaction as every write of the user's data;
    # caches of the user's pages and aggregates are keyed on it (diary.models.changes).
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Built-in triggers the person never uses: left off the Log page's chips, never deleted.
    hidden_triggers = models.ManyToManyField(
        Trigger, blank=True, related_name="hidden_by", limit_choices_to={"user__isnull": True}
    )

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)
