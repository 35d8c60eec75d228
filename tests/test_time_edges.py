"""
Honest at the edges of time: "this week so far" on a Monday at 10:29 is compared with earlier
Mondays up to 10:00 (not with whole Mondays), the unfinished week is marked "so far" in every
table, chart payload and the PDF, a diary younger than 12 weeks opens on the days since its
first entry and its PDF header says so, and a diary under a week old gets one plain panel
instead of empty charts.

Every instant is explicit (Monday 7 Dec 2026 in London) except where a page must be asked for
"now": those tests place the diary relative to the real clock and assert what holds on any day.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pypdf
import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from diary import insights
from diary import report as pdf
from diary.insights import Period
from diary.insights.charts import compared_days, trends_context
from diary.insights.results import Week
from diary.lib.clock import iso_week_start
from diary.report.appendix import week_row
from diary.report.chart import weekly_chart
from diary.views.trends import results_cache_key
from tests.factories import EpisodeFactory

LONDON = ZoneInfo("Europe/London")
MONDAY = date(2026, 12, 7)
# Five whole weeks, the last of them this one (it ends today, Monday 7 Dec).
PERIOD = Period(date(2026, 11, 2), MONDAY, LONDON)

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def text_of(html: str) -> str:
    import re

    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def mondays(user):
    """
    Each of the 4 Mondays before 7 Dec: 09:30, 15:00, 16:00, 17:00 (and a Tuesday); this
    Monday: 09:00 and 10:20.
    """
    for back in range(1, 5):
        day = MONDAY - timedelta(weeks=back)
        for time in ("09:30", "15:00", "16:00", "17:00"):
            EpisodeFactory(user=user, started_at=at(f"{day} {time}"))
        EpisodeFactory(user=user, started_at=at(f"{day + timedelta(days=1)} 12:00"))
    for time in ("09:00", "10:20"):
        EpisodeFactory(user=user, started_at=at(f"{MONDAY} {time}"))
    return user


def summary_at(user, now: str | None, period: Period = PERIOD) -> insights.Summary:
    return insights.summary(user, period, at(now) if now else None)


# --- This week so far, at a few hours -----------------------------------------------------------


def test_monday_at_10_29_is_compared_with_earlier_mondays_up_to_10(mondays):
    summary = summary_at(mondays, f"{MONDAY} 10:29")
    assert summary.this_week == 2  # everything logged so far is shown
    assert (summary.compared_days, summary.compared_hour) == (1, 10)
    assert summary.compared_this_week == 1  # 09:00; 10:20 is after 10:00
    assert summary.previous_weeks == (1, 1, 1, 1)  # 09:30 of each Monday, not all four
    assert summary.direction == "same"  # not "fewer" than whole Mondays (2 against 4)
    assert summary.partly_compared
    assert compared_days(summary) == "Mon up to 10:00"


def test_monday_afternoon_counts_the_morning_on_both_sides(mondays):
    summary = summary_at(mondays, f"{MONDAY} 16:30")
    assert summary.compared_hour == 16
    assert summary.previous_weeks == (2, 2, 2, 2)  # 09:30 and 15:00
    assert summary.compared_this_week == summary.this_week == 2
    assert summary.direction == "same"
    assert not summary.partly_compared


def test_monday_late_evening(mondays):
    summary = summary_at(mondays, f"{MONDAY} 23:59")
    assert summary.previous_weeks == (4, 4, 4, 4)
    assert summary.direction == "down"


def test_the_first_hour_of_a_monday_has_nothing_to_compare_yet(mondays):
    summary = summary_at(mondays, f"{MONDAY} 00:29")
    assert summary.compared_days == 0
    assert summary.previous_weeks == ()
    assert summary.direction == "none"
    assert compared_days(summary) == ""


def test_the_first_hour_of_a_tuesday_compares_until_yesterday(mondays):
    tuesday = MONDAY + timedelta(days=1)
    period = Period(PERIOD.first, tuesday, LONDON)
    summary = summary_at(mondays, f"{tuesday} 00:30", period)
    assert (summary.compared_days, summary.compared_hour) == (1, None)
    assert summary.week_days == 2
    assert summary.previous_weeks == (4, 4, 4, 4)  # whole Mondays; Tuesdays left out
    assert summary.compared_this_week == 2
    assert summary.direction == "down"
    assert compared_days(summary) == "Mon"


def test_a_range_that_ended_on_a_monday_compares_whole_mondays(mondays):
    """No `now`, or a `now` on another day: the week is over, whole days are compared."""
    for now in (None, f"{MONDAY + timedelta(days=3)} 10:29"):
        summary = summary_at(mondays, now)
        assert summary.compared_hour is None
        assert summary.previous_weeks == (4, 4, 4, 4)
        assert summary.compared_this_week == summary.this_week == 2


def card(user, now: str, period: Period = PERIOD) -> str:
    instant = at(now)
    context = trends_context(user, period, instant.date(), instant)
    return text_of(render_to_string("diary/includes/trends_summary.html", context))


def test_the_card_says_what_it_compares(mondays):
    text = card(mondays, f"{MONDAY} 10:29")
    assert "This week so far 2 episodes (Mon)" in text
    assert (
        "The same as Mon up to 10:00 of the previous 4 weeks: 1, 1, 1, 1 (average 1); "
        "this week up to 10:00: 1." in text
    )
    assert "today so far" in text  # the days-with-twitching card counts an unfinished today
    assert "Too early" in card(mondays, f"{MONDAY} 00:29")
    tuesday = MONDAY + timedelta(days=1)
    text = card(mondays, f"{tuesday} 00:30", Period(PERIOD.first, tuesday, LONDON))
    assert "Fewer than Mon of the previous 4 weeks: 4, 4, 4, 4 (average 4)" in text
    assert "Today counts in the comparison from 01:00." in text


def test_the_cache_key_changes_with_the_hour_only_while_the_week_is_unfinished(mondays):
    morning, later = at(f"{MONDAY} 10:29"), at(f"{MONDAY} 11:05")
    assert results_cache_key(mondays, PERIOD, morning, "5") != results_cache_key(
        mondays, PERIOD, later, "5"
    )
    past = Period(date(2026, 10, 5), date(2026, 11, 1), LONDON)
    assert results_cache_key(mondays, past, morning, None) == results_cache_key(
        mondays, past, later, None
    )


# --- The unfinished week, marked ----------------------------------------------------------------


def week(start: date, cut_short_on: date | None = None) -> Week:
    return Week(start, 3, 2, 1.0, {}, 1, 1, {}, {}, None, cut_short_on=cut_short_on)


@pytest.mark.parametrize(
    ("start", "cut", "today", "mark"),
    [
        (MONDAY, MONDAY, MONDAY, "so far"),  # this week, today Monday
        (MONDAY - timedelta(weeks=1), None, MONDAY, ""),  # last week: over
        (MONDAY - timedelta(weeks=1), None, MONDAY - timedelta(days=1), "so far"),  # on Sunday
        (MONDAY, MONDAY + timedelta(days=2), MONDAY + timedelta(days=9), "Mon–Wed"),  # past range
        (MONDAY, MONDAY, MONDAY + timedelta(days=1), "Mon"),  # a range that ended yesterday
        (MONDAY, None, MONDAY + timedelta(days=3), "so far"),  # a range running on past today
    ],
)
def test_week_mark(start, cut, today, mark):
    assert week(start, cut).mark(today) == mark


def test_weekly_marks_only_the_week_the_period_cuts_short(mondays):
    weeks = insights.weekly(mondays, PERIOD)
    assert [w.cut_short_on for w in weeks] == [None] * 5 + [MONDAY]
    assert [w.mark(MONDAY) for w in weeks] == [""] * 5 + ["so far"]


def test_trends_tables_and_chart_data_mark_this_week(mondays):
    context = trends_context(mondays, PERIOD, MONDAY, at(f"{MONDAY} 10:29"))
    labels = [label for label, _cells in context["rows"]["days"]]
    assert labels[-1] == "7 Dec (so far)"
    assert labels[:-1] == ["2 Nov", "9 Nov", "16 Nov", "23 Nov", "30 Nov"]
    marks = [w["mark"] for w in context["chart_data"]["weeks"]]
    assert marks == [""] * 5 + ["so far"]


def test_the_pdf_marks_this_week_in_its_chart_and_table(mondays):
    report = pdf.collect(mondays, PERIOD, today=MONDAY)
    chart = weekly_chart(report.weekly, MONDAY)
    assert [bar["mark"] for bar in chart["bars"]] == [""] * 5 + ["so far"]
    assert "week of 7 Dec (so far): 2" in chart["alt"]
    assert week_row(report.weekly[-1], report.week_mark(report.weekly[-1]))[0] == (
        "7 Dec 2026 (so far)"
    )
    pages = [
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(pdf.build_pdf(mondays, PERIOD, today=MONDAY))).pages
    ]
    assert "so far" in pages[0]  # above the hatched bar
    assert "7 Dec 2026 (so far)" in "".join(pages[1:])  # the week-by-week table
    # A report made a week later: the same period's last week is cut short, not "so far".
    later = pdf.collect(mondays, PERIOD, today=MONDAY + timedelta(days=7))
    assert later.week_mark(later.weekly[-1]) == "Mon"


# --- A diary younger than the period ------------------------------------------------------------


@pytest.fixture
def three_days(user):
    """Started on Saturday 5 Dec 2026; seen on Monday 7 Dec over 12 weeks (from 21 Sep)."""
    for day in ("2026-12-05 09:00", "2026-12-06 20:00", "2026-12-07 08:00"):
        EpisodeFactory(user=user, started_at=at(day))
    return user


def test_the_pdf_header_counts_from_the_first_entry(three_days):
    period = Period.last_weeks(12, MONDAY, LONDON)
    assert (period.first, period.days) == (date(2026, 9, 21), 78)
    report = pdf.collect(three_days, period, today=MONDAY)
    assert report.period_line == (
        "21 Sept 2026 – 7 Dec 2026, logging since 5 Dec (3 days, 7 Dec so far)"
    )
    reader = pypdf.PdfReader(io.BytesIO(pdf.build_pdf(three_days, period, today=MONDAY)))
    page1 = " ".join(reader.pages[0].extract_text().split())
    assert "logging since 5 Dec (3 days, 7 Dec so far)" in page1
    assert "78 days" not in page1
    # A period the diary covers whole, made after it ended: its length, nothing "so far".
    old = pdf.collect(three_days, Period(date(2026, 12, 5), MONDAY, LONDON), today=date(2027, 1, 4))
    assert old.period_line == "5 Dec 2026 – 7 Dec 2026 (3 days)"


def test_the_default_period_starts_at_the_first_entry_of_a_young_diary():
    assert insights.default_period(MONDAY, LONDON, 12, date(2026, 12, 5)) == Period(
        date(2026, 12, 5), MONDAY, LONDON
    )
    twelve_weeks = Period.last_weeks(12, MONDAY, LONDON)
    for first in (None, date(2026, 1, 1), twelve_weeks.first, MONDAY + timedelta(days=1)):
        assert insights.default_period(MONDAY, LONDON, 12, first) == twelve_weeks
    # Asked for a range, the range is what it gets.
    asked = insights.parse_period(
        {"weeks": "12"}, today=MONDAY, zone=LONDON, first_logged=date(2026, 12, 5)
    )
    assert asked == twelve_weeks


def young_diary(user, days: int) -> date:
    """Episodes on each of the last `days` days (00:30 the user's time); the first day."""
    zone = user.profile.zone
    today = timezone.now().astimezone(zone).date()
    first = today - timedelta(days=days - 1)
    for back in range(days):
        day = today - timedelta(days=back)
        EpisodeFactory(
            user=user, started_at=datetime.fromisoformat(f"{day} 00:30").replace(tzinfo=zone)
        )
    return first


@pytest.mark.calendar
def test_trends_opens_a_young_diary_on_the_days_since_its_first_entry(owner_client, user):
    first = young_diary(user, 10)
    page = owner_client.get("/trends/").text
    assert f'value="{first.isoformat()}"' in page
    assert "10 days, since your first entry" in text_of(page)
    assert 'aria-current="page"' not in page.split('class="range-presets"')[1].split("</nav>")[0]
    # The 12-week preset is still there, and gives 12 weeks (to today: first + 9 days).
    twelve = owner_client.get("/trends/", {"weeks": 12}).text
    today = first + timedelta(days=9)
    assert f'value="{iso_week_start(today) - timedelta(weeks=11)}"' in twelve
    assert "since your first entry" not in twelve


@pytest.mark.calendar
def test_the_report_opens_a_young_diary_since_its_first_entry(owner_client, user):
    first = young_diary(user, 10)
    response = owner_client.get("/report/")
    period = response.context["period"]
    assert (period.first, period.last) == (first, first + timedelta(days=9))
    assert response.context["range_form"]["range"].value() == "since"
    assert f'value="{first.isoformat()}"' in response.text
    pdf_response = owner_client.get("/report.pdf")
    assert f"twitchlog-summary-{first:%Y-%m-%d}_" in pdf_response["Content-Disposition"]
    # An explicit range is left alone.
    assert owner_client.get("/report/", {"weeks": 4}).context["period"].days > 10


# --- A diary under a week old: one plain panel ---------------------------------------------------


@pytest.mark.calendar
def test_a_new_diary_gets_one_plain_panel(owner_client, user):
    young_diary(user, 3)
    page = owner_client.get("/trends/").text
    assert "Your charts start after a week of logging" in page
    assert "After a week of logging you will see:" in page
    assert "<canvas" not in page
    assert "trends-data" not in page
    assert "Not enough days to compare yet" not in page
    assert "It does not diagnose" in page  # the doctor panel and its disclaimer stay
    assert "This week so far" in page


@pytest.mark.calendar
def test_a_week_of_logging_shows_the_charts(owner_client, user):
    young_diary(user, 7)
    page = owner_client.get("/trends/").text
    assert "Your charts start" not in page
    assert 'data-chart="regions"' in page
    assert "trends-data" in page
