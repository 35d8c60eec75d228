"""
The numbers behind the trends page and the doctor summary: one source of truth.

Every public function takes a user and a `Period` and returns plain data (dataclasses, dicts,
lists). Aggregation happens in SQL, in the period's time zone: rows are picked by aware
instants on `started_at` (never by filtering a Trunc result, Django ticket 34699) and grouped
with Trunc…(tzinfo=zone). Soft-deleted episodes and other users' rows never count.

The work is five grouped queries whose number does not depend on the range or the amount of
data; on SQLite the zone conversion runs as native SQL (see `_InZone`). `overview()` runs each
query at most once and shares it between all the parts; the single-purpose functions
(`summary()`, `weekly()`, …) run only the queries they need.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache, partial
from itertools import pairwise
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.db.models import (
    CharField,
    Count,
    F,
    Func,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, ExtractHour, ExtractIsoWeekDay, TruncDate, TruncWeek
from django.urls import reverse

from diary.models import SYMPTOMS, BodySite, Episode, Intensity, Region
from diary.timeutil import iso_week_start, local_midnight

PRESET_WEEKS = (4, 8, 12, 26, 52)
MAX_YEARS = 5
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999
# NHS guidance: twitching that goes on for more than 2 weeks is worth a doctor's visit.
PERSISTENT_DAYS = 14
# Symptoms the guidance says to mention when they come with twitching (CLINICAL.md).
MENTION_SYMPTOMS = ("weakness", "cramps", "stiffness", "fatigue")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- The period ---------------------------------------------------------------------------


class PeriodError(ValueError):
    """A range the user asked for that we cannot show; the message is shown to them as is."""


@dataclass(frozen=True)
class Period:
    """Local calendar dates first..last (inclusive) in `zone`."""

    first: date
    last: date
    zone: ZoneInfo

    @property
    def start(self) -> datetime:
        """The aware instant at which `first` begins in the zone."""
        return local_midnight(self.first, self.zone)

    @property
    def end(self) -> datetime:
        """The aware instant at which the day after `last` begins (exclusive)."""
        return local_midnight(self.last + timedelta(days=1), self.zone)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def weeks(self) -> list[date]:
        """The Monday of every ISO week the period touches, oldest first."""
        monday, last_monday = iso_week_start(self.first), iso_week_start(self.last)
        return [monday + timedelta(weeks=i) for i in range((last_monday - monday).days // 7 + 1)]

    @classmethod
    def last_weeks(cls, weeks: int, today: date, zone: ZoneInfo) -> Period:
        """`weeks` whole ISO weeks ending with today's week (which ends today)."""
        first = iso_week_start(today) - timedelta(weeks=weeks - 1)
        return cls(first=first, last=today, zone=zone)

    def contains(self, day: date) -> bool:
        return self.first <= day <= self.last


def _parse_date(value: str) -> date:
    if not ISO_DATE.fullmatch(value.strip()):
        raise PeriodError("Enter dates as YYYY-MM-DD.")
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError("Enter dates as YYYY-MM-DD.") from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise PeriodError(f"Choose dates between {EARLIEST_YEAR} and {LATEST_YEAR}.")
    return day


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def parse_period(
    params: Mapping[str, str], *, today: date, zone: ZoneInfo, default_weeks: int = 12
) -> Period:
    """
    The period a page or report asked for: `?from=YYYY-MM-DD&to=YYYY-MM-DD` (either may be
    left out: `to` defaults to today, `from` to `default_weeks` weeks before `to`), else
    `?weeks=4|8|12|26|52`, else the last `default_weeks` weeks. Raises PeriodError.
    """
    start_text, end_text = params.get("from", "").strip(), params.get("to", "").strip()
    if start_text or end_text:
        last = _parse_date(end_text) if end_text else today
        if start_text:
            first = _parse_date(start_text)
        else:
            first = iso_week_start(last) - timedelta(weeks=default_weeks - 1)
        if last < first:
            raise PeriodError("The end date is before the start date.")
        if last >= _years_later(first, MAX_YEARS):
            raise PeriodError(f"A range can be at most {MAX_YEARS} years.")
        return Period(first=first, last=last, zone=zone)
    weeks_text = params.get("weeks", "").strip()
    if not weeks_text:
        return Period.last_weeks(default_weeks, today, zone)
    if weeks_text not in {str(w) for w in PRESET_WEEKS}:
        choices = ", ".join(str(w) for w in PRESET_WEEKS[:-1])
        raise PeriodError(f"Choose {choices} or {PRESET_WEEKS[-1]} weeks, or enter dates.")
    return Period.last_weeks(int(weeks_text), today, zone)


