"""
diary.insights on hand-made data: weeks, days and hours by each episode's own local date and
hour (DST both ways, a Sunday late evening, the far side of the date line), empty and mid-week
ranges, and rows that must never count (soft-deleted, another user's).
"""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary import insights
from diary.insights import Period, PeriodError, parse_period
from diary.insights.aggregates import median
from diary.insights.details import line as details_line
from diary.insights.details import table as details_table
from diary.models import SYMPTOMS, Trigger
from tests.factories import EpisodeFactory, TriggerFactory, UserFactory

NEW_YORK = ZoneInfo("America/New_York")
AUCKLAND = ZoneInfo("Pacific/Auckland")
LONDON = ZoneInfo("Europe/London")

pytestmark = pytest.mark.django_db


def at(text: str, zone: ZoneInfo, fold: int = 0) -> datetime:
    """An aware instant from local wall-clock text 'YYYY-MM-DD HH:MM'."""
    return datetime.fromisoformat(text).replace(tzinfo=zone, fold=fold)


def log(user, when: str, zone: ZoneInfo, *, fold: int = 0, **kwargs):
    return EpisodeFactory(user=user, started_at=at(when, zone, fold), **kwargs)


@pytest.fixture
def new_yorker():
    return UserFactory(timezone="America/New_York")


def by_start(weeks):
    return {w.start: w for w in weeks}


# --- Period and parse_period -----------------------------------------------------------------


def test_period_last_weeks_covers_whole_iso_weeks_ending_today():
    today = date(2025, 6, 4)  # a Wednesday
    period = Period.last_weeks(4, today, LONDON)
    assert period.first == date(2025, 5, 12)  # a Monday
    assert period.last == today
    assert period.weeks == [
        date(2025, 5, 12),
        date(2025, 5, 19),
        date(2025, 5, 26),
        date(2025, 6, 2),
    ]
    assert period.days == 24


def test_period_start_and_end_are_local_midnights_across_fall_back():
    period = Period(date(2025, 11, 2), date(2025, 11, 2), NEW_YORK)
    assert period.start == at("2025-11-02 00:00", NEW_YORK)
    assert period.end == at("2025-11-03 00:00", NEW_YORK)
    # Same-zone subtraction is wall-clock; compare real elapsed time in UTC.
    assert period.end.astimezone(UTC) - period.start.astimezone(UTC) == timedelta(hours=25)


def test_period_weeks_for_a_range_starting_mid_week():
    period = Period(date(2025, 6, 4), date(2025, 6, 10), LONDON)
    assert period.weeks == [date(2025, 6, 2), date(2025, 6, 9)]


@pytest.mark.parametrize("weeks", [4, 8, 12, 26, 52])
def test_parse_period_presets(weeks):
    today = date(2025, 6, 4)
    period = parse_period({"weeks": str(weeks)}, today=today, zone=LONDON)
    assert len(period.weeks) == weeks
    assert period.last == today


def test_parse_period_defaults_to_12_weeks():
    period = parse_period({}, today=date(2025, 6, 4), zone=LONDON)
    assert len(period.weeks) == 12
    assert parse_period({"from": "", "to": ""}, today=date(2025, 6, 4), zone=LONDON) == period


def test_parse_period_custom_dates_win_over_weeks():
    params = {"weeks": "4", "from": "2025-01-01", "to": "2025-02-15"}
    period = parse_period(params, today=date(2025, 6, 4), zone=NEW_YORK)
    assert (period.first, period.last, period.zone) == (
        date(2025, 1, 1),
        date(2025, 2, 15),
        NEW_YORK,
    )


