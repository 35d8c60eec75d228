"""
The one writer of a user's derived data.

Every write of a user's data (log, edit, delete, undo, import, day check-ins, triggers, checks)
calls `data_changed` inside the same transaction as the write, so caches keyed on the user's data
version and the per-day summary can never disagree with the rows they are derived from.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date


def data_changed(user, local_dates: Iterable[date] = ()) -> None:
    """
    Record that `user`'s data changed; `local_dates` are the episodes' local dates touched
    (old and new date on an edit). Call inside the write's transaction.
    """
