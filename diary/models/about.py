"""
"About your twitching": what a neurologist asks first, answered once and kept up to date.

When it began (a month and year, a year, or "not sure") and what was going on then, what
makes it better, weight since it began, close relatives with a nerve or muscle condition, the
medicines and supplements taken, and tests already done (EMG, blood tests, others) with what
the person was told. Every answer is optional and an unanswered one is stored as such (NULL,
blank, an empty list): never as "no". "Not sure" is an answer of its own where it is offered.

One set of answers per person, so the fields live on the profile row (Profile inherits this
abstract model); the medicines and the tests were appointment notes before and keep their
columns. `answers()` gives them as the report, the share page and the preview print them.
Saving them records the change: diary/checkins/about.py.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models

from diary.models.validators import validate_no_nul

ABOUT_TEXT_MAX_LENGTH = 2000
TEXT_VALIDATORS = [MaxLengthValidator(ABOUT_TEXT_MAX_LENGTH), validate_no_nul]
EARLIEST_YEAR = 1900
# In English whatever the server's locale (calendar.month_name follows it).
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


OTHER_TESTS = "Other tests"
RELATIVES = "Close relatives with a nerve or muscle condition"


class OnsetContext(models.TextChoices):
    """What was going on when the twitching began: chips, any number of them."""

    ILLNESS = "illness", "An illness or infection"
    STRESS = "stress", "Stress"
    NEW_MEDICINE = "new_medicine", "A new or changed medicine"
    HARD_EXERCISE = "hard_exercise", "Hard exercise"


class WeightChange(models.TextChoices):
    LOST = "lost", "Lost weight"
    GAINED = "gained", "Gained weight"
    NO_CHANGE = "no_change", "No change"
    NOT_SURE = "not_sure", "Not sure"


class YesNoNotSure(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


def validate_onset_context(value: object) -> None:
    if not isinstance(value, list) or any(v not in OnsetContext.values for v in value):
        raise ValidationError("Choose from the list.", code="invalid_choice")
    if len(set(value)) != len(value):
        raise ValidationError("Each answer only once.", code="duplicate")


def _text(label: str) -> models.TextField:
    return models.TextField(label, blank=True, validators=TEXT_VALIDATORS)


class AboutTwitching(models.Model):
    started_year = models.PositiveSmallIntegerField(
        "year it began",
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2999)],
    )
    started_month = models.PositiveSmallIntegerField(
        "month it began",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    started_not_sure = models.BooleanField("not sure when it began", default=False)
    onset_context = models.JSONField(
        "what was going on then", default=list, blank=True, validators=[validate_onset_context]
    )
    onset_note = _text("anything else going on then")
    better_with = _text("what makes it better")
    weight_change = models.CharField(
        "weight since it began", max_length=12, blank=True, choices=WeightChange.choices
    )
    relatives = models.CharField(
        "close relatives with a nerve or muscle condition",
        max_length=12,
        blank=True,
        choices=YesNoNotSure.choices,
    )
    relatives_note = _text("who, and which condition")
    # The two appointment notes that belong here (their columns and names are kept).
    medicines = _text("medicines and supplements")
    tests_emg = _text("EMG")
    tests_blood = _text("blood tests")
    tests_done = _text("tests already done")  # other tests (or all of them, written before)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(started_month__isnull=True)
                | models.Q(started_year__isnull=False),
                name="%(app_label)s_%(class)s_month_needs_year",
            ),
            models.CheckConstraint(
                condition=models.Q(started_not_sure=False)
                | models.Q(started_year__isnull=True, started_month__isnull=True),
                name="%(app_label)s_%(class)s_not_sure_or_a_date",
            ),
        ]

    @property
    def started_words(self) -> str:
        """September 2026, 2026, "not sure when", or "" when not answered."""
        if self.started_not_sure:
            return "not sure when"
        if self.started_year is None:
            return ""
        if self.started_month is None:
            return str(self.started_year)
        return f"{MONTHS[self.started_month - 1]} {self.started_year}"

    def answers(self, *, free_text: bool = True) -> list[tuple[str, str]]:
        """
        (label, answer) for every question answered, in the order a clinician asks them, in
        the words the report prints. `free_text=False` (a share link made without notes)
        leaves out everything typed and keeps the chosen answers.
        """

        def typed(text: str) -> str:
            return text.strip() if free_text else ""

        lines: list[tuple[str, str]] = []
        began = self.started_words
        context = [OnsetContext(v).label.lower() for v in self.onset_context or []]
        if typed(self.onset_note):
            context.append(typed(self.onset_note))
        if began or context:
            text = began or "date not given"
            if context:
                text += f"; at the time: {', '.join(context)}"
            lines.append(("Began", text))
        if typed(self.better_with):
            lines.append(("Better with", typed(self.better_with)))
        if self.weight_change:
            lines.append(("Weight since it began", WeightChange(self.weight_change).label.lower()))
        if self.relatives:
            text = YesNoNotSure(self.relatives).label.lower()
            if typed(self.relatives_note):
                text += f": {typed(self.relatives_note)}"
            lines.append((RELATIVES, text))
        elif typed(self.relatives_note):
            lines.append((RELATIVES, typed(self.relatives_note)))
        if typed(self.medicines):
            lines.append(("Medicines and supplements", typed(self.medicines)))
        tests = [(name, typed(text)) for name, text in self.tests if typed(text)]
        for name, text in tests:
            if name == OTHER_TESTS and len(tests) == 1:
                name = "Tests already done"  # all of them may be written here, as before
            lines.append((name, text))
        return lines

    @property
    def tests(self) -> list[tuple[str, str]]:
        return [
            ("EMG", self.tests_emg),
            ("Blood tests", self.tests_blood),
            (OTHER_TESTS, self.tests_done),
        ]