def test_parse_period_one_sided_custom_range():
    today = date(2025, 6, 4)
    since = parse_period({"from": "2025-05-01"}, today=today, zone=LONDON)
    assert (since.first, since.last) == (date(2025, 5, 1), today)
    until = parse_period({"to": "2025-03-31"}, today=today, zone=LONDON, default_weeks=4)
    assert until.last == date(2025, 3, 31)
    assert len(until.weeks) == 4


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-03-01", "to": "2025-02-01"}, "The end date is before the start date."),
        ({"from": "2019-01-01", "to": "2025-01-01"}, "A range can be at most 5 years."),
        ({"from": "2020-01-01", "to": "2025-01-01"}, "A range can be at most 5 years."),
        ({"from": "01/02/2025"}, "Enter dates as YYYY-MM-DD."),
        ({"from": "2025-02-30"}, "Enter dates as YYYY-MM-DD."),
        ({"to": "yesterday"}, "Enter dates as YYYY-MM-DD."),
        ({"from": "0001-01-01"}, "Choose dates between 1900 and 2999."),
        ({"to": "9999-12-31"}, "Choose dates between 1900 and 2999."),
        ({"weeks": "3"}, "Choose 4, 8, 12, 26 or 52 weeks, or enter dates."),
        ({"weeks": "lots"}, "Choose 4, 8, 12, 26 or 52 weeks, or enter dates."),
    ],
)
def test_parse_period_refuses_bad_ranges_with_a_message(params, message):
    with pytest.raises(PeriodError) as error:
        parse_period(params, today=date(2025, 6, 4), zone=LONDON)
    assert str(error.value) == message


def test_parse_period_allows_exactly_five_years():
    period = parse_period(
        {"from": "2020-01-01", "to": "2024-12-31"}, today=date(2025, 6, 4), zone=LONDON
    )
    assert period.days == 1827


# --- Time zones --------------------------------------------------------------------------------


def test_sunday_late_evening_in_new_york_stays_on_sunday(new_yorker):
    """23:30 on Sunday in New York is 04:30 on Monday in UTC; it belongs to Sunday's week."""
    log(new_yorker, "2025-03-02 23:30", NEW_YORK, sites=["hand-left"])
    period = Period(date(2025, 2, 24), date(2025, 3, 9), NEW_YORK)
    weeks = by_start(insights.weekly(new_yorker, period))
    assert weeks[date(2025, 2, 24)].episodes == 1
    assert weeks[date(2025, 3, 3)].episodes == 0
    assert insights.heatmap(new_yorker, period)[6][23] == 1
    [site] = insights.sites(new_yorker, period)
    assert site.first_seen == site.last_seen == date(2025, 3, 2)
    assert insights.summary(new_yorker, period).first_logged == date(2025, 3, 2)


def test_weeks_across_spring_forward(new_yorker):
    """Clocks jump from 02:00 to 03:00 on Sunday 9 March 2025 in New York."""
    log(new_yorker, "2025-03-09 01:30", NEW_YORK)  # EST
    log(new_yorker, "2025-03-09 03:30", NEW_YORK)  # EDT, an hour later in real time
    log(new_yorker, "2025-03-09 23:30", NEW_YORK)  # still Sunday locally, Monday in UTC
    log(new_yorker, "2025-03-10 00:30", NEW_YORK)  # Monday: the next week
    period = Period(date(2025, 3, 3), date(2025, 3, 16), NEW_YORK)
    weeks = by_start(insights.weekly(new_yorker, period))
    assert weeks[date(2025, 3, 3)].episodes == 3
    assert weeks[date(2025, 3, 3)].days == 1
    assert weeks[date(2025, 3, 10)].episodes == 1
    heat = insights.heatmap(new_yorker, period)
    assert (heat[6][1], heat[6][2], heat[6][3], heat[6][23], heat[0][0]) == (1, 0, 1, 1, 1)


def test_weeks_across_fall_back(new_yorker):
    """01:30 happens twice on Sunday 2 November 2025 in New York; both are Sunday 01:xx."""
    log(new_yorker, "2025-11-02 01:30", NEW_YORK, fold=0)  # EDT
    log(new_yorker, "2025-11-02 01:30", NEW_YORK, fold=1)  # EST, an hour later
    log(new_yorker, "2025-11-02 23:30", NEW_YORK)  # Monday 04:30 UTC
    log(new_yorker, "2025-11-03 00:15", NEW_YORK)
    period = Period(date(2025, 10, 27), date(2025, 11, 9), NEW_YORK)
    weeks = by_start(insights.weekly(new_yorker, period))
    assert weeks[date(2025, 10, 27)].episodes == 3
    assert weeks[date(2025, 11, 3)].episodes == 1
    heat = insights.heatmap(new_yorker, period)
    assert heat[6][1] == 2
    assert heat[6][23] == 1
    summary = insights.summary(new_yorker, Period(date(2025, 11, 2), date(2025, 11, 2), NEW_YORK))
    assert summary.episodes == 3


