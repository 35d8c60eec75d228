"""
The fixed vocabularies of an episode: strength, pattern, whether moving the muscle stopped it,
what the person was doing, and the other symptoms in the same area. The words are the ones
people and clinicians read; the stored values are stable codes (exports use them).
"""

from __future__ import annotations

from django.db import models


class Intensity(models.IntegerChoices):
    BARELY = 1, "Barely noticeable"
    MILD = 2, "Mild"
    MODERATE = 3, "Moderate"
    STRONG = 4, "Strong"
    VISIBLE = 5, "Very strong / visible"


class Pattern(models.TextChoices):
    SINGLE = "single", "A single twitch"
    FEW = "few", "A few twitches"
    CONTINUOUS = "continuous", "Continuous"


class Movement(models.TextChoices):
    """Whether moving the muscle stopped it: recorded as a description, never scored."""

    YES = "yes", "Yes, it stopped"
    NO = "no", "No, it went on"
    NOT_TRIED = "not_tried", "Didn't try"


class Context(models.TextChoices):
    REST = "rest", "At rest"
    LYING = "lying", "Lying down or falling asleep"
    ACTIVITY = "activity", "During activity"
    AFTER_EXERCISE = "after_exercise", "After exercise"
    WAKING = "waking", "On waking"


# Associated symptoms: field name -> the word shown to users and clinicians.
SYMPTOMS: dict[str, str] = {
    "weakness": "Weakness",
    "cramps": "Cramps",
    "fatigue": "Fatigue",
    "stiffness": "Stiffness",
    "numbness": "Numbness or tingling",
}
