"""
The one clock: a person's "today", wall-clock times <-> aware instants (daylight-saving gaps
and overlaps made explicit), ISO weeks.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone


class NonexistentTimeError(ValueError):
    """The wall-clock time falls in a spring-forward gap: clocks skipped it."""


class AmbiguousTimeError(ValueError):
    """The wall-clock time happens twice (clocks went back): say which one."""

    def __init__(self, earlier: datetime, later: datetime) -> None:
        super().__init__(f"{earlier} happens twice")
        self.earlier = earlier
        self.later = later


def make_aware_strict(naive: datetime, zone: ZoneInfo, fold: int | None = None) -> datetime:
    """
    Attach `zone` to a naive wall-clock time, refusing to guess.

    zoneinfo silently maps a time in a DST gap to a shifted instant and picks fold=0 for an
    ambiguous one; a diary must not move a twitch by an hour without saying so.
    """
    earlier = naive.replace(tzinfo=zone, fold=0)
    later = naive.replace(tzinfo=zone, fold=1)
    # A real wall time survives a round trip through UTC unchanged; a gap time does not.
    round_trip = earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if round_trip != naive:
        raise NonexistentTimeError(f"{naive} does not exist in {zone.key}")
    if earlier.utcoffset() != later.utcoffset():
        if fold is None:
            raise AmbiguousTimeError(earlier, later)
        return later if fold else earlier
    return earlier


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The aware instant at which `day` starts in `zone` (the first valid time that day)."""
    start = datetime.combine(day, time.min)
    try:
        return make_aware_strict(start, zone, fold=0)
    except NonexistentTimeError:
        # Some zones skip midnight itself, not always by an hour (America/Havana to 01:00,
        # Asia/Kathmandu by 15 minutes in 1986, Pacific/Apia past all of 30 Dec 2011): the day
        # starts at the jump, which lies between midnight read with the offset after it (on
        # the day before) and with the offset before it. Bisect to the second.
        low = start.replace(tzinfo=zone, fold=1).astimezone(UTC)
        high = start.replace(tzinfo=zone, fold=0).astimezone(UTC)
        while high - low > timedelta(seconds=1):
            middle = (low + (high - low) / 2).replace(microsecond=0)
            if middle.astimezone(zone).date() < day:
                low = middle
            else:
                high = middle
        return high.astimezone(zone)


def iso_week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def local_now(user) -> datetime:
    """
    Now in `user`'s profile zone: the hour up to which an unfinished "this week so far" is
    compared with earlier weeks.
    """
    return timezone.now().astimezone(user.profile.zone)


def local_today(user) -> date:
    """
    Today in `user`'s profile zone: what "today", "this week" and default periods mean for
    them, wherever the server runs.
    """
    return local_now(user).date()
