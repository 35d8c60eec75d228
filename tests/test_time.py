"""Time zones and daylight saving: wall-clock times become the right instants, or a clear error."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from diary.forms import EpisodeForm
from diary.lib.clock import (
    AmbiguousTimeError,
    NonexistentTimeError,
    iso_week_start,
    local_midnight,
    make_aware_strict,
)
from diary.models import Episode
from tests.factories import EpisodeFactory, UserFactory
from tests.helpers import episode_data

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
# A fixed "now" after both 2026 clock changes, so the DST cases are in the past.
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(now):
    return now(NOW, tick=False)


def custom_time(value: str, **extra) -> dict:
    return episode_data(when="custom", started_at_local=value, **extra)


# --- diary.lib.clock ---


def test_make_aware_strict_plain_time_gets_the_zone():
    aware = make_aware_strict(datetime(2026, 7, 1, 9, 0), LONDON)
    assert aware == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


def test_make_aware_strict_refuses_a_spring_forward_gap():
    with pytest.raises(NonexistentTimeError):
        make_aware_strict(datetime(2026, 3, 29, 1, 30), LONDON)


def test_make_aware_strict_asks_which_for_an_ambiguous_time():
    with pytest.raises(AmbiguousTimeError) as info:
        make_aware_strict(datetime(2026, 10, 25, 1, 30), LONDON)
    # Same tzinfo: Python compares wall times, so compare the instants in UTC.
    gap = info.value.later.astimezone(UTC) - info.value.earlier.astimezone(UTC)
    assert gap == timedelta(hours=1)


def test_make_aware_strict_fold_picks_first_or_second_occurrence():
    first = make_aware_strict(datetime(2026, 10, 25, 1, 30), LONDON, fold=0)
    second = make_aware_strict(datetime(2026, 10, 25, 1, 30), LONDON, fold=1)
    assert first.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2026, 10, 25, 1, 30, tzinfo=UTC)


def test_local_midnight_in_a_zone_that_skips_midnight():
    """America/Havana springs forward at midnight: the day starts at 01:00."""
    start = local_midnight(date(2026, 3, 8), ZoneInfo("America/Havana"))
    assert start.astimezone(ZoneInfo("America/Havana")).hour == 1


@pytest.mark.parametrize(
    ("zone_name", "day", "starts"),
    [
        # Clocks jumped from 00:00 to 00:15 (+05:30 to +05:45), not by an hour.
        ("Asia/Kathmandu", date(1986, 1, 1), datetime(1986, 1, 1, 0, 15)),
        # Lord Howe's daylight saving is 30 minutes; in 1981 it started at midnight.
        ("Australia/Lord_Howe", date(1981, 3, 1), datetime(1981, 3, 1, 0, 30)),
        # Samoa crossed the date line: 30 December 2011 never happened there; it "starts"
        # when 31 December does.
        ("Pacific/Apia", date(2011, 12, 30), datetime(2011, 12, 31, 0, 0)),
        # The gap ran from 23:30 to 00:30: the day starts at 00:30.
        ("America/Toronto", date(1919, 3, 31), datetime(1919, 3, 31, 0, 30)),
    ],
)
def test_local_midnight_when_the_clocks_skip_midnight_by_other_than_an_hour(zone_name, day, starts):
    """It was "midnight + 1 hour": wrong for these, and an exception (a 500) for Apia."""
    zone = ZoneInfo(zone_name)
    start = local_midnight(day, zone)
    assert start.astimezone(zone).replace(tzinfo=None) == starts
    # The first instant of the day: a second earlier (in real time) is still the day before.
    assert (start.astimezone(UTC) - timedelta(seconds=1)).astimezone(zone).date() < day


def test_period_covers_whole_local_days():
    from diary.insights import Period

    period = Period(date(2026, 3, 29), date(2026, 3, 29), LONDON)
    start, end = period.start, period.end
    assert start.astimezone(UTC) == datetime(2026, 3, 29, 0, 0, tzinfo=UTC)
    # The day the clocks go forward is 23 hours long.
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


def test_iso_week_start_is_monday():
    assert iso_week_start(date(2026, 3, 1)) == date(2026, 2, 23)  # Sunday -> previous Monday
    assert iso_week_start(date(2026, 3, 2)) == date(2026, 3, 2)


# --- The episode form in the person's zone ---


@pytest.mark.django_db
def test_episode_form_dst_gap_time_is_a_clear_field_error(frozen_now):
    user = UserFactory(timezone="Europe/London")
    form = EpisodeForm(custom_time("2026-03-29T01:30"), user=user, zone=LONDON)
    assert not form.is_valid()
    [message] = form.errors["started_at_local"]
    assert "01:30 did not exist on 29 Mar 2026 in Europe/London" in message
    assert "clocks went forward" in message


@pytest.mark.django_db
def test_episode_form_ambiguous_time_asks_which_one(frozen_now):
    user = UserFactory(timezone="Europe/London")
    form = EpisodeForm(custom_time("2026-10-25T01:30"), user=user, zone=LONDON)
    assert not form.is_valid()
    assert "happened twice" in form.errors["fold"][0]
    assert "Which one was it?" in form.errors["fold"][0]
    assert form.needs_fold


@pytest.mark.django_db
def test_episode_form_ambiguous_time_accepts_fold_0_and_1_an_hour_apart(frozen_now):
    user = UserFactory(timezone="Europe/London")
    first = EpisodeForm(custom_time("2026-10-25T01:30", fold="0"), user=user, zone=LONDON)
    second = EpisodeForm(custom_time("2026-10-25T01:30", fold="1"), user=user, zone=LONDON)
    assert first.is_valid(), first.errors
    assert second.is_valid(), second.errors
    a, b = first.save(), second.save()
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.started_at - a.started_at == timedelta(hours=1)
    assert a.started_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert a.local_date == b.local_date == date(2026, 10, 25)


@pytest.mark.django_db
def test_episode_form_fold_ignored_for_an_ordinary_time(frozen_now):
    user = UserFactory(timezone="Europe/London")
    form = EpisodeForm(custom_time("2026-07-01T09:00", fold="1"), user=user, zone=LONDON)
    assert form.is_valid(), form.errors
    assert form.save().started_at == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_episode_sunday_2330_in_new_york_belongs_to_sunday(frozen_now):
    """23:30 on Sunday in New York is Monday 04:30 UTC; the diary day is still Sunday."""
    user = UserFactory(timezone="America/New_York")
    form = EpisodeForm(custom_time("2026-03-01T23:30"), user=user, zone=NEW_YORK)
    assert form.is_valid(), form.errors
    episode = form.save()
    episode.refresh_from_db()
    assert episode.started_at == datetime(2026, 3, 2, 4, 30, tzinfo=UTC)
    assert episode.timezone == "America/New_York"
    assert episode.local_date == date(2026, 3, 1)
    assert episode.local_date.strftime("%A") == "Sunday"


@pytest.mark.django_db
def test_episode_new_uses_the_profile_zone_passed_in(frozen_now):
    user = UserFactory(timezone="Asia/Tokyo")
    form = EpisodeForm(
        custom_time("2026-06-01T08:00"), user=user, zone=ZoneInfo(user.profile.timezone)
    )
    assert form.is_valid(), form.errors
    episode = form.save()
    assert episode.timezone == "Asia/Tokyo"
    assert episode.started_at == datetime(2026, 5, 31, 23, 0, tzinfo=UTC)
    assert episode.local_date == date(2026, 6, 1)


@pytest.mark.django_db
def test_episode_edit_form_keeps_the_episodes_own_zone(frozen_now):
    """Logged in New York, edited after moving to London: the wall time stays New York's."""
    user = UserFactory(timezone="Europe/London")
    episode = EpisodeFactory(
        user=user, started_at=datetime(2026, 6, 1, 13, 0, tzinfo=UTC), timezone="America/New_York"
    )
    form = EpisodeForm(instance=episode, user=user, zone=episode.zone)
    assert form.initial["started_at_local"] == datetime(2026, 6, 1, 9, 0)
    bound = EpisodeForm(
        custom_time("2026-06-01T10:00"), instance=episode, user=user, zone=episode.zone
    )
    assert bound.is_valid(), bound.errors
    bound.save()
    episode.refresh_from_db()
    assert episode.timezone == "America/New_York"
    assert episode.started_at == datetime(2026, 6, 1, 14, 0, tzinfo=UTC)


