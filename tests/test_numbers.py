"""
Honest numbers on hand-made diaries: a diary started 10 days ago seen over 12 weeks, a trip
from London to New York, "this week so far" on a Wednesday, the per-day summary kept right by
every write (and equal to a rebuild from scratch), the cache showing a write on the next
request, and the same numbers on the trends page and in the PDF.
"""

from __future__ import annotations

import io
import json
import random
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary import insights
from diary import report as pdf
from diary.insights import Period
from diary.models import DaySummary, Episode, data_changed
from diary.models.summary import rebuild_days
from tests.factories import EpisodeFactory, UserFactory
from tests.helpers import HTMX, episode_data

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")

pytestmark = pytest.mark.django_db


def at(text: str, zone: ZoneInfo) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def payload(response) -> dict:
    match = re.search(
        r'<script id="trends-data" type="application/json">(.*?)</script>', response.text, re.S
    )
    assert match, "no #trends-data on the page"
    return json.loads(match.group(1))


def text_of(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def snapshot(user) -> list[tuple]:
    return list(
        DaySummary.objects.filter(user=user)
        .order_by("date")
        .values_list("date", "episodes", "seconds", "counts")
    )


# --- A diary started 10 days ago, seen over 12 weeks ------------------------------------------


@pytest.fixture
def new_diary(user):
    """Episodes on 3 of the last 10 days (the first 9 days ago), at 00:01 the user's time."""
    zone = user.profile.zone
    today = timezone.now().astimezone(zone).date()
    first = today - timedelta(days=9)
    for back, sites in [(9, ["calf-left"]), (9, ["calf-right"]), (4, ["hand-left"]), (0, [])]:
        day = today - timedelta(days=back)
        EpisodeFactory(
            user=user,
            started_at=datetime(day.year, day.month, day.day, 0, 1, tzinfo=zone),
            sites=sites or ["calf-left"],
        )
    return user, today, first


def weeks_not_logging(today: date, first: date, weeks: int = 12) -> int:
    """Of the last `weeks` ISO weeks to `today`'s, those before the week of `first`."""
    this_monday = today - timedelta(days=today.weekday())
    first_monday = first - timedelta(days=first.weekday())
    return weeks - ((this_monday - first_monday).days // 7 + 1)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 12, 7), 9),  # Monday: 9 days back is the Saturday of 2 weeks before
        (date(2026, 12, 8), 9),  # Tuesday: the Sunday of 2 weeks before
        (date(2026, 12, 9), 10),  # Wednesday to Sunday: the week before
        (date(2026, 12, 13), 10),
    ],
)
def test_weeks_not_logging_counts_whole_weeks_before_the_first(today, expected):
    assert weeks_not_logging(today, today - timedelta(days=9)) == expected


@pytest.mark.calendar
def test_new_diary_counts_days_from_the_first_entry(new_diary):
    user, today, first = new_diary
    period = Period.last_weeks(12, today, user.profile.zone)
    summary = insights.summary(user, period)
    assert summary.first_logged == summary.logging_since == first
    assert (summary.days_with_twitching, summary.days_in_period) == (3, 10)  # not "3 of 84"
    assert summary.started_in_period
    assert summary.sites == 3
    weeks = insights.weekly(user, period)
    first_week = first - timedelta(days=first.weekday())
    assert [w.logging for w in weeks] == [w.start >= first_week for w in weeks]
    # 10 days back reach into the second week before this one (Wed-Sun) or the third (Mon, Tue).
    assert sum(not w.logging for w in weeks) == weeks_not_logging(today, first)
    [started] = [w for w in weeks if w.start == first_week]
    assert started.days_logging == 7 - first.weekday()
    assert all(w.days_logging == 0 for w in weeks if not w.logging)


