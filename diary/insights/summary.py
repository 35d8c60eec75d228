"""The summary cards: days with twitching since logging began, episodes, sites, this week."""

from __future__ import annotations

from datetime import date, timedelta

from diary.insights.queries import Data
from diary.insights.results import Summary
from diary.insights.week_so_far import week_so_far


def longest_gap(days: set[date], first: date, last: date) -> int:
    """The longest run of consecutive dates in first..last that are not in `days`."""
    longest = 0
    previous = first - timedelta(days=1)
    for day in [*sorted(d for d in days if first <= d <= last), last + timedelta(days=1)]:
        longest = max(longest, (day - previous).days - 1)
        previous = day
    return longest


def summary(data: Data) -> Summary:
    period, weeks = data.period, data.weeks
    days = {day for week in weeks for day in week.dates}
    since = data.logging_since
    run = 0
    if since is not None:
        run = longest_gap(days, since, period.last)
    comparison = week_so_far(data)
    site_codes = {code for week in weeks for code in week.sites}
    return Summary(
        episodes=sum(week.episodes for week in weeks),
        days_with_twitching=len(days),
        days_in_period=(period.last - since).days + 1 if since else 0,
        first_logged=data.first_logged,
        total_duration=timedelta(seconds=sum(week.seconds for week in weeks)),
        this_week=comparison.episodes,
        previous_4_week_average=comparison.average,
        longest_twitch_free_run=run,
        logging_since=since,
        sites=len(site_codes),
        previous_weeks=comparison.earlier,
        compared_days=comparison.compared_days,
        started_in_period=since is not None and since > period.first,
        compared_hour=comparison.hour,
        compared_this_week=comparison.compared,
        week_days=comparison.days,
    )