# --- What the functions return -------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    episodes: int
    days_with_twitching: int
    days_in_period: int
    first_logged: date | None  # the first episode ever, not only in the period
    total_duration: timedelta
    this_week: int  # episodes in the week of the period's last day, up to that day
    previous_4_week_average: float  # episodes a week in the 4 weeks before that week
    longest_twitch_free_run: int  # days, within the period and not before the first episode

    @property
    def direction(self) -> str:
        """'up', 'down' or 'same': this week against the average of the 4 before."""
        if self.this_week > self.previous_4_week_average:
            return "up"
        if self.this_week < self.previous_4_week_average:
            return "down"
        return "same"


@dataclass(frozen=True)
class Week:
    start: date  # Monday
    episodes: int
    days: int
    minutes: float
    by_region: dict[str, int]  # Region value -> episodes touching that region
    areas: int  # distinct body areas (left and right calf are one area)
    regions: int
    symptoms: dict[str, int]  # SYMPTOMS field -> episodes
    triggers: dict[str, int]  # trigger slug -> episodes, every trigger seen in the period
    median_intensity: float | None


@dataclass(frozen=True)
class SiteRow:
    code: str
    name: str
    region: str
    region_label: str
    first_seen: date
    last_seen: date
    count: int


@dataclass(frozen=True)
class TriggerCount:
    slug: str
    name: str
    count: int


@dataclass(frozen=True)
class Fact:
    """A fact for the doctor, worded per CLINICAL.md: what was logged, never a verdict."""

    text: str
    count: int
    url: str


@dataclass(frozen=True)
class Overview:
    """Everything the trends page and the PDF show for one period, from one set of queries."""

    period: Period
    summary: Summary
    weeks: list[Week]
    sites: list[SiteRow]
    symptoms: dict[str, int]
    triggers: list[TriggerCount]
    heatmap: list[list[int]]
    facts: list[Fact]


# --- Time zones in SQL ------------------------------------------------------------------------


@lru_cache(maxsize=256)
def _offsets(zone: ZoneInfo, start: datetime, end: datetime) -> tuple[tuple[datetime, int], ...]:
    """
    The zone's UTC offsets over [start, end): (from this instant, offset in seconds), oldest
    first, the first entry at `start`. Found by stepping a day at a time and bisecting each
    change to the second (two changes within one day would be missed; no zone does that).
    """

    def offset(instant: datetime) -> int:
        return int(instant.astimezone(zone).utcoffset().total_seconds())

    moment, end = start.astimezone(UTC), end.astimezone(UTC)
    changes = [(moment, offset(moment))]
    while moment < end:
        step = min(moment + timedelta(days=1), end)
        if offset(step) == changes[-1][1]:
            moment = step
            continue
        low, high = moment, step  # the offset changes after low, at or before high
        while high - low > timedelta(seconds=1):
            middle = low + (high - low) / 2
            middle = middle.replace(microsecond=0) if middle.microsecond else middle
            if offset(middle) == changes[-1][1]:
                low = middle
            else:
                high = middle
        changes.append((high, offset(high)))
        moment = high
    return tuple(changes)


def sqlite_offset_modifier(
    column: str, zone: ZoneInfo, start: datetime, end: datetime
) -> tuple[str, list[str]]:
    """
    SQL for SQLite's date functions: the '+N seconds' modifier that turns `column` (UTC text,
    as Django stores it) into `zone`'s local time, for instants in [start, end).
    """
    utc = [
        (instant.strftime("%Y-%m-%d %H:%M:%S"), f"{seconds:+d} seconds")
        for instant, seconds in _offsets(zone, start, end)
    ]
    if len(utc) == 1:
        return "%s", [utc[0][1]]
    whens = " ".join(f"WHEN {column} < %s THEN %s" for _ in utc[1:])
    params = []
    for (_, before), (since, _) in pairwise(utc):
        params += [since, before]
    return f"(CASE {whens} ELSE %s END)", [*params, utc[-1][1]]


