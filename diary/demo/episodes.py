"""
The demo's episodes, drawn day by day from the plan (diary/demo/days.py): mostly evenings and
at rest, a few seconds long, clustered after coffee and short nights, with the occasional
cramp, note and rare weakness. Written with `bulk_create` and plain inserts of the
many-to-many rows, so the local date and hour are set here, and `data_changed` builds the
per-day summary of the dates written.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, time, timedelta

from django.db import connection, transaction
from django.db.models import F

from diary.demo.account import OWN_TRIGGER
from diary.demo.days import DEFAULT_SEED, TRIP_TIMEZONE, Day, plan_days
from diary.lib.clock import local_midnight
from diary.models import BodySite, Context, Episode, Movement, Pattern, Trigger, data_changed

UNICODE_NOTE = "Zażółć gęślą jaźń — кофе. Third coffee of the day at the conference."

# Local hours (from, to) of each kind of moment, and the contexts a person would pick for it.
SLOT_HOURS = {
    "evening": (18.0, 23.0),
    "bedtime": (22.0, 23.98),
    "waking": (6.0, 8.0),
    "daytime": (8.5, 17.5),
    "exercise": (17.5, 20.5),
}
COFFEE_HOURS = [(9.5, 12.5), (14.0, 16.5)]
SLOT_CONTEXTS = {
    "evening": [Context.REST, Context.REST, Context.REST, ""],
    "bedtime": [Context.LYING],
    "waking": [Context.WAKING],
    "daytime": [Context.ACTIVITY, Context.REST, ""],
    "coffee": [Context.REST, Context.ACTIVITY, ""],
    "exercise": [Context.AFTER_EXERCISE],
}

NOTES = {
    "caffeine": [
        "Second flat white before the 11:00 meeting.",
        "Double espresso after lunch, calf started 20 minutes later.",
        "Three coffees by noon. Too many.",
        "Energy drink on the drive home.",
    ],
    "lack-of-sleep": [
        "Only slept about 5 hours.",
        "Up at 3 am with the baby, couldn't get back to sleep.",
        "Bad night, woke up every hour.",
    ],
    "stress": [
        "Deadline week, working late.",
        "Difficult call with the bank this afternoon.",
        "Read about twitching online again. Shouldn't have.",
    ],
    "intense-exercise": [
        "Long run, 10 km. Calf buzzing afterwards.",
        "Leg day at the gym.",
        "Football with friends, lots of sprinting.",
    ],
    "rest": [
        "Watching TV on the sofa, calf going like popcorn.",
        "Could see it under the skin, like a worm moving.",
        "Stopped when I flexed my foot, came back after a minute.",
        "Noticed it while reading in bed.",
    ],
}


def generate_episodes(
    user,
    *,
    weeks: int,
    per_week: float | None = None,
    seed: int = DEFAULT_SEED,
    end: datetime | None = None,
) -> int:
    """
    Write a realistic diary of episodes for `user` over `weeks` weeks ending at `end`.

    `end` defaults to now; no episode is later than it. With `per_week=None` the number of
    episodes follows the story (3-4 a day on average, few in quiet weeks); with `per_week` the
    total is exactly round(weeks * per_week), spread over the days in the same proportions
    (the benchmarks use this for 10,000 and 50,000 episodes). Returns the number written.
    The user's own triggers are used when one is named "Alcohol".
    """
    rng = random.Random(seed)
    home = user.profile.zone
    end = end or datetime.now(UTC)
    days = plan_days(rng, weeks, end.astimezone(home).date(), home)
    total_days = len(days)
    rates = [d.rate(d.index / total_days) for d in days]
    if per_week is None:
        counts = [_poisson(rng, r) for r in rates]
        counts[-1] = max(counts[-1], 2)  # something under "Today" on a first look
    else:
        counts = [0] * total_days
        for i in rng.choices(range(total_days), weights=rates, k=round(weeks * per_week)):
            counts[i] += 1

    sites = dict(BodySite.objects.values_list("code", "pk"))
    triggers = {
        t.slug: t.pk
        for t in Trigger.objects.for_user(user)
        if t.is_builtin or t.name == OWN_TRIGGER
    }
    episodes: list[Episode] = []
    links: list[tuple[list[str], list[str]]] = []
    for day, count in zip(days, counts, strict=True):
        for _ in range(count):
            episode, site_codes, trigger_slugs = _make_episode(
                rng, user, day, day.index / total_days, end
            )
            episodes.append(episode)
            links.append((site_codes, trigger_slugs))
    if not episodes:
        return 0
    _place_special_notes(rng, episodes, links)
    with transaction.atomic():  # the rows and their summary together
        insert_episodes(episodes, links, sites, triggers)
    return len(episodes)


def _poisson(rng: random.Random, lam: float) -> int:
    """Knuth's method; fine for the small rates here."""
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _pick_slot(rng: random.Random, day: Day) -> tuple[str, float]:
    """What the person was doing and the local hour: mostly evenings and at rest."""
    slots = {"evening": 0.45, "bedtime": 0.2, "waking": 0.06, "daytime": 0.1}
    if day.coffee:
        slots["coffee"] = 0.12 * day.coffee
    if day.exercise:
        slots["exercise"] = 0.2
    slot = rng.choices(list(slots), list(slots.values()))[0]
    # Coffee episodes follow the morning coffees or the one after lunch.
    hours = rng.choice(COFFEE_HOURS) if slot == "coffee" else SLOT_HOURS[slot]
    return slot, rng.uniform(*hours)


