"""
The fixed vocabularies of an episode: strength, pattern, whether moving the muscle stopped it,
what the person was doing, and the other symptoms in the same area. The words are the ones
people and clinicians read; the stored values are stable codes (exports use them).
"""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Intensity(models.IntegerChoices):
    BARELY = 1, _("Barely noticeable")
    MILD = 2, pgettext_lazy("strength", "Mild")
    MODERATE = 3, pgettext_lazy("strength", "Moderate")
    STRONG = 4, pgettext_lazy("strength", "Strong")
    VISIBLE = 5, _("Very strong / visible")


class Pattern(models.TextChoices):
    SINGLE = "single", _("A single twitch")
    FEW = "few", _("A few twitches")
    CONTINUOUS = "continuous", pgettext_lazy("pattern", "Continuous")


class Movement(models.TextChoices):
    """Whether moving the muscle stopped it: recorded as a description, never scored."""

    YES = "yes", _("Yes, it stopped")
    NO = "no", _("No, it went on")
    NOT_TRIED = "not_tried", _("Didn't try")


class Context(models.TextChoices):
    REST = "rest", _("At rest")
    LYING = "lying", _("Lying down or falling asleep")
    ACTIVITY = "activity", _("During activity")
    AFTER_EXERCISE = "after_exercise", _("After exercise")
    WAKING = "waking", _("On waking")


# Associated symptoms: field name -> the word shown to users and clinicians.
SYMPTOMS: dict[str, Promise] = {
    "weakness": pgettext_lazy("symptom", "Weakness"),
    "cramps": pgettext_lazy("symptom", "Cramps"),
    "fatigue": pgettext_lazy("symptom", "Fatigue"),
    "stiffness": pgettext_lazy("symptom", "Stiffness"),
    "numbness": pgettext_lazy("symptom", "Numbness or tingling"),
}