def test_auckland_monday_morning_is_monday_not_sunday():
    """08:00 on Monday in Auckland is Sunday evening in UTC."""
    kiwi = UserFactory(timezone="Pacific/Auckland")
    log(kiwi, "2025-06-02 08:00", AUCKLAND)
    log(kiwi, "2025-06-08 23:59", AUCKLAND)
    log(kiwi, "2025-06-01 12:00", AUCKLAND)
    period = Period(date(2025, 5, 26), date(2025, 6, 8), AUCKLAND)
    weeks = by_start(insights.weekly(kiwi, period))
    assert weeks[date(2025, 5, 26)].episodes == 1
    assert weeks[date(2025, 6, 2)].episodes == 2
    assert weeks[date(2025, 6, 2)].days == 2
    heat = insights.heatmap(kiwi, period)
    assert (heat[0][8], heat[6][23], heat[6][12]) == (1, 1, 1)
    assert [s.first_seen for s in insights.sites(kiwi, period)] == [date(2025, 6, 1)]


def test_period_edges_follow_the_local_day(new_yorker):
    """An episode at 23:59 local on the last day counts; one at 00:00 the day after does not."""
    log(new_yorker, "2025-03-01 00:00", NEW_YORK)
    log(new_yorker, "2025-03-31 23:59", NEW_YORK)
    log(new_yorker, "2025-04-01 00:00", NEW_YORK)
    log(new_yorker, "2025-02-28 23:59", NEW_YORK)
    period = Period(date(2025, 3, 1), date(2025, 3, 31), NEW_YORK)
    assert insights.summary(new_yorker, period).episodes == 2


def test_period_edges_when_the_clocks_skip_midnight_by_a_quarter_hour():
    """
    Kathmandu moved from +05:30 to +05:45 at midnight on 1 January 1986: that day began at
    00:15, not 01:00, so 00:20 belongs to it and not to the period that ends the day before.
    """
    kathmandu = ZoneInfo("Asia/Kathmandu")
    user = UserFactory(timezone="Asia/Kathmandu")
    log(user, "1986-01-01 00:20", kathmandu, sites=["tongue"])
    new_year = Period(date(1986, 1, 1), date(1986, 1, 5), kathmandu)
    assert insights.summary(user, new_year).episodes == 1
    assert [s.first_seen for s in insights.sites(user, new_year)] == [date(1986, 1, 1)]
    december = Period(date(1985, 12, 1), date(1985, 12, 31), kathmandu)
    assert insights.sites(user, december) == []


def test_trends_over_a_day_that_never_happened(client):
    """Samoa skipped 30 December 2011; a range starting that day was a 500."""
    apia = ZoneInfo("Pacific/Apia")
    user = UserFactory(timezone="Pacific/Apia")
    log(user, "2011-12-31 08:00", apia)
    client.force_login(user)
    response = client.get("/trends/", {"from": "2011-12-30", "to": "2012-01-08"})
    assert response.status_code == 200
    assert response.context["summary"].episodes == 1


# --- Ranges ------------------------------------------------------------------------------------


