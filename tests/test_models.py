"""The data model: the seeded catalogue, triggers, episodes (dates, constraints, soft delete)."""

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from diary.models import (
    BodySite,
    Episode,
    Profile,
    Region,
    Trigger,
    catalogue_by_region,
    recent_and_frequent_sites,
    validate_timezone,
)
from tests.factories import EpisodeFactory, TriggerFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- The body-site catalogue and the built-in triggers ---


def test_bodysite_catalogue_has_42_sites_in_4_regions():
    assert BodySite.objects.count() == 42
    counts = {region: BodySite.objects.filter(region=region).count() for region in Region.values}
    assert counts == {"bulbar": 9, "cervical": 13, "thoracic": 6, "lumbosacral": 14}


def test_bodysite_codes_are_stable():
    """Exports and URLs use these codes: renaming one breaks people's files."""
    calf = BodySite.objects.get(code="calf-left")
    assert (calf.name, calf.area, calf.side) == ("Left calf", "calf", "left")
    assert calf.region == "lumbosacral"
    tongue = BodySite.objects.get(code="tongue")
    assert (tongue.side, tongue.region) == ("midline", "bulbar")
    codes = set(BodySite.objects.values_list("code", flat=True))
    assert {"eyelid-left", "throat", "neck", "fingers-right", "upper-back-left"} <= codes


def test_bodysite_catalogue_is_ordered_head_to_toe():
    sites = list(BodySite.objects.all())
    assert sites[0].code == "eyelid-left"
    assert sites[-1].code == "toes-right"
    assert [s.sort_order for s in sites] == sorted({s.sort_order for s in sites})


def test_bodysite_str_is_its_name():
    assert str(BodySite.objects.get(code="calf-left")) == "Left calf"


def test_trigger_builtins_are_the_four_from_the_design():
    builtins = Trigger.objects.filter(user=None)
    assert sorted(builtins.values_list("slug", flat=True)) == [
        "caffeine",
        "intense-exercise",
        "lack-of-sleep",
        "stress",
    ]
    assert all(t.is_builtin for t in builtins)


def test_trigger_for_user_is_builtins_plus_own(user, other_user):
    mine = TriggerFactory(user=user, name="Alcohol")
    TriggerFactory(user=other_user, name="Dehydration")
    names = set(Trigger.objects.for_user(user).values_list("name", flat=True))
    assert names == {"Caffeine", "Stress", "Lack of sleep", "Intense exercise", "Alcohol"}
    assert not mine.is_builtin
    assert str(mine) == "Alcohol"


def test_trigger_slug_derived_from_name(user):
    trigger = Trigger.objects.create(user=user, name="New medicine!")
    assert trigger.slug == "new-medicine"


def test_trigger_slug_unique_per_user(user, other_user):
    Trigger.objects.create(user=user, name="Alcohol")
    Trigger.objects.create(user=other_user, name="Alcohol")  # another person may use the name
    with pytest.raises(IntegrityError), transaction.atomic():
        Trigger.objects.create(user=user, name="alcohol")


# --- Episodes ---


def test_episode_local_date_derived_on_save_in_its_zone(user):
    """01:30 UTC on a Monday is still Sunday evening in New York."""
    episode = EpisodeFactory(
        user=user, started_at=datetime(2026, 3, 2, 1, 30, tzinfo=UTC), timezone="America/New_York"
    )
    episode.refresh_from_db()
    assert episode.local_date == date(2026, 3, 1)
    assert episode.local_date.weekday() == 6  # Sunday


def test_episode_local_date_follows_started_at_when_saved_with_update_fields(user):
    episode = EpisodeFactory(
        user=user, started_at=datetime(2026, 3, 2, 12, 0, tzinfo=UTC), timezone="Europe/London"
    )
    episode.started_at = datetime(2026, 2, 20, 12, 0, tzinfo=UTC)
    episode.save(update_fields=["started_at"])
    episode.refresh_from_db()
    assert episode.local_date == date(2026, 2, 20)


def test_episode_local_date_uses_the_episode_zone_not_the_profile_zone(user):
    """The profile says London; an episode logged in Tokyo keeps Tokyo's calendar date."""
    episode = EpisodeFactory(
        user=user, started_at=datetime(2026, 5, 1, 20, 0, tzinfo=UTC), timezone="Asia/Tokyo"
    )
    assert episode.local_date == date(2026, 5, 2)
    assert episode.local_started_at.hour == 5