class _InZone(Func):
    """
    A Django Trunc/Extract expression in the user's zone; on SQLite, the same value computed
    with SQLite's own date functions.

    Django's SQLite backend converts time zones with a Python function called once per row,
    which made the trends page about ten times slower than the SQL around it. Within a bounded
    range a zone's UTC offset only changes at a few known instants, so a CASE over those
    instants picks the offset for each row and SQLite's date functions apply it, returning the
    same text Django's function returns (so Django's converters read it the same way).
    `native` is that SQL with `{column}` and `{offset}` (a '+3600 seconds' modifier) in it.
    PostgreSQL and other databases run Django's expression unchanged.
    """

    def __init__(
        self,
        expression,
        *,
        column: str,
        native: str,
        zone: ZoneInfo,
        within: tuple[datetime, datetime],
    ):
        super().__init__(expression, F(column))
        self.native = native
        self.zone = zone
        self.within = within

    def _resolve_output_field(self):
        return self.source_expressions[0].output_field

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])

    def as_sqlite(self, compiler, connection, **extra_context):
        column, column_params = compiler.compile(self.source_expressions[1])
        assert not column_params, "a plain column"
        offset_sql, offset_params = sqlite_offset_modifier(column, self.zone, *self.within)
        sql, params = [], []
        for part in re.split(r"(\{column\}|\{offset\})", self.native):
            if part == "{column}":
                sql.append(column)
            elif part == "{offset}":
                sql.append(offset_sql)
                params += offset_params
            else:
                sql.append(part)
        return "".join(sql), params

    def get_db_converters(self, connection):
        inner = self.source_expressions[0]
        # Django's converters for Trunc read the zone off the expression they are given.
        return [
            partial(_convert_as, converter, inner)
            for converter in inner.get_db_converters(connection)
        ]


def _convert_as(converter, expression, value, _expression, connection):
    return converter(value, expression, connection)


def _local_date(zone: ZoneInfo, within: tuple[datetime, datetime]) -> _InZone:
    return _InZone(
        TruncDate("started_at", tzinfo=zone),
        column="started_at",
        zone=zone,
        native="date({column}, {offset})",
        within=within,
    )


def _local_week(zone: ZoneInfo, within: tuple[datetime, datetime]) -> _InZone:
    """The local midnight starting the ISO week (SQLite: forward to Sunday, back 6 days)."""
    return _InZone(
        TruncWeek("started_at", tzinfo=zone),
        column="started_at",
        zone=zone,
        native="strftime('%%Y-%%m-%%d 00:00:00', {column}, {offset}, 'weekday 0', '-6 days')",
        within=within,
    )


def _local_weekday_hour(zone: ZoneInfo, within: tuple[datetime, datetime]) -> _InZone:
    """ISO weekday (1 = Monday) x 100 + hour: one value to group the heat map by."""
    return _InZone(
        ExtractIsoWeekDay("started_at", tzinfo=zone) * 100 + ExtractHour("started_at", tzinfo=zone),
        column="started_at",
        zone=zone,
        # %w is 0 for Sunday: shift 0HH..6HH to 7HH, 1HH..6HH.
        native="(CAST(strftime('%%w%%H', {column}, {offset}) AS INTEGER) + 600) %% 700 + 100",
        within=within,
    )


# --- The queries ---------------------------------------------------------------------------


@dataclass
class _Day:
    """One local day with episodes, already aggregated by the database."""

    day: date
    episodes: int
    seconds: float
    symptoms: dict[str, int]
    intensities: dict[int, int]


@dataclass(frozen=True)
class _Site:
    code: str
    name: str
    area: str
    region: str
    sort_order: int


@dataclass
class _Trigger:
    name: str
    weeks: Counter = field(default_factory=Counter)