@pytest.mark.calendar
def test_new_diary_on_the_trends_page(owner_client, new_diary):
    _user, today, first = new_diary
    response = owner_client.get("/trends/", {"weeks": 12})
    page = text_of(response.text)
    assert f"3 of 10 days since you started logging on {first.day} {first:%b}" in page
    assert "4 episodes in this range" in page
    assert "3 sites" in page
    assert "(of 4)" not in page
    data = payload(response)
    flags = [w["logging"] for w in data["weeks"]]
    assert flags == sorted(flags)  # not logging first, then logging
    not_logging = flags.count(False)
    assert not_logging == weeks_not_logging(today, first)
    assert data["days"][:not_logging] == [None] * not_logging
    assert sum(d for d in data["days"] if d) == 3
    # The "Show the numbers" tables say so for every week before the first entry (rendered on
    # the server for ?numbers=1; numbers.js writes the same cells: its browser test).
    period = {"from": response.context["from_value"], "to": response.context["to_value"]}
    tables = owner_client.get("/trends/", {**period, "numbers": "1"}).text
    days_table = tables.split('aria-label="Table: days with twitching')[1]
    days_table = days_table.split("</table>")[0]
    assert days_table.count("<td>not logging yet</td>") == not_logging


@pytest.mark.calendar
def test_new_diary_this_week_has_nothing_earlier_to_compare_with(owner_client, user):
    """A diary started today: no earlier week was logged, so no arrow and no average."""
    zone = user.profile.zone
    EpisodeFactory(user=user, started_at=timezone.now() - timedelta(seconds=30))
    summary = insights.summary(
        user, Period.last_weeks(12, timezone.now().astimezone(zone).date(), zone)
    )
    assert summary.previous_weeks == ()
    assert summary.direction == "none"
    page = text_of(owner_client.get("/trends/").text)
    local = timezone.now().astimezone(zone)
    if (local.weekday(), local.hour) == (0, 0):  # the first hour of a week compares nothing
        assert "Too early in the week to compare" in page
    else:
        assert "No earlier week to compare with yet" in page
    assert "average" not in page.split("Days with twitching")[0]


@pytest.mark.calendar
def test_new_diary_page_numbers_equal_the_pdf(owner_client, new_diary):
    user, today, first = new_diary
    period = Period.last_weeks(12, today, user.profile.zone)
    summary = insights.summary(user, period)
    params = {"from": period.first.isoformat(), "to": period.last.isoformat()}
    page1 = (
        pypdf.PdfReader(io.BytesIO(owner_client.get("/report.pdf", params).content))
        .pages[0]
        .extract_text()
    )
    flat = " ".join(page1.split())
    assert f"{summary.days_with_twitching} of {summary.days_in_period}" in flat
    assert f"days with twitching since logging began on {pdf.fmt_date(first)}" in flat
    assert f"{summary.episodes} episodes logged" in flat
    assert f"{summary.sites} body sites with twitching" in flat
    assert "not logging yet" in flat  # the band over the weekly chart's early weeks
    trends = text_of(owner_client.get("/trends/", params).text)
    assert f"{summary.days_with_twitching} of {summary.days_in_period} days" in trends
    preview = text_of(owner_client.get("/report/", params).text)
    assert f"{summary.days_with_twitching} of {summary.days_in_period} days with" in preview


@pytest.mark.calendar
def test_pdf_weeks_table_marks_weeks_before_the_first_entry(new_diary):
    user, today, _first = new_diary
    period = Period.last_weeks(12, today, user.profile.zone)
    pages = [p.extract_text() for p in pypdf.PdfReader(io.BytesIO(
        pdf.build_pdf(user, period, today=today)
    )).pages]  # fmt: skip
    week_table = pages[1].split("Week by week")[1].split("Episodes with notes")[0]
    weeks = insights.weekly(user, period)
    assert week_table.count("not logging yet") == sum(not w.logging for w in weeks)


# --- London to New York: one clock --------------------------------------------------------------


@pytest.fixture
def traveller():
    """Lives in London; logs a week in New York in the zone there, then comes home."""
    user = UserFactory(timezone="Europe/London")
    EpisodeFactory(user=user, started_at=at("2026-03-06 20:00", LONDON), sites=["calf-left"])
    for when in ["2026-03-07 10:00", "2026-03-08 23:30"]:  # Saturday, Sunday late evening
        EpisodeFactory(
            user=user,
            started_at=at(when, NEW_YORK),
            timezone="America/New_York",
            sites=["hand-right"],
        )
    EpisodeFactory(user=user, started_at=at("2026-03-10 08:00", LONDON), sites=["calf-left"])
    return user


