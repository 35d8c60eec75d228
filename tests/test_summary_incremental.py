"""
Logging an episode adds it to its day's summary row instead of rebuilding the day
(diary/models/summary.py add_to_days): the row must equal a rebuild from the episodes after
every write, whatever the write and whatever mix of writes came before.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.models import BodySite, DaySummary, Episode, NewEpisode, Trigger, data_changed
from diary.models.summary import add_to_days
from tests.factories import EpisodeFactory, TriggerFactory
from tests.helpers import HTMX, episode_data, rebuilt_rows, records_change, summary_rows

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 4, 2, 12, 30, tzinfo=UTC)
JSON = {"Accept": "application/json"}


@pytest.fixture
def pinned():
    with time_machine.travel(NOW, tick=False):
        yield


def random_log(rng: random.Random, codes: list[str], triggers: list[int]) -> dict:
    """The Log form's data with a random choice of everything it asks."""
    when = rng.choice(["now", "15", "60", "custom", "custom"])
    data = episode_data(
        sites=rng.sample(codes, rng.randint(1, 3)),
        when=when,
        triggers=[str(pk) for pk in rng.sample(triggers, rng.randint(0, 2))],
        intensity=rng.choice([None, "1", "3", "5"]),
        pattern=rng.choice([None, "single", "few", "continuous"]),
        stopped_with_movement=rng.choice([None, "yes", "no", "not_tried"]),
        visible=rng.choice([None, "True", "False", ""]),
        context=rng.choice([None, "rest", "activity"]),
        duration_preset=rng.choice(["5", "30", "custom"]),
        duration_amount=str(rng.randint(1, 90)),
        duration_unit=rng.choice(["seconds", "minutes"]),
    )
    for symptom in ("weakness", "cramps", "fatigue", "stiffness", "numbness"):
        if rng.random() < 0.2:
            data[symptom] = "on"
    if when == "custom":
        back = timedelta(days=rng.randrange(6), minutes=rng.randrange(24 * 60))
        data["started_at_local"] = f"{NOW - back:%Y-%m-%dT%H:%M}"
    if rng.random() < 0.15:
        data["new_trigger"] = rng.choice(["Red wine", "red wine", "Caffeine", "Long drive"])
    return data


@pytest.mark.usefixtures("pinned")
def test_logging_keeps_each_day_equal_to_a_rebuild_over_random_writes(owner_client, user):
    """Logs (htmx, plain, the phone's queue, repeats) mixed with edits, deletes and undos."""
    rng = random.Random(20)
    codes = list(BodySite.objects.values_list("code", flat=True))
    TriggerFactory(user=user, name="Long drive")
    triggers = list(Trigger.objects.for_user(user).values_list("pk", flat=True))
    queued: list[dict] = []
    for step in range(60):
        kind = rng.choices(["htmx", "plain", "queue", "repeat", "edit", "delete", "undo"],
                           [5, 2, 3, 1, 1, 1, 1])[0]  # fmt: skip
        alive = list(Episode.objects.for_user(user))
        deleted = list(Episode.objects.filter(user=user, deleted_at__isnull=False))
        if (
            (kind == "repeat" and not queued)
            or (kind in ("edit", "delete") and not alive)
            or (kind == "undo" and not deleted)
        ):
            kind = "htmx"
        with records_change(user):
            if kind in ("htmx", "plain", "queue"):
                data = random_log(rng, codes, triggers)
                headers = {"htmx": HTMX, "plain": {}, "queue": JSON}[kind]
                if kind == "queue":
                    data |= {"client_uuid": str(uuid.uuid4()), "tapped_at": NOW.isoformat()}
                    queued.append(data)
                response = owner_client.post("/", data, headers=headers)
                assert response.status_code in (200, 201, 302), (step, kind)
                assert b"errorlist" not in response.content, (step, kind, data)
            elif kind == "repeat":  # the phone sends an entry again: nothing new, still recorded
                data_changed(user)  # (a repeat writes nothing; this keeps records_change honest)
                owner_client.post("/", rng.choice(queued), headers=JSON)
            elif kind == "edit":
                back = timedelta(days=rng.randrange(8), hours=rng.randrange(24))
                data = random_log(rng, codes, triggers) | {
                    "when": "custom",
                    "started_at_local": f"{NOW - back:%Y-%m-%dT%H:%M}",
                }
                response = owner_client.post(f"/episodes/{rng.choice(alive).uuid}/", data)
                assert response.status_code == 302, (step, kind, data)
            elif kind == "delete":
                owner_client.post(f"/episodes/{rng.choice(alive).uuid}/delete/", headers=HTMX)
            else:
                owner_client.post(f"/episodes/{rng.choice(deleted).uuid}/restore/")
    days = summary_rows(user)
    assert len(days) >= 5
    assert sum(row[1] for row in days) == Episode.objects.for_user(user).count() >= 30


def test_add_to_days_equals_a_rebuild_for_random_episodes(user):
    """The adding itself, without the views: random episodes added one or several at a time."""
    rng = random.Random(21)
    sites = list(BodySite.objects.all())
    triggers = list(Trigger.objects.filter(user=None))
    for _ in range(40):
        batch = []
        for _ in range(rng.choice([1, 1, 3])):
            episode = Episode(
                user=user,
                timezone="Europe/London",
                started_at=NOW - timedelta(days=rng.randrange(4), hours=rng.randrange(24)),
                duration=timedelta(seconds=rng.randint(1, 3600)),
                intensity=rng.choice([None, 2, 4]),
                pattern=rng.choice(["", "few"]),
                visible=rng.choice([None, True, False]),
                cramps=rng.random() < 0.5,
            )
            episode.save()
            chosen_sites = rng.sample(sites, rng.randint(1, 4))
            chosen_triggers = rng.sample(triggers, rng.randint(0, 2))
            episode.sites.set(chosen_sites)
            episode.triggers.set(chosen_triggers)
            batch.append(
                NewEpisode(
                    episode,
                    tuple((s.code, s.region) for s in chosen_sites),
                    tuple(t.pk for t in chosen_triggers),
                )
            )
        add_to_days(user.pk, batch)
        assert summary_rows(user) == rebuilt_rows(user)


def test_logging_adds_to_the_day_without_rebuilding_it(owner_client, user):
    """A log reads the day's one row and writes it back; it reads no episodes."""
    EpisodeFactory(user=user, started_at=NOW - timedelta(minutes=30))
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as queries:
        owner_client.post("/", episode_data(sites=["tongue"]), headers=HTMX)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert 'FROM "diary_episode"' not in sql
    assert 'DELETE FROM "diary_daysummary"' not in sql
    [row] = DaySummary.objects.filter(user=user)
    assert (row.date, row.episodes) == (date(2026, 4, 2), 2)
    assert row.counts["sites"] == {"calf-left": 1, "tongue": 1}
    assert summary_rows(user) == rebuilt_rows(user)