def test_empty_range_gives_zeros_not_gaps(user):
    period = Period(date(2025, 1, 6), date(2025, 2, 2), LONDON)
    weeks = insights.weekly(user, period)
    assert [w.start for w in weeks] == period.weeks
    assert all(w.episodes == w.days == w.areas == w.regions == 0 for w in weeks)
    assert all(w.minutes == 0 and w.median_intensity is None for w in weeks)
    assert all(set(w.by_region.values()) == {0} for w in weeks)
    assert all(w.symptoms == dict.fromkeys(SYMPTOMS, 0) for w in weeks)
    assert insights.sites(user, period) == []
    assert insights.trigger_counts(user, period) == []
    assert insights.symptom_counts(user, period) == dict.fromkeys(SYMPTOMS, 0)
    assert insights.heatmap(user, period) == [[0] * 24 for _ in range(7)]
    assert insights.worth_mentioning(user, period) == []
    summary = insights.summary(user, period)
    # Nothing logged yet: no day of the range is a "day without twitching".
    assert summary == insights.Summary(
        episodes=0,
        days_with_twitching=0,
        days_in_period=0,
        first_logged=None,
        total_duration=timedelta(0),
        this_week=0,
        previous_4_week_average=0,
        longest_twitch_free_run=0,
        compared_this_week=0,
    )


def test_range_starting_mid_week_counts_only_its_own_days(user):
    log(user, "2025-06-02 10:00", LONDON)  # Monday, before the range
    log(user, "2025-06-04 10:00", LONDON)  # Wednesday, first day
    log(user, "2025-06-10 10:00", LONDON)  # Tuesday, last day
    log(user, "2025-06-11 10:00", LONDON)  # after
    period = Period(date(2025, 6, 4), date(2025, 6, 10), LONDON)
    weeks = insights.weekly(user, period)
    assert [(w.start, w.episodes) for w in weeks] == [(date(2025, 6, 2), 1), (date(2025, 6, 9), 1)]
    summary = insights.summary(user, period)
    assert summary.episodes == 2
    assert summary.days_in_period == 7
    assert summary.first_logged == date(2025, 6, 2)  # the first ever, outside the range
    assert summary.longest_twitch_free_run == 5


def test_deleted_and_other_users_episodes_never_count(user, other_user):
    trigger = Trigger.objects.get(slug="caffeine")
    kept = log(user, "2025-06-04 10:00", LONDON, sites=["calf-left"], triggers=[trigger])
    deleted = log(
        user, "2025-06-03 10:00", LONDON, sites=["tongue"], triggers=[trigger], weakness=True
    )
    deleted.soft_delete()
    for day in range(1, 30):
        log(
            other_user,
            f"2025-05-{day:02d} 09:00",
            LONDON,
            sites=["hand-left", "tongue"],
            cramps=True,
            triggers=[trigger],
        )
    period = Period(date(2025, 5, 1), date(2025, 6, 8), LONDON)
    summary = insights.summary(user, period)
    assert (summary.episodes, summary.days_with_twitching) == (1, 1)
    assert summary.first_logged == kept.local_date
    assert [s.code for s in insights.sites(user, period)] == ["calf-left"]
    assert insights.trigger_counts(user, period) == [
        insights.TriggerCount("caffeine", "Caffeine", 1)
    ]
    assert insights.symptom_counts(user, period) == dict.fromkeys(SYMPTOMS, 0)
    assert sum(map(sum, insights.heatmap(user, period))) == 1
    weeks = insights.weekly(user, period)
    assert sum(w.episodes for w in weeks) == 1
    assert sum(w.by_region["bulbar"] for w in weeks) == 0
    assert insights.worth_mentioning(user, period) == []


# --- The numbers -------------------------------------------------------------------------------


def test_weekly_region_spread_counts_each_episode_once_per_region(user):
    log(user, "2025-06-02 10:00", LONDON, sites=["calf-left", "calf-right"])
    log(user, "2025-06-03 10:00", LONDON, sites=["calf-left", "hand-right"])
    log(user, "2025-06-04 10:00", LONDON, sites=["eyelid-left"])
    [week] = insights.weekly(user, Period(date(2025, 6, 2), date(2025, 6, 8), LONDON))
    assert week.episodes == 3
    assert week.by_region == {"bulbar": 1, "cervical": 1, "thoracic": 0, "lumbosacral": 2}
    assert week.areas == 3  # calf, hand, eyelid: left and right calf are one area
    assert week.regions == 3


