"""
The function check (appointment prep): a short dated checklist of concrete tasks, each
answered "new or worse?" (since the previous check, or lately for the first one) with yes, no
or not at all (unknown, never "no"), and an optional note; one per user and day, kept for Undo
when deleted. A description for the doctor, never a score.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from diary.models.changes import data_changed
from diary.models.validators import validate_no_nul

# Function-check tasks: field name -> the concrete task as asked. Each is answered "new or worse
# since the previous check?" ("lately?" on the first check). Ask about tasks, never "do you
# feel weak?" (docs/wording.md).
FUNCTION_TASKS: dict[str, Promise] = {
    "walking": _("Walking, or tripping over your feet"),
    "stairs": _("Going up or down stairs"),
    "grip": _("Grip: opening jars, doing up buttons, turning keys"),
    "dropping": _("Dropping things"),
    "handwriting": _("Handwriting"),
    "speech": _("Speech (slurred or changed)"),
    "chewing": _("Chewing"),
    "swallowing": _("Swallowing (choking or coughing on food or drink)"),
    "breathing": _("Breathing when lying flat"),
}
FUNCTION_NOTE_MAX_LENGTH = 200
CHECK_NOTE_MAX_LENGTH = 1000
# A check is suggested once a week, in a quiet line on the report page; never a reminder.
CHECK_INTERVAL_DAYS = 7


def _answer() -> models.BooleanField:
    # Yes, no, or NULL: not answered ("not sure"), left out of every count.
    return models.BooleanField(_("new or worse"), null=True, blank=True)


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

    def latest_before(self, day: date) -> FunctionCheck | None:
        """The check before `day`: what "since the previous check" compares with."""
        return self.filter(date__lt=day).order_by("-date", "-created_at").first()


@dataclass(frozen=True)
class TaskAnswer:
    """One task of a check: True (new or worse), False (no), None (not answered); its note."""

    task: Promise | str  # the task's words, in the active language when printed
    answer: bool | None
    note: str


class FunctionCheck(models.Model):
    """
    A short dated checklist before an appointment: for each concrete task (FUNCTION_TASKS), is
    it new or worse since the previous check (lately, on the first), with an optional note.
    A description, never scored.
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
        _("anything else"),
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
    def task_answers(self) -> list[TaskAnswer]:
        """Every task with its answer and note, in the checklist's order."""
        return [
            TaskAnswer(task, getattr(self, name), getattr(self, f"{name}_note"))
            for name, task in FUNCTION_TASKS.items()
        ]

    @property
    def changes(self) -> list[tuple[str, str]]:
        """(task, note) for each task answered "new or worse", in the checklist's order."""
        return [(a.task, a.note) for a in self.task_answers if a.answer]

    @property
    def answered(self) -> int:
        """How many tasks were answered yes or no."""
        return sum(getattr(self, name) is not None for name in FUNCTION_TASKS)
