"""
What the insights functions return: plain frozen dataclasses, safe to cache and compare. Their
words are in the language active when they were made (a cache of them is keyed on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import pgettext

from diary.insights.periods import Period
from diary.lib.formats import weekday_abbr


@dataclass(frozen=True)
class Summary:
    """
    The summary cards. Denominators are honest: `days_in_period` counts the period's days from
    `logging_since` (the later of the period's first day and the first day ever logged), so a
    diary started 10 days ago reads "3 of 10 days", not "3 of 84".
    """

    episodes: int
    days_with_twitching: int
    days_in_period: int  # days from logging_since to the period's last day; 0 if none
    first_logged: date | None  # the first episode ever, not only in the period
    total_duration: timedelta
    this_week: int  # episodes Monday .. the period's last day, in that day's week
    previous_4_week_average: float  # the same weekdays of the compared earlier weeks, averaged
    longest_twitch_free_run: int  # days, within the period and not before the first episode
    logging_since: date | None = None  # None: nothing logged by the period's last day
    sites: int = 0  # different body sites with episodes in the period
    # Episodes on the same weekdays (Monday .. this_week's last day) of up to 4 earlier weeks,
    # newest first; only weeks whose Monday is on or after the first logged day.
    previous_weeks: tuple[int, ...] = ()
    compared_days: int = 7  # how many weekdays are compared (1 = Monday only, 0 = none yet)
    started_in_period: bool = False  # logging began after the period's first day
    # While the week is unfinished (the period ends today) both sides stop at the start of
    # this hour on the last compared day; None: whole days.
    compared_hour: int | None = None
    # This week's episodes within the compared span; None: all of `this_week`.
    compared_this_week: int | None = None
    week_days: int = 7  # the days of this week in the period so far (3 on a Wednesday)

    @property
    def direction(self) -> str:
        """'up', 'down', 'same', or 'none' when there is no earlier week to compare with."""
        if not self.previous_weeks:
            return "none"
        this_week = self.this_week if self.compared_this_week is None else self.compared_this_week
        if this_week > self.previous_4_week_average:
            return "up"
        if this_week < self.previous_4_week_average:
            return "down"
        return "same"

    @property
    def whole_week(self) -> bool:
        return self.compared_days == 7 and self.compared_hour is None

    @property
    def partly_compared(self) -> bool:
        """Whether this week's comparison leaves out some of its episodes (those after the hour)."""
        return self.compared_this_week is not None and self.compared_this_week != self.this_week


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
    # False for a week wholly before the first logged day: "not logging yet", not "no twitching".
    logging: bool = True
    days_logging: int = 7  # the week's days in the period and on or after the first logged day
    # The period's last day when it comes before this week's Sunday (the range cuts the week
    # short); None when the period runs to the Sunday or beyond.
    cut_short_on: date | None = None

    def mark(self, today: date) -> str:
        """
        "so far" for the week that is still going on (today is in it, and unfinished),
        "Mon–Wed" for one the range cuts short, "" for a whole week: shown wherever the week
        is drawn or counted, so a partial week never looks like a finished one.
        """
        sunday = self.start + timedelta(days=6)
        if self.start <= today <= sunday and (
            self.cut_short_on is None or self.cut_short_on >= today
        ):
            return pgettext("a week that is not over yet", "so far")
        if self.cut_short_on is not None:
            return weekdays(self.start, self.cut_short_on)
        return ""


def weekdays(monday: date, last: date) -> str:
    """ "Mon–Wed", or "Mon" for a Monday alone (in the active language)."""
    days = (last - monday).days
    if days == 0:
        return weekday_abbr(0)
    return pgettext("a range of weekdays", "%(first)s–%(last)s") % {
        "first": weekday_abbr(0),
        "last": weekday_abbr(days),
    }


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
    own: bool = False  # the person's own trigger, named by them (built-ins are ours)


@dataclass(frozen=True)
class Fact:
    """
    A fact for the doctor, worded per docs/wording.md: what was logged, never a verdict. Two
    wordings of the same numbers: `text` for the person's own pages ("You logged …"),
    `document` for what a clinician reads (the PDF, a share link's page: "Twitching logged …").
    """

    text: str
    document: str
    count: int
    url: str


@dataclass(frozen=True)
class Details:
    """
    The twitch details over a period, each map counting only the episodes where that question
    was answered (its total is "of how many"): pattern (Pattern value), seen under the skin
    ("yes"/"no"), stopped when moved (Movement value), what the person was doing (Context).
    """

    episodes: int
    patterns: dict[str, int]
    visible: dict[str, int]
    movement: dict[str, int]
    contexts: dict[str, int]

    @property
    def any_answered(self) -> bool:
        return any((self.patterns, self.visible, self.movement, self.contexts))


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
    details: Details
