"""
What the Log page keeps between visits (diary/lib/fragments.py): the recent list, the site chips
and the check-in card. A write shows on the very next visit; each visit's forms carry that
visit's own CSRF token; nothing kept for one person reaches another.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from diary.lib.fragments import csrf_slot
from diary.models import DayLog, Episode, Profile
from tests.factories import EpisodeFactory, UserFactory
from tests.helpers import HTMX, episode_data

NOW = datetime(2026, 4, 2, 11, 0, tzinfo=UTC)
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-04-02T12:00")]  # NOW in London


def episode_list(html: str) -> str:
    return re.search(r'<section id="episode-list".*?</section>', html, re.S).group(0)


def test_kept_list_shows_a_log_a_delete_and_an_undo_on_the_next_visit(owner_client, user):
    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=1), sites=["tongue"])
    assert "Tongue" in episode_list(owner_client.get("/").text)
    owner_client.post("/", episode_data(sites=["calf-left"]), headers=HTMX)
    assert "Left calf" in episode_list(owner_client.get("/").text)
    logged = Episode.objects.get(sites__code="calf-left")
    owner_client.post(f"/episodes/{logged.uuid}/delete/")
    assert "Left calf" not in episode_list(owner_client.get("/").text)
    owner_client.post(f"/episodes/{logged.uuid}/restore/")
    page = owner_client.get("/").text
    assert "Left calf" in episode_list(page)
    assert 'id="quick-calf-left"' in page  # the chips followed too


def test_kept_list_moves_to_earlier_this_week_when_the_day_changes(owner_client, user, now):
    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=1))
    today = episode_list(owner_client.get("/").text)
    assert "No twitches logged today" not in today
    now(NOW + timedelta(days=1))
    tomorrow = episode_list(owner_client.get("/").text)
    assert "No twitches logged today" in tomorrow
    assert "Earlier this week" in tomorrow


def test_kept_parts_carry_each_visits_own_csrf_token(user):
    """Two browsers of one person: the second is served what the first's visit kept."""
    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=1))
    episode = Episode.objects.get()
    phones = [Client(enforce_csrf_checks=True) for _ in range(2)]
    pages = []
    for phone in phones:
        phone.force_login(user)
        pages.append(phone.get("/").text)
    assert csrf_slot() not in pages[0] + pages[1]
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in pages]
    # The row's delete form and the check-in card's form are kept parts; each has a token.
    assert all(len(found) >= 3 for found in tokens)
    # The second phone deletes with the token its own page carried: accepted.
    row = re.search(rf'id="episode-{episode.uuid}".*?</li>', pages[1], re.S).group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)
    response = phones[1].post(f"/episodes/{episode.uuid}/delete/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Episode.objects.get().deleted_at is not None


def test_kept_parts_never_reach_another_person(client, user):
    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=1), sites=["tongue"])
    DayLog.objects.create(user=user, date=NOW.date(), caffeine=3, note="Only mine to read")
    client.force_login(user)
    mine = client.get("/").text
    assert "Tongue" in episode_list(mine)
    assert "Only mine to read" in mine
    other = UserFactory(timezone="Europe/London")
    # Everything else a key holds is the same for both: the same data version, zone and day.
    Profile.objects.filter(user=other).update(
        data_version=Profile.objects.get(user=user).data_version
    )
    client.force_login(other)
    theirs = client.get("/").text
    assert "Tongue" not in episode_list(theirs)
    assert 'id="quick-tongue"' not in theirs
    assert "Only mine to read" not in theirs
    assert "Nothing logged yet" in theirs


def test_kept_card_shows_a_check_in_saved_elsewhere(owner_client, user):
    first = owner_client.get("/").text
    assert "How was yesterday?" in first
    yesterday = (NOW - timedelta(days=1)).date()
    owner_client.post(f"/checkins/{yesterday.isoformat()}/", {"day-caffeine": "2"})
    second = owner_client.get("/").text
    assert "How is today going?" in second  # yesterday is done: the card asks about today


def test_kept_card_shows_new_answers_for_the_same_day(owner_client, user):
    DayLog.objects.create(user=user, date=NOW.date(), caffeine=1)
    first = owner_client.get("/").text
    assert re.search(r'name="day-caffeine"[^>]*value="1"[^>]*checked', first)
    today = NOW.date().isoformat()
    owner_client.post(f"/checkins/{today}/", {"day-caffeine": "3", "day-note": "Long day"})
    second = owner_client.get("/").text
    assert re.search(r'name="day-caffeine"[^>]*value="3"[^>]*checked', second)
    assert not re.search(r'name="day-caffeine"[^>]*value="1"[^>]*checked', second)
    assert "Long day" in second


# --- Rows kept by what they are made from (diary/episodes/rows.py) ------------------------------


def list_rows(user):
    from diary.episodes.recent import recent_episodes

    return recent_episodes(user, NOW.date() - timedelta(days=6), 16)


def test_kept_rows_equal_rows_built_afresh_for_every_change_of_an_episode(user):
    from diary.episodes import rows

    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=1), sites=["tongue"])
    EpisodeFactory(
        user=user, started_at=NOW - timedelta(days=2), sites=["calf-left"], triggers=["caffeine"]
    )
    args = {"next_url": "/", "profile_timezone": "Europe/London"}

    def shown(token="tok1") -> list[str]:
        return [rows.episode_row(e, csrf_token=token, **args) for e in list_rows(user)]

    def fresh(token="tok1") -> list[str]:
        return [
            rows._episode_row(e, token, args["next_url"], args["profile_timezone"], False)
            for e in list_rows(user)
        ]

    assert shown() == fresh()
    assert shown() == fresh()  # now from the kept rows
    assert shown("tok2") == fresh("tok2")  # each request's own token
    episode = Episode.objects.get(sites__code="tongue")
    changes = [
        {"intensity": 4},
        {"notes": "after a long run"},
        {"duration": timedelta(minutes=3)},
        {"weakness": True},
        {"timezone": "America/New_York"},
    ]
    for change in changes:
        for name, value in change.items():
            setattr(episode, name, value)
        episode.save()
        assert shown() == fresh(), change
    episode.triggers.add(*Episode.objects.get(sites__code="calf-left").triggers.all())
    assert shown() == fresh()
    assert "Caffeine" in shown()[0]


def test_kept_rows_follow_the_language(user):
    from django.utils import translation

    from diary.episodes import rows

    EpisodeFactory(user=user, started_at=NOW - timedelta(hours=1), sites=["tongue"])
    args = {"csrf_token": "t", "next_url": "/", "profile_timezone": "Europe/London"}
    with translation.override("de"):
        german = rows.episode_row(list_rows(user)[0], **args)
    english = rows.episode_row(list_rows(user)[0], **args)
    assert "Zunge" in german
    assert "Tongue" in english
