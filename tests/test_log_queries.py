"""
The Log page's parts read with cheaper queries (the list: diary/episodes/recent.py; the site
chips; the offered triggers): the same episodes, columns, rows, chips and triggers as the ORM
queries they replace; and the rows' markup made as format_html makes it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from django.db.models import Count, Max
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from diary.episodes.recent import recent_episodes
from diary.episodes.rows import _html, episode_row, with_row_names
from diary.episodes.triggers import offered_names
from diary.lib.formats import clock_time
from diary.models import BodySite, Clip, Episode, Trigger, recent_and_frequent_sites
from tests.factories import EpisodeFactory, TriggerFactory, UserFactory

NOW = datetime(2026, 4, 2, 11, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-02T12:00")]
ROW_COLUMNS = ("row_sites", "row_triggers", "row_clips", "row_clip", "row_clip_kind")


def clip(episode, kind: str, status: str, minutes: int) -> Clip:
    done = {"file_name": f"{kind}.bin"} if status == Clip.Status.READY else {}
    made = Clip.objects.create(user=episode.user, episode=episode, kind=kind, status=status, **done)
    Clip.objects.filter(pk=made.pk).update(created_at=NOW - timedelta(minutes=minutes))
    return made


@pytest.fixture
def diary(user, other_user):
    """Episodes of every kind a row shows, some outside the list, and someone else's."""
    own = TriggerFactory(user=user, name="Late <b>night</b> & screens")
    for hours in range(0, 24 * 9, 7):  # one every 7 hours over 9 days
        EpisodeFactory(
            user=user,
            started_at=NOW - timedelta(hours=hours),
            sites=[["calf-left"], ["tongue", "eyelid-right"], ["thigh-left", "calf-right"]][
                hours % 3
            ],
            triggers=[[], ["caffeine"], ["caffeine", own]][hours % 3],
            intensity=hours % 5 + 1 if hours % 2 else None,
            notes="A note" if hours % 4 == 0 else "",
            weakness=hours % 6 == 0,
        )
    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=2), timezone="America/New_York")
    EpisodeFactory(user=user, started_at=NOW - timedelta(minutes=3), sites=["hand-right"])
    EpisodeFactory(user=user, started_at=NOW - timedelta(minutes=1)).soft_delete()
    EpisodeFactory(user=other_user, started_at=NOW - timedelta(minutes=2), sites=["tongue"])
    episodes = list(Episode.objects.for_user(user).newest_first()[:5])
    clip(episodes[0], Clip.Kind.PHOTO, Clip.Status.READY, 5)
    clip(episodes[0], Clip.Kind.VIDEO, Clip.Status.READY, 9)  # made first: the thumbnail
    clip(episodes[1], Clip.Kind.VIDEO, Clip.Status.READY, 4)
    clip(episodes[2], Clip.Kind.VIDEO, Clip.Status.PENDING, 4)
    clip(episodes[3], Clip.Kind.PHOTO, Clip.Status.FAILED, 4)
    return user


def orm_list(user, first: date, limit: int) -> list[Episode]:
    episodes = Episode.objects.for_user(user).on_local_dates(first, None).newest_first()
    return list(with_row_names(episodes)[:limit])


def fields(episode: Episode) -> dict:
    names = [f.attname for f in Episode._meta.concrete_fields]
    values = {name: getattr(episode, name) for name in names}
    values.update({name: getattr(episode, name) for name in ROW_COLUMNS})
    values["row_clips"] = values["row_clips"] or 0  # no clips: NULL or 0, shown alike
    for name in ("row_sites", "row_triggers"):  # the order of aggregated names is the database's
        values[name] = sorted((values[name] or "").split("\x1f"))
    return values


@pytest.mark.parametrize("limit", [1, 16, 100])
@pytest.mark.parametrize("days", [0, 1, 6, 30])
def test_recent_episodes_are_those_of_the_orm_query(diary, days, limit):
    first = NOW.date() - timedelta(days=days)
    fast, orm = recent_episodes(diary, first, limit), orm_list(diary, first, limit)
    assert [e.pk for e in fast] == [e.pk for e in orm]
    assert [fields(e) for e in fast] == [fields(e) for e in orm]
    rows = {"csrf_token": "token", "next_url": "/", "profile_timezone": "Europe/London"}
    assert [episode_row(e, **rows) for e in fast] == [episode_row(e, **rows) for e in orm]
    assert any(e.row_clips for e in fast) or days == 0 or limit == 1


def test_recent_episodes_with_no_episodes(user):
    assert recent_episodes(user, NOW.date() - timedelta(days=6), 16) == []


