"""
The demo person's answers "About your twitching": plausible for the demo's story (a left calf
that began twitching in a stressful spring with a lot of running, magnesium tried, blood tests
done), and every question answered, so page 1 is shown at its fullest.
"""

from __future__ import annotations

from django.db import transaction

from diary.models import OnsetContext, WeightChange, YesNoNotSure, data_changed

ANSWERS = {
    "started_year": 2026,
    "started_month": 3,
    "started_not_sure": False,
    "onset_context": [OnsetContext.STRESS, OnsetContext.HARD_EXERCISE],
    "onset_note": "training for a half marathon; a cold in February",
    "better_with": "Stretching the calf, a quiet day, less coffee",
    "weight_change": WeightChange.NO_CHANGE,
    "relatives": YesNoNotSure.NOT_SURE,
    "relatives_note": "",
    "medicines": "Magnesium glycinate 300 mg at night (since March)\nNo prescription medicines",
    "tests_emg": "",
    "tests_blood": "April: CK, B12, thyroid, electrolytes; the GP said all normal",
    "tests_done": "",
}


def fill_about(user) -> None:
    """Answer the demo person's "About your twitching" (recorded like any other write)."""
    profile = user.profile
    for name, value in ANSWERS.items():
        setattr(profile, name, value)
    with transaction.atomic():
        profile.save(update_fields=list(ANSWERS))
        data_changed(user)