def test_trip_days_and_hours_follow_the_zone_each_was_logged_in(traveller):
    """23:30 on Sunday in New York is 03:30 on Monday in London; it stays on Sunday at 23:00."""
    sunday = Episode.objects.get(user=traveller, started_at=at("2026-03-08 23:30", NEW_YORK))
    assert (sunday.local_date, sunday.local_hour) == (date(2026, 3, 8), 23)
    assert sunday.started_at.astimezone(LONDON).date() == date(2026, 3, 9)
    period = Period(date(2026, 3, 2), date(2026, 3, 15), LONDON)
    first, second = insights.weekly(traveller, period)
    assert (first.start, first.episodes, first.days) == (date(2026, 3, 2), 3, 3)
    assert (second.episodes, second.days) == (1, 1)
    heat = insights.heatmap(traveller, period)
    assert heat[6][23] == 1  # Sunday 23:00, not Monday 03:00
    assert heat[0][3] == 0
    assert heat[5][10] == 1  # Saturday 10:00 New York time
    hand = next(s for s in insights.sites(traveller, period) if s.code == "hand-right")
    assert (hand.first_seen, hand.last_seen) == (date(2026, 3, 7), date(2026, 3, 8))


def test_trip_numbers_do_not_move_when_the_profile_zone_changes(client, traveller):
    period = Period(date(2026, 3, 2), date(2026, 3, 15), LONDON)
    before = insights.overview(traveller, period)
    profile = traveller.profile
    profile.timezone = "America/New_York"
    profile.save()
    after = insights.overview(traveller, Period(period.first, period.last, NEW_YORK))
    assert (after.weeks, after.heatmap, after.sites) == (before.weeks, before.heatmap, before.sites)
    # History groups by the same stored dates as Trends.
    client.force_login(traveller)
    history = client.get("/episodes/", {"from": "2026-03-08", "to": "2026-03-08"}).text
    assert history.count('class="episode"') == 1


# --- This week so far, on a Wednesday ----------------------------------------------------------


@pytest.fixture
def wednesday_diary(user):
    """Mon–Wed of the 4 weeks before Wed 11 Nov 2026: 2, 4, 0, 3 episodes; Thu–Sun: 5 each."""
    mondays = [date(2026, 11, 2), date(2026, 10, 26), date(2026, 10, 19), date(2026, 10, 12)]
    for monday, early in zip(mondays, [2, 4, 0, 3], strict=True):
        for i in range(early):
            day = monday + timedelta(days=i % 3)
            EpisodeFactory(user=user, started_at=at(f"{day} 09:{i:02d}", LONDON))
        for i in range(5):
            day = monday + timedelta(days=3 + i % 4)
            EpisodeFactory(user=user, started_at=at(f"{day} 20:{i:02d}", LONDON))
    EpisodeFactory(user=user, started_at=at("2026-10-05 09:00", LONDON))  # 5 weeks back
    for day in ("2026-11-09", "2026-11-11"):  # this week: Monday and Wednesday
        EpisodeFactory(user=user, started_at=at(f"{day} 12:00", LONDON))
    EpisodeFactory(user=user, started_at=at("2026-11-12 12:00", LONDON))  # Thursday: after
    return user


def test_wednesday_is_compared_with_the_same_weekdays(wednesday_diary):
    period = Period(date(2026, 9, 1), date(2026, 11, 11), LONDON)
    summary = insights.summary(wednesday_diary, period)
    assert summary.this_week == 2
    assert summary.compared_days == 3
    assert summary.previous_weeks == (2, 4, 0, 3)  # newest first; Thu–Sun left out
    assert summary.previous_4_week_average == 2.25  # not (7 + 9 + 5 + 8) / 4 whole weeks
    assert summary.direction == "down"


def test_wednesday_comparison_leaves_out_weeks_before_logging_began(user):
    EpisodeFactory(user=user, started_at=at("2026-10-26 09:00", LONDON))  # a Monday
    EpisodeFactory(user=user, started_at=at("2026-11-03 09:00", LONDON))
    EpisodeFactory(user=user, started_at=at("2026-11-10 09:00", LONDON))
    summary = insights.summary(user, Period(date(2026, 10, 1), date(2026, 11, 11), LONDON))
    assert summary.previous_weeks == (1, 1)  # 2 Nov and 26 Oct; earlier weeks were not logged
    assert summary.direction == "same"


