"""
Managing triggers: add, rename, merge and delete own triggers, hide built-ins from the Log page.
Each change is one transaction that records which days it touched (data_changed). And the
triggers the Log page offers, as its kept form fields' key reads them.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet

from diary.lib.once import save_once
from diary.models import Episode, Profile, Trigger, data_changed


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


def offered_names(user) -> list[tuple[int, str]]:
    """
    Trigger.objects.offered_to(user).values_list("pk", "name"), in plain SQL: the Log page reads
    it after every write (the key of its kept form fields), and the ORM's building of the query
    cost more than its running.
    """
    quote = connection.ops.quote_name
    hidden = Profile.hidden_triggers.through._meta
    sql = (
        f"SELECT t.id, t.name FROM {quote(Trigger._meta.db_table)} t "
        "WHERE (t.user_id IS NULL OR t.user_id = %s) AND NOT EXISTS (SELECT 1 FROM "
        f"{quote(hidden.db_table)} h WHERE h.{quote(hidden.get_field('profile').column)} = %s "
        f"AND h.{quote(hidden.get_field('trigger').column)} = t.id) "
        "ORDER BY t.user_id ASC, t.name ASC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.profile.pk])
        return cursor.fetchall()
