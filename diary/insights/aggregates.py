"""
Per-week tables, body sites, symptoms, triggers and the time-of-day grid, summed in Python
from the per-day rows (a year is ~365 small rows): no SQL beyond diary.insights.queries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from diary.insights.queries import Data
from diary.insights.results import SiteRow, TriggerCount, Week
from diary.models import SYMPTOMS, Region
from diary.timeutil import iso_week_start


def median(histogram: Mapping[int, int]) -> float | None:
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


@dataclass
class _WeekSums:
    episodes: int = 0
    days: int = 0
    seconds: float = 0.0
    symptoms: Counter = field(default_factory=Counter)
    intensities: Counter = field(default_factory=Counter)
    by_region: Counter = field(default_factory=Counter)
    triggers: Counter = field(default_factory=Counter)
    areas: set = field(default_factory=set)
    regions: set = field(default_factory=set)


def _days_logging(monday: date, data: Data) -> int:
    """The week's days inside the period and on or after the first logged day."""
    since = data.logging_since
    if since is None:
        return 0
    first = max(monday, since)
    last = min(monday + timedelta(days=6), data.period.last)
    return max(0, (last - first).days + 1)


def weekly(data: Data) -> list[Week]:
    sums = {monday: _WeekSums() for monday in data.period.weeks}
    catalogue = data.catalogue
    for d in data.period_days:
        week = sums[iso_week_start(d.day)]
        week.episodes += d.episodes
        week.days += 1
        week.seconds += d.seconds
        week.symptoms.update(d.symptoms)
        week.intensities.update(d.intensities)
        week.by_region.update(d.regions)
        week.regions.update(d.regions)
        week.triggers.update(d.triggers)
        week.areas.update(catalogue[code].area for code in d.sites if code in catalogue)
    names = trigger_names(data)
    return [
        Week(
            start=monday,
            episodes=week.episodes,
            days=week.days,
            minutes=round(week.seconds / 60, 1),
            by_region={region: week.by_region[region] for region in Region.values},
            areas=len(week.areas),
            regions=len(week.regions),
            symptoms={name: week.symptoms[name] for name in SYMPTOMS},
            triggers={slug: week.triggers[pk] for pk, (slug, _name) in names.items()},
            median_intensity=median(week.intensities),
            logging=(days := _days_logging(monday, data)) > 0,
            days_logging=days,
        )
        for monday, week in sums.items()
    ]


def trigger_names(data: Data) -> dict[int, tuple[str, str]]:
    """(slug, name) of every trigger with episodes in the period, by id, most episodes first."""
    totals: Counter = Counter()
    for d in data.period_days:
        totals.update(d.triggers)
    known = data.triggers  # asked for always, so the query count never depends on the data
    found = [(pk, known[pk], n) for pk, n in totals.items() if pk in known and n]
    found.sort(key=lambda item: (-item[2], item[1][1].lower()))
    return {pk: names for pk, names, _n in found}


def trigger_counts(data: Data) -> list[TriggerCount]:
    totals: Counter = Counter()
    for d in data.period_days:
        totals.update(d.triggers)
    return [
        TriggerCount(slug=slug, name=name, count=totals[pk])
        for pk, (slug, name) in trigger_names(data).items()
    ]


def sites(data: Data) -> list[SiteRow]:
    catalogue = data.catalogue
    found: dict[str, list] = {}  # code -> [first, last, count]
    for d in data.period_days:
        for code, n in d.sites.items():
            seen = found.setdefault(code, [d.day, d.day, 0])
            seen[1], seen[2] = d.day, seen[2] + n  # days come oldest first
    known = [(code, seen) for code, seen in found.items() if code in catalogue]
    known.sort(key=lambda item: (-item[1][2], catalogue[item[0]].sort_order))
    return [
        SiteRow(
            code=code,
            name=catalogue[code].name,
            region=catalogue[code].region,
            region_label=Region(catalogue[code].region).label,
            first_seen=first,
            last_seen=last,
            count=count,
        )
        for code, (first, last, count) in known
    ]


def symptom_counts(data: Data) -> dict[str, int]:
    totals: Counter = Counter()
    for d in data.period_days:
        totals.update(d.symptoms)
    return {name: totals[name] for name in SYMPTOMS}


def heatmap(data: Data) -> list[list[int]]:
    """Episodes by weekday (rows, Monday first) and hour (0-23), both local to each episode."""
    grid = [[0] * 24 for _ in range(7)]
    for d in data.period_days:
        row = grid[d.day.weekday()]
        for hour, n in d.hours.items():
            row[hour] += n
    return grid
