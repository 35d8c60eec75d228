"""
Reminders at scale: everyone's reminder due in the same minute, sent by two `db_worker`
processes (the real queue, on this section's SQLite file) to a push service on 127.0.0.1
(tests/pushservice.py, in its own process: it checks each VAPID token and decrypts each
message, as a real one would check and deliver it).

Measured:
- the round (the scheduler's task: who is due, handed to the queue in batches);
- all delivered, from the round's start to the last message at the push service (target:
  within 10 minutes), with 0 repeats and 0 lost;
- each send's cost: two workers' wall time per message, and their CPU time per message (which
  other load on the machine does not inflate), against a floor measured in the same run, one
  bare encrypted push (pywebpush, the same push service, one connection);
- the Log page (GET /, logged in, in this process) while the workers run, against the same
  page before them (target: within 1.5x), read by one person every ~0.3 s. The workers run at
  a lower CPU priority (nice 10), as the README's production units do. (The push service runs
  at normal priority: in real life it is not on the app's machine, and every send waits for
  its answer.)

People: BENCH_REMINDER_PEOPLE (default 5,000; the README gives the 100,000 figure, measured
with BENCH_REMINDER_PEOPLE=100000). Loopback only; every wait is bounded.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from benchlib import Context, Row, check_row, time_row
from django.db import connection

TITLE = "Reminders: one minute's round through the queue"
ROOT = Path(__file__).resolve().parent.parent
PEOPLE = int(os.environ.get("BENCH_REMINDER_PEOPLE", 5000))
WORKERS = 2
DEADLINE = timedelta(minutes=10)
FLOOR_PUSHES = 200


def push_service(pipe, count: int) -> None:
    """The push service's process: makes `count` subscriptions, then answers `stats`."""
    sys.path.insert(0, str(ROOT))
    from tests.pushservice import PushService

    service = PushService().start()
    pipe.send((service.origin, service.subscribe_many(count + FLOOR_PUSHES)))
    while (command := pipe.recv()) != "stop":
        if command == "key":
            service.state.application_key = pipe.recv()
        stats = service.stats()
        if command == "stats":
            since = pipe.recv()
            stats["first"] = min(
                (m.received_at for m in service.messages() if m.received_at >= since),
                default=None,
            )
        pipe.send(stats)
    service.stop()


def make_people(subscriptions: list[dict], remind_at) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from diary.models import Profile, PushDevice, ReminderSettings

    User = get_user_model()
    password = make_password(None)
    users = User.objects.bulk_create(
        [User(username=f"reminded{n}", password=password) for n in range(len(subscriptions))],
        batch_size=2000,
    )
    Profile.objects.bulk_create([Profile(user=u, timezone="UTC") for u in users], batch_size=2000)
    ReminderSettings.objects.bulk_create(
        [ReminderSettings(user=u, checkin=True, remind_at=remind_at) for u in users],
        batch_size=2000,
    )
    PushDevice.objects.bulk_create(
        [
            PushDevice(
                user=u,
                endpoint=s["endpoint"],
                p256dh=s["keys"]["p256dh"],
                auth=s["keys"]["auth"],
                name="Bench",
            )
            for u, s in zip(users, subscriptions, strict=True)
        ],
        batch_size=2000,
    )


