"""
Whole weeks kept summed between requests (diary/insights/weeks.py): the numbers must be those
of a process that kept nothing, after any mix of writes to any week, and a kept week that was
written to is read again.
"""

from __future__ import annotations

import random
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary import insights
from diary.insights import Period, weeks
from diary.models import BodySite, Episode, NewEpisode, Trigger, data_changed
from diary.models.summary import add_to_days
from tests.factories import EpisodeFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 2, 12, 30, tzinfo=UTC)  # a Thursday


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def random_episode(
    rng: random.Random, user, sites, triggers, *, days_back: int = 0, beside: Episode | None = None
) -> NewEpisode:
    """A saved random episode up to `days_back` days back, or a minute after `beside`."""
    at = beside.started_at + timedelta(minutes=1) if beside else None
    episode = Episode(
        user=user,
        timezone=beside.timezone if beside else rng.choice(["Europe/London", "America/New_York"]),
        started_at=at or NOW - timedelta(days=rng.randrange(days_back), hours=rng.randrange(24)),
        duration=timedelta(seconds=rng.randint(1, 3600)),
        intensity=rng.choice([None, 1, 3, 5]),
        pattern=rng.choice(["", "single", "few"]),
        visible=rng.choice([None, True, False]),
        context=rng.choice(["", "rest", "activity"]),
        weakness=rng.random() < 0.2,
        cramps=rng.random() < 0.3,
    )
    episode.save()
    chosen_sites = rng.sample(sites, rng.randint(1, 3))
    chosen_triggers = rng.sample(triggers, rng.randint(0, 2))
    episode.sites.set(chosen_sites)
    episode.triggers.set(chosen_triggers)
    return NewEpisode(
        episode,
        tuple((s.code, s.region) for s in chosen_sites),
        tuple(t.pk for t in chosen_triggers),
    )


def periods(rng: random.Random, today: date, zone) -> list[Period]:
    """Presets ending today and ranges starting and ending on any weekday."""
    found = [Period.last_weeks(n, today, zone) for n in (4, 12, 26)]
    for _ in range(3):
        last = today - timedelta(days=rng.randrange(60))
        found.append(Period(last - timedelta(days=rng.randrange(7, 150)), last, zone))
    return found


def cold(user, period: Period, now: datetime):
    """The overview of a process that kept no week."""
    weeks.forget()
    return insights.overview(user, period, now)


@pytest.mark.usefixtures("pinned")
def test_kept_weeks_give_the_numbers_of_a_fresh_read_after_any_writes(user):
    rng = random.Random(7)
    sites = list(BodySite.objects.all())
    triggers = list(Trigger.objects.filter(user=None))
    zone = user.profile.zone
    now = timezone.now().astimezone(zone)
    for _ in range(60):
        add_to_days(user.pk, [random_episode(rng, user, sites, triggers, days_back=200)])
    checked = 0
    for step in range(25):
        kind = rng.choice(["add", "add to a day", "rebuild", "delete", "move"])
        alive = list(Episode.objects.for_user(user))
        if kind == "add":  # a new day, or an old day's row revised in place
            new = [random_episode(rng, user, sites, triggers, days_back=200)]
            data_changed(user, added=new)
        elif kind == "add to a day":  # an old day's row revised in place
            new = [random_episode(rng, user, sites, triggers, beside=rng.choice(alive))]
            data_changed(user, added=new)
        elif kind == "rebuild":
            episode = random_episode(rng, user, sites, triggers, days_back=200).episode
            data_changed(user, [episode.local_date])
        elif kind == "delete":
            episode = rng.choice(alive)
            episode.deleted_at = NOW
            episode.save()
            data_changed(user, [episode.local_date])
        else:
            episode = rng.choice(alive)
            old = episode.local_date
            episode.started_at -= timedelta(days=rng.randrange(1, 40))
            episode.save()
            data_changed(user, [old, episode.local_date])
        chosen = periods(rng, now.date(), zone)
        # What this process kept from the step before, against what a fresh read gives.
        kept = [insights.overview(user, period, now) for period in chosen]
        for period, overview in zip(chosen, kept, strict=True):
            assert asdict(overview) == asdict(cold(user, period, now)), (step, kind, period)
            checked += 1
        for period in chosen:  # keep these periods' weeks for the next step
            insights.overview(user, period, now)
    assert checked == 150


def count_queries(user, period: Period, now: datetime) -> tuple[int, insights.Overview]:
    with CaptureQueriesContext(connection) as ctx:
        overview = insights.overview(user, period, now)
    return len(ctx.captured_queries), overview


@pytest.mark.usefixtures("pinned")
def test_a_kept_week_written_to_is_read_again_once(user):
    zone = user.profile.zone
    now = timezone.now().astimezone(zone)
    period = Period.last_weeks(12, now.date(), zone)
    old_day = NOW - timedelta(weeks=8)
    EpisodeFactory(user=user, started_at=old_day, sites=["calf-left"])

    first, before = count_queries(user, period, now)
    again, same = count_queries(user, period, now)
    assert (first, again) == (3, 3)  # days, catalogue and first day, triggers
    assert same == before

    # Rebuilt: the day's row is a new one.
    EpisodeFactory(user=user, started_at=old_day + timedelta(hours=1), sites=["tongue"])
    stale, after = count_queries(user, period, now)
    assert stale == 4  # that week's rows read again
    assert after.summary.episodes == before.summary.episodes + 1
    assert {site.code: site.count for site in after.sites} == {"calf-left": 1, "tongue": 1}
    assert after == cold(user, period, now)
    insights.overview(user, period, now)
    assert count_queries(user, period, now)[0] == 3

    # Added to: the same row, revised.
    rng = random.Random(1)
    logged = Episode.objects.for_user(user).first()
    sites, triggers = list(BodySite.objects.all()), list(Trigger.objects.filter(user=None))
    new = random_episode(rng, user, sites, triggers, beside=logged)
    data_changed(user, added=[new])
    stale, again = count_queries(user, period, now)
    assert stale == 4
    assert again.summary.episodes == before.summary.episodes + 2
    assert again == cold(user, period, now)


def test_the_store_keeps_at_most_max_weeks(monkeypatch):
    monkeypatch.setattr(weeks, "MAX_WEEKS", 3)
    for i in range(5):
        weeks.keep(("u", i), (), weeks.WeekSums(date(2026, 1, 5)))
    assert list(weeks.kept(("u", i) for i in range(5))) == [("u", 2), ("u", 3), ("u", 4)]
