"""
The reminders' tasks on Django's task queue: `remind`, the round the scheduler enqueues every
minute (`manage.py crontask`), and `send_reminders`, one batch of people, run by the workers
(`manage.py db_worker`); `tidy` drops old bookkeeping once a day.
"""

from __future__ import annotations

from datetime import date, timedelta

from crontask import cron
from django.core.management import call_command
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from diary.models import ReminderDelivery, ReminderSettings
from diary.reminders import schedule, sending

# People per send task: small enough that both workers share a round, and that a worker
# killed mid-batch leaves little for the next round.
BATCH = 50
# Days of delivery rows kept (for "today's reminder was skipped/sent" and a little history).
KEEP_DAYS = 7


@cron("* * * * *")
@task
def remind() -> int:
    """This minute's round: hand everyone due a reminder to the workers, in batches."""
    now = timezone.now()
    handed = 0
    for zone in schedule.zones():
        day, people = schedule.due_in(zone, now)
        for start in range(0, len(people), BATCH):
            batch = people[start : start + BATCH]
            # One transaction: marked as handed over if and only if the task is in the queue.
            with transaction.atomic():
                ReminderSettings.objects.filter(user_id__in=batch).update(
                    dispatched_for=day, dispatched_at=now
                )
                send_reminders.enqueue(batch, day.isoformat())
            handed += len(batch)
    return handed


@task
def send_reminders(user_ids: list[int], day: str) -> dict[str, int]:
    return sending.send_batch(user_ids, date.fromisoformat(day))


@cron("40 3 * * *")
@task
def tidy() -> None:
    """Old delivery rows and finished tasks (a week of failed ones, for a look) go."""
    ReminderDelivery.objects.filter(
        day__lt=timezone.now().date() - timedelta(days=KEEP_DAYS)
    ).delete()
    call_command(
        "prune_db_task_results", min_age_days=1, failed_min_age_days=KEEP_DAYS, verbosity=0
    )