def test_weekly_minutes_symptoms_triggers_and_median_intensity(user):
    own = TriggerFactory(user=user, name="Alcohol")
    log(
        user,
        "2025-06-02 10:00",
        LONDON,
        duration=timedelta(minutes=2),
        intensity=1,
        weakness=True,
        triggers=["caffeine"],
    )
    log(
        user,
        "2025-06-02 11:00",
        LONDON,
        duration=timedelta(seconds=30),
        intensity=2,
        triggers=["caffeine", own],
    )
    log(
        user,
        "2025-06-03 10:00",
        LONDON,
        duration=timedelta(seconds=30),
        intensity=4,
        cramps=True,
        weakness=True,
    )
    log(user, "2025-06-04 10:00", LONDON, duration=timedelta(minutes=1), intensity=5)
    log(user, "2025-06-10 10:00", LONDON, intensity=2)
    log(user, "2025-06-11 10:00", LONDON, intensity=2)
    log(user, "2025-06-12 10:00", LONDON, intensity=5, triggers=[own])
    log(user, "2025-06-13 10:00", LONDON)
    period = Period(date(2025, 6, 2), date(2025, 6, 22), LONDON)
    first, second, third = insights.weekly(user, period)
    assert (first.episodes, first.days, first.minutes) == (4, 3, 4.0)
    assert first.symptoms == {
        "weakness": 2,
        "cramps": 1,
        "fatigue": 0,
        "stiffness": 0,
        "numbness": 0,
    }
    assert first.triggers == {"caffeine": 2, "alcohol": 1}
    assert second.triggers == {"caffeine": 0, "alcohol": 1}
    assert first.median_intensity == 3.0  # 1, 2, 4, 5
    assert second.median_intensity == 2.0  # 2, 2, 5; the episode without intensity is left out
    assert third.median_intensity is None
    assert third.triggers == {"caffeine": 0, "alcohol": 0}
    assert insights.trigger_counts(user, period) == [
        insights.TriggerCount("alcohol", "Alcohol", 2, own=True),
        insights.TriggerCount("caffeine", "Caffeine", 2),
    ]
    assert insights.symptom_counts(user, period)["weakness"] == 2


def test_sites_table_first_last_and_order(user):
    log(user, "2025-06-02 10:00", LONDON, sites=["tongue", "calf-left"])
    log(user, "2025-06-05 10:00", LONDON, sites=["calf-left"])
    log(user, "2025-06-07 10:00", LONDON, sites=["eyelid-left"])
    rows = insights.sites(user, Period(date(2025, 6, 1), date(2025, 6, 30), LONDON))
    assert [(r.code, r.count) for r in rows] == [
        ("calf-left", 2),
        ("eyelid-left", 1),
        ("tongue", 1),
    ]
    calf = rows[0]
    assert (calf.name, calf.region, calf.region_label) == (
        "Left calf",
        "lumbosacral",
        "Legs & feet",
    )
    assert (calf.first_seen, calf.last_seen) == (date(2025, 6, 2), date(2025, 6, 5))


def test_summary_this_week_previous_average_and_twitch_free_run(user):
    # Four weeks before this one: 2, 0, 4, 2 episodes (average 2); this week: 3 so far.
    for when in ["2025-05-05 09:00", "2025-05-06 09:00", "2025-05-19 09:00", "2025-05-19 10:00",
                 "2025-05-20 09:00", "2025-05-21 09:00", "2025-05-26 09:00", "2025-05-27 09:00",
                 "2025-06-02 09:00", "2025-06-02 10:00", "2025-06-04 09:00"]:  # fmt: skip
        log(user, when, LONDON, duration=timedelta(minutes=1))
    log(user, "2025-04-28 09:00", LONDON)  # five weeks back: not in the average
    period = Period.last_weeks(1, date(2025, 6, 4), LONDON)
    summary = insights.summary(user, period)
    assert summary.this_week == 3
    assert summary.previous_4_week_average == 2.0
    assert summary.direction == "up"
    assert summary.episodes == 3
    assert summary.days_with_twitching == 2
    assert summary.total_duration == timedelta(minutes=3)
    assert summary.first_logged == date(2025, 4, 28)
    assert summary.longest_twitch_free_run == 1  # Tuesday 3 June

    long = insights.summary(user, Period(date(2025, 4, 1), date(2025, 6, 4), LONDON))
    # Counted from the first episode (28 April), not from 1 April (27 days without any).
    assert long.longest_twitch_free_run == 12  # 7 May .. 18 May


