"""
Reading the per-day summary: the few queries every insights number is built from.

Rows are picked by stored local dates (DaySummary.date is the episode's own local date, in
the zone it was logged in), so nothing here converts zones. Each query runs at most once per
`Data`, on first use; none depends on the range's length or the amount of data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

from django.db.models import Subquery, TextField
from django.db.models.functions import Cast

from diary.insights.periods import Period
from diary.lib.clock import iso_week_start
from diary.models import BodySite, DaySummary, Trigger
from diary.models.triggers import trigger_label

# "This week so far" is compared with this many earlier weeks.
COMPARED_WEEKS = 4
# The body-site catalogue by code, read once per process (see Data._catalogue_and_first).
_catalogue: dict[str, Site] = {}


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ is several times slower
class Day:
    """
    One local date with episodes, as DaySummary holds it. The maps keep DaySummary's string
    keys (site codes, regions, symptoms, and trigger ids, hours and intensities as text):
    converting them for every row cost more than summing them.
    """

    day: date
    episodes: int
    seconds: float
    regions: dict[str, int]
    sites: dict[str, int]
    symptoms: dict[str, int]
    triggers: dict[str, int]
    hours: dict[str, int]
    intensities: dict[str, int]
    # The twitch details, answered episodes only (diary/models/summary.py DETAILS).
    patterns: dict[str, int]
    visible: dict[str, int]
    movement: dict[str, int]
    contexts: dict[str, int]


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    area: str
    region: str
    sort_order: int


class Data:
    """
    The queries for one user and period: days (1), catalogue + first day (2), triggers (3).
    `now` (aware, in the profile's zone) matters only when the period ends today.
    """

    def __init__(self, user, period: Period, now: datetime | None = None) -> None:
        self.user = user
        self.period = period
        # Now in the profile's zone, when the period ends today: this week is unfinished, and
        # is compared with earlier weeks up to this hour (diary/insights/week_so_far.py).
        self.now = now if now is not None and now.date() == period.last else None
        self.this_monday = iso_week_start(period.last)
        # The daily rows also cover the weeks "this week so far" is compared with.
        self.earliest = min(period.first, self.this_monday - timedelta(weeks=COMPARED_WEEKS))
        # Results shared by the parts of one overview (aggregates: trigger totals and names).
        self.memo: dict[str, object] = {}

    @cached_property
    def days(self) -> list[Day]:
        rows = list(
            DaySummary.objects.for_user(self.user)
            .on_dates(self.earliest, self.period.last)
            .order_by("date")
            # The JSON as text, decoded below in one go: a decode per row was most of the cost.
            .values_list("date", "episodes", "seconds", Cast("counts", TextField()))
        )
        decoded = json.loads(f"[{','.join(row[3] for row in rows)}]")
        empty: dict[str, int] = {}
        return [
            Day(
                day=day,
                episodes=episodes,
                seconds=seconds,
                regions=counts.get("regions", empty),
                sites=counts.get("sites", empty),
                symptoms=counts.get("symptoms", empty),
                triggers=counts.get("triggers", empty),
                hours=counts.get("hours", empty),
                intensities=counts.get("intensities", empty),
                patterns=counts.get("patterns", empty),
                visible=counts.get("visible", empty),
                movement=counts.get("movement", empty),
                contexts=counts.get("contexts", empty),
            )
            for (day, episodes, seconds, _text), counts in zip(rows, decoded, strict=True)
        ]

    @cached_property
    def period_days(self) -> list[Day]:
        return [d for d in self.days if self.period.contains(d.day)]

    @cached_property
    def _catalogue_and_first(self) -> tuple[dict[str, Site], date | None]:
        """
        The body-site catalogue and the user's first logged day, in one query: the catalogue
        is fixed by a migration, so after the first read the query asks for the day alone.
        """
        days = DaySummary.objects.for_user(self.user).order_by("date")
        if _catalogue:
            return _catalogue, days.first_date()
        first = days.values("date")[:1]
        rows = list(
            BodySite.objects.annotate(first_day=Subquery(first)).values_list(
                "code", "name", "area", "region", "sort_order", "first_day"
            )
        )
        catalogue = {row[0]: Site(*row[:5]) for row in rows}
        if catalogue:  # not before the catalogue migration has run
            _catalogue.update(catalogue)  # codes are stable, so filling it twice is harmless
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
    def _trigger_rows(self) -> list[tuple[int, str, str, int | None]]:
        return list(
            Trigger.objects.for_user(self.user)
            .order_by()
            .values_list("id", "slug", "name", "user_id")
        )

    @property
    def triggers(self) -> dict[str, tuple[str, str]]:
        """
        Trigger id (as text, like the summary's keys) -> (slug, name), built-in and own; a
        built-in's name in the active language.
        """
        return {
            str(pk): (slug, trigger_label(name, slug, user is None))
            for pk, slug, name, user in self._trigger_rows
        }

    @property
    def own_triggers(self) -> set[str]:
        """Ids (as text) of the person's own triggers: names they typed."""
        return {str(pk) for pk, _slug, _name, user in self._trigger_rows if user is not None}