def test_episode_str_shows_uuid_and_time(user):
    episode = EpisodeFactory(user=user, started_at=datetime(2026, 3, 2, 9, 5, tzinfo=UTC))
    assert str(episode) == f"Episode {episode.uuid} at 2026-03-02 09:05"


def test_episode_symptoms_lists_words_in_order(user):
    episode = EpisodeFactory(user=user, weakness=True, numbness=True)
    assert episode.symptoms == ["Weakness", "Numbness or tingling"]


@pytest.mark.parametrize(
    "duration", [timedelta(0), timedelta(seconds=-5), timedelta(hours=24, seconds=1)]
)
def test_episode_db_rejects_duration_out_of_bounds(user, duration):
    episode = EpisodeFactory(user=user)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(duration=duration)
    episode.refresh_from_db()
    assert episode.duration == timedelta(seconds=5)


@pytest.mark.parametrize("duration", [timedelta(seconds=1), timedelta(hours=24)])
def test_episode_db_accepts_duration_bounds(user, duration):
    episode = EpisodeFactory(user=user)
    Episode.objects.filter(pk=episode.pk).update(duration=duration)
    episode.refresh_from_db()
    assert episode.duration == duration


def test_episode_db_rejects_zero_duration_on_create(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.create(
            user=user,
            started_at=datetime(2026, 3, 2, tzinfo=UTC),
            timezone="UTC",
            duration=timedelta(0),
        )
    assert not Episode.objects.exists()


@pytest.mark.parametrize("intensity", [0, 6])
def test_episode_db_rejects_intensity_out_of_range(user, intensity):
    episode = EpisodeFactory(user=user, intensity=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Episode.objects.filter(pk=episode.pk).update(intensity=intensity)
    episode.refresh_from_db()
    assert episode.intensity == 3


def test_episode_db_accepts_missing_intensity(user):
    episode = EpisodeFactory(user=user, intensity=None)
    episode.refresh_from_db()
    assert episode.intensity is None


def test_episode_full_clean_rejects_unknown_timezone_and_long_notes(user):
    episode = EpisodeFactory(user=user)
    episode.timezone = "Mars/Olympus_Mons"
    episode.notes = "x" * 2001
    with pytest.raises(ValidationError) as info:
        episode.full_clean()
    assert set(info.value.message_dict) == {"timezone", "notes"}


def test_episode_soft_delete_hides_it_and_restore_brings_it_back(user):
    episode = EpisodeFactory(user=user)
    episode.soft_delete()
    episode.refresh_from_db()
    assert episode.deleted_at is not None
    assert not Episode.objects.for_user(user).exists()
    assert Episode.objects.for_user(user, include_deleted=True).get() == episode

    episode.restore()
    episode.refresh_from_db()
    assert episode.deleted_at is None
    assert Episode.objects.for_user(user).get() == episode


def test_episode_for_user_never_returns_another_users_rows(user, other_user):
    mine = EpisodeFactory(user=user)
    EpisodeFactory(user=other_user)
    assert list(Episode.objects.for_user(user)) == [mine]
    assert list(Episode.objects.for_user(user, include_deleted=True)) == [mine]


def test_episode_in_range_is_half_open(user):
    at = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    inside = EpisodeFactory(user=user, started_at=at)
    EpisodeFactory(user=user, started_at=at + timedelta(hours=1))
    qs = Episode.objects.for_user(user)
    assert list(qs.in_range(at, at + timedelta(hours=1))) == [inside]
    assert qs.in_range(None, None).count() == 2


def test_episode_on_local_dates_is_inclusive(user):
    days = [datetime(2026, 3, d, 12, 0, tzinfo=UTC) for d in (1, 2, 3)]
    first, middle, last = (EpisodeFactory(user=user, started_at=d) for d in days)
    qs = Episode.objects.for_user(user)
    assert set(qs.on_local_dates(date(2026, 3, 2), date(2026, 3, 3))) == {middle, last}
    assert set(qs.on_local_dates(None, date(2026, 3, 1))) == {first}


def test_episode_newest_first_orders_by_start(user):
    old = EpisodeFactory(user=user, started_at=datetime(2026, 3, 1, tzinfo=UTC))
    new = EpisodeFactory(user=user, started_at=datetime(2026, 3, 2, tzinfo=UTC))
    assert list(Episode.objects.for_user(user).newest_first()) == [new, old]


# --- Chips: recent and frequent sites ---


def test_recent_and_frequent_sites_puts_recent_first_then_frequent(user):
    now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    for i in range(5):
        EpisodeFactory(user=user, sites=["calf-left"], started_at=now - timedelta(days=5, hours=i))
    EpisodeFactory(user=user, sites=["tongue"], started_at=now - timedelta(hours=1))
    EpisodeFactory(user=user, sites=["eyelid-right"], started_at=now - timedelta(hours=2))
    EpisodeFactory(user=user, sites=["thigh-left"], started_at=now - timedelta(hours=3))
    EpisodeFactory(user=user, sites=["thigh-left"], started_at=now - timedelta(days=9))
    codes = [s.code for s in recent_and_frequent_sites(user, limit=4)]
    # The limit // 2 most recent, then the most frequent not already there.
    assert codes[:2] == ["tongue", "eyelid-right"]
    assert codes[2:] == ["calf-left", "thigh-left"]


def test_recent_and_frequent_sites_ignores_deleted_and_other_users(user, other_user):
    EpisodeFactory(user=other_user, sites=["tongue"])
    EpisodeFactory(user=user, sites=["calf-left"]).soft_delete()
    EpisodeFactory(user=user, sites=["hand-right"])
    assert [s.code for s in recent_and_frequent_sites(user)] == ["hand-right"]


def test_recent_and_frequent_sites_empty_for_a_new_user(user):
    assert recent_and_frequent_sites(user) == []


def test_recent_and_frequent_sites_has_no_repeats(user):
    for _ in range(3):
        EpisodeFactory(user=user, sites=["calf-left", "calf-right"])
    codes = [s.code for s in recent_and_frequent_sites(user)]
    assert sorted(codes) == ["calf-left", "calf-right"]


# --- Profiles ---


def test_profile_created_for_every_new_user():
    user = get_user_model().objects.create_user("newcomer", password="x-long-password-1")
    profile = Profile.objects.get(user=user)
    assert profile.timezone == "UTC"
    assert profile.display_name == ""
    assert str(profile) == "newcomer"


def test_profile_created_for_superusers_too():
    admin = get_user_model().objects.create_superuser("admin", password="x-long-password-1")
    assert Profile.objects.filter(user=admin).exists()


def test_profile_str_prefers_display_name():
    user = UserFactory()
    user.profile.display_name = "Sam Patel"
    assert str(user.profile) == "Sam Patel"


def test_profile_zone_is_a_zoneinfo():
    user = UserFactory(timezone="America/New_York")
    assert user.profile.zone.key == "America/New_York"


def test_validate_timezone_refuses_unknown_names():
    validate_timezone("Europe/London")
    with pytest.raises(ValidationError, match="not a time zone we know"):
        validate_timezone("Europe/Atlantis")


def test_validate_timezone_refuses_the_servers_localtime():
    """
    Debian lists "localtime" (a link to /etc/localtime) among the zones, and the settings page
    offered it: a diary in the server's zone, broken on a server without that link.
    """
    with pytest.raises(ValidationError, match="not a time zone we know"):
        validate_timezone("localtime")


def test_profile_receiver_survives_garbage_collection():
    """
    Signals hold receivers weakly. A receiver defined inside AppConfig.ready() was kept alive
    only by an inspect cache that Django fills when DEBUG is on; in production (DEBUG off) it
    died at the first garbage collection and new users got no profile. Checked in a fresh
    interpreter with DEBUG off, as production starts.
    """
    code = (
        "import gc, django; django.setup(); gc.collect();"
        "from django.db.models.signals import post_save;"
        "print([r() is not None for (k, *_), r, *_ in post_save.receivers"
        " if k == 'diary_create_profile'])"
    )
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "test",
        "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[True]"


def test_catalogue_by_region_lists_every_site_once_in_catalogue_order():
    regions = catalogue_by_region()
    assert [label for label, _ in regions] == ["Head & face", "Neck & arms", "Trunk", "Legs & feet"]
    codes = [code for _, sites in regions for code, _ in sites]
    assert codes == list(BodySite.objects.values_list("code", flat=True))


def test_catalogue_by_region_filled_twice_still_lists_each_site_once(monkeypatch):
    """Two threads may both find the cache empty at start; the result must not double up."""
    from diary.models import sites

    monkeypatch.setattr(sites, "_catalogue", {})
    monkeypatch.setattr(sites, "_catalogue_by_region", {})
    catalogue_by_region()
    # The other thread had not seen either cache filled.
    sites._catalogue.pop("regions")
    sites._catalogue_by_region.clear()
    catalogue_by_region()
    codes = [code for _, sites in catalogue_by_region() for code, _ in sites]
    assert len(codes) == len(set(codes)) == BodySite.objects.count()
