"""
The reminders on the real queue: the scheduler's round enqueues batches in the database, and
`manage.py db_worker` processes send them to a push service on 127.0.0.1, on a SQLite file as
in production. Workers are killed (SIGKILL, no clean-up) at each point of a send and at
random; every person must get their reminder, and only the one window delivery.py documents
(after the push service took a message, before its commit) may repeat it.

The processes run under a pinned clock (tests/queue_harness.py), so nothing here depends on
the day or hour the suite runs.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from diary.reminders.keys import new_keys
from tests.pushservice import PushService

ROOT = Path(__file__).resolve().parents[1]
T0 = datetime(2027, 6, 10, 20, 0, tzinfo=UTC)
# Past REDISPATCH_AFTER (15 min) and SENDING_TIMEOUT (4 min): the round that recovers what
# killed workers left behind.
RECOVERY = T0 + timedelta(minutes=16)
WAIT = 120  # seconds: how long a worker may take to drain a round on a busy machine
# The random kills: how many people, and how many kills at most.
KILL_PEOPLE, KILLS = 200, 8


pytestmark = pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the workers run on a SQLite file of their own whatever the suite's database: "
    "the SQLite run covers it",
)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory) -> Path:
    database = tmp_path_factory.mktemp("queue") / "migrated.sqlite3"
    env = environment(database)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=600,
    )
    return database


def environment(database: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    return {**env, "DEBUG": "1", "DATABASE_URL": f"sqlite:///{database}", **extra}


class Queue:
    """A copy of the migrated database, a push service, and the app's processes on them."""

    def __init__(self, migrated: Path, tmp_path: Path) -> None:
        self.database = tmp_path / "db.sqlite3"
        shutil.copyfile(migrated, self.database)
        self.push = PushService().start()
        keys = new_keys()
        self.push.state.application_key = keys.public
        self.env = environment(
            self.database, PUSH_SERVICES=self.push.origin, VAPID_PRIVATE_KEY=keys.private
        )
        self.tmp_path = tmp_path
        self.workers: list[subprocess.Popen] = []

    def command(self, now: datetime, *args: str, crash: str | None = None) -> list[str]:
        return [sys.executable, "-m", "tests.queue_harness", "--now", now.isoformat(), *args]

    def run(self, now: datetime, *args: str, crash: str | None = None):
        env = {**self.env, **({"TWITCHLOG_TEST_CRASH": crash} if crash else {})}
        return subprocess.run(
            self.command(now, *args), cwd=ROOT, env=env, capture_output=True, timeout=300
        )

    def people(self, count: int) -> list[dict]:
        subscriptions = [self.push.subscribe() for _ in range(count)]
        path = self.tmp_path / "subscriptions.json"
        path.write_text(json.dumps(subscriptions))
        done = self.run(T0, "people", str(path))
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return subscriptions

    def round(self, now: datetime) -> int:
        done = self.run(now, "round")
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return int(done.stdout.decode().split()[-1])

    def start_worker(self, now: datetime) -> subprocess.Popen:
        log = (self.tmp_path / f"worker-{len(self.workers)}.log").open("wb")
        worker = subprocess.Popen(
            self.command(now, "worker", "--interval", "0.05"),
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.workers.append(worker)
        return worker

    def rows(self, sql: str) -> list[tuple]:
        with closing(sqlite3.connect(self.database)) as db:
            return db.execute(sql).fetchall()

    def per_person(self, subscriptions: list[dict]) -> Counter:
        """How many messages each subscription received (0 for none)."""
        received = Counter(m.endpoint_id for m in self.push.messages())
        return Counter(
            {self.push.endpoint_id(s): received[self.push.endpoint_id(s)] for s in subscriptions}
        )

    def wait_for(self, condition, what: str) -> None:
        deadline = time.monotonic() + WAIT
        while not condition():
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}")
            time.sleep(0.05)

    def close(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
                worker.wait(timeout=30)
        self.push.stop()


@pytest.fixture
def queue(migrated, tmp_path):
    # The push service checks the tokens' expiry against its own clock: the same day as the
    # workers'.
    with time_machine.travel(T0, tick=True):
        queue = Queue(migrated, tmp_path)
        yield queue
        queue.close()


def test_two_workers_send_a_round_once_each(queue):
    subscriptions = queue.people(120)
    assert queue.round(T0) == 120
    tasks = queue.rows("SELECT COUNT(*), MIN(status) FROM django_tasks_database_dbtaskresult")
    assert tasks == [(3, "READY")]  # the round's batches wait in the database (50 a batch)
    for _ in range(2):
        queue.start_worker(T0)
    queue.wait_for(lambda: len(queue.push.messages()) >= 120, "120 messages")
    queue.wait_for(
        lambda: (
            queue.rows(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult "
                "WHERE status = 'SUCCESSFUL'"
            )
            == [(3,)]
        ),
        "the batches to finish",
    )
    assert set(queue.per_person(subscriptions).values()) == {1}
    assert queue.push.refused == []
    assert queue.rows("SELECT status, COUNT(*) FROM diary_reminderdelivery GROUP BY status") == [
        ("sent", 120)
    ]
    # A second round in the same minute finds nobody left.
    assert queue.round(T0 + timedelta(seconds=30)) == 0


@pytest.mark.parametrize(
    ("point", "repeated"),
    [
        ("claimed", 0),  # killed after the claim's commit: retried, sent once
        ("sent", 1),  # killed after the push service took it, before the commit: sent again
        ("recorded", 0),  # killed after the commit: never sent again
    ],
)
def test_a_worker_killed_mid_send(queue, point, repeated):
    subscriptions = queue.people(10)
    assert queue.round(T0) == 10
    killed = queue.run(T0, "worker", "--batch", crash=f"{point}:4")
    assert killed.returncode == -signal.SIGKILL
    before = queue.per_person(subscriptions)
    assert sum(before.values()) == (3 if point == "claimed" else 4)
    # The task of the killed worker stays RUNNING for ever: recovery is the round's job.
    assert queue.rows("SELECT status FROM django_tasks_database_dbtaskresult") == [("RUNNING",)]
    # The six never reached, and the killed one's claim unless it had been recorded.
    assert queue.round(RECOVERY) == (6 if point == "recorded" else 7)
    done = queue.run(RECOVERY, "worker", "--batch")
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    after = queue.per_person(subscriptions)
    assert min(after.values()) == 1, "somebody lost their reminder"
    twice = [endpoint for endpoint, n in after.items() if n > 1]
    assert len(twice) == repeated
    for endpoint in twice:
        # The repeat is the same reminder: the same Topic (a push service still holding the
        # first replaces it) and the same tag (a phone showing it replaces it in place).
        messages = queue.push.messages(f"/push/{endpoint}")
        assert len({m.topic for m in messages}) == 1
        assert len({m.data["tag"] for m in messages}) == 1
    assert queue.rows("SELECT status, COUNT(*) FROM diary_reminderdelivery GROUP BY status") == [
        ("sent", 10)
    ]


def test_workers_killed_at_random_lose_nobody(queue):
    """
    Two workers; one of them is killed (SIGKILL) whenever a few more messages have gone out,
    and started again. Then the recovery round. Every person gets the reminder; a repeat is
    possible only for a kill inside the window, so there are at most as many as kills.
    """
    people = KILL_PEOPLE
    subscriptions = queue.people(people)
    assert queue.round(T0) == people
    workers = [queue.start_worker(T0), queue.start_worker(T0)]
    chooser = random.Random(21)
    kills = 0
    while len(queue.push.messages()) < people * 0.8 and kills < KILLS:
        seen = len(queue.push.messages())
        target = seen + chooser.randint(5, max(6, people // (KILLS * 2)))
        queue.wait_for(
            lambda target=target: (
                len(queue.push.messages()) >= target
                or queue.rows(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
                )
                == [(0,)]
            ),
            "more messages",
        )
        index = chooser.randrange(2)
        os.killpg(workers[index].pid, signal.SIGKILL)
        workers[index].wait(timeout=30)
        kills += 1
        workers[index] = queue.start_worker(T0)
    # Let the surviving workers drain what is left, then stop them.
    queue.wait_for(
        lambda: (
            queue.rows(
                "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
            )
            == [(0,)]
        ),
        "the queue to drain",
    )
    for worker in workers:
        os.killpg(worker.pid, signal.SIGTERM)  # finishes its task, then stops
        worker.wait(timeout=60)
    queue.round(RECOVERY)
    done = queue.run(RECOVERY, "worker", "--batch")
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    received = queue.per_person(subscriptions)
    repeats = sum(n - 1 for n in received.values())
    print(f"{kills} kills: {Counter(received.values())} (messages per person: people)")
    assert kills >= 3
    assert min(received.values()) == 1, "somebody lost their reminder"
    assert repeats <= kills
    assert queue.rows("SELECT status, COUNT(*) FROM diary_reminderdelivery GROUP BY status") == [
        ("sent", people)
    ]
