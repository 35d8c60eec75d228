"""
The one writer of a user's derived data.

Every write of a user's data (log, edit, delete, undo, import, day check-ins, triggers, checks)
calls `data_changed` inside the same transaction as the write, so caches keyed on the user's data
version and the per-day summary can never disagree with the rows they are derived from.

The per-day summary (DaySummary, diary/models/summary.py) is rebuilt for the dates a write
touched: those dates' rows are deleted and recomputed from the Episode rows. Simple, and right
whatever the write did. A write that only inserts episodes (logging one) says so (`added`):
each is added to its day's row instead, which equals a rebuild for less work; an import counts
what it inserts as it goes (`tally`), and its days that had no episode are made from that.
`rebuild_summaries` (management command) recomputes every date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import transaction
from django.db.models import F

from diary.models.profile import Profile
from diary.models.summary import DayTally, NewEpisode, add_to_days, new_days, rebuild_days


def data_changed(
    user,
    local_dates: Iterable[date] = (),
    *,
    added: Sequence[NewEpisode] = (),
    tally: DayTally | None = None,
) -> None:
    """
    Record that `user`'s data changed; `local_dates` are the episodes' local dates touched
    (old and new date on an edit), rebuilt; `added` are episodes the write inserted and its
    only change to their dates, added to those days; `tally` counts many it inserted (an
    import): their days without a summary are made from it, the others rebuilt. Call inside
    the write's transaction.
    """
    dates = sorted(set(local_dates) - {new.episode.local_date for new in added})
    # Within the caller's transaction (no savepoint: a failure here fails the write anyway);
    # called outside one, this is a transaction of its own.
    with transaction.atomic(savepoint=False):
        # First: the UPDATE locks the person's profile row until the write commits, so two
        # writes of one person take turns at their summaries (add_to_days reads, then writes).
        Profile.objects.filter(user=user).update(data_version=F("data_version") + 1)
        if tally is not None:
            dates = sorted({*dates, *new_days(user.pk, tally)})
        if dates:
            rebuild_days(user.pk, dates)
        if added:
            add_to_days(user.pk, list(added))
