"""
The test clock itself (tests/clock.py): how an instant is written, the `now` fixture, and the
points of the calendar sweep. That the pinned clock reaches the live server and the browser is
in tests/browser/test_clock.py.
"""

import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.clock import SWEEP, TEST_ZONE, parse_point
from tests.factories import EpisodeFactory

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("text", "utc", "zone"),
    [
        ("2026-12-07T10:30", "2026-12-07T10:30", TEST_ZONE),  # GMT
        ("2026-07-07T10:30", "2026-07-07T09:30", TEST_ZONE),  # BST
        ("2026-12-07T10:30-05:00", "2026-12-07T15:30", TEST_ZONE),
        ("2026-03-08T01:59[America/New_York]", "2026-03-08T06:59", "America/New_York"),
        ("2026-10-25T01:30+01:00[Europe/London]", "2026-10-25T00:30", TEST_ZONE),
        ("2026-10-25T01:30+00:00[Europe/London]", "2026-10-25T01:30", TEST_ZONE),
    ],
)
def test_an_instant_is_local_time_in_london_unless_it_says_otherwise(text, utc, zone):
    point = parse_point(text)
    assert point.instant == datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert point.zone == zone


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-03-29T01:30", "does not exist in Europe/London"),
        ("2026-03-08T02:30[America/New_York]", "does not exist in America/New_York"),
        ("2026-10-25T01:30", r"happens twice in Europe/London: add the offset, \+0100"),
        ("2026-12-07T10:30[Mars/Olympus]", "not a time zone"),
        ("next Tuesday", "Invalid isoformat"),
    ],
)
def test_an_instant_that_is_not_one_is_refused(text, message):
    with pytest.raises(ValueError, match=message):
        parse_point(text)


def test_now_pins_django_python_and_the_database_defaults(now, user):
    instant = now("2028-02-29T23:59:30")
    assert instant == datetime(2028, 2, 29, 23, 59, 30, tzinfo=UTC)
    assert instant <= timezone.now() < instant + timedelta(seconds=10)
    assert date.today() == date(2028, 2, 29)
    assert instant.timestamp() <= time.time() < instant.timestamp() + 10
    episode = EpisodeFactory(user=user)
    assert episode.created_at - instant < timedelta(seconds=10)
    assert episode.local_date == date(2028, 2, 29)


def test_now_ticks_unless_frozen_and_can_move(now):
    frozen = now("2026-11-01T01:30-04:00", zone="America/New_York", tick=False)
    time.sleep(0.01)
    assert timezone.now() == frozen
    assert frozen.astimezone(NEW_YORK).fold == 0  # the first 01:30 (EDT)
    ticking = now(frozen + timedelta(hours=1))
    assert ticking.astimezone(NEW_YORK).strftime("%H:%M %Z") == "01:30 EST"
    time.sleep(0.01)
    assert timezone.now() > ticking


def test_sweep_visits_every_weekday_both_ends_of_a_day_and_each_clock_change():
    local = {point.label: point.local for point in SWEEP}
    assert {t.weekday() for t in local.values() if t.year == 2026 and t.month == 12} == set(
        range(7)
    )
    times = {f"{t:%H:%M}" for t in local.values()}
    assert {"00:01", "23:59"} <= times
    # Where the person's day is not the server's (UTC), on either side.
    ahead = [t for t in local.values() if t.date() > t.astimezone(UTC).date()]
    behind = [t for t in local.values() if t.date() < t.astimezone(UTC).date()]
    assert ahead
    assert behind
    assert (local["dec-31-23:59"].date(), local["jan-1-00:01"].date()) == (
        date(2026, 12, 31),
        date(2027, 1, 1),
    )
    assert local["feb-29-2028"].date() == date(2028, 2, 29)
    for zone, before, after in [
        ("london", "spring-before", "spring-after"),
        ("london", "fall-bst", "fall-gmt"),
        ("new-york", "spring-before", "spring-after"),
        ("new-york", "fall-edt", "fall-est"),
    ]:
        first, second = local[f"{zone}-{before}"], local[f"{zone}-{after}"]
        assert first.utcoffset() != second.utcoffset(), "one on each side of the change"
        elapsed = second.astimezone(UTC) - first.astimezone(UTC)
        assert timedelta(0) < elapsed <= timedelta(hours=1), "just around it"


INNER_TEST = """
from datetime import date, datetime, UTC
from zoneinfo import ZoneInfo

def test_one(pinned_point, sweep_zone):
    print("INSTANT", datetime.now(UTC).isoformat(timespec="minutes"), sweep_zone)

def test_two():
    assert datetime.now(ZoneInfo("America/New_York")).date() == date(2028, 2, 29)
"""


@pytest.mark.parametrize("how", ["option", "environment"])
def test_the_run_wide_now_pins_every_test(pytester, monkeypatch, how):
    """`pytest --now …` (or $TWITCHLOG_TEST_NOW): each test starts at that instant."""
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    monkeypatch.delenv("TWITCHLOG_TEST_NOW", raising=False)
    pytester.makepyfile(test_inner=INNER_TEST)
    args = ["-p", "tests.clock", "-p", "no:django", "-p", "no:cacheprovider", "-s"]
    instant = "2028-02-29T23:59:30[America/New_York]"
    if how == "option":
        args += ["--now", instant]
    else:
        monkeypatch.setenv("TWITCHLOG_TEST_NOW", instant)
    result = pytester.runpytest_subprocess(*args)
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        [
            "clock pinned: every test starts at 2028-02-29T23:59-05:00[America/New_York]",
            # A test not marked calendar keeps its users in London.
            "*INSTANT 2028-03-01T04:59+00:00 Europe/London*",
        ]
    )


def test_a_run_wide_now_that_is_not_an_instant_stops_the_run(pytester, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(Path(__file__).resolve().parents[1]))
    pytester.makepyfile(test_inner=INNER_TEST)
    result = pytester.runpytest_subprocess("-p", "tests.clock", "--now", "2026-03-29T01:30")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--now*2026-03-29 01:30 does not exist in Europe/London*"])