def test_summary_direction():
    def make(this: int, earlier: tuple[int, ...]) -> insights.Summary:
        average = sum(earlier) / len(earlier) if earlier else 0.0
        return insights.Summary(
            0, 0, 7, None, timedelta(0), this, average, 0, previous_weeks=earlier
        )

    assert make(2, (2, 2)).direction == "same"
    assert make(1, (2, 3)).direction == "down"
    assert make(3, (2, 3)).direction == "up"
    assert make(3, ()).direction == "none"  # nothing earlier to compare with


def test_median_of_a_histogram():
    assert median({}) is None
    assert median({3: 1}) == 3
    assert median({1: 1, 5: 1}) == 3
    assert median({1: 2, 2: 1, 5: 4}) == 5
    assert median({1: 3, 4: 3}) == 2.5


# --- Worth mentioning to your doctor ---------------------------------------------------------


def fact_texts(user, period):
    return [f.text for f in insights.worth_mentioning(user, period)]


def test_fact_twitching_over_more_than_two_weeks(user, client):
    period = Period(date(2025, 9, 1), date(2025, 11, 2), LONDON)
    for day in (2, 9, 16):
        log(user, f"2025-10-{day:02d} 10:00", LONDON)
    [fact] = insights.worth_mentioning(user, period)
    assert fact.text == "You logged twitching on 3 days over 2 weeks (since 2 Oct)"
    assert fact.document == "Twitching logged on 3 days over 2 weeks (since 2 Oct)"
    assert fact.count == 3
    assert fact.url == "/episodes/?from=2025-10-02&to=2025-10-16"
    client.force_login(user)
    assert "3 episodes" in client.get(fact.url).text


def test_no_persistence_fact_within_two_weeks(user):
    for day in (2, 9, 15):
        log(user, f"2025-10-{day:02d} 10:00", LONDON)
    assert fact_texts(user, Period(date(2025, 9, 1), date(2025, 11, 2), LONDON)) == []


def test_persistence_fact_gives_the_year_when_it_differs():
    user = UserFactory(timezone="Europe/London")
    log(user, "2024-12-20 10:00", LONDON)
    log(user, "2025-01-10 10:00", LONDON)
    texts = fact_texts(user, Period(date(2024, 12, 1), date(2025, 1, 31), LONDON))
    assert texts == ["You logged twitching on 2 days over 3 weeks (since 20 Dec 2024)"]


def test_fact_more_than_one_region_on_the_same_day(user):
    log(user, "2025-10-02 09:00", LONDON, sites=["calf-left"])
    log(user, "2025-10-02 18:00", LONDON, sites=["hand-right"])
    log(user, "2025-10-05 09:00", LONDON, sites=["thigh-right", "forearm-left"])
    log(user, "2025-10-07 09:00", LONDON, sites=["calf-left"])
    facts = insights.worth_mentioning(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON))
    assert [f.text for f in facts] == [
        "On 2 days you logged twitching in both the neck or arms and the legs or feet",
        "You logged twitching at 4 different body sites",
    ]
    # The same numbers for a clinician, without "you".
    assert [f.document for f in facts] == [
        "On 2 days twitching was logged in both the neck or arms and the legs or feet",
        "Twitching logged at 4 different body sites",
    ]
    assert facts[0].count == 2
    assert facts[0].url == "/episodes/?from=2025-10-02&to=2025-10-05"


