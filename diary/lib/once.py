"""
Saving once when a form is sent twice at once (a double tap, a retried request).

Two identical POSTs can both pass a form's "already exists?" check and then both insert; the
database's unique constraint lets one win. The loser's insert runs in a savepoint, so its
failure leaves the surrounding transaction usable, and the winner's row is read back and
answered with, as if this request had saved it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction


def save_once[T](save: Callable[[], T], existing: Callable[[], T]) -> T:
    """`save()`, or `existing()` if a concurrent request saved the same row first."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        return existing()
