"""
The one writer of a user's derived data.

Every write of a user's data (log, edit, delete, undo, import, day check-ins, triggers, checks)
calls `data_changed` inside the same transaction as the write, so caches keyed on the user's data
version and the per-day summary can never disagree with the rows they are derived from.

The per-day summary (DaySummary) is rebuilt for the dates a write touched: those dates' rows are
deleted and recomputed from the Episode rows. Simple, and right whatever the write did.
`rebuild_summaries` (management command) recomputes every date from scratch.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models import F

from diary.models import SYMPTOMS, DaySummary, Episode, Profile

# Dates per query: far below SQLite's bound-parameter limit.
CHUNK_DATES = 400


def data_changed(user, local_dates: Iterable[date] = ()) -> None:
    """
    Record that `user`'s data changed; `local_dates` are the episodes' local dates touched
    (old and new date on an edit). Call inside the write's transaction.
    """
    dates = sorted(set(local_dates))
    # Within the caller's transaction (no savepoint: a failure here fails the write anyway);
    # called outside one, this is a transaction of its own.
    with transaction.atomic(savepoint=False):
        Profile.objects.filter(user=user).update(data_version=F("data_version") + 1)
        if dates:
            rebuild_days(user.pk, dates)


def rebuild_days(
    user_id: int, dates: list[date] | None, *, episode_model=Episode, summary_model=DaySummary
) -> int:
    """
    Delete and recompute the user's summaries of `dates` (None: every date). Returns the number
    of summary rows written. The models are parameters so the data migration can pass its own.
    """
    if dates is None:
        summary_model.objects.filter(user_id=user_id).delete()
        summaries = summarize(user_id, None, episode_model, summary_model)
        summary_model.objects.bulk_create(summaries, batch_size=500)
        return len(summaries)
    written = 0
    for i in range(0, len(dates), CHUNK_DATES):
        chunk = dates[i : i + CHUNK_DATES]
        summary_model.objects.filter(user_id=user_id, date__in=chunk).delete()
        summaries = summarize(user_id, chunk, episode_model, summary_model)
        summary_model.objects.bulk_create(summaries, batch_size=500)
        written += len(summaries)
    return written


def _add(counts: dict, group: str, key, n: int = 1) -> None:
    bucket = counts.setdefault(group, {})
    bucket[str(key)] = bucket.get(str(key), 0) + n


def summarize(user_id: int, dates: list[date] | None, episode_model, summary_model) -> list:
    """Unsaved summary rows for the user's episodes on `dates` (None: all): three queries."""
    episodes = episode_model.objects.filter(user_id=user_id, deleted_at__isnull=True)
    if dates is not None:
        episodes = episodes.filter(local_date__in=dates)
    rows = list(
        episodes.order_by().values_list(
            "id", "local_date", "local_hour", "duration", "intensity", *SYMPTOMS
        )
    )
    if not rows:
        return []
    ids = episodes.values("id")
    sites: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for episode_id, code, region in (
        episode_model.sites.through.objects.filter(episode_id__in=ids)
        .order_by()
        .values_list("episode_id", "bodysite__code", "bodysite__region")
    ):
        sites[episode_id].append((code, region))
    triggers: dict[int, list[int]] = defaultdict(list)
    for episode_id, trigger_id in (
        episode_model.triggers.through.objects.filter(episode_id__in=ids)
        .order_by()
        .values_list("episode_id", "trigger_id")
    ):
        triggers[episode_id].append(trigger_id)

    days: dict[date, dict] = {}
    totals: Counter = Counter()
    seconds: Counter = Counter()
    for pk, day, hour, duration, intensity, *flags in rows:
        counts = days.setdefault(day, {})
        totals[day] += 1
        seconds[day] += duration.total_seconds()
        _add(counts, "hours", hour)
        if intensity is not None:
            _add(counts, "intensities", intensity)
        for name, on in zip(SYMPTOMS, flags, strict=True):
            if on:
                _add(counts, "symptoms", name)
        for code, _region in sites[pk]:
            _add(counts, "sites", code)
        # An episode in both calves touches one region once.
        for region in {region for _code, region in sites[pk]}:
            _add(counts, "regions", region)
        for trigger_id in set(triggers[pk]):
            _add(counts, "triggers", trigger_id)
    return [
        summary_model(
            user_id=user_id, date=day, episodes=totals[day], seconds=seconds[day], counts=counts
        )
        for day, counts in sorted(days.items())
    ]
