"""`manage.py seed_demo` and the demo-data generator it shares with `make bench`."""

import re
import zoneinfo
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import RequestFactory
from django.utils import timezone

from diary import demo
from diary.models import Episode, Profile
from tests.factories import UserFactory

# The demo ends today, and its draws follow the weekdays: one day gives one diary to check.
pytestmark = [pytest.mark.django_db, pytest.mark.now("2026-12-09T18:00")]


@pytest.fixture(autouse=True)
def fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> dict[str, str]:
    """Run seed_demo; return the username and password it printed, and all its output."""
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    output = out.getvalue()
    printed = dict(re.findall(r"^\s*(username|password): (\S+)$", output, re.MULTILINE))
    return {**printed, "output": output}


def demo_user():
    return get_user_model().objects.get(username=demo.DEMO_USERNAME)


def new_user(username: str, zone: str = "Europe/London"):
    user = get_user_model().objects.create_user(username=username)
    Profile.objects.update_or_create(user=user, defaults={"timezone": zone})
    return get_user_model().objects.get(pk=user.pk)


def test_seed_demo_creates_the_user_with_a_profile_in_london():
    printed = seed()
    user = demo_user()
    assert printed["username"] == user.username == "demo"
    assert user.profile.timezone == "Europe/London"
    assert user.profile.display_name