class _Queries:
    """The five grouped queries, each run at most once, on first use."""

    def __init__(self, user, period: Period) -> None:
        self.user = user
        self.period = period
        self.this_monday = iso_week_start(period.last)
        self.previous_monday = self.this_monday - timedelta(weeks=4)
        self.range = (period.start, period.end)
        self.episodes = Episode.objects.for_user(user).in_range(*self.range)
        # The daily query also covers the 4 weeks before "this week", for the summary cards.
        self.wider_range = (
            min(period.start, local_midnight(self.previous_monday, period.zone)),
            period.end,
        )

    @cached_property
    def days(self) -> list[_Day]:
        """Per local day: episodes, duration, symptoms, intensities (query 1)."""
        rows = (
            Episode.objects.for_user(self.user)
            .in_range(*self.wider_range)
            .values(local_day=_local_date(self.period.zone, self.wider_range))
            .annotate(
                n=Count("id"),
                duration=Sum("duration"),
                **{f"s_{name}": Count("id", filter=Q(**{name: True})) for name in SYMPTOMS},
                **{f"i_{level}": Count("id", filter=Q(intensity=level)) for level in Intensity},
            )
            .order_by()
        )
        return [
            _Day(
                day=row["local_day"],
                episodes=row["n"],
                seconds=row["duration"].total_seconds(),
                symptoms={name: row[f"s_{name}"] for name in SYMPTOMS},
                intensities={level: row[f"i_{level}"] for level in Intensity if row[f"i_{level}"]},
            )
            for row in rows
        ]

    @cached_property
    def period_days(self) -> list[_Day]:
        return [d for d in self.days if self.period.contains(d.day)]

    @cached_property
    def heat(self) -> dict[tuple[int, int], int]:
        """Episodes per (local weekday 0-6, local hour) (query 2)."""
        rows = (
            self.episodes.values(key=_local_weekday_hour(self.period.zone, self.range))
            .annotate(n=Count("id"))
            .order_by()
            .values_list("key", "n")
        )
        return {(key // 100 - 1, key % 100): n for key, n in rows}

    @cached_property
    def site_sets(self) -> list[tuple[date, frozenset[int], int]]:
        """
        Episodes per local day and exact set of body sites (query 3). Grouping by the set,
        not by site, lets one query count episodes per region without counting an episode
        twice when two of its sites share a region (both calves).
        """
        through = Episode.sites.through
        ids = (
            through.objects.filter(episode_id=OuterRef("pk"))
            .order_by()
            .values("episode_id")
            .annotate(ids=StringAgg(Cast("bodysite_id", CharField()), delimiter=Value(",")))
            .values("ids")
        )
        rows = (
            self.episodes.values(
                local_day=_local_date(self.period.zone, self.range), site_ids=Subquery(ids)
            )
            .annotate(n=Count("id"))
            .order_by()
            .values_list("local_day", "site_ids", "n")
        )
        found: Counter = Counter()
        for day, site_ids, n in rows:
            if site_ids:
                found[day, frozenset(int(i) for i in site_ids.split(","))] += n
        return [(day, site_ids, n) for (day, site_ids), n in found.items()]

    @cached_property
    def _catalogue_and_first(self) -> tuple[dict[int, _Site], datetime | None]:
        """The body-site catalogue, with the user's first episode riding along (query 4)."""
        first = Episode.objects.for_user(self.user).order_by("started_at").values("started_at")[:1]
        rows = BodySite.objects.annotate(first_started=Subquery(first)).values_list(
            "id", "code", "name", "area", "region", "sort_order", "first_started"
        )
        rows = list(rows)
        catalogue = {row[0]: _Site(*row[1:6]) for row in rows}
        return catalogue, rows[0][6] if rows else None

    @property
    def catalogue(self) -> dict[int, _Site]:
        return self._catalogue_and_first[0]

    @property
    def first_logged(self) -> date | None:
        """The local date of the user's first episode ever."""
        first = self._catalogue_and_first[1]
        return first.astimezone(self.period.zone).date() if first else None

    @cached_property
    def triggers(self) -> dict[str, _Trigger]:
        """Episodes per ISO week and trigger, keyed by slug (query 5)."""
        rows = (
            self.episodes.filter(triggers__isnull=False)
            .values(
                week=_local_week(self.period.zone, self.range),
                slug=F("triggers__slug"),
                name=F("triggers__name"),
            )
            .annotate(n=Count("id"))
            .order_by()
            .values_list("week", "slug", "name", "n")
        )
        found: dict[str, _Trigger] = {}
        for week, slug, name, n in rows:
            found.setdefault(slug, _Trigger(name)).weeks[week.date()] += n
        return found


# --- Building the parts from the query results ---------------------------------------------


def _median(histogram: Mapping[int, int]) -> float | None:
    """The median of values given as value -> how many times."""
    total = sum(histogram.values())
    if not total:
        return None
    # The 0-based positions of the middle value(s) in the sorted list.
    wanted = sorted({(total - 1) // 2, total // 2})
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while wanted and wanted[0] < seen:
            found.append(value)
            wanted.pop(0)
    return sum(found) / len(found)


def _longest_gap(days: set[date], first: date, last: date) -> int:
    """The longest run of consecutive dates in first..last that are not in `days`."""
    longest = 0
    previous = first - timedelta(days=1)
    for day in [*sorted(d for d in days if first <= d <= last), last + timedelta(days=1)]:
        longest = max(longest, (day - previous).days - 1)
        previous = day
    return longest


def _summary(q: _Queries) -> Summary:
    period = q.period
    days = q.period_days
    counts: Counter = Counter()
    for d in q.days:
        if q.this_monday <= d.day <= period.last:
            counts["this_week"] += d.episodes
        elif q.previous_monday <= d.day < q.this_monday:
            counts["previous"] += d.episodes
    first_logged = q.first_logged
    run = 0
    if first_logged is not None and first_logged <= period.last:
        run = _longest_gap({d.day for d in days}, max(period.first, first_logged), period.last)
    return Summary(
        episodes=sum(d.episodes for d in days),
        days_with_twitching=len(days),
        days_in_period=period.days,
        first_logged=first_logged,
        total_duration=timedelta(seconds=sum(d.seconds for d in days)),
        this_week=counts["this_week"],
        previous_4_week_average=counts["previous"] / 4,
        longest_twitch_free_run=run,
    )


@dataclass
class _WeekSums:
    episodes: int = 0
    days: int = 0
    seconds: float = 0.0
    symptoms: Counter = field(default_factory=Counter)
    intensities: Counter = field(default_factory=Counter)
    by_region: Counter = field(default_factory=Counter)
    areas: set = field(default_factory=set)
    regions: set = field(default_factory=set)


def _weekly(q: _Queries) -> list[Week]:
    sums = {monday: _WeekSums() for monday in q.period.weeks}
    for d in q.period_days:
        week = sums[iso_week_start(d.day)]
        week.episodes += d.episodes
        week.days += 1
        week.seconds += d.seconds
        week.symptoms.update(d.symptoms)
        week.intensities.update(d.intensities)
    catalogue = q.catalogue
    for day, site_ids, n in q.site_sets:
        week = sums[iso_week_start(day)]
        sites = [catalogue[pk] for pk in site_ids]
        week.areas.update(site.area for site in sites)
        regions = {site.region for site in sites}
        week.regions |= regions
        for region in regions:
            week.by_region[region] += n
    triggers = q.triggers
    regions = Region.values
    return [
        Week(
            start=monday,
            episodes=week.episodes,
            days=week.days,
            minutes=round(week.seconds / 60, 1),
            by_region={region: week.by_region[region] for region in regions},
            areas=len(week.areas),
            regions=len(week.regions),
            symptoms={name: week.symptoms[name] for name in SYMPTOMS},
            triggers={slug: t.weeks[monday] for slug, t in triggers.items()},
            median_intensity=_median(week.intensities),
        )
        for monday, week in sums.items()
    ]


def _sites(q: _Queries) -> list[SiteRow]:
    catalogue = q.catalogue
    found: dict[int, list] = {}  # pk -> [first, last, count]
    for day, site_ids, n in q.site_sets:
        for pk in site_ids:
            seen = found.setdefault(pk, [day, day, 0])
            seen[0], seen[1], seen[2] = min(seen[0], day), max(seen[1], day), seen[2] + n
    ordered = sorted(found.items(), key=lambda item: (-item[1][2], catalogue[item[0]].sort_order))
    return [
        SiteRow(
            code=catalogue[pk].code,
            name=catalogue[pk].name,
            region=catalogue[pk].region,
            region_label=Region(catalogue[pk].region).label,
            first_seen=first,
            last_seen=last,
            count=count,
        )
        for pk, (first, last, count) in ordered
    ]


def _symptom_counts(q: _Queries) -> dict[str, int]:
    totals: Counter = Counter()
    for d in q.period_days:
        totals.update(d.symptoms)
    return {name: totals[name] for name in SYMPTOMS}


def _trigger_counts(q: _Queries) -> list[TriggerCount]:
    rows = [
        TriggerCount(slug=slug, name=t.name, count=sum(t.weeks.values()))
        for slug, t in q.triggers.items()
    ]
    return sorted(rows, key=lambda t: (-t.count, t.name.lower()))


def _heatmap(q: _Queries) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for (weekday, hour), n in q.heat.items():
        grid[weekday][hour] += n
    return grid


# --- Worth mentioning to your doctor ---------------------------------------------------------


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _short_date(day: date, reference: date) -> str:
    """'2 Oct', with the year when it is not the reference's year."""
    text = f"{day.day} {day:%b}"
    return text if day.year == reference.year else f"{text} {day.year}"


def _episodes_url(first: date, last: date, **filters: str) -> str:
    query = urlencode({"from": first.isoformat(), "to": last.isoformat(), **filters})
    return f"{reverse('history')}?{query}"


def _list_words(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _worth_mentioning(q: _Queries) -> list[Fact]:
    """
    The facts CLINICAL.md says a doctor should hear, each with its number and a link to the
    entries. Only facts: what was logged, when and how often; never a verdict.
    """
    period = q.period
    facts: list[Fact] = []

    days = sorted(d.day for d in q.period_days)
    if days and (days[-1] - days[0]).days + 1 > PERSISTENT_DAYS:
        weeks = ((days[-1] - days[0]).days + 1) // 7
        facts.append(
            Fact(
                text=(
                    f"You logged twitching on {_plural(len(days), 'day')} over "
                    f"{_plural(weeks, 'week')} (since {_short_date(days[0], period.last)})"
                ),
                count=len(days),
                url=_episodes_url(days[0], days[-1]),
            )
        )

    catalogue = q.catalogue
    regions_by_day: dict[date, set[str]] = defaultdict(set)
    site_ids: set[int] = set()
    for day, ids, _n in q.site_sets:
        regions_by_day[day].update(catalogue[pk].region for pk in ids)
        site_ids |= ids
    multi = sorted(day for day, regions in regions_by_day.items() if len(regions) > 1)
    if multi:
        involved = set().union(*(regions_by_day[day] for day in multi))
        sizes = {len(regions_by_day[day]) for day in multi}
        how_many = str(sizes.pop()) if len(sizes) == 1 else "2 or more"
        names = _list_words([r.label for r in Region if r.value in involved])
        facts.append(
            Fact(
                text=(
                    f"Twitching in {how_many} body regions on the same day ({names}) "
                    f"on {_plural(len(multi), 'day')}"
                ),
                count=len(multi),
                url=_episodes_url(multi[0], multi[-1]),
            )
        )

    if len(site_ids) > 1:
        region_count = len({catalogue[pk].region for pk in site_ids})
        facts.append(
            Fact(
                text=(
                    f"Twitching logged at {len(site_ids)} different body sites in "
                    f"{_plural(region_count, 'body region')}"
                ),
                count=len(site_ids),
                url=_episodes_url(min(regions_by_day), max(regions_by_day)),
            )
        )

    for name in MENTION_SYMPTOMS:
        with_symptom = [d for d in q.period_days if d.symptoms[name]]
        count = sum(d.symptoms[name] for d in with_symptom)
        if count:
            symptom_days = [d.day for d in with_symptom]
            facts.append(
                Fact(
                    text=f"{SYMPTOMS[name]} noted with {_plural(count, 'episode')}",
                    count=count,
                    url=_episodes_url(min(symptom_days), max(symptom_days), symptom=name),
                )
            )
    return facts


# --- The public functions --------------------------------------------------------------------


def summary(user, period: Period) -> Summary:
    return _summary(_Queries(user, period))


def weekly(user, period: Period) -> list[Week]:
    """One row per ISO week the period touches, zeros for weeks without episodes."""
    return _weekly(_Queries(user, period))


def sites(user, period: Period) -> list[SiteRow]:
    """Body sites with episodes in the period: most episodes first, then catalogue order."""
    return _sites(_Queries(user, period))


def symptom_counts(user, period: Period) -> dict[str, int]:
    """Episodes noting each associated symptom, keyed by SYMPTOMS field."""
    return _symptom_counts(_Queries(user, period))


def trigger_counts(user, period: Period) -> list[TriggerCount]:
    """Episodes per suspected trigger, most first."""
    return _trigger_counts(_Queries(user, period))


def heatmap(user, period: Period) -> list[list[int]]:
    """Episodes by local weekday (rows, Monday first) and local hour (columns, 0-23)."""
    return _heatmap(_Queries(user, period))


def worth_mentioning(user, period: Period) -> list[Fact]:
    return _worth_mentioning(_Queries(user, period))


def overview(user, period: Period) -> Overview:
    """All of the above for one period, with each query run once (five in all)."""
    q = _Queries(user, period)
    return Overview(
        period=period,
        summary=_summary(q),
        weeks=_weekly(q),
        sites=_sites(q),
        symptoms=_symptom_counts(q),
        triggers=_trigger_counts(q),
        heatmap=_heatmap(q),
        facts=_worth_mentioning(q),
    )