def _pick_sites(rng: random.Random, day: Day, progress: float) -> list[str]:
    right = 0.0 if progress < 0.3 else min(0.55, (progress - 0.3) * 1.4)
    weights = {"calf-left": 1.0, "calf-right": right, "foot-left": 0.03}
    if day.spread_week:
        weights |= {"thigh-left": 0.3, "forearm-right": 0.2}
    if day.stress:
        weights["eyelid-left"] = 0.08
    codes, values = list(weights), list(weights.values())
    chosen = [rng.choices(codes, values)[0]]
    extra = 0.1 + (0.1 if day.spread_week else 0.0)
    while rng.random() < extra and len(chosen) < 3:
        second = rng.choices(codes, values)[0]
        if second not in chosen:
            chosen.append(second)
        extra /= 3
    return chosen


def _pick_duration(rng: random.Random) -> tuple[int, str]:
    """Seconds and a matching pattern: mostly a few seconds, a few minutes now and then."""
    r = rng.random()
    if r < 0.5:
        seconds = 5
    elif r < 0.78:
        seconds = rng.randint(2, 40)
    elif r < 0.92:
        seconds = rng.choice([30, 60, 90])
    elif r < 0.98:
        seconds = rng.randint(2, 6) * 60
    else:
        seconds = rng.randint(8, 25) * 60
    if seconds >= 120:
        pattern = rng.choice([Pattern.CONTINUOUS, Pattern.CONTINUOUS, Pattern.FEW])
    else:
        pattern = rng.choices(["", Pattern.SINGLE, Pattern.FEW], [0.35, 0.35, 0.3])[0]
    return seconds, pattern


