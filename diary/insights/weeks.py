"""
One ISO week of the per-day summary, summed once: what the period's numbers are added up from.

A year on Trends is 52 of these instead of ~365 decoded day rows, and most of them never change:
a whole week's sums are kept in this process's memory under the identity of the day rows they
came from (each row's id and revision, diary/models/summary.py: a write rebuilds the days it
touched as new rows or revises them in place). A week someone wrote to since no longer matches
its kept sums and is summed again from its rows; a week nobody touched is neither decoded nor
summed again. The store holds at most MAX_WEEKS weeks, least recently used first out.

Sums keep the day rows' string keys (site codes, regions, symptoms, trigger ids, intensities);
what needs a day rather than a week (the days logged, each site's and symptom's first and last
day, the days with twitching in more than one region) is kept as dates.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from diary.insights.queries import Day

# Weeks kept per process: a year for a dozen people at once. A week of a few dozen episodes is
# a few kilobytes; the densest measured (190 episodes at every body site) 29 KB, so the store
# stays under ~18 MB whatever it holds (tests/test_insights_weeks.py bounds it).
MAX_WEEKS = 600
HOURS = 24


@dataclass(slots=True)
class WeekSums:
    """The days of one ISO week (all of them, or those inside a period) added up."""

    monday: date
    dates: list[date] = field(default_factory=list)  # days with episodes, oldest first
    episodes: int = 0
    seconds: float = 0.0
    regions: dict[str, int] = field(default_factory=dict)
    sites: dict[str, int] = field(default_factory=dict)
    symptoms: dict[str, int] = field(default_factory=dict)
    triggers: dict[str, int] = field(default_factory=dict)
    intensities: dict[str, int] = field(default_factory=dict)
    patterns: dict[str, int] = field(default_factory=dict)
    visible: dict[str, int] = field(default_factory=dict)
    movement: dict[str, int] = field(default_factory=dict)
    contexts: dict[str, int] = field(default_factory=dict)
    # Episodes by local weekday and hour: grid[weekday * 24 + hour].
    grid: list[int] = field(default_factory=lambda: [0] * 7 * HOURS)
    # Each site's and symptom's first and last day in the week.
    site_days: dict[str, tuple[date, date]] = field(default_factory=dict)
    symptom_days: dict[str, tuple[date, date]] = field(default_factory=dict)
    # The days with twitching in more than one body region, with those regions.
    together: list[tuple[frozenset[str], date]] = field(default_factory=list)
    # What is worked out from these sums alone (a Trends table's week, aggregates.weekly), by
    # what else it depends on: a kept week's is worked out once, like the sums.
    derived: dict[tuple, object] = field(default_factory=dict)


def add(total: dict, counts: dict) -> None:
    """total += counts, key by key (Counter.update's checks cost more than the sums here)."""
    for key, n in counts.items():
        total[key] = total.get(key, 0) + n


def _spans(spans: dict[str, tuple[date, date]], keys: Iterable[str], day: date) -> None:
    for key in keys:
        first = spans.get(key)
        spans[key] = (day, day) if first is None else (first[0], day)


def sum_week(monday: date, days: Iterable[Day]) -> WeekSums:
    """The sums of `days` (oldest first, all in the week of `monday`)."""
    week = WeekSums(monday)
    grid = week.grid
    for d in days:
        day = d.day
        week.dates.append(day)
        week.episodes += d.episodes
        week.seconds += d.seconds
        add(week.regions, d.regions)
        add(week.sites, d.sites)
        add(week.symptoms, d.symptoms)
        add(week.triggers, d.triggers)
        add(week.intensities, d.intensities)
        add(week.patterns, d.patterns)
        add(week.visible, d.visible)
        add(week.movement, d.movement)
        add(week.contexts, d.contexts)
        row = day.weekday() * HOURS
        for hour, n in d.hours.items():
            grid[row + int(hour)] += n
        _spans(week.site_days, d.sites, day)
        _spans(week.symptom_days, (name for name, n in d.symptoms.items() if n), day)
        if len(d.regions) > 1:
            week.together.append((frozenset(d.regions), day))
    return week


# A whole week's rows as (id, revision) pairs, oldest day first: what its sums were made from.
Fingerprint = tuple[tuple[int, int], ...]
_store: OrderedDict[tuple, tuple[Fingerprint, WeekSums]] = OrderedDict()
_lock = Lock()


def kept(keys: Iterable[tuple]) -> dict[tuple, tuple[Fingerprint, WeekSums]]:
    """The kept (fingerprint, sums) of those of `keys` this process has."""
    found = {}
    with _lock:
        for key in keys:
            entry = _store.get(key)
            if entry is not None:
                _store.move_to_end(key)
                found[key] = entry
    return found


def keep(key: tuple, fingerprint: Fingerprint, week: WeekSums) -> None:
    """Keep a whole week's sums (never changed afterwards, but for `derived`: readers share
    them)."""
    with _lock:
        _store[key] = (fingerprint, week)
        _store.move_to_end(key)
        while len(_store) > MAX_WEEKS:
            _store.popitem(last=False)


def forget() -> None:
    """Drop every kept week (tests: a rolled-back database reuses ids)."""
    with _lock:
        _store.clear()
