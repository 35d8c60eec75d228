"""
"This week so far" against earlier weeks, compared like with like.

On a Wednesday the week has three days in it; it is compared with Monday..Wednesday of each of
the previous 4 weeks, never with whole weeks. While the week is still going on (the period
ends today and `now` is known) the comparison stops at the start of the current hour on both
sides: at 10:29 on a Monday, this Monday and each earlier Monday count up to 10:00, so part of
a morning is never held against whole days. In the first hour of a day the comparison covers
the days before it ("until yesterday"); in the first hour of a Monday there is nothing to
compare yet. Weeks that began before the first logged day are left out (they were not logged,
not quiet), so a diary started last week compares with one week, and one started this week
with none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from diary.insights.queries import COMPARED_WEEKS, Data, Day


@dataclass(frozen=True)
class WeekSoFar:
    monday: date
    last: date  # the last day counted: the period's last day
    episodes: int  # every episode of this week up to `last`, whatever the hour
    earlier: tuple[int, ...]  # the same weekdays (and hours) of earlier weeks, newest first
    # The comparison's span: Monday .. `through`, and on `through` only the hours before
    # `hour` (None: the whole day). `through` is before Monday when there is nothing to compare.
    through: date | None = None
    hour: int | None = None
    compared: int | None = None  # this week's episodes within that span

    @property
    def days(self) -> int:
        return (self.last - self.monday).days + 1

    @property
    def compared_days(self) -> int:
        """Weekdays the comparison covers (0: too early in the week to compare)."""
        through = self.last if self.through is None else self.through
        return max(0, (through - self.monday).days + 1)

    @property
    def average(self) -> float:
        return sum(self.earlier) / len(self.earlier) if self.earlier else 0.0


def span(data: Data) -> tuple[date, int | None]:
    """The last day compared and the hour it stops at (None: the whole day)."""
    last, now = data.period.last, data.now
    if now is None:
        return last, None  # a week that is over, or cut short by the range: whole days
    if now.hour == 0:
        return last - timedelta(days=1), None  # until yesterday
    return last, now.hour


def week_so_far(data: Data) -> WeekSoFar:
    monday, last = data.this_monday, data.period.last
    through, hour = span(data)
    whole_days = (through - monday).days + (0 if hour is not None else 1)
    first_logged = data.first_logged
    by_day = {d.day: d for d in data.recent_days}

    def episodes(day: date, before_hour: int | None = None) -> int:
        found: Day | None = by_day.get(day)
        if found is None:
            return 0
        if before_hour is None:
            return found.episodes
        return sum(n for h, n in found.hours.items() if int(h) < before_hour)

    def compared_from(start: date) -> int:
        total = sum(episodes(start + timedelta(days=i)) for i in range(max(0, whole_days)))
        if hour is not None:
            total += episodes(start + timedelta(days=whole_days), hour)
        return total

    this_week = sum(episodes(monday + timedelta(days=i)) for i in range((last - monday).days + 1))
    earlier = []
    if through >= monday:
        for weeks_back in range(1, COMPARED_WEEKS + 1):
            start = monday - timedelta(weeks=weeks_back)
            if first_logged is None or start < first_logged:
                break  # this week and every older one began before logging did
            earlier.append(compared_from(start))
    return WeekSoFar(
        monday=monday,
        last=last,
        episodes=this_week,
        earlier=tuple(earlier),
        through=through,
        hour=hour,
        compared=compared_from(monday),
    )