def _make_episode(rng: random.Random, user, day: Day, progress: float, end: datetime):
    slot, hour = _pick_slot(rng, day)
    naive = datetime.combine(day.day, time()) + timedelta(hours=hour)
    # A time in a spring-forward gap comes out an hour later, still on the same day.
    started_at = naive.replace(tzinfo=day.zone).astimezone(UTC)
    latest = end - timedelta(minutes=1)
    if started_at > latest:
        # Today's episodes that would lie in the future happened earlier today instead.
        midnight = local_midnight(day.day, day.zone)
        started_at = midnight + (latest - midnight) * rng.random() if latest > midnight else latest
    started_at = started_at.replace(microsecond=0)

    triggers: list[str] = []
    if slot == "coffee" and rng.random() < 0.85:
        triggers.append("caffeine")
    if slot == "exercise" and rng.random() < 0.8:
        triggers.append("intense-exercise")
    if day.short_night and rng.random() < 0.6:
        triggers.append("lack-of-sleep")
    if day.stress and rng.random() < 0.5:
        triggers.append("stress")
    if day.alcohol and slot in ("evening", "bedtime") and rng.random() < 0.5:
        triggers.append("alcohol")

    context = rng.choice(SLOT_CONTEXTS[slot])
    seconds, pattern = _pick_duration(rng)
    site_codes = _pick_sites(rng, day, progress)
    legs = any(code.startswith(("calf", "thigh")) for code in site_codes)
    notes = ""
    if rng.random() < 0.08:
        key = triggers[0] if triggers and triggers[0] in NOTES else "rest"
        notes = rng.choice(NOTES[key])
    episode = Episode(
        user=user,
        started_at=started_at,
        timezone=day.zone.key,
        duration=timedelta(seconds=seconds),
        intensity=rng.choices([None, 1, 2, 3, 4, 5], [0.2, 0.15, 0.3, 0.22, 0.1, 0.03])[0],
        pattern=pattern,
        weakness=rng.random() < 0.008,
        cramps=rng.random() < (0.25 if slot == "exercise" else 0.05),
        fatigue=rng.random() < (0.2 if day.short_night else 0.06),
        stiffness=rng.random() < 0.03,
        numbness=rng.random() < 0.015,
        stopped_with_movement=rng.choices(
            ["", Movement.YES, Movement.NO, Movement.NOT_TRIED], [0.4, 0.35, 0.15, 0.1]
        )[0],
        visible=_seen(rng.random(), legs),
        context=context,
        notes=notes,
    )
    episode.set_local_fields()  # bulk_create skips save()
    return episode, site_codes, triggers


def _seen(draw: float, legs: bool) -> bool | None:
    """
    Seen under the skin: yes more often in the legs, no, or not answered (about half the
    time). One draw, so the rest of the story keeps its random numbers.
    """
    yes = 0.35 if legs else 0.1
    if draw < yes:
        return True
    return False if draw < yes + 0.2 else None


def _place_special_notes(rng: random.Random, episodes: list[Episode], links) -> None:
    """The non-ASCII note (on the trip if there was one) and at least one rare weakness."""
    on_trip = [e for e in episodes if e.timezone == TRIP_TIMEZONE]
    target = rng.choice(on_trip or episodes)
    target.notes = UNICODE_NOTE
    index = episodes.index(target)
    if "caffeine" not in links[index][1]:
        links[index][1].append("caffeine")
    if not any(e.weakness for e in episodes):
        late = episodes[len(episodes) * 2 // 3 :] or episodes
        chosen = rng.choice(late)
        chosen.weakness = True
        chosen.notes = chosen.notes or "Calf felt tired on the stairs afterwards."


def insert_episodes(
    episodes: list[Episode], links, sites: dict[str, int], triggers: dict[str, int]
) -> None:
    """Bulk-insert episodes with their (site codes, trigger slugs), dated as logged then."""
    created = Episode.objects.bulk_create(episodes, batch_size=2000)
    if any(e.pk is None for e in created):  # a database that cannot return ids from a bulk insert
        ids = dict(
            Episode.objects.filter(uuid__in=[e.uuid for e in created]).values_list("uuid", "pk")
        )
        for episode in created:
            episode.pk = ids[episode.uuid]
    site_rows, trigger_rows = [], []
    for episode, (site_codes, trigger_slugs) in zip(created, links, strict=True):
        site_rows += [(episode.pk, sites[code]) for code in site_codes]
        trigger_rows += [(episode.pk, triggers[slug]) for slug in trigger_slugs if slug in triggers]
    # The through rows are plain pairs; executemany skips ~100k model instances for 50k episodes.
    _insert_pairs(Episode.sites.through, "bodysite_id", site_rows)
    _insert_pairs(Episode.triggers.through, "trigger_id", trigger_rows)
    # Logged when they happened, as a person would have (bulk_create stamps "now").
    pks = [e.pk for e in created]
    Episode.objects.filter(user=created[0].user, pk__gte=min(pks), pk__lte=max(pks)).update(
        created_at=F("started_at"), updated_at=F("started_at")
    )
    data_changed(created[0].user, {e.local_date for e in created})


def _insert_pairs(through, target_column: str, rows: list[tuple[int, int]]) -> None:
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = (
        f"INSERT INTO {qn(through._meta.db_table)} ({qn('episode_id')}, {qn(target_column)}) "
        "VALUES (%s, %s)"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
