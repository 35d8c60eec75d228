"""
"This week so far" against earlier weeks, compared like with like.

On a Wednesday the week has three days in it; it is compared with Monday..Wednesday of each of
the previous 4 weeks, never with whole weeks. Weeks that began before the first logged day are
left out (they were not logged, not quiet), so a diary started last week compares with one
week, and one started this week with none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from diary.insights.queries import COMPARED_WEEKS, Data


@dataclass(frozen=True)
class WeekSoFar:
    monday: date
    last: date  # the last day counted: the period's last day
    episodes: int
    earlier: tuple[int, ...]  # the same weekdays of earlier weeks, newest first

    @property
    def days(self) -> int:
        return (self.last - self.monday).days + 1

    @property
    def average(self) -> float:
        return sum(self.earlier) / len(self.earlier) if self.earlier else 0.0


def week_so_far(data: Data) -> WeekSoFar:
    monday, last = data.this_monday, data.period.last
    span = last - monday
    first_logged = data.first_logged
    by_day = {d.day: d.episodes for d in data.days}

    def episodes_from(start: date) -> int:
        return sum(by_day.get(start + timedelta(days=i), 0) for i in range(span.days + 1))

    earlier = []
    for weeks_back in range(1, COMPARED_WEEKS + 1):
        start = monday - timedelta(weeks=weeks_back)
        if first_logged is None or start < first_logged:
            break  # this week and every older one began before logging did
        earlier.append(episodes_from(start))
    return WeekSoFar(monday, last, episodes_from(monday), tuple(earlier))
