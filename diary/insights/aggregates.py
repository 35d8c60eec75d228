"""
Per-week tables, body sites, symptoms, triggers and the time-of-day grid, added up in Python
from the period's weeks (diary/insights/weeks.py: a year is 52 of them): no SQL beyond
diary.insights.queries.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from django.utils.translation import pgettext_lazy

from diary.insights.queries import Data
from diary.insights.results import SiteRow, TriggerCount, Week
from diary.insights.weeks import HOURS, add
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
    rows = []
    for week in data.weeks:
        monday = week.monday
        days_logging = _days_logging(monday, since, last)
        rows.append(
            Week(
                start=monday,
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
                cut_short_on=last if last < monday + SUNDAY else None,
            )
        )
    return rows


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
    found: dict[str, list] = {}  # code -> [first, last, count]
    for week in data.weeks:  # oldest first
        spans = week.site_days
        for code, n in week.sites.items():
            first, last = spans[code]
            seen = found.get(code)
            if seen is None:
                found[code] = [first, last, n]
            else:
                seen[1], seen[2] = last, seen[2] + n
    known = [(code, seen) for code, seen in found.items() if code in catalogue]
    known.sort(key=lambda item: (-item[1][2], catalogue[item[0]].sort_order))
    return [
        SiteRow(
            code=code,
            name=site_name(code, catalogue[code].name),
            region=catalogue[code].region,
            region_label=str(Region(catalogue[code].region).label),
            first_seen=first,
            last_seen=last,
            count=count,
        )
        for code, (first, last, count) in known
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
            grid = [a + b for a, b in zip(grid, week.grid, strict=True)]
    return [grid[day * HOURS : (day + 1) * HOURS] for day in range(7)]
