"""
Reading the per-day summary: the few queries every insights number is built from.

Rows are picked by stored local dates (DaySummary.date is the episode's own local date, in
the zone it was logged in), so nothing here converts zones. Each query runs at most once per
`Data`, on first use; none depends on the range's length or the amount of data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Subquery

from diary.insights.periods import Period
from diary.models import BodySite, DaySummary, Trigger
from diary.timeutil import iso_week_start

# "This week so far" is compared with this many earlier weeks.
COMPARED_WEEKS = 4


@dataclass(frozen=True)
class Day:
    """One local date with episodes, as DaySummary holds it (JSON keys made ints again)."""

    day: date
    episodes: int
    seconds: float
    regions: dict[str, int]
    sites: dict[str, int]
    symptoms: dict[str, int]
    triggers: dict[int, int]
    hours: dict[int, int]
    intensities: dict[int, int]


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    area: str
    region: str
    sort_order: int


def _ints(counts: dict[str, int] | None) -> dict[int, int]:
    return {int(key): n for key, n in (counts or {}).items()}


class Data:
    """The queries for one user and period: days (1), catalogue + first day (2), triggers (3)."""

    def __init__(self, user, period: Period) -> None:
        self.user = user
        self.period = period
        self.this_monday = iso_week_start(period.last)
        # The daily rows also cover the weeks "this week so far" is compared with.
        self.earliest = min(period.first, self.this_monday - timedelta(weeks=COMPARED_WEEKS))

    @cached_property
    def days(self) -> list[Day]:
        rows = (
            DaySummary.objects.for_user(self.user)
            .on_dates(self.earliest, self.period.last)
            .order_by("date")
            .values_list("date", "episodes", "seconds", "counts")
        )
        return [
            Day(
                day=day,
                episodes=episodes,
                seconds=seconds,
                regions=counts.get("regions", {}),
                sites=counts.get("sites", {}),
                symptoms=counts.get("symptoms", {}),
                triggers=_ints(counts.get("triggers")),
                hours=_ints(counts.get("hours")),
                intensities=_ints(counts.get("intensities")),
            )
            for day, episodes, seconds, counts in rows
        ]

    @cached_property
    def period_days(self) -> list[Day]:
        return [d for d in self.days if self.period.contains(d.day)]

    @cached_property
    def _catalogue_and_first(self) -> tuple[dict[str, Site], date | None]:
        """The body-site catalogue, with the user's first logged day riding along."""
        first = DaySummary.objects.for_user(self.user).order_by("date").values("date")[:1]
        rows = list(
            BodySite.objects.annotate(first_day=Subquery(first)).values_list(
                "code", "name", "area", "region", "sort_order", "first_day"
            )
        )
        catalogue = {row[0]: Site(*row[:5]) for row in rows}
        return catalogue, rows[0][5] if rows else None

    @property
    def catalogue(self) -> dict[str, Site]:
        return self._catalogue_and_first[0]

    @property
    def first_logged(self) -> date | None:
        """The user's first local date with an episode, ever."""
        return self._catalogue_and_first[1]

    @property
    def logging_since(self) -> date | None:
        """The later of the period's first day and the first logged day (None: not yet)."""
        first = self.first_logged
        if first is None or first > self.period.last:
            return None
        return max(first, self.period.first)

    @cached_property
    def triggers(self) -> dict[int, tuple[str, str]]:
        """Trigger id -> (slug, name) for the built-in and the user's own triggers."""
        rows = Trigger.objects.for_user(self.user).order_by().values_list("id", "slug", "name")
        return {pk: (slug, name) for pk, slug, name in rows}
