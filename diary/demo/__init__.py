"""
Demo data: a believable diary of twitching, for newcomers (`manage.py seed_demo`), the
benchmarks (`make bench`) and tests.

The story the data tells, week by week in the person's zone (Europe/London):

- the left calf is the main site; from about a third of the way in the twitching spreads to
  the right calf, and in some of the later weeks to the left thigh or the right forearm;
- episodes cluster after coffee (caffeine) and after short nights (lack of sleep), rise in
  stress weeks and almost stop in quiet weeks; hard exercise brings some, with cramps;
- most come in the evening or at rest; most last a few seconds, a few last minutes;
- some come with cramps or fatigue, very few with weakness;
- a four-day trip to Warsaw is logged in that zone (and one note there is Polish/Russian).

Everything is drawn from one `random.Random(seed)`, so a seed and an end date always give the
same diary. Rows are written with `bulk_create` (episodes, then the many-to-many through rows),
which bypasses `Episode.save()`: the local date and hour are computed in episodes.py from the
episode's own zone, and `data_changed` builds the per-day summary of the dates written.

Modules: days (the plan of the days and their exposures, from the seed), episodes (the
episodes drawn from it and their bulk insert), checkins (the same days' check-ins, answered),
account (the demo account) and about (its answers "About your twitching"). `seed_demo` below
puts them together. uniform: a denser diary without a story (random days, hours and sites),
for the benchmarks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Max, Min

from diary.demo.about import fill_about
from diary.demo.account import (
    DEMO_DISPLAY_NAME,
    DEMO_EMAIL_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TIMEZONE,
    DEMO_USERNAME,
    OWN_TRIGGER,
    create_demo_user,
)
from diary.demo.checkins import generate_check_ins
from diary.demo.days import DEFAULT_SEED, DEFAULT_WEEKS, TRIP_TIMEZONE
from diary.demo.episodes import UNICODE_NOTE, generate_episodes
from diary.demo.uniform import generate_uniform_episodes
from diary.models import Episode

__all__ = [
    "DEFAULT_SEED",
    "DEFAULT_WEEKS",
    "DEMO_DISPLAY_NAME",
    "DEMO_EMAIL_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_TIMEZONE",
    "DEMO_USERNAME",
    "OWN_TRIGGER",
    "TRIP_TIMEZONE",
    "UNICODE_NOTE",
    "DemoResult",
    "create_demo_user",
    "fill_about",
    "generate_check_ins",
    "generate_episodes",
    "generate_uniform_episodes",
    "seed_demo",
]


@dataclass
class DemoResult:
    user: object
    password: str
    episodes: int
    first: date | None
    last: date | None


def seed_demo(
    *,
    username: str = DEMO_USERNAME,
    password: str | None = None,
    weeks: int = DEFAULT_WEEKS,
    seed: int = DEFAULT_SEED,
) -> DemoResult:
    """(Re)create the demo user with `weeks` weeks of episodes ending today; idempotent."""
    with transaction.atomic():
        user, password = create_demo_user(username, password)
        fill_about(user)
        count = generate_episodes(user, weeks=weeks, seed=seed)
        generate_check_ins(user, weeks=weeks, seed=seed)
        span = Episode.objects.filter(user=user).aggregate(
            first=Min("local_date"), last=Max("local_date")
        )
    return DemoResult(user, password, count, span["first"], span["last"])
