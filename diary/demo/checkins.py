"""
Daily check-ins for the demo diary: the same simulated days (diary/demo/days.py), answered.

The demo plans each day's exposures (coffee, short nights, stress weeks, hard exercise,
alcohol) before it draws that day's episodes; replaying the plan with the same seed gives the
check-ins that go with those episodes, so the demo's "What goes with more twitching?" has
something to show. Like a real diary, some days have no check-in and some questions go
unanswered.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime

from diary.demo.days import plan_days
from diary.models.checkins import DayLog, Stress

SKIPPED_DAYS = 0.1  # days without a check-in
UNANSWERED = 0.05  # questions left unanswered on a day with one
STRESS_OF_WEEK = {"quiet": Stress.LOW, "normal": Stress.MEDIUM, "stress": Stress.HIGH}


def generate_check_ins(user, *, weeks: int, seed: int, end: datetime | None = None) -> int:
    """Write check-ins for the days generate_episodes(user, weeks=, seed=, end=) planned."""
    end, zone = end or datetime.now(UTC), user.profile.zone
    plan = plan_days(random.Random(seed), weeks, end.astimezone(zone).date(), zone)
    rng = random.Random(seed + 1)

    def answer(value):
        return None if rng.random() < UNANSWERED else value

    logs = [
        DayLog(
            user=user,
            date=day.day,
            sleep=answer(rng.choice([4, 5]) if day.short_night else rng.choice([6, 7, 7, 8])),
            caffeine=answer(min(day.coffee, 4)),
            stress=answer(STRESS_OF_WEEK[day.week_kind]),
            hard_exercise=answer(day.exercise),
            alcohol=answer(rng.choice([1, 1, 2, 3]) if day.alcohol else 0),
            unwell=answer(rng.random() < 0.03),
            new_medicine=answer(False),
        )
        for day in plan
        if rng.random() >= SKIPPED_DAYS
    ]
    DayLog.objects.bulk_create(logs)
    return len(logs)
