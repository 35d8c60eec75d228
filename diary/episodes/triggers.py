"""
Managing triggers: add, rename, merge and delete own triggers, hide built-ins from the Log page.
Each change is one transaction that records which days it touched (data_changed).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from diary.lib.once import save_once
from diary.models import Episode, Trigger, data_changed


def own_with_counts(user) -> QuerySet[Trigger]:
    """The user's own triggers by name, each with how many live episodes carry it."""
    live = Q(episodes__deleted_at__isnull=True)
    return (
        Trigger.objects.filter(user=user)
        .annotate(episode_count=Count("episodes", filter=live))
        .order_by("name")
    )


def episode_count(trigger: Trigger) -> int:
    return trigger.episodes.filter(deleted_at__isnull=True).count()


def _dates(trigger: Trigger) -> list[date]:
    # Deleted episodes too: Undo brings them back with whatever triggers they have then.
    return sorted(set(trigger.episodes.values_list("local_date", flat=True)))


def add(form) -> Trigger:
    """Save a valid TriggerForm, once however often it is sent."""
    with transaction.atomic():
        trigger = save_once(form.save, form.twin)
        data_changed(trigger.user)
    return trigger


def rename(form) -> Trigger | None:
    """
    Save a valid TriggerRenameForm; None when another of the person's triggers took the name
    between the form's check and the save (two renames to one name at once): nothing changes.
    """
    with transaction.atomic():
        trigger = save_once(form.save, lambda: None)
        if trigger is not None:
            data_changed(trigger.user, _dates(trigger))
    return trigger


def merge(trigger: Trigger, into: Trigger) -> int:
    """Move every episode carrying `trigger` to `into`, then delete `trigger`. Returns count."""
    with transaction.atomic():
        dates = _dates(trigger)
        through = Episode.triggers.through
        episode_ids = set(trigger.episodes.values_list("pk", flat=True))
        already = set(into.episodes.filter(pk__in=episode_ids).values_list("pk", flat=True))
        through.objects.bulk_create(
            [through(episode_id=pk, trigger_id=into.pk) for pk in episode_ids - already]
        )
        trigger.delete()
        data_changed(into.user or trigger.user, dates)
    return len(episode_ids)


def delete(trigger: Trigger) -> int:
    """Delete an own trigger; its episodes stay, without it. Returns how many carried it."""
    with transaction.atomic():
        dates, count = _dates(trigger), episode_count(trigger)
        user = trigger.user
        trigger.delete()
        data_changed(user, dates)
    return count


def set_shown(user, shown: QuerySet[Trigger] | list[Trigger]) -> None:
    """Offer exactly `shown` of the built-ins on the Log page; hide the rest."""
    with transaction.atomic():
        hidden = Trigger.objects.filter(user=None).exclude(pk__in=[t.pk for t in shown])
        user.profile.hidden_triggers.set(hidden)
        data_changed(user, [])
