"""
The plan of the demo's days: which weeks are quiet, normal or stressful, when the twitching
spreads, the trip abroad, and each day's exposures (coffee, short night, hard exercise,
alcohol) that drive its episode rate. Episodes and check-ins both replay this plan from the
same seed, so they tell one story.
"""

from __future__ import annotations

import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, timedelta

TRIP_TIMEZONE = "Europe/Warsaw"
DEFAULT_SEED = 1729
DEFAULT_WEEKS = 12

# Relative episode rate per day, by kind of week.
WEEK_RATES = {"quiet": 0.25, "normal": 1.5, "stress": 2.6}


@dataclass(frozen=True)
class Day:
    """One calendar day of the simulation, with the exposures that drive the episode rate."""

    index: int
    day: date
    zone: zoneinfo.ZoneInfo
    week_kind: str
    spread_week: bool
    coffee: int
    short_night: bool
    exercise: bool
    alcohol: bool

    @property
    def stress(self) -> bool:
        return self.week_kind == "stress"

    def rate(self, progress: float) -> float:
        """Expected episodes this day (before any scaling to a fixed total)."""
        rate = WEEK_RATES[self.week_kind] * (1.15 - 0.3 * progress)
        rate *= 1 + 0.35 * self.coffee
        if self.short_night:
            rate *= 1.8
        if self.exercise:
            rate *= 1.25
        if self.alcohol:
            rate *= 1.15
        return rate


def plan_days(rng: random.Random, weeks: int, today: date, home) -> list[Day]:
    """The days from `weeks` weeks before today up to today, each with its exposures."""
    kinds = [rng.choices(["quiet", "normal", "stress"], [0.2, 0.6, 0.2])[0] for _ in range(weeks)]
    if kinds[-1] == "quiet":
        kinds[-1] = "normal"  # a diary someone is still keeping: the last week is not a lull
    if weeks >= 4:
        # Every diary long enough to show a pattern has both a quiet and a stress week.
        for kind in ("quiet", "stress"):
            normal = [i for i in range(weeks - 1) if kinds[i] == "normal"]  # not the last week
            if kind not in kinds and normal:
                kinds[rng.choice(normal)] = kind
    # The twitching reaches the thigh or forearm only in some of the later weeks.
    spread = [i / weeks > 0.55 and rng.random() < 0.6 for i in range(weeks)]
    if weeks >= 4 and not any(spread):
        spread[rng.randrange(weeks * 2 // 3, weeks)] = True
    trip = zoneinfo.ZoneInfo(TRIP_TIMEZONE)
    total = weeks * 7
    # A four-day trip abroad, logged in that zone (only in diaries long enough to have one).
    trip_start = int(total * 0.55) if weeks >= 4 else total
    first = today - timedelta(days=total - 1)
    days = []
    for index in range(total):
        day = first + timedelta(days=index)
        week = index // 7
        kind = kinds[week]
        weekend = day.weekday() >= 5
        coffee = rng.choice([0, 1, 1, 2] if weekend else [1, 1, 2, 2, 3])
        if kind == "stress":
            coffee += rng.random() < 0.5
        elif kind == "quiet":
            coffee = min(coffee, 1)
        days.append(
            Day(
                index=index,
                day=day,
                zone=trip if trip_start <= index < trip_start + 4 else home,
                week_kind=kind,
                spread_week=spread[week],
                coffee=coffee,
                short_night=rng.random() < (0.45 if kind == "stress" else 0.15),
                exercise=day.weekday() in (1, 3, 5) and rng.random() < 0.6,
                alcohol=day.weekday() in (4, 5) and rng.random() < 0.4,
            )
        )
    return days