def peak_rss(pid: int) -> int:
    """A running process's peak resident memory (kB), 0 once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0
    )


def bare_push_floor(subscriptions: list[dict], keys) -> float:
    """Median seconds of one bare encrypted push (pywebpush) to the same push service."""
    from pywebpush import WebPusher

    from diary.reminders.keys import authorization

    data = json.dumps({"title": "Today's check-in", "body": "x" * 80, "url": "/"}).encode()
    times = []
    with requests.Session() as session:
        for subscription in subscriptions:
            headers = {"Authorization": authorization(keys, subscription["endpoint"])}
            start = time.perf_counter()
            response = WebPusher(subscription, requests_session=session).send(
                data, headers, ttl=60, content_encoding="aes128gcm", timeout=10
            )
            times.append(time.perf_counter() - start)
            assert response.status_code == 201, response.text
    return statistics.median(times)


def run(ctx: Context) -> list[Row]:
    from django.conf import settings

    from diary.reminders.keys import new_keys
    from diary.reminders.tasks import remind

    keys = new_keys()
    here, there = multiprocessing.Pipe()
    service = multiprocessing.get_context("fork").Process(
        target=push_service, args=(there, PEOPLE), daemon=True
    )
    service.start()
    try:
        origin, subscriptions = here.recv()
        here.send("key")
        here.send(keys.public)
        here.recv()
        settings.PUSH_SERVICES = [origin]
        settings.VAPID_PRIVATE_KEY = keys.private
        people, floor_subscriptions = subscriptions[:PEOPLE], subscriptions[PEOPLE:]
        now = datetime.now(UTC)
        make_people(people, now.replace(second=0, microsecond=0).time())

        reader = ctx.user("reader")
        client = ctx.client(reader)
        floor = bare_push_floor(floor_subscriptions, keys)
        page_before = ctx.time_request(client, "get", "/").median

        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
            "PUSH_SERVICES": origin,
            "VAPID_PRIVATE_KEY": keys.private,
            "DJANGO_SETTINGS_MODULE": "twitchlog.settings",
        }
        connection.close()  # the workers write; this process only reads from here on
        children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started, started_wall = time.perf_counter(), time.time()
        handed = remind.call()
        round_seconds = time.perf_counter() - started
        logs = [ctx.tmpdir / f"reminder-worker-{n}.log" for n in range(WORKERS)]
        workers = [
            subprocess.Popen(
                [
                    "nice",
                    "-n",
                    "10",
                    sys.executable,
                    "manage.py",
                    "db_worker",
                    "--batch",
                    "--no-reload",
                    "--no-startup-delay",
                    "--interval",
                    "0.1",
                ],
                cwd=ROOT,
                env=env,
                # A file, not a pipe: a worker logs every task, and a full pipe would stop it.
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
            for log in logs
        ]
        during = []
        peak_rss_kb = 0
        deadline = time.monotonic() + DEADLINE.total_seconds() * 2
        while any(w.poll() is None for w in workers):
            peak_rss_kb = max([peak_rss_kb, *(peak_rss(w.pid) for w in workers)])
            if time.monotonic() > deadline:
                for worker in workers:
                    worker.kill()
                raise RuntimeError("the workers did not finish within twice the deadline")
            during.append(ctx.time_request(client, "get", "/", runs=1, warmup=0).median)
            time.sleep(0.3)  # a person reading, not a load test
        here.send("stats")
        here.send(started_wall)
        stats = here.recv()
        errors = [log.read_text(errors="replace") for log in logs]
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu = (children.ru_utime + children.ru_stime) - (
            children_before.ru_utime + children_before.ru_stime
        )
    finally:
        here.send("stop")
        service.join(timeout=30)

    problems = [e for e in errors if "Traceback" in e]
    if problems:
        raise RuntimeError(problems[0][-3000:])
    # The push service's clock is this machine's: the last arrival against the round's start.
    delivered = stats["last"] - started_wall
    sends = stats["messages"] - FLOOR_PUSHES
    reached = stats["endpoints"] - FLOOR_PUSHES
    # From the first message to the last: the workers' start-up (a Django process each) aside.
    sending = stats["last"] - stats["first"]
    per_send = sending * WORKERS / max(sends, 1)
    page_during = statistics.median(during) if during else float("nan")
    return [
        check_row("people due in the same minute", f"{PEOPLE:,}", target="", ok=None),
        time_row("the round (who is due, handed to the queue)", round_seconds),
        check_row(
            "handed to the queue", f"{handed:,}", target=f"= {PEOPLE:,}", ok=handed == PEOPLE
        ),
        time_row(
            f"all delivered by {WORKERS} workers (round start to last message)",
            delivered,
            max_seconds=DEADLINE.total_seconds(),
        ),
        check_row(
            "sends per second",
            f"{sends / max(sending, 1e-9):,.0f}",
            target="",
            ok=None,
        ),
        check_row("repeated", sends - reached, target="0", ok=sends == reached),
        check_row("lost", PEOPLE - reached, target="0", ok=reached == PEOPLE),
        check_row(
            "refused by the push service", stats["refused"], target="0", ok=not stats["refused"]
        ),
        time_row("floor: one bare encrypted push", floor),
        time_row(
            "one send (2 workers' time per message, first to last)",
            per_send,
            floor=floor,
            floor_name="bare push",
        ),
        time_row("GET / before the round", page_before),
        time_row(
            "GET / while the workers run",
            page_during,
            floor=page_before,
            floor_name="before",
            max_ratio=1.5,
        ),
        time_row(
            "workers' CPU time per send (whatever else the machine runs)",
            worker_cpu / max(sends, 1),
            floor=floor,
            floor_name="bare push",
        ),
        check_row(
            "a round of 100,000 at that CPU time on 2 idle cores",
            f"{worker_cpu / max(sends, 1) * 100_000 / WORKERS / 60:.1f} min",
            target="",
            ok=None,
        ),
        check_row("largest worker's peak RSS", f"{peak_rss_kb / 1024:.0f} MB", target="", ok=None),
    ]