@pytest.mark.django_db
def test_episode_edit_of_second_ambiguous_time_keeps_it_without_asking(frozen_now):
    """Saving other changes to an episode at the second 01:30 must not ask or move it."""
    user = UserFactory(timezone="Europe/London")
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 01:30 GMT, after the clocks went back
    episode = EpisodeFactory(user=user, started_at=second, timezone="Europe/London")
    unbound = EpisodeForm(instance=episode, user=user, zone=episode.zone)
    posted = custom_time(
        unbound.initial["started_at_local"].strftime("%Y-%m-%dT%H:%M"), intensity="2"
    )
    form = EpisodeForm(posted, instance=episode, user=user, zone=episode.zone)
    assert form.is_valid(), form.errors
    form.save()
    episode.refresh_from_db()
    assert episode.started_at == second
    assert episode.intensity == 2


@pytest.mark.django_db
def test_episode_edit_without_changing_the_time_keeps_seconds(frozen_now):
    """The time input has minutes only; an untouched time must not lose the seconds."""
    user = UserFactory(timezone="Europe/London")
    at = datetime(2026, 11, 1, 9, 15, 42, tzinfo=UTC)
    episode = EpisodeFactory(user=user, started_at=at)
    form = EpisodeForm(
        custom_time("2026-11-01T09:15", notes="after coffee"),
        instance=episode,
        user=user,
        zone=episode.zone,
    )
    assert form.is_valid(), form.errors
    form.save()
    episode.refresh_from_db()
    assert episode.started_at == at
    assert episode.notes == "after coffee"


@pytest.mark.django_db
def test_episode_edit_moving_the_time_recomputes_local_date(frozen_now):
    user = UserFactory(timezone="Europe/London")
    episode = EpisodeFactory(user=user, started_at=datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
    form = EpisodeForm(
        custom_time("2026-10-30T23:30"), instance=episode, user=user, zone=episode.zone
    )
    assert form.is_valid(), form.errors
    form.save()
    episode.refresh_from_db()
    assert episode.local_date == date(2026, 10, 30)
    assert Episode.objects.count() == 1