def test_recent_episodes_read_no_more_after_the_query(diary, django_assert_num_queries):
    with django_assert_num_queries(1):
        episodes = recent_episodes(diary, NOW.date() - timedelta(days=6), 16)
        rows = {"csrf_token": "t", "next_url": "/", "profile_timezone": "Europe/London"}
        assert all(episode_row(e, **rows) for e in episodes)


def orm_chips(user, limit: int = 6) -> list[BodySite]:
    """The chips as the ORM query with BodySite rows chose them."""
    latest = Episode.objects.for_user(user).newest_first().values("pk")[:200]
    used = (
        BodySite.objects.filter(episodes__in=latest)
        .annotate(uses=Count("episodes"), last_used=Max("episodes__started_at"))
        .order_by("sort_order")
    )
    by_recency = sorted(used, key=lambda s: s.last_used, reverse=True)
    by_frequency = sorted(used, key=lambda s: (-s.uses, s.sort_order))
    chosen: list[BodySite] = []
    for site in [*by_recency[: limit // 2], *by_frequency]:
        if site not in chosen:
            chosen.append(site)
    return chosen[:limit]


@pytest.mark.parametrize("limit", [2, 4, 6])
def test_chips_are_those_of_the_orm_query(diary, limit):
    chips = recent_and_frequent_sites(diary, limit=limit)
    assert [s.code for s in chips] == [s.code for s in orm_chips(diary, limit)]
    assert len(chips) == limit


def test_chips_from_more_episodes_than_they_look_at(user):
    """Older than the latest 200 do not count; a site used by the latest episode twice over
    (two sites at once) come in catalogue order."""
    start = NOW - timedelta(days=40)
    for i in range(230):
        sites = ["toes-left"] if i < 30 else [["calf-left", "tongue"], ["shin-right"]][i % 2]
        EpisodeFactory(user=user, started_at=start + timedelta(hours=i), sites=sites)
    chips = [s.code for s in recent_and_frequent_sites(user)]
    assert chips == [s.code for s in orm_chips(user)]
    assert "toes-left" not in chips
    assert chips[:3] == ["shin-right", "tongue", "calf-left"]  # then the two of one, head to toe


def test_chips_of_someone_new_and_of_someone_else(user, other_user):
    EpisodeFactory(user=other_user, sites=["tongue"])
    assert recent_and_frequent_sites(user) == []
    assert [s.code for s in recent_and_frequent_sites(other_user)] == ["tongue"]
    assert recent_and_frequent_sites(UserFactory()) == []


@pytest.mark.parametrize(
    "value",
    [
        "plain",
        "<b>Tom & 'Jerry'</b> \"quoted\"",
        mark_safe("<em>kept</em>"),
        gettext_lazy("Today"),
        format_lazy("{} <i>&</i>", "lazy"),
        3,
        None,
        UUID(int=7),
        datetime(2026, 4, 2, 11, 0, tzinfo=UTC),
    ],
)
def test_rows_escape_as_format_html(value):
    """The rows' own format_html (diary/episodes/rows.py _html) gives the same markup."""
    html = _html('<p title="{}">{}</p>', value, value)
    assert html == format_html('<p title="{}">{}</p>', value, value)
    assert isinstance(html, SafeString)


def test_offered_names_are_those_of_offered_to(user, other_user):
    TriggerFactory(user=user, name="Zebra crossings")
    TriggerFactory(user=user, name="Après-ski")
    TriggerFactory(user=other_user, name="Not mine")
    user.profile.hidden_triggers.add(Trigger.objects.get(slug="stress", user=None))
    other_user.profile.hidden_triggers.add(Trigger.objects.get(slug="caffeine", user=None))
    names = offered_names(user)
    assert names == list(Trigger.objects.offered_to(user).values_list("pk", "name"))
    assert "Stress" not in [name for _, name in names]
    assert "Caffeine" in [name for _, name in names]
    assert "Not mine" not in [name for _, name in names]
    assert offered_names(other_user) == list(
        Trigger.objects.offered_to(other_user).values_list("pk", "name")
    )


@pytest.mark.parametrize("language", ["en", "de", "es", "fr", "pt-br", "en-xa", "ar-xb"])
def test_rows_clock_as_a_naive_time_reads_as_the_instant(language):
    """A row formats its hour and minute from a naive time (kept formatted): the same words."""
    with translation.override(language):
        for zone in ("Europe/London", "America/New_York", "Asia/Kolkata"):
            start = datetime(2026, 3, 28, 0, 0, 30, 5, tzinfo=ZoneInfo(zone))  # DST the next day
            for minutes in range(0, 48 * 60, 37):
                local = (start + timedelta(minutes=minutes)).astimezone(ZoneInfo(zone))
                naive = local.time().replace(second=0, microsecond=0)
                assert clock_time(naive) == clock_time(local)
