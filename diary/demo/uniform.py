"""
A denser, patternless diary for the benchmarks: episodes on uniformly random days and hours,
each at 1-3 random sites of the whole catalogue, a suspected trigger on 60 % of them, and the
optional details drawn at random. Where the demo's story keeps to a few sites and quiet weeks,
this spreads over every site, every hour and every day, so a page that grows with the variety
of the data (site chips, the per-day summary's maps) shows it.

Written like the demo's episodes (bulk insert, then `data_changed` for the dates written).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.db import transaction

from diary.demo.episodes import insert_episodes
from diary.models import BodySite, Context, Episode, Movement, Pattern, Trigger

TRIGGER_SHARE = 0.6


def generate_uniform_episodes(
    user, *, count: int, weeks: int, seed: int, end: datetime | None = None
) -> int:
    """
    Write `count` episodes for `user` at uniformly random instants over the `weeks` weeks
    before `end` (default now), in the profile's zone. Returns the number written.
    """
    rng = random.Random(seed)
    end = (end or datetime.now(UTC)).replace(microsecond=0)
    span = int(timedelta(weeks=weeks).total_seconds()) - 60
    zone = user.profile.zone
    codes = list(BodySite.objects.values_list("code", flat=True))
    sites = dict(BodySite.objects.values_list("code", "pk"))
    triggers = dict(Trigger.objects.for_user(user).values_list("slug", "pk"))
    slugs = sorted(triggers)
    episodes: list[Episode] = []
    links: list[tuple[list[str], list[str]]] = []
    for _ in range(count):
        started_at = end - timedelta(seconds=60 + rng.randrange(span))
        episode = Episode(
            user=user,
            started_at=started_at,
            timezone=zone.key,
            duration=timedelta(seconds=rng.choice([5, 5, 10, 30, 60, 300])),
            intensity=rng.choice([None, 1, 2, 3, 4, 5]),
            pattern=rng.choice(["", *Pattern.values]),
            weakness=rng.random() < 0.05,
            cramps=rng.random() < 0.1,
            fatigue=rng.random() < 0.1,
            stiffness=rng.random() < 0.05,
            numbness=rng.random() < 0.05,
            stopped_with_movement=rng.choice(["", *Movement.values]),
            visible=rng.choice([None, True, False]),
            context=rng.choice(["", *Context.values]),
            notes="Random note." if rng.random() < 0.05 else "",
        )
        episode.set_local_fields()  # bulk_create skips save()
        chosen = rng.sample(codes, rng.randint(1, 3))
        suspected = [rng.choice(slugs)] if rng.random() < TRIGGER_SHARE else []
        episodes.append(episode)
        links.append((chosen, suspected))
    if not episodes:
        return 0
    with transaction.atomic():
        insert_episodes(episodes, links, sites, triggers)
    return len(episodes)