def test_wednesday_comparison_on_the_page(owner_client, wednesday_diary):
    response = owner_client.get("/trends/", {"from": "2026-09-01", "to": "2026-11-11"})
    page = text_of(response.text)
    assert "Week of 9 Nov" in page
    assert "2 episodes (Mon–Wed)" in page
    assert "Fewer than Mon–Wed of the previous 4 weeks: 2, 4, 0, 3 (average 2.3)" in page


# --- The per-day summary: one writer, always right ----------------------------------------------


def test_every_write_path_keeps_the_summary_equal_to_a_rebuild(owner_client, user):
    rng = random.Random(8)
    now = timezone.now()
    for _ in range(12):
        EpisodeFactory(
            user=user,
            started_at=now - timedelta(days=rng.randrange(40), hours=rng.randrange(24)),
            sites=rng.sample(["calf-left", "calf-right", "tongue", "hand-left"], 2),
            triggers=rng.sample(["caffeine", "stress", "lack-of-sleep"], rng.randrange(3)),
            intensity=rng.choice([None, 1, 3, 5]),
            weakness=rng.random() < 0.3,
        )
    for _ in range(6):
        owner_client.post("/", episode_data(sites=["thigh-left"], triggers=[], when="60"))
    episodes = list(Episode.objects.filter(user=user))
    for episode in rng.sample(episodes, 5):  # edits that move episodes to other days
        day = (now - timedelta(days=rng.randrange(1, 60))).astimezone(LONDON)
        data = episode_data(
            sites=["forearm-right"], when="custom", started_at_local=f"{day:%Y-%m-%d}T07:15"
        )
        assert owner_client.post(f"/episodes/{episode.uuid}/", data).status_code == 302
    deleted = rng.sample(episodes, 4)
    for episode in deleted:
        owner_client.post(f"/episodes/{episode.uuid}/delete/", headers=HTMX)
    owner_client.post(f"/episodes/{deleted[0].uuid}/restore/")
    maintained = snapshot(user)
    assert sum(row[1] for row in maintained) == Episode.objects.for_user(user).count() == 15
    rebuild_days(user.pk, None)
    assert snapshot(user) == maintained


def test_summary_counts_each_episode_once_per_region_and_keeps_hours(user):
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-02 21:10", LONDON),
        sites=["calf-left", "calf-right"],
        triggers=["caffeine"],
        duration=timedelta(seconds=90),
        intensity=2,
        cramps=True,
    )
    [row] = DaySummary.objects.filter(user=user)
    assert (row.date, row.episodes, row.seconds) == (date(2026, 3, 2), 1, 90.0)
    assert row.counts["regions"] == {"lumbosacral": 1}
    assert row.counts["sites"] == {"calf-left": 1, "calf-right": 1}
    assert row.counts["hours"] == {"21": 1}
    assert row.counts["symptoms"] == {"cramps": 1}
    assert row.counts["intensities"] == {"2": 1}
    assert len(row.counts["triggers"]) == 1


def test_summary_counts_only_answered_twitch_details(user):
    """Pattern, seen, stopped when moved, doing: an unanswered question counts nowhere."""
    when = at("2026-03-02 09:00", LONDON)
    EpisodeFactory(
        user=user,
        started_at=when,
        pattern="single",
        visible=True,
        stopped_with_movement="yes",
        context="rest",
    )
    EpisodeFactory(user=user, started_at=when, visible=False, stopped_with_movement="not_tried")
    EpisodeFactory(user=user, started_at=when)  # nothing answered
    [row] = DaySummary.objects.filter(user=user)
    assert row.episodes == 3
    assert row.counts["patterns"] == {"single": 1}
    assert row.counts["visible"] == {"yes": 1, "no": 1}
    assert row.counts["movement"] == {"yes": 1, "not_tried": 1}
    assert row.counts["contexts"] == {"rest": 1}
    maintained = snapshot(user)
    rebuild_days(user.pk, None)
    assert snapshot(user) == maintained


def test_data_version_goes_up_with_every_write(owner_client, user):
    versions = [user.profile.data_version]
    owner_client.post("/", episode_data())
    episode = Episode.objects.get(user=user)
    owner_client.post(f"/episodes/{episode.uuid}/delete/")
    owner_client.post(f"/episodes/{episode.uuid}/restore/")
    for _ in range(3):
        user.profile.refresh_from_db()
        versions.append(user.profile.data_version)
    assert versions[-1] == versions[0] + 3


