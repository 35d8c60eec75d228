"""
The one filter for "dated within [first, last], either end open", shared by every queryset
that narrows rows to a span of local calendar dates (episodes, daily check-ins, day summaries).

It imports nothing from the app, so model modules on either side of diary.models can use it.
"""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet


def within_dates[QS: QuerySet](
    queryset: QS, field: str, first: date | None, last: date | None
) -> QS:
    """The rows of `queryset` whose date `field` is within [first, last]; a None end is open."""
    if first is not None:
        queryset = queryset.filter(**{f"{field}__gte": first})
    if last is not None:
        queryset = queryset.filter(**{f"{field}__lte": last})
    return queryset
