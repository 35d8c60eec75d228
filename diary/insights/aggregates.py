"""
Per-week tables, body sites, symptoms, triggers and the time-of-day grid, added up in Python
from the period's weeks (diary/insights/weeks.py: a year is 52 of them): no SQL beyond
diary.insights.queries.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from django.utils.translation import pgettext_lazy

from diary.insights.queries import Data, Site
from diary.insights.results import SiteRow, TriggerCount, Week
from diary.insights.weeks import HOURS, WeekSums, add
from diary.models import SYMPTOMS, Region
from diary.models.sites import site_name


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


SUNDAY = timedelta(days=6)  # after the Monday
# Region.values builds its list anew on every access.
REGIONS = tuple(Region.values)


def _days_logging(monday: date, since: date | None, last: date) -> int:
    """The week's days up to `last` (the period's) and from `since` (data.logging_since)."""
    if since is None:
        return 0
    first = max(monday, since)
    last = min(monday + timedelta(days=6), last)
    return max(0, (last - first).days + 1)


def weekly(data: Data) -> list[Week]:
    catalogue = data.catalogue
    names = trigger_names(data)
    since, last = data.logging_since, data.period.last
    # A week's row depends on its sums and on these; the catalogue is fixed in a process.
    depends = (tuple(names.items()), id(catalogue))
    rows = []
    for week in data.weeks:
        monday = week.monday
        days_logging = _days_logging(monday, since, last)
        cut_short_on = last if last < monday + SUNDAY else None
        key = ("week", days_logging, cut_short_on, depends)
        row = week.derived.get(key)
        if row is None:
            row = week.derived[key] = _week(week, names, catalogue, days_logging, cut_short_on)
        rows.append(row)
    return rows


def _week(
    week: WeekSums,
    names: dict[str, tuple[str, str]],
    catalogue: Mapping[str, Site],
    days_logging: int,
    cut_short_on: date | None,
) -> Week:
    return Week(
        start=week.monday,
        episodes=week.episodes,
        days=len(week.dates),
        minutes=round(week.seconds / 60, 1),
        by_region={region: week.regions.get(region, 0) for region in REGIONS},
        areas=len({catalogue[code].area for code in week.sites if code in catalogue}),
        regions=len(week.regions),
        symptoms={name: week.symptoms.get(name, 0) for name in SYMPTOMS},
        triggers={slug: week.triggers.get(pk, 0) for pk, (slug, _name) in names.items()},
        median_intensity=median({int(k): n for k, n in week.intensities.items()}),
        logging=days_logging > 0,
        days_logging=days_logging,
        cut_short_on=cut_short_on,
    )


def _trigger_totals(data: Data) -> dict[str, int]:
    if "trigger_totals" not in data.memo:
        totals: dict[str, int] = {}
        for week in data.weeks:
            add(totals, week.triggers)
        data.memo["trigger_totals"] = totals
    return data.memo["trigger_totals"]


def trigger_names(data: Data) -> dict[str, tuple[str, str]]:
    """(slug, name) of every trigger with episodes in the period, by id, most episodes first."""
    if "trigger_names" not in data.memo:
        totals = _trigger_totals(data)
        known = data.triggers  # asked for always, so the query count never depends on the data
        found = [(pk, known[pk], n) for pk, n in totals.items() if pk in known and n]
        found.sort(key=lambda item: (-item[2], item[1][1].lower()))
        data.memo["trigger_names"] = {pk: names for pk, names, _n in found}
    return data.memo["trigger_names"]


def trigger_counts(data: Data) -> list[TriggerCount]:
    totals, own = _trigger_totals(data), data.own_triggers
    return [
        TriggerCount(slug=slug, name=name, count=totals[pk], own=pk in own)
        for pk, (slug, name) in trigger_names(data).items()
    ]


OWN_TRIGGER = pgettext_lazy(
    "a trigger the person named, in a copy shared without their notes", "Own trigger %(n)d"
)


def without_own_trigger_names(
    triggers: list[TriggerCount], weeks: list[Week]
) -> tuple[list[TriggerCount], list[Week]]:
    """
    The triggers and weeks with each own trigger's typed name, and the slug made from it,
    replaced by "Own trigger 1", "Own trigger 2", … (most episodes first), the numbers kept:
    for a share link made without notes, through which nothing the person typed may leave.
    """
    shown: dict[str, TriggerCount] = {}
    n = 0
    for t in triggers:
        if t.own:
            n += 1
            name = OWN_TRIGGER % {"n": n}
            shown[t.slug] = replace(t, slug=f"own-trigger-{n}", name=name)
        else:
            shown[t.slug] = t
    weeks = [
        replace(w, triggers={shown[s].slug if s in shown else s: c for s, c in w.triggers.items()})
        for w in weeks
    ]
    return list(shown.values()), weeks


def sites(data: Data) -> list[SiteRow]:
    catalogue = data.catalogue
    # Each site's span in its latest week and in its earliest (dict.update keeps the last
    # given), and its episodes summed: a dense diary's year is thousands of them.
    latest: dict[str, tuple[date, date]] = {}
    earliest: dict[str, tuple[date, date]] = {}
    counts: dict[str, int] = {}
    for week in data.weeks:  # oldest first
        latest.update(week.site_days)
        add(counts, week.sites)
    for week in reversed(data.weeks):
        earliest.update(week.site_days)
    known = [code for code in counts if code in catalogue]
    known.sort(key=lambda code: (-counts[code], catalogue[code].sort_order))
    return [
        SiteRow(
            code=code,
            name=site_name(code, catalogue[code].name),
            region=catalogue[code].region,
            region_label=str(Region(catalogue[code].region).label),
            first_seen=earliest[code][0],
            last_seen=latest[code][1],
            count=counts[code],
        )
        for code in known
    ]


def symptom_counts(data: Data) -> dict[str, int]:
    totals: dict[str, int] = {}
    for week in data.weeks:
        add(totals, week.symptoms)
    return {name: totals.get(name, 0) for name in SYMPTOMS}


def heatmap(data: Data) -> list[list[int]]:
    """Episodes by weekday (rows, Monday first) and hour (0-23), both local to each episode."""
    grid = [0] * 7 * HOURS
    for week in data.weeks:
        if week.episodes:  # a week without any adds nothing
            grid = list(map(operator.add, grid, week.grid))
    return [grid[day * HOURS : (day + 1) * HOURS] for day in range(7)]
