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
  figures), which respects how much the count varies from day to day.
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

import numpy as np
from django.utils import timezone
from scipy import stats

from diary.insights import Period
from diary.models import DaySummary
from diary.models.checkins import DayLog, Stress

MIN_DAYS = 7
CONFIDENCE = 0.95
# 1,000 resamples: the usual minimum for a 95% percentile interval (its ends are the 25th and
# 975th resampled ratios); the cost grows with resamples x days, and this keeps the section
# within its share of the Trends page (make bench).
RESAMPLES = 1000
SEED = 20261202
SHORT_NIGHT_BELOW = 6  # hours: the sleep bands under 6 h (Sleep.UNDER_5, Sleep.FROM_5)
TABLE_TITLE = "Daily exposures (self-reported check-ins)"
TABLE_HEADER = ["Exposure", "Days with", "Avg. with", "Days without", "Avg. without", "Ratio"]


@dataclass(frozen=True)
class Exposure:
    """One question turned into "with" and "without" days, `lag` days later (0: same day)."""

    key: str
    field: str
    label: str  # table heading: what "with" means
    with_words: str  # the sentence's start
    test: Callable[[object], bool]
    lag: int = 0


def _short_night(hours: object) -> bool:
    return isinstance(hours, int) and hours < SHORT_NIGHT_BELOW


EXPOSURES = (
    Exposure(
        "short_night",
        "sleep",
        "Short night (under 6 h)",
        "On days after a short night (under 6 h)",
        _short_night,
    ),
    Exposure(
        "short_night_next_day",
        "sleep",
        "Short night (under 6 h), the day after",
        "On the second day after a short night (under 6 h)",
        _short_night,
        lag=1,
    ),
    Exposure(
        "caffeine",
        "caffeine",
        "3 or more caffeine drinks",
        "On days with 3 or more caffeine drinks",
        lambda drinks: drinks >= 3,
    ),
    Exposure(
        "stress", "stress", "High stress", "On days with high stress", lambda s: s == Stress.HIGH
    ),
    Exposure(
        "hard_exercise",
        "hard_exercise",
        "Hard exercise",
        "On days with hard exercise",
        bool,
    ),
    Exposure(
        "hard_exercise_next_day",
        "hard_exercise",
        "Hard exercise, the day after",
        "On days after a day with hard exercise",
        bool,
        lag=1,
    ),
    Exposure(
        "alcohol",
        "alcohol",
        "Any alcoholic drinks",
        "On days with any alcoholic drinks",
        lambda drinks: drinks >= 1,
    ),
    Exposure("unwell", "unwell", "Felt unwell", "On days you felt unwell", bool),
    Exposure(
        "new_medicine",
        "new_medicine",
        "New or changed medicine",
        "On days with a new or changed medicine",
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

    @property
    def mean(self) -> float | None:
        return sum(self.counts) / len(self.counts) if self.counts else None

    @property
    def twitch_days(self) -> int:
        return sum(1 for n in self.counts if n)

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
        return self.exposure.label

    @property
    def enough(self) -> bool:
        return self.exposed.days >= MIN_DAYS and self.unexposed.days >= MIN_DAYS

    @property
    def not_enough_text(self) -> str:
        return (
            f"Not enough days to compare yet ({self.exposed.days} with, "
            f"{self.unexposed.days} without; {MIN_DAYS} of each needed)."
        )

    @property
    def text(self) -> str:
        """The finding in one sentence, numbers first; never a cause."""
        if not self.enough:
            return self.not_enough_text
        exposed, unexposed = self.exposed, self.unexposed
        sentence = (
            f"{self.exposure.with_words} you logged on average {exposed.mean:.1f} episodes "
            f"({_days(exposed.days)}); on other days {unexposed.mean:.1f} "
            f"({_days(unexposed.days)})"
        )
        if self.ratio is None:
            return f"{sentence}, so there is no ratio to give."
        if self.low is None or self.high is None:
            too_wide = "the range is too wide to give yet"
            return f"{sentence}: about {self.ratio:.1f} times as many ({too_wide})."
        return (
            f"{sentence}: about {self.ratio:.1f} times as many "
            f"(plausible range {self.low:.1f}–{self.high:.1f})."
        )

    @property
    def share_text(self) -> str:
        """How many days of each side had any twitching."""
        return (
            f"Any twitching on {self.exposed.twitch_days} of {_days(self.exposed.days)} "
            f"({_percent(self.exposed.share)}) with, {self.unexposed.twitch_days} of "
            f"{_days(self.unexposed.days)} ({_percent(self.unexposed.share)}) without."
        )

    @property
    def ratio_text(self) -> str:
        if not self.enough:
            return "Not enough days yet"
        if self.ratio is None:
            return "No ratio (none on other days)"
        if self.low is None or self.high is None:
            return f"{self.ratio:.1f} (range too wide)"
        return f"{self.ratio:.1f} ({self.low:.1f}–{self.high:.1f})"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)}%"


def _ratio_of_means(exposed, unexposed, axis=-1):
    # Resamples whose "without" days all had no episodes divide by zero: inf, sorted last.
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.mean(exposed, axis=axis) / np.mean(unexposed, axis=axis)


def _interval(exposed: Group, unexposed: Group) -> tuple[float | None, float | None]:
    """The bootstrap interval of the ratio of means, resampling days within each side."""
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
    rows = (
        DayLog.objects.for_user(user)
        .on_dates(period.first - timedelta(days=max_lag), last)
        .order_by()
        .values_list("date", *fields)
    )
    answers = {row[0]: dict(zip(fields, row[1:], strict=True)) for row in rows}
    if not answers:  # no check-ins: nothing to compare, and no episodes to count
        return [compare(exposure, [], []) for exposure in EXPOSURES]
    # Episodes per day from the day summary (one row a day with episodes), not the episodes.
    counts = dict(
        DaySummary.objects.filter(user=user, date__range=(period.first, last))
        .order_by()
        .values_list("date", "episodes")
    )
    comparisons = []
    for exposure in EXPOSURES:
        sides: dict[bool, list[int]] = {True: [], False: []}
        for day, values in answers.items():
            value, outcome_day = values[exposure.field], day + timedelta(days=exposure.lag)
            if value is None or not period.first <= outcome_day <= last:
                continue
            sides[bool(exposure.test(value))].append(counts.get(outcome_day, 0))
        comparisons.append(compare(exposure, sides[True], sides[False]))
    return comparisons


def comparison_rows(comparisons: list[Comparison]) -> list[list[str]]:
    """The PDF's "Daily exposures" table as plain strings, TABLE_HEADER first."""
    rows = [list(TABLE_HEADER)]
    for c in comparisons:
        rows.append(
            [
                c.label,
                str(c.exposed.days),
                "–" if c.exposed.mean is None else f"{c.exposed.mean:.1f}",
                str(c.unexposed.days),
                "–" if c.unexposed.mean is None else f"{c.unexposed.mean:.1f}",
                c.ratio_text,
            ]
        )
    return rows