def test_no_region_fact_when_regions_are_on_different_days(user):
    log(user, "2025-10-02 09:00", LONDON, sites=["calf-left"])
    log(user, "2025-10-03 09:00", LONDON, sites=["hand-right"])
    texts = fact_texts(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON))
    assert texts == ["You logged twitching at 2 different body sites"]


def test_no_site_fact_for_a_single_site(user):
    log(user, "2025-10-02 09:00", LONDON, sites=["calf-left"])
    log(user, "2025-10-03 09:00", LONDON, sites=["calf-left"])
    assert fact_texts(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON)) == []


def test_region_facts_say_what_was_logged_together(user):
    """An eyelid and a calf on the same day: the places, never a count of regions."""
    log(user, "2025-10-02 09:00", LONDON, sites=["calf-left", "hand-left"])
    log(user, "2025-10-03 09:00", LONDON, sites=["calf-left", "hand-left", "tongue"])
    log(user, "2025-10-04 09:00", LONDON, sites=["eyelid-left", "calf-right"])
    log(user, "2025-10-06 09:00", LONDON, sites=["eyelid-left", "calf-right"])
    texts = fact_texts(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON))
    assert texts[:3] == [
        "On 2 days you logged twitching in both the head or face and the legs or feet",
        "On 1 day you logged twitching in the head or face, the neck or arms and the legs or feet",
        "On 1 day you logged twitching in both the neck or arms and the legs or feet",
    ]
    assert not any(re.search(r"\d body regions?", text) for text in texts)


def test_rarer_region_combinations_share_one_fact(user):
    together = [
        ["tongue", "calf-left"],
        ["tongue", "hand-left"],
        ["tongue", "chest-left"],
        ["hand-left", "calf-left"],
        ["chest-left", "calf-left"],
    ]
    for day, sites in enumerate(together, start=2):
        log(user, f"2025-10-{day:02d} 09:00", LONDON, sites=sites)
    facts = insights.worth_mentioning(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON))
    region_facts = [f for f in facts if f.text.startswith("On ")]
    assert len(region_facts) == 4  # three combinations, then the rest together
    assert region_facts[-1].text == (
        "On 2 more days you logged twitching in other body regions on the same day"
    )
    assert region_facts[-1].document == (
        "On 2 more days twitching was logged in other body regions on the same day"
    )
    assert region_facts[-1].url == "/episodes/?from=2025-10-05&to=2025-10-06"


def test_symptom_facts(user):
    log(user, "2025-10-02 09:00", LONDON, weakness=True, cramps=True)
    log(user, "2025-10-04 09:00", LONDON, weakness=True, numbness=True)
    log(user, "2025-10-06 09:00", LONDON, stiffness=True, fatigue=True)
    facts = insights.worth_mentioning(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON))
    assert [(f.text, f.count) for f in facts] == [
        ("Weakness noted with 2 episodes", 2),
        ("Cramps noted with 1 episode", 1),
        ("Stiffness noted with 1 episode", 1),
        ("Fatigue noted with 1 episode", 1),
    ]
    assert facts[0].url == "/episodes/?from=2025-10-02&to=2025-10-04&symptom=weakness"


def test_symptom_fact_links_to_exactly_those_episodes(user, client):
    log(user, "2025-10-02 09:00", LONDON, weakness=True)
    log(user, "2025-10-03 09:00", LONDON, cramps=True)
    log(user, "2025-10-04 09:00", LONDON, weakness=True)
    (fact,) = [
        f
        for f in insights.worth_mentioning(
            user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON)
        )
        if f.text.startswith("Weakness")
    ]
    client.force_login(user)
    html = client.get(fact.url).text
    assert html.count('class="episode"') == 2


# --- Cost --------------------------------------------------------------------------------------


def _queries(func, *args) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func(*args)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("weeks", [4, 52])
def test_overview_runs_three_queries_whatever_the_range(user, weeks):
    for day in range(1, 29):
        log(
            user,
            f"2025-05-{day:02d} 09:00",
            LONDON,
            sites=["calf-left", "tongue"],
            triggers=["stress"],
        )
    period = Period.last_weeks(weeks, date(2025, 6, 4), LONDON)
    # Days from the summary table, the catalogue with the first day, the trigger names.
    assert _queries(insights.overview, user, period) == 3


