"""
"What goes with more twitching?": days with an exposure (a short night, 3+ caffeine drinks,
high stress, hard exercise, alcohol, feeling unwell, a new medicine) against days without it,
from the daily check-ins (diary/models/checkins.py). Used by the trends page and the doctor summary.

Honest by construction:
- Only days with a check-in that answered the question count, so a day counts only from the
  first check-in on, and an unanswered question ("not sure") is never taken for "no".
- Today is left out until it is over: its count is still growing.
- Each side shows its number of days; below MIN_DAYS on either side there is no ratio.
- The ratio of the average episodes per day comes with a 95% bootstrap interval over days
  (scipy.stats.bootstrap, percentile method, fixed seed: the same diary gives the same
  figures), which respects how much the count varies from day to day. An interval depends
  only on the two sides' daily counts, so the process keeps the last INTERVALS_KEPT: logging
  today changes no finished day, and the page's next miss finds them.
- The words say "goes with" and "on days with", never that one thing led to another.

Two queries whatever the range: the check-ins in the range, then the episodes per day from
the per-day summary (diary/models/summary.py, kept by every write), joined here in Python.
Without a check-in in the range there is nothing to compare: one query.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property, lru_cache

import numpy as np
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _
from scipy import stats

from diary.insights import Period
from diary.insights.sql import DATE, dated_rows
from diary.lib.formats import number, percent
from diary.models import DaySummary
from diary.models.checkins import DayLog, Stress

MIN_DAYS = 7
CONFIDENCE = 0.95
# 1,000 resamples: the usual minimum for a 95% percentile interval (its ends are the 25th and
# 975th resampled ratios); the cost grows with resamples x days, and this keeps the section
# within its share of the Trends page (make bench).
RESAMPLES = 1000
SEED = 20261202
# Intervals kept per process (by both sides' daily counts): a few kilobytes each.
INTERVALS_KEPT = 512
SHORT_NIGHT_BELOW = 6  # hours: the sleep bands under 6 h (Sleep.UNDER_5, Sleep.FROM_5)


@dataclass(frozen=True)
class Exposure:
    """One question turned into "with" and "without" days, `lag` days later (0: same day)."""

    key: str
    field: str
    label: Promise  # table heading: what "with" means
    with_words: Promise  # the sentence's start
    test: Callable[[object], bool]
    lag: int = 0


def _short_night(hours: object) -> bool:
    return isinstance(hours, int) and hours < SHORT_NIGHT_BELOW


EXPOSURES = (
    Exposure(
        "short_night",
        "sleep",
        gettext_lazy("Short night (under 6 h)"),
        gettext_lazy("On days after a short night (under 6 h)"),
        _short_night,
    ),
    Exposure(
        "short_night_next_day",
        "sleep",
        gettext_lazy("Short night (under 6 h), the day after"),
        gettext_lazy("On the second day after a short night (under 6 h)"),
        _short_night,
        lag=1,
    ),
    Exposure(
        "caffeine",
        "caffeine",
        gettext_lazy("3 or more caffeine drinks"),
        gettext_lazy("On days with 3 or more caffeine drinks"),
        lambda drinks: drinks >= 3,
    ),
    Exposure(
        "stress",
        "stress",
        gettext_lazy("High stress"),
        gettext_lazy("On days with high stress"),
        lambda s: s == Stress.HIGH,
    ),
    Exposure(
        "hard_exercise",
        "hard_exercise",
        gettext_lazy("Hard exercise"),
        gettext_lazy("On days with hard exercise"),
        bool,
    ),
    Exposure(
        "hard_exercise_next_day",
        "hard_exercise",
        gettext_lazy("Hard exercise, the day after"),
        gettext_lazy("On days after a day with hard exercise"),
        bool,
        lag=1,
    ),
    Exposure(
        "alcohol",
        "alcohol",
        gettext_lazy("Any alcoholic drinks"),
        gettext_lazy("On days with any alcoholic drinks"),
        lambda drinks: drinks >= 1,
    ),
    Exposure(
        "unwell",
        "unwell",
        gettext_lazy("Felt unwell"),
        gettext_lazy("On days you felt unwell"),
        bool,
    ),
    Exposure(
        "new_medicine",
        "new_medicine",
        gettext_lazy("New or changed medicine"),
        gettext_lazy("On days with a new or changed medicine"),
        bool,
    ),
)


@dataclass(frozen=True)
class Group:
    """The days on one side of a comparison and the episodes logged on them."""

    counts: tuple[int, ...]  # episodes on each day

    @property
    def days(self) -> int:
        return len(self.counts)

    # Worked out once: the sentences and the table ask for these several times.
    @cached_property
    def mean(self) -> float | None:
        return sum(self.counts) / len(self.counts) if self.counts else None

    @cached_property
    def twitch_days(self) -> int:
        return len(self.counts) - self.counts.count(0)

    @property
    def share(self) -> float | None:
        """The share of the days with any twitching, 0..1."""
        return self.twitch_days / len(self.counts) if self.counts else None


@dataclass(frozen=True)
class Comparison:
    exposure: Exposure
    exposed: Group
    unexposed: Group
    ratio: float | None = None  # mean exposed / mean unexposed; None below MIN_DAYS
    low: float | None = None  # the interval; None when it cannot be given
    high: float | None = None

    @property
    def key(self) -> str:
        return self.exposure.key

    @property
    def label(self) -> str:
        return str(self.exposure.label)

    @property
    def enough(self) -> bool:
        return self.exposed.days >= MIN_DAYS and self.unexposed.days >= MIN_DAYS

    @property
    def not_enough_text(self) -> str:
        return _(
            "Not enough days to compare yet (%(with)d with, %(without)d without; "
            "%(needed)d of each needed)."
        ) % {"with": self.exposed.days, "without": self.unexposed.days, "needed": MIN_DAYS}

    @property
    def text(self) -> str:
        """The finding in one sentence, numbers first; never a cause."""
        return _sentences(self, get_language())[0]

    @property
    def share_text(self) -> str:
        """How many days of each side had any twitching."""
        return _sentences(self, get_language())[1]

    @property
    def ratio_text(self) -> str:
        return _sentences(self, get_language())[2]

    def _text(self) -> str:
        if not self.enough:
            return self.not_enough_text
        exposed, unexposed = self.exposed, self.unexposed
        values = {
            "when": self.exposure.with_words,
            "with": number(exposed.mean, 1),
            "with_days": _days(exposed.days),
            "without": number(unexposed.mean, 1),
            "without_days": _days(unexposed.days),
        }
        if self.ratio is not None:
            values["ratio"] = number(self.ratio, 1)
        if self.ratio is None:
            return (
                _(
                    "%(when)s you logged on average %(with)s episodes (%(with_days)s); on other "
                    "days %(without)s (%(without_days)s), so there is no ratio to give."
                )
                % values
            )
        if self.low is None or self.high is None:
            return (
                _(
                    "%(when)s you logged on average %(with)s episodes (%(with_days)s); on other "
                    "days %(without)s (%(without_days)s): about %(ratio)s times as many (the "
                    "range is too wide to give yet)."
                )
                % values
            )
        values |= {"low": number(self.low, 1), "high": number(self.high, 1)}
        return (
            _(
                "%(when)s you logged on average %(with)s episodes (%(with_days)s); on other days "
                "%(without)s (%(without_days)s): about %(ratio)s times as many (plausible range "
                "%(low)s–%(high)s)."
            )
            % values
        )

    def _share_text(self) -> str:
        return _(
            "Any twitching on %(with)d of %(with_days)s (%(with_share)s) with, %(without)d of "
            "%(without_days)s (%(without_share)s) without."
        ) % {
            "with": self.exposed.twitch_days,
            "with_days": _days(self.exposed.days),
            "with_share": _percent(self.exposed.share),
            "without": self.unexposed.twitch_days,
            "without_days": _days(self.unexposed.days),
            "without_share": _percent(self.unexposed.share),
        }

    def _ratio_text(self) -> str:
        if not self.enough:
            return _("Not enough days yet")
        if self.ratio is None:
            return _("No ratio (none on other days)")
        if self.low is None or self.high is None:
            return _("%(ratio)s (range too wide)") % {"ratio": number(self.ratio, 1)}
        return pgettext("a ratio and its range", "%(ratio)s (%(low)s–%(high)s)") % {
            "ratio": number(self.ratio, 1),
            "low": number(self.low, 1),
            "high": number(self.high, 1),
        }


# A page shows each comparison's sentences several times over, and the same ones again after a
# write today (no finished day changed): kept by the comparison (its days' counts and figures)
# and the language.
@lru_cache(maxsize=256)
def _sentences(comparison: Comparison, language: str) -> tuple[str, str, str]:
    return comparison._text(), comparison._share_text(), comparison._ratio_text()


def _days(count: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", count) % {"count": count}


def _percent(share: float | None) -> str:
    return "–" if share is None else percent(100 * share)


def _ratio_of_means(exposed, unexposed, axis=-1):
    # Resamples whose "without" days all had no episodes divide by zero: inf, sorted last.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(exposed, axis=axis) / np.mean(unexposed, axis=axis)


@lru_cache(maxsize=INTERVALS_KEPT)
def _interval(exposed: Group, unexposed: Group) -> tuple[float | None, float | None]:
    """
    The bootstrap interval of the ratio of means, resampling days within each side. Kept by
    the two sides' counts (Group is frozen: equal counts, equal key), as the fixed seed gives
    the same interval for the same counts.
    """
    data = (np.array(exposed.counts, dtype=float), np.array(unexposed.counts, dtype=float))
    with warnings.catch_warnings():
        # Identical counts on every day (no variation to resample) are answered, not warned.
        warnings.simplefilter("ignore", stats.DegenerateDataWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        result = stats.bootstrap(
            data,
            _ratio_of_means,
            n_resamples=RESAMPLES,
            confidence_level=CONFIDENCE,
            method="percentile",
            vectorized=True,
            rng=np.random.default_rng(SEED),
        )
    low, high = float(result.confidence_interval.low), float(result.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):
        return None, None
    return low, high


def compare(exposure: Exposure, exposed: list[int], unexposed: list[int]) -> Comparison:
    """One comparison from the episode counts of the days on either side."""
    exposed_group, unexposed_group = Group(tuple(exposed)), Group(tuple(unexposed))
    comparison = Comparison(exposure, exposed_group, unexposed_group)
    if not comparison.enough or not unexposed_group.mean:
        return comparison
    low, high = _interval(exposed_group, unexposed_group)
    ratio = exposed_group.mean / unexposed_group.mean
    return Comparison(exposure, exposed_group, unexposed_group, ratio, low, high)


def last_complete_day(period: Period) -> date:
    """The period's last day, but never today or later: a day counts once it is over."""
    today = timezone.now().astimezone(period.zone).date()
    return min(period.last, today - timedelta(days=1))