def test_rebuild_summaries_command_restores_lost_rows(user, other_user):
    EpisodeFactory(user=user, started_at=at("2026-03-02 09:00", LONDON))
    EpisodeFactory(user=other_user, started_at=at("2026-03-03 09:00", LONDON))
    expected = snapshot(user), snapshot(other_user)
    DaySummary.objects.all().delete()
    call_command("rebuild_summaries", stdout=io.StringIO())
    assert (snapshot(user), snapshot(other_user)) == expected
    DaySummary.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_summaries", user.username, stdout=out)
    assert snapshot(user) == expected[0]
    assert snapshot(other_user) == []
    assert out.getvalue() == "Rebuilt 1 day summaries.\n"


def test_migration_backfills_local_hours_and_summaries(user):
    """The data migration computes what save() would have, for rows written before it."""
    from importlib import import_module

    backfill = import_module("diary.migrations.0005_day_summary_local_hour").backfill
    EpisodeFactory(
        user=user,
        started_at=at("2026-03-08 23:30", NEW_YORK),
        timezone="America/New_York",
    )
    expected = snapshot(user)
    Episode.objects.update(local_hour=0)
    DaySummary.objects.all().delete()
    backfill(apps, None)
    assert Episode.objects.get().local_hour == 23
    assert snapshot(user) == expected


def test_data_changed_outside_a_transaction_still_writes(user):
    episode = EpisodeFactory(user=user, started_at=at("2026-03-02 09:00", LONDON))
    DaySummary.objects.all().delete()
    data_changed(user, [episode.local_date])
    assert snapshot(user)[0][:2] == (date(2026, 3, 2), 1)


# --- The cache: keyed on the data version -------------------------------------------------------


def count_queries(client, params) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/trends/", params)
    return len(ctx.captured_queries), response.text


def test_trends_cache_serves_repeat_requests_and_shows_a_write_at_once(owner_client, user):
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(hours=1))
    # Logging for longer than a week (out of the range): the charts and comparisons are shown.
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(days=60))
    miss, first = count_queries(owner_client, {"weeks": 4})
    hit, again = count_queries(owner_client, {"weeks": 4})
    # A miss adds the comparisons' one (no check-ins: nothing to count); a hit: session, user,
    # profile.
    assert (miss, hit) == (7, 3)

    def results(html: str) -> str:
        return html.split("<h1>Trends</h1>")[1].split("</main>")[0]

    assert results(again) == results(first)
    assert "1 episode in this range" in text_of(first)
    owner_client.post("/", episode_data())  # the next request sees it, no waiting
    _queries, after = count_queries(owner_client, {"weeks": 4})
    assert "2 episodes in this range" in text_of(after)
    fragment = owner_client.get("/trends/", {"weeks": 4}, headers=HTMX)
    assert fragment.text.lstrip().startswith('<div id="trends-results"')
    assert "2 episodes in this range" in text_of(fragment.text)


def test_trends_cache_is_per_user_and_per_range(client, user, other_user):
    EpisodeFactory(user=user, started_at=datetime.now(UTC) - timedelta(hours=1))
    client.force_login(user)
    assert "1 episode in this range" in text_of(client.get("/trends/").text)
    client.force_login(other_user)
    assert "0 episodes in this range" in text_of(client.get("/trends/").text)
    client.force_login(user)
    past = client.get("/trends/", {"from": "2020-01-01", "to": "2020-01-31"})
    assert "0 episodes in this range" in text_of(past.text)
    assert 'value="2020-01-01"' in past.text


@pytest.mark.parametrize(("days", "label"), [(1, "Mon"), (3, "Mon–Wed"), (6, "Mon–Sat"), (7, "")])
def test_compared_days_names_the_weekdays(days, label):
    from diary.insights.charts import compared_days

    summary = insights.Summary(0, 0, 0, None, timedelta(0), 0, 0.0, 0, compared_days=days)
    assert compared_days(summary) == label
    assert summary.whole_week is (days == 7)


def test_a_whole_past_week_is_compared_with_whole_weeks(owner_client, wednesday_diary):
    """A range ending on a Sunday compares its last week with whole earlier weeks."""
    page = text_of(owner_client.get("/trends/", {"from": "2026-09-01", "to": "2026-11-08"}).text)
    assert "Week of 2 Nov" in page
    assert "More than the previous 4 weeks: 9, 5, 8, 1 (average 5.8)" in page