def test_single_functions_run_only_what_they_need(user):
    period = Period.last_weeks(4, date(2025, 6, 4), LONDON)
    assert _queries(insights.summary, user, period) == 2
    assert _queries(insights.weekly, user, period) == 3
    assert _queries(insights.sites, user, period) == 2
    assert _queries(insights.symptom_counts, user, period) == 1
    assert _queries(insights.trigger_counts, user, period) == 2
    assert _queries(insights.heatmap, user, period) == 1
    assert _queries(insights.worth_mentioning, user, period) == 2


def test_overview_matches_the_single_functions(user):
    log(
        user,
        "2025-05-20 09:00",
        LONDON,
        sites=["calf-left", "hand-left"],
        weakness=True,
        triggers=["stress"],
        intensity=3,
    )
    log(user, "2025-06-02 22:00", LONDON, sites=["tongue"])
    period = Period.last_weeks(8, date(2025, 6, 4), LONDON)
    everything = insights.overview(user, period)
    assert everything.summary == insights.summary(user, period)
    assert everything.weeks == insights.weekly(user, period)
    assert everything.sites == insights.sites(user, period)
    assert everything.symptoms == insights.symptom_counts(user, period)
    assert everything.triggers == insights.trigger_counts(user, period)
    assert everything.heatmap == insights.heatmap(user, period)
    assert everything.facts == insights.worth_mentioning(user, period)


# --- Twitch details ---------------------------------------------------------------------------


def test_twitch_details_count_only_answered_episodes(user, other_user):
    period = Period(date(2025, 10, 1), date(2025, 10, 12), LONDON)
    for visible in (True, True, False, None, None):
        log(user, "2025-10-02 09:00", LONDON, visible=visible, pattern="single")
    log(user, "2025-10-03 09:00", LONDON, stopped_with_movement="yes", context="rest")
    log(user, "2025-10-03 10:00", LONDON, stopped_with_movement="no", context="waking")
    log(user, "2025-10-03 11:00", LONDON, stopped_with_movement="not_tried", pattern="few")
    log(other_user, "2025-10-03 11:00", LONDON, visible=True, stopped_with_movement="yes")
    details = insights.twitch_details(user, period)
    assert details.episodes == 8
    assert details.visible == {"yes": 2, "no": 1}
    assert details.movement == {"yes": 1, "no": 1, "not_tried": 1}
    assert details.patterns == {"single": 5, "few": 1}
    assert details.contexts == {"rest": 1, "waking": 1}
    assert insights.overview(user, period).details == details
    assert details_line(details) == (
        "Seen under the skin in 2 of 3 episodes where this was noted; stopped when moved in 1 "
        "of 2 where moving was tried; most often a single twitch (5 of 6) and at rest or on "
        "waking (1 each of 2)."
    )
    seen, moved, pattern, doing = details_table(details)
    assert (seen.answered, seen.not_answered) == (3, 5)
    assert seen.rows == [("Yes", 2, "67%"), ("No", 1, "33%")]
    assert moved.rows[2] == ("Didn't try", 1, "33%")
    assert pattern.rows[0] == ("A single twitch", 5, "83%")
    assert (doing.answered, doing.not_answered) == (2, 6)


def test_twitch_details_line_is_empty_when_nothing_was_noted(user):
    log(user, "2025-10-02 09:00", LONDON)
    details = insights.twitch_details(user, Period(date(2025, 10, 1), date(2025, 10, 12), LONDON))
    assert details_line(details) == ""
    assert [group.rows for group in details_table(details)] == [[], [], [], []]


def test_twitch_details_cost_no_query_of_their_own(user, django_assert_num_queries):
    log(user, "2025-10-02 09:00", LONDON, visible=True)
    period = Period(date(2025, 10, 1), date(2025, 10, 12), LONDON)
    with django_assert_num_queries(1):  # the per-day summary, nothing per episode
        insights.twitch_details(user, period)
