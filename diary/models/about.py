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

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from diary.lib.formats import long_month_year
from diary.models.validators import validate_no_nul

ABOUT_TEXT_MAX_LENGTH = 2000
TEXT_VALIDATORS = [MaxLengthValidator(ABOUT_TEXT_MAX_LENGTH), validate_no_nul]
EARLIEST_YEAR = 1900
OTHER_TESTS = "other"


class OnsetContext(models.TextChoices):
    """What was going on when the twitching began: chips, any number of them."""

    ILLNESS = "illness", gettext_lazy("An illness or infection")
    STRESS = "stress", pgettext_lazy("what was going on when it began", "Stress")
    NEW_MEDICINE = "new_medicine", gettext_lazy("A new or changed medicine")
    HARD_EXERCISE = "hard_exercise", gettext_lazy("Hard exercise")


class WeightChange(models.TextChoices):
    LOST = "lost", gettext_lazy("Lost weight")
    GAINED = "gained", gettext_lazy("Gained weight")
    NO_CHANGE = "no_change", gettext_lazy("No change")
    NOT_SURE = "not_sure", gettext_lazy("Not sure")


class YesNoNotSure(models.TextChoices):
    YES = "yes", gettext_lazy("Yes")
    NO = "no", gettext_lazy("No")
    NOT_SURE = "not_sure", gettext_lazy("Not sure")


# The same answers inside a sentence of the report ("Began: March 2026; at the time: stress").
ONSET_IN_A_SENTENCE = {
    "illness": pgettext_lazy(
        "what was going on then, inside a sentence", "an illness or infection"
    ),
    "stress": pgettext_lazy("what was going on then, inside a sentence", "stress"),
    "new_medicine": pgettext_lazy(
        "what was going on then, inside a sentence", "a new or changed medicine"
    ),
    "hard_exercise": pgettext_lazy("what was going on then, inside a sentence", "hard exercise"),
}
WEIGHT_IN_A_SENTENCE = {
    "lost": pgettext_lazy("weight since it began, inside a sentence", "lost weight"),
    "gained": pgettext_lazy("weight since it began, inside a sentence", "gained weight"),
    "no_change": pgettext_lazy("weight since it began, inside a sentence", "no change"),
    "not_sure": pgettext_lazy("weight since it began, inside a sentence", "not sure"),
}
ANSWER_IN_A_SENTENCE = {
    "yes": pgettext_lazy("an answer inside a sentence", "yes"),
    "no": pgettext_lazy("an answer inside a sentence", "no"),
    "not_sure": pgettext_lazy("an answer inside a sentence", "not sure"),
}


TEST_NAMES = {
    "emg": gettext_lazy("EMG"),
    "blood": gettext_lazy("Blood tests"),
    OTHER_TESTS: gettext_lazy("Other tests"),
}


def validate_onset_context(value: object) -> None:
    if not isinstance(value, list) or any(v not in OnsetContext.values for v in value):
        raise ValidationError(gettext_lazy("Choose from the list."), code="invalid_choice")
    if len(set(value)) != len(value):
        raise ValidationError(gettext_lazy("Each answer only once."), code="duplicate")


def _text(label) -> models.TextField:
    return models.TextField(label, blank=True, validators=TEXT_VALIDATORS)


class AboutTwitching(models.Model):
    started_year = models.PositiveSmallIntegerField(
        gettext_lazy("year it began"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_YEAR), MaxValueValidator(2999)],
    )
    started_month = models.PositiveSmallIntegerField(
        gettext_lazy("month it began"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    started_not_sure = models.BooleanField(gettext_lazy("not sure when it began"), default=False)
    onset_context = models.JSONField(
        gettext_lazy("what was going on then"),
        default=list,
        blank=True,
        validators=[validate_onset_context],
    )
    onset_note = _text(gettext_lazy("anything else going on then"))
    better_with = _text(gettext_lazy("what makes it better"))
    weight_change = models.CharField(
        gettext_lazy("weight since it began"),
        max_length=12,
        blank=True,
        choices=WeightChange.choices,
    )
    relatives = models.CharField(
        gettext_lazy("close relatives with a nerve or muscle condition"),
        max_length=12,
        blank=True,
        choices=YesNoNotSure.choices,
    )
    relatives_note = _text(gettext_lazy("who, and which condition"))
    # The two appointment notes that belong here (their columns and names are kept).
    medicines = _text(gettext_lazy("medicines and supplements"))
    tests_emg = _text(gettext_lazy("EMG"))
    tests_blood = _text(gettext_lazy("blood tests"))
    # Other tests (or all of them, written before there were three questions).
    tests_done = _text(gettext_lazy("tests already done"))

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
        """September 2026, 2026, "not sure when", or "" when not answered (active language)."""
        if self.started_not_sure:
            return _("not sure when")
        if self.started_year is None:
            return ""
        if self.started_month is None:
            return str(self.started_year)
        return long_month_year(date(self.started_year, self.started_month, 1))

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
        context = [str(ONSET_IN_A_SENTENCE[v]) for v in self.onset_context or []]
        if typed(self.onset_note):
            context.append(typed(self.onset_note))
        if began or context:
            text = began or _("date not given")
            if context:
                text = _("%(began)s; at the time: %(what)s") % {
                    "began": text,
                    "what": _(", ").join(context),
                }
            lines.append((_("Began"), text))
        if typed(self.better_with):
            lines.append((_("Better with"), typed(self.better_with)))
        if self.weight_change:
            lines.append(
                (_("Weight since it began"), str(WEIGHT_IN_A_SENTENCE[self.weight_change]))
            )
        relatives = _("Close relatives with a nerve or muscle condition")
        if self.relatives:
            text = str(ANSWER_IN_A_SENTENCE[self.relatives])
            if typed(self.relatives_note):
                text = _("%(answer)s: %(note)s") % {
                    "answer": text,
                    "note": typed(self.relatives_note),
                }
            lines.append((relatives, text))
        elif typed(self.relatives_note):
            lines.append((relatives, typed(self.relatives_note)))
        if typed(self.medicines):
            lines.append((_("Medicines and supplements"), typed(self.medicines)))
        tests = [(key, typed(text)) for key, text in self.tests if typed(text)]
        for key, text in tests:
            if key == OTHER_TESTS and len(tests) == 1:
                # All of them may be written here, as before there were three questions.
                lines.append((_("Tests already done"), text))
            else:
                lines.append((str(TEST_NAMES[key]), text))
        return lines

    @property
    def tests(self) -> list[tuple[str, str]]:
        """(key, text) of the three questions about tests already done."""
        return [
            ("emg", self.tests_emg),
            ("blood", self.tests_blood),
            (OTHER_TESTS, self.tests_done),
        ]
