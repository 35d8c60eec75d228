"""
The function check (appointment prep): a short dated checklist of concrete tasks, each
answered "new or worse since your last check?" with an optional note, one per user and day,
kept for Undo when deleted. A description for the doctor, never a score.
"""

from __future__ import annotations

import uuid
from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from diary.models.changes import data_changed
from diary.models.validators import validate_no_nul

# Function-check tasks: field name -> the concrete task as asked. Each is answered "new or worse
# since your last check?". Ask about tasks, never "do you feel weak?" (docs/wording.md).
FUNCTION_TASKS: dict[str, str] = {
    "walking": "Walking, or tripping over your feet",
    "stairs": "Going up or down stairs",
    "grip": "Grip: opening jars, doing up buttons, turning keys",
    "dropping": "Dropping things",
    "handwriting": "Handwriting",
    "speech": "Speech (slurred or changed)",
    "chewing": "Chewing",
    "swallowing": "Swallowing (choking or coughing on food or drink)",
    "breathing": "Breathing when lying flat",
}
FUNCTION_NOTE_MAX_LENGTH = 200
CHECK_NOTE_MAX_LENGTH = 1000
# A check is suggested once a week, in a quiet line on the report page; never a reminder.
CHECK_INTERVAL_DAYS = 7


def _answer() -> models.BooleanField:
    return models.BooleanField("new or worse", default=False)


def _answer_note() -> models.CharField:
    return models.CharField(
        max_length=FUNCTION_NOTE_MAX_LENGTH, blank=True, validators=[validate_no_nul]
    )


class FunctionCheckQuerySet(models.QuerySet["FunctionCheck"]):
    def for_user(self, user, *, include_deleted: bool = False) -> FunctionCheckQuerySet:
        """The user's checks; soft-deleted ones only when asked for (Undo)."""
        qs = self.filter(user=user)
        return qs if include_deleted else qs.filter(deleted_at__isnull=True)

    def latest_in(self, first: date | None, last: date) -> FunctionCheck | None:
        """The most recent check dated within [first, last] (first=None: any time before)."""
        qs = self.filter(date__lte=last)
        if first is not None:
            qs = qs.filter(date__gte=first)
        return qs.order_by("-date", "-created_at").first()


class FunctionCheck(models.Model):
    """
    A short dated checklist before an appointment: for each concrete task (FUNCTION_TASKS), is
    it new or worse since the last check, with an optional note. A description, never scored.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="function_checks"
    )
    date = models.DateField()
    walking = _answer()
    walking_note = _answer_note()
    stairs = _answer()
    stairs_note = _answer_note()
    grip = _answer()
    grip_note = _answer_note()
    dropping = _answer()
    dropping_note = _answer_note()
    handwriting = _answer()
    handwriting_note = _answer_note()
    speech = _answer()
    speech_note = _answer_note()
    chewing = _answer()
    chewing_note = _answer_note()
    swallowing = _answer()
    swallowing_note = _answer_note()
    breathing = _answer()
    breathing_note = _answer_note()
    note = models.TextField(
        "anything else",
        blank=True,
        validators=[MaxLengthValidator(CHECK_NOTE_MAX_LENGTH), validate_no_nul],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = FunctionCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            # One check a day: a second look the same day edits that day's check. A deleted
            # check (kept for Undo) does not block a new one.
            models.UniqueConstraint(
                fields=["user", "date"],
                condition=Q(deleted_at__isnull=True),
                name="function_check_one_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Function check on {self.date:%Y-%m-%d}"

    def soft_delete(self) -> None:
        with transaction.atomic():
            self.deleted_at = timezone.now()
            self.save(update_fields=["deleted_at", "updated_at"])
            data_changed(self.user)

    def restore(self) -> None:
        with transaction.atomic():
            self.deleted_at = None
            self.save(update_fields=["deleted_at", "updated_at"])
            data_changed(self.user)

    @property
    def changes(self) -> list[tuple[str, str]]:
        """(task, note) for each task answered "new or worse", in the checklist's order."""
        return [
            (task, getattr(self, f"{name}_note"))
            for name, task in FUNCTION_TASKS.items()
            if getattr(self, name)
        ]

    @property
    def other_notes(self) -> list[tuple[str, str]]:
        """(task, note) for each task not answered "new or worse" that has a note all the same."""
        return [
            (task, note)
            for name, task in FUNCTION_TASKS.items()
            if not getattr(self, name) and (note := getattr(self, f"{name}_note"))
        ]