def exposure_comparisons(user, period: Period) -> list[Comparison]:
    """Every exposure's comparison over `period`, in EXPOSURES order."""
    last = last_complete_day(period)
    if last < period.first:
        return [compare(exposure, [], []) for exposure in EXPOSURES]
    fields = sorted({e.field for e in EXPOSURES})
    max_lag = max(e.lag for e in EXPOSURES)
    rows = dated_rows(
        f"SELECT {DATE}, {', '.join(fields)} FROM {DayLog._meta.db_table} "
        # In date order: the bootstrap resamples days by position, so the same diary must
        # give its days in the same order on any database to give the same interval.
        f"WHERE user_id = %s AND {DATE} BETWEEN %s AND %s ORDER BY {DATE}",
        [user.pk, period.first - timedelta(days=max_lag), last],
    )
    if not rows:  # no check-ins: nothing to compare, and no episodes to count
        return [compare(exposure, [], []) for exposure in EXPOSURES]
    # Episodes per day from the day summary (one row a day with episodes), not the episodes.
    counts = dict(
        dated_rows(
            f"SELECT {DATE}, episodes FROM {DaySummary._meta.db_table} "
            f"WHERE user_id = %s AND {DATE} BETWEEN %s AND %s",
            [user.pk, period.first, last],
        )
    )
    # Each answer column beside the episodes of the day it is compared on (`lag` days later;
    # None outside the range), built once: the join below runs per exposure per day.
    columns = dict(zip(fields, zip(*(row[1:] for row in rows), strict=True), strict=True))
    days = [row[0] for row in rows]
    outcomes = {}
    for lag in {e.lag for e in EXPOSURES}:
        shift = timedelta(days=lag)
        first, final = period.first - shift, last - shift  # the answer's days that count
        outcomes[lag] = [
            counts.get(day + shift, 0) if first <= day <= final else None for day in days
        ]
    comparisons = []
    for exposure in EXPOSURES:
        column = columns[exposure.field]
        # An answer has a few possible values: each tested once, not once a day.
        exposed_by = {value: bool(exposure.test(value)) for value in set(column) - {None}}
        sides = [
            (exposed_by[value], count)
            for value, count in zip(column, outcomes[exposure.lag], strict=True)
            if value is not None and count is not None
        ]
        exposed = [count for on, count in sides if on]
        unexposed = [count for on, count in sides if not on]
        comparisons.append(compare(exposure, exposed, unexposed))
    return comparisons
