"""The period a page or report shows: local calendar dates, parsed from the query string."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from diary.lib.clock import iso_week_start, local_midnight

PRESET_WEEKS = (4, 8, 12, 26, 52)
MAX_YEARS = 5
EARLIEST_YEAR = 1900
LATEST_YEAR = 2999
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class PeriodError(ValueError):
    """A range the user asked for that we cannot show; the message is shown to them as is."""


@dataclass(frozen=True)
class Period:
    """
    Local calendar dates first..last (inclusive). Episodes belong to it by their own stored
    local date (the zone each was logged in); `zone` is the profile's, which decided "today".
    """

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
        raise PeriodError(_("Enter dates as YYYY-MM-DD."))
    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(_("Enter dates as YYYY-MM-DD.")) from None
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise PeriodError(
            _("Choose dates between %(first)d and %(last)d.")
            % {"first": EARLIEST_YEAR, "last": LATEST_YEAR}
        )
    return day


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def young_start(today: date, weeks: int, first_logged: date | None) -> date | None:
    """The first logged day, if it is later than the start of the last `weeks` weeks."""
    start = iso_week_start(today) - timedelta(weeks=weeks - 1)
    if first_logged is not None and start < first_logged <= today:
        return first_logged
    return None


def default_period(
    today: date, zone: ZoneInfo, weeks: int, first_logged: date | None = None
) -> Period:
    """
    The last `weeks` weeks; for a diary younger than that, the days since its first logged
    day, so a page never opens on weeks that were not being logged.
    """
    since = young_start(today, weeks, first_logged)
    if since is not None:
        return Period(first=since, last=today, zone=zone)
    return Period.last_weeks(weeks, today, zone)


def parse_period(
    params: Mapping[str, str],
    *,
    today: date,
    zone: ZoneInfo,
    default_weeks: int = 12,
    first_logged: date | None = None,
) -> Period:
    """
    The period a page or report asked for: `?from=YYYY-MM-DD&to=YYYY-MM-DD` (either may be
    left out: `to` defaults to today, `from` to `default_weeks` weeks before `to`), else
    `?weeks=4|8|12|26|52`, else the default (`default_period`: the last `default_weeks`
    weeks, or the days since `first_logged` while that is shorter). Raises PeriodError.
    """
    start_text, end_text = params.get("from", "").strip(), params.get("to", "").strip()
    if start_text or end_text:
        last = _parse_date(end_text) if end_text else today
        if start_text:
            first = _parse_date(start_text)
        else:
            first = iso_week_start(last) - timedelta(weeks=default_weeks - 1)
        if last < first:
            raise PeriodError(_("The end date is before the start date."))
        if last >= _years_later(first, MAX_YEARS):
            raise PeriodError(
                ngettext(
                    "A range can be at most %(years)d year.",
                    "A range can be at most %(years)d years.",
                    MAX_YEARS,
                )
                % {"years": MAX_YEARS}
            )
        return Period(first=first, last=last, zone=zone)
    weeks_text = params.get("weeks", "").strip()
    if not weeks_text:
        return default_period(today, zone, default_weeks, first_logged)
    if weeks_text not in {str(w) for w in PRESET_WEEKS}:
        choices = ", ".join(str(w) for w in PRESET_WEEKS[:-1])
        raise PeriodError(
            _("Choose %(choices)s or %(last)d weeks, or enter dates.")
            % {"choices": choices, "last": PRESET_WEEKS[-1]}
        )
    return Period.last_weeks(int(weeks_text), today, zone)
