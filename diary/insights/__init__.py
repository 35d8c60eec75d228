"""
The numbers behind the trends page and the doctor summary: one source of truth.

Every public function takes a user and a `Period` and returns plain data (dataclasses, dicts,
lists). All of it is read from the per-day summary (DaySummary, kept by data_changed on every
write) and grouped by each episode's own stored local date and hour: the zone it was logged in
(the one clock, docs/architecture.md). The profile's zone only decides "today". Soft-deleted
episodes and other users' rows never count.

`overview()` runs three queries (days, catalogue with the first logged day, trigger names),
whatever the range or the amount of data; the single-purpose functions run only what they
need. Modules: periods (Period, parse_period), queries (the reads), aggregates (weeks, sites,
symptoms, triggers, time of day), details (the twitch details: pattern, seen under the skin,
stopped when moved, what the person was doing, answered episodes only), summary (the cards),
week_so_far (this week so far against the same weekdays of earlier weeks), facts (worth
mentioning to your doctor), exposures (what goes with more twitching: days with and without
each check-in answer), results (dataclasses).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from diary.insights import aggregates
from diary.insights import details as _details
from diary.insights import facts as _facts
from diary.insights import summary as _summary
from diary.insights.periods import (
    PRESET_WEEKS,
    Period,
    PeriodError,
    default_period,
    parse_period,
)
from diary.insights.queries import Data
from diary.insights.results import (
    Details,
    Fact,
    Overview,
    SiteRow,
    Summary,
    TriggerCount,
    Week,
)
from diary.insights.week_so_far import WeekSoFar, week_so_far
from diary.models import DaySummary

__all__ = [
    "PRESET_WEEKS",
    "Data",
    "Details",
    "Fact",
    "Overview",
    "Period",
    "PeriodError",
    "SiteRow",
    "Summary",
    "TriggerCount",
    "Week",
    "WeekSoFar",
    "default_period",
    "first_logged",
    "heatmap",
    "overview",
    "parse_period",
    "sites",
    "summary",
    "symptom_counts",
    "trigger_counts",
    "twitch_details",
    "week_so_far",
    "weekly",
    "without_own_trigger_names",
    "worth_mentioning",
]


def first_logged(user) -> date | None:
    """The person's first local date with an episode, ever (None: nothing logged yet)."""
    return DaySummary.objects.for_user(user).first_date()


def summary(user, period: Period, now: datetime | None = None) -> Summary:
    """The cards; `now` (in the profile's zone) compares an unfinished week up to its hour."""
    return _summary.summary(Data(user, period, now))


def weekly(user, period: Period) -> list[Week]:
    """One row per ISO week the period touches, zeros for weeks without episodes."""
    return aggregates.weekly(Data(user, period))


def sites(user, period: Period) -> list[SiteRow]:
    """Body sites with episodes in the period: most episodes first, then catalogue order."""
    return aggregates.sites(Data(user, period))


def symptom_counts(user, period: Period) -> dict[str, int]:
    """Episodes noting each associated symptom, keyed by SYMPTOMS field."""
    return aggregates.symptom_counts(Data(user, period))


def trigger_counts(user, period: Period) -> list[TriggerCount]:
    """Episodes per suspected trigger, most first."""
    return aggregates.trigger_counts(Data(user, period))


def heatmap(user, period: Period) -> list[list[int]]:
    """Episodes by local weekday (rows, Monday first) and local hour (columns, 0-23)."""
    return aggregates.heatmap(Data(user, period))


def twitch_details(user, period: Period) -> Details:
    """Pattern, seen under the skin, stopped when moved, what was being done: answered only."""
    return _details.twitch_details(Data(user, period))


def worth_mentioning(user, period: Period) -> list[Fact]:
    return _facts.worth_mentioning(Data(user, period))


def overview(user, period: Period, now: datetime | None = None) -> Overview:
    """All of the above for one period, with each query run once (three in all)."""
    data = Data(user, period, now)
    return Overview(
        period=period,
        summary=_summary.summary(data),
        weeks=aggregates.weekly(data),
        sites=aggregates.sites(data),
        symptoms=aggregates.symptom_counts(data),
        triggers=aggregates.trigger_counts(data),
        heatmap=aggregates.heatmap(data),
        facts=_facts.worth_mentioning(data),
        details=_details.twitch_details(data),
    )


def without_own_trigger_names(overview: Overview) -> Overview:
    """The overview with own triggers as "Own trigger 1", … (a share link without notes)."""
    triggers, weeks = aggregates.without_own_trigger_names(overview.triggers, overview.weeks)
    return replace(overview, triggers=triggers, weeks=weeks)
