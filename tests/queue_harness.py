"""
The app's own processes for the queue tests and the bench, under a pinned clock:

    python -m tests.queue_harness --now 2027-06-10T20:00:00+00:00 people FILE
    python -m tests.queue_harness --now … round
    python -m tests.queue_harness --now … worker [db_worker options]

`people FILE` creates one person per subscription in the JSON file (reminders at the pinned
time's minute in UTC, a device); `round` runs the scheduler's round once (it enqueues batches
in the database queue); `worker` runs `manage.py db_worker`. The database, the push services
allowed and the VAPID key come from the environment (DATABASE_URL, PUSH_SERVICES,
VAPID_PRIVATE_KEY), as for the real processes.

TWITCHLOG_TEST_CRASH=point:n makes the process kill itself (SIGKILL: no clean-up, no atexit)
the n-th time it passes `point`:
- `claimed`: a person's claim has committed, nothing sent yet;
- `sent`: a push service has taken a message, its commit not made;
- `recorded`: that commit is made.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from datetime import UTC, datetime
from pathlib import Path

import time_machine

ROOT = Path(__file__).resolve().parents[1]


def crash_after(point: str, count: int) -> None:
    """Wrap the step named `point` so that its `count`-th pass kills this process."""
    from diary.reminders import delivery, push

    passes = {"n": 0}

    def wrap(module, name, passed):
        original = getattr(module, name)

        def wrapper(*args, **kwargs):
            result = original(*args, **kwargs)
            if passed(result):
                passes["n"] += 1
                if passes["n"] == count:
                    os.kill(os.getpid(), signal.SIGKILL)
            return result

        setattr(module, name, wrapper)

    if point == "claimed":
        wrap(delivery, "claim", lambda claim: claim is not None)
    elif point == "sent":
        wrap(push, "send", lambda outcome: outcome is push.Outcome.DELIVERED)
    elif point == "recorded":
        wrap(delivery, "channel_done", bool)
    else:
        raise SystemExit(f"unknown crash point {point!r}")


def make_people(path: Path, at: datetime) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from diary.models import Profile, PushDevice, ReminderSettings

    subscriptions = json.loads(path.read_text())
    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"reminded{n}", password=password) for n in range(len(subscriptions))],
        batch_size=2000,
    )
    Profile.objects.bulk_create(
        [Profile(user=user, timezone="UTC") for user in users], batch_size=2000
    )
    remind_at = at.astimezone(UTC).replace(second=0, microsecond=0).time()
    ReminderSettings.objects.bulk_create(
        [ReminderSettings(user=user, checkin=True, remind_at=remind_at) for user in users],
        batch_size=2000,
    )
    PushDevice.objects.bulk_create(
        [
            PushDevice(
                user=user,
                endpoint=sub["endpoint"],
                p256dh=sub["keys"]["p256dh"],
                auth=sub["keys"]["auth"],
                name="Bench browser",
            )
            for user, sub in zip(users, subscriptions, strict=True)
        ],
        batch_size=2000,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--now", required=True, help="the pinned instant (ISO 8601, aware)")
    parser.add_argument("command", choices=["people", "round", "worker"])
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    # Ticking: time goes on from the pinned instant, as it does for a real worker.
    time_machine.travel(now, tick=True).start()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchlog.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    crash = os.environ.get("TWITCHLOG_TEST_CRASH")
    if crash:
        point, _, count = crash.partition(":")
        crash_after(point, int(count or 1))
    if args.command == "people":
        make_people(Path(args.rest[0]), now)
    elif args.command == "round":
        from diary.reminders.tasks import remind

        print(remind.call())
    else:
        from django.core.management import call_command

        call_command("db_worker", "--no-reload", "--no-startup-delay", *args.rest)


if __name__ == "__main__":
    main()