def test_seed_demo_password_printed_logs_in(client):
    printed = seed()
    response = client.post(
        "/accounts/login/", {"username": printed["username"], "password": printed["password"]}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_seed_demo_writes_about_twelve_weeks_ending_today():
    seed()
    episodes = Episode.objects.for_user(demo_user())
    today = date(2026, 12, 9)
    days = sorted(set(episodes.values_list("local_date", flat=True)))
    assert days[-1] == today
    assert today - timedelta(weeks=12) < days[0] <= today - timedelta(weeks=10)
    assert 100 <= episodes.count() <= 600
    assert not episodes.filter(started_at__gt=timezone.now()).exists()


def test_seed_demo_local_date_matches_started_at_in_the_episode_zone():
    seed()
    episodes = list(Episode.objects.for_user(demo_user()))
    for episode in episodes:
        local = episode.started_at.astimezone(zoneinfo.ZoneInfo(episode.timezone))
        assert episode.local_date == local.date(), episode
    # A short trip abroad is logged in that zone, the rest in the profile's.
    zones = Counter(e.timezone for e in episodes)
    assert set(zones) == {"Europe/London", demo.TRIP_TIMEZONE}
    assert zones["Europe/London"] > 10 * zones[demo.TRIP_TIMEZONE]


def test_seed_demo_every_episode_has_a_site():
    seed()
    episodes = Episode.objects.for_user(demo_user()).annotate(n_sites=Count("sites"))
    assert not episodes.filter(n_sites=0).exists()


def test_seed_demo_is_idempotent():
    first = seed()
    count = Episode.objects.for_user(demo_user()).count()
    second = seed()
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert Episode.objects.for_user(demo_user()).count() == count
    assert Episode.objects.count() == count  # the first run's episodes went with its user
    # One stable demo password: `make demo` run again needs no new one looked up.
    assert first["password"] == second["password"] == demo.DEMO_PASSWORD


def test_seed_demo_options_username_weeks_seed_and_password(client):
    seed("--username", "alex", "--weeks", "4", "--seed", "7", "--password", "s3cret-demo")
    user = get_user_model().objects.get(username="alex")
    days = Episode.objects.for_user(user).values_list("local_date", flat=True)
    assert (max(days) - min(days)).days < 4 * 7
    assert client.login(request=RequestFactory().get("/"), username="alex", password="s3cret-demo")


def test_seed_demo_refuses_to_replace_a_real_account():
    real = UserFactory(username="demo")
    with pytest.raises(CommandError, match="real account"):
        seed()
    real.refresh_from_db()
    assert real.email != f"demo@{demo.DEMO_EMAIL_DOMAIN}"


def test_seed_demo_data_tells_the_story():
    seed()
    episodes = list(
        Episode.objects.for_user(demo_user()).prefetch_related("sites", "triggers").order_by()
    )
    sites = Counter(site.code for e in episodes for site in e.sites.all())
    triggers = Counter(t.slug for e in episodes for t in e.triggers.all())
    assert sites.most_common(1)[0][0] == "calf-left"
    assert sites["calf-right"] > 0
    assert sites["thigh-left"] + sites["forearm-right"] > 0
    assert triggers["caffeine"] > 0
    assert triggers["lack-of-sleep"] > 0
    # Most in the evening or at night, most lasting seconds, weakness rare but present.
    evening = sum(e.started_at.astimezone(e.zone).hour >= 18 for e in episodes)
    assert evening > len(episodes) / 2
    assert sum(e.duration < timedelta(minutes=1) for e in episodes) > len(episodes) * 0.7
    assert any(e.duration >= timedelta(minutes=2) for e in episodes)
    assert 0 < sum(e.weakness for e in episodes) < len(episodes) * 0.05
    assert any(e.cramps for e in episodes)
    assert any(e.fatigue for e in episodes)
    assert len({e.intensity for e in episodes}) >= 4
    assert len({e.context for e in episodes}) >= 4
    assert any(e.notes == demo.UNICODE_NOTE for e in episodes)
    # Weeks differ: quiet ones and busy ones.
    weeks = Counter(e.local_date.isocalendar()[:2] for e in episodes)
    assert max(weeks.values()) >= 3 * min(weeks.values())


def test_generate_episodes_is_deterministic_for_a_seed_and_end():
    end = datetime(2026, 3, 30, 12, tzinfo=UTC)  # spans the spring-forward change in London
    runs = []
    for name in ("a", "b"):
        user = new_user(name)
        demo.generate_episodes(user, weeks=6, seed=3, end=end)
        runs.append(
            list(
                Episode.objects.for_user(user)
                # An episode at two sites is two rows: their order is the database's unless named.
                .order_by("started_at", "id", "sites__code")
                .values_list("started_at", "duration", "intensity", "notes", "sites__code")
            )
        )
    assert runs[0] == runs[1]
    other = new_user("c")
    demo.generate_episodes(other, weeks=6, seed=4, end=end)
    started = Episode.objects.for_user(other).order_by("started_at", "id")
    assert list(started.values_list("started_at", flat=True)) != sorted({r[0] for r in runs[0]})


def test_generate_episodes_per_week_gives_an_exact_total():
    user = new_user("bulk", zone="America/New_York")
    end = datetime(2026, 11, 2, 12, tzinfo=UTC)
    written = demo.generate_episodes(user, weeks=10, per_week=55, seed=1, end=end)
    episodes = Episode.objects.for_user(user)
    assert written == episodes.count() == 550
    assert not episodes.annotate(n=Count("sites")).filter(n=0).exists()
    assert not episodes.filter(started_at__gt=end).exists()
    for episode in episodes.filter(timezone="America/New_York"):
        assert episode.local_date == episode.local_started_at.date()
    # Logged when they happened, not all at the moment of seeding.
    assert all(e.created_at == e.started_at for e in episodes)


def test_uniform_diary_spreads_over_days_sites_and_triggers():
    """The benchmarks' denser random diary: its shape, and its summaries kept as any write's."""
    from tests.helpers import rebuilt_rows, summary_rows

    user = new_user("uniform")
    end = datetime(2026, 3, 2, 12, tzinfo=UTC)
    written = demo.generate_uniform_episodes(user, count=600, weeks=8, seed=1, end=end)
    episodes = Episode.objects.filter(user=user)
    assert written == episodes.count() == 600
    assert all(end - timedelta(weeks=8) <= e.started_at < end for e in episodes)
    sites = Counter(episodes.annotate(n=Count("sites")).values_list("n", flat=True))
    assert set(sites) == {1, 2, 3}
    assert episodes.values("sites").distinct().count() > 40  # of the catalogue's 50
    with_trigger = episodes.filter(triggers__isnull=False).distinct().count()
    assert 0.5 < with_trigger / written < 0.7
    assert len({e.local_date for e in episodes}) > 50  # of 56 days
    assert summary_rows(user) == rebuilt_rows(user)
