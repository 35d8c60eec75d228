"""
Reading the per-day summary: the few queries every insights number is built from.

Rows are picked by stored local dates (DaySummary.date is the episode's own local date, in
the zone it was logged in), so nothing here converts zones. Each query runs at most once per
`Data`, on first use; none depends on the range's length or the amount of data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property

import orjson
from django.db import connection
from django.db.models import Subquery

from diary.insights import weeks
from diary.insights.periods import Period
from diary.insights.sql import DATE, dated_rows
from diary.insights.weeks import WeekSums
from diary.lib.clock import iso_week_start
from diary.models import BodySite, DaySummary, Trigger
from diary.models.triggers import trigger_label

# "This week so far" is compared with this many earlier weeks.
COMPARED_WEEKS = 4
SUNDAY = timedelta(days=6)  # after the Monday
WEEK = timedelta(weeks=1)
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


def _counts_text() -> str:
    """The day's counts as JSON text: stored as text on SQLite, jsonb on PostgreSQL."""
    return "counts::text" if connection.vendor == "postgresql" else "counts"


def _runs(mondays: list[date]) -> list[tuple[date, date]]:
    """Consecutive Mondays (oldest first) as (first, last) runs."""
    runs: list[list[date]] = []
    for monday in mondays:
        if runs and monday - runs[-1][1] == WEEK:
            runs[-1][1] = monday
        else:
            runs.append([monday, monday])
    return [(first, last) for first, last in runs]


def _fingerprints(rows: list[tuple]) -> dict[date, weeks.Fingerprint]:
    """Each week's rows (in date order) as (id, revision) pairs, oldest first, by Monday."""
    found: dict[date, list[tuple[int, int]]] = {}
    sunday = date.min
    for day, pk, revision, *_rest in rows:
        if day > sunday:  # the first row of the next week with any
            monday = iso_week_start(day)
            sunday = monday + SUNDAY
            pairs = found[monday] = []
        pairs.append((pk, revision))
    return {monday: tuple(pairs) for monday, pairs in found.items()}


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
    def _read(self) -> tuple[list[Day], list[WeekSums]]:
        """
        The decoded days from `recent` on (this week so far and the weeks it is compared with)
        and the period's weeks summed: one query, plus one when a kept week has changed.
        Whole weeks before `recent` come from the kept sums (diary/insights/weeks.py) while
        their rows are the ones they were summed from; only the other days' JSON is read.
        """
        period, recent = self.period, self.this_monday - timedelta(weeks=COMPARED_WEEKS)
        whole = [
            monday
            for monday in period.weeks
            if monday >= period.first and monday + SUNDAY <= period.last and monday < recent
        ]
        prefix = (self.user.pk, int(self.user.date_joined.timestamp()))
        found = weeks.kept((*prefix, monday) for monday in whole)
        skipped = [monday for monday in whole if (*prefix, monday) in found]
        rows = self._rows(self.earliest, period.last, skip=skipped)
        fingerprints = _fingerprints(rows)
        stale = {
            monday
            for monday in skipped
            if found[(*prefix, monday)][0] != fingerprints.get(monday, ())
        }
        if stale:  # written to since they were kept (old days edited): read those weeks again
            again = self._rows(min(stale), max(stale) + SUNDAY, skip=[])
            again = [row for row in again if iso_week_start(row[0]) in stale]
            rows = sorted(
                [*(row for row in rows if iso_week_start(row[0]) not in stale), *again],
                key=lambda row: row[0],
            )
            fingerprints |= _fingerprints(again)
        days = self._decode(row for row in rows if row[5] is not None)
        by_week: dict[date, list[Day]] = defaultdict(list)
        for day in days:
            by_week[iso_week_start(day.day)].append(day)
        kept_weeks = set(skipped) - stale
        summed = []
        for monday in period.weeks:
            if monday in kept_weeks:
                summed.append(found[(*prefix, monday)][1])
                continue
            in_period = [d for d in by_week.get(monday, ()) if period.contains(d.day)]
            week = weeks.sum_week(monday, in_period)
            if monday in whole:
                weeks.keep((*prefix, monday), fingerprints.get(monday, ()), week)
            summed.append(week)
        return [d for d in days if d.day >= recent], summed

    def _rows(self, first: date, last: date, *, skip: list[date]) -> list[tuple]:
        """
        (date, id, revision, episodes, seconds, JSON text or None within `skip`'s weeks), in
        plain SQL: the ORM's building of this query cost more than running it.
        """
        counts, params = _counts_text(), []
        if skip:
            runs = _runs(skip)
            kept = " OR ".join([f"{DATE} BETWEEN %s AND %s"] * len(runs))
            counts = f"CASE WHEN {kept} THEN NULL ELSE {counts} END"
            for first_monday, last_monday in runs:
                params += [first_monday, last_monday + SUNDAY]
        sql = (
            f"SELECT {DATE}, id, revision, episodes, seconds, {counts} "
            f"FROM {DaySummary._meta.db_table} WHERE user_id = %s AND {DATE} BETWEEN %s AND %s "
            f"ORDER BY {DATE}"
        )
        return dated_rows(sql, [*params, self.user.pk, first, last])

    @staticmethod
    def _decode(rows: Iterable[tuple]) -> list[Day]:
        rows = list(rows)
        # The JSON as text, decoded in one go: a decode per row was most of the cost.
        decoded = orjson.loads(f"[{','.join(row[5] for row in rows)}]")
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
            for (day, _id, _revision, episodes, seconds, _text), counts in zip(
                rows, decoded, strict=True
            )
        ]

    @property
    def recent_days(self) -> list[Day]:
        """The days with episodes from the Monday COMPARED_WEEKS before this week's, decoded."""
        return self._read[0]

    @property
    def weeks(self) -> list[WeekSums]:
        """The period's ISO weeks, oldest first, each summed over its days inside the period."""
        return self._read[1]

    @cached_property
    def _catalogue_and_first(self) -> tuple[dict[str, Site], date | None]:
        """
        The body-site catalogue and the user's first logged day, in one query: the catalogue
        is fixed by a migration, so after the first read the query asks for the day alone.
        """
        if _catalogue:  # DaySummary's first_date(), without the ORM's building of it
            sql = (
                f"SELECT {DATE} FROM {DaySummary._meta.db_table} WHERE user_id = %s "
                f"ORDER BY {DATE} LIMIT 1"
            )
            first = dated_rows(sql, [self.user.pk])
            return _catalogue, first[0][0] if first else None
        first = DaySummary.objects.for_user(self.user).order_by("date").values("date")[:1]
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
        """The built-in triggers and the person's own (Trigger.objects.for_user), plain SQL."""
        sql = (
            f"SELECT id, slug, name, user_id FROM {Trigger._meta.db_table} "
            "WHERE user_id IS NULL OR user_id = %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.user.pk])
            return cursor.fetchall()

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
