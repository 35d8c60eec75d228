#!/usr/bin/env python
"""
`make loadtest`: two app servers on one PostgreSQL under a mixed phone workload.

Run inside scripts/with-postgres (make loadtest does), which provides a throwaway database in
DATABASE_URL. This script then, with production settings (DEBUG=0, a generated SECRET_KEY,
ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=0 because there is no TLS proxy on loopback):
1. migrates, creates the cache table and collects static files;
2. creates the simulated users, each with a few weeks of history and a logged-in session;
3. starts gunicorn twice on two free 127.0.0.1 ports (stateless servers sharing the database,
   its sessions and the database cache: the production topology without the proxy);
4. runs locust headless (scripts/loadtest_locustfile.py), each user on one of the servers;
5. prints requests/s, p50/p95/p99 per page and the failures, and checks that the episodes in the
   database equal the successful logs. Exit status 1 on any failure or mismatch.

Usage: scripts/with-postgres .venv/bin/python scripts/loadtest.py [--users 50] [--duration 60s]
Only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

import serve

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOOPBACK = serve.LOOPBACK
PAGES = [  # (locust method, locust name, what it is)
    ("GET", "/", "Log page"),
    ("POST", "/", "log a twitch"),
    ("GET", "/episodes/", "History"),
    ("GET", "/trends/", "Trends"),
    ("GET", "/report.pdf", "doctor summary PDF"),
]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="simulated phone users")
    parser.add_argument("--duration", default="60s", help="locust run time, e.g. 60s or 2m")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started a second")
    parser.add_argument("--servers", type=int, default=2, help="gunicorn instances")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per instance")
    parser.add_argument("--weeks", type=int, default=8, help="weeks of history per user")
    parser.add_argument(
        "--ports", default="", help="the servers' ports on 127.0.0.1, e.g. 8152,8153 (free ones)"
    )
    return parser.parse_args()


def production_environment() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run under scripts/with-postgres (make loadtest): DATABASE_URL is not PostgreSQL.")
    os.environ.update(serve.production_env())


def manage(*args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, check=True)


def create_users(count: int, weeks: int) -> list[str]:
    """`count` users with `weeks` weeks of history each; returns one session key per user."""
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction

    from diary.demo import generate_episodes
    from diary.models import Episode, data_changed

    User = get_user_model()
    keys = []
    for number in range(count):
        with transaction.atomic():
            # No password: the sessions are made here, so no one logs in (and nothing pays
            # for password hashing, which is not what this test measures).
            user = User.objects.create_user(f"loadtest{number:03d}", password=None)
            user.profile.timezone = "Europe/London"
            user.profile.save()
            generate_episodes(user, weeks=weeks, per_week=20, seed=number)
            dates = set(Episode.objects.filter(user=user).values_list("local_date", flat=True))
            data_changed(user, dates)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def report(results: dict, args, seconds: float, written: int) -> bool:
    print(
        f"\nLoad test: {args.users} phone users for {args.duration} on {args.servers} gunicorn "
        f"servers x {args.workers} workers x 2 threads, one PostgreSQL, {LOOPBACK} only\n"
    )
    print(
        f"{'request':<18} {'what':<20} {'count':>7} {'failed':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'p99/p50':>7}"
    )

    def line(label: str, what: str, row: dict) -> None:
        print(
            f"{label:<18} {what:<20} {row['requests']:>7} {row['failures']:>7} "
            f"{row['p50']:>7.0f} {row['p95']:>7.0f} {row['p99']:>7.0f} "
            f"{row['p99'] / max(row['p50'], 1):>6.1f}x"
        )

    for method, name, what in PAGES:
        row = results["pages"].get(f"{method} {name}")
        if row is None:
            print(f"{method + ' ' + name:<18} {what:<20} {'(none)':>7}")
        else:
            line(f"{method} {name}", what, row)
    total = results["total"]
    line("all", "", total)
    print(f"\nthroughput: {total['rps']:.1f} requests/s over {seconds:.0f} s")
    print(f"load average at the end: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    posts = results["pages"].get("POST /")
    logged = posts["requests"] - posts["failures"] if posts else 0
    rows_ok = written == logged
    print(
        f"episodes written: {written} rows, successful logs: {logged} -> "
        f"{'equal' if rows_ok else 'MISMATCH'}"
    )
    failures = total["failures"]
    print(f"failures: {failures} (target 0) -> {'OK' if failures == 0 else 'FAILED'}")
    for error in results["errors"]:
        print(f"  {error}")
    return rows_ok and failures == 0 and logged > 0


def main() -> int:
    args = parse_args()
    production_environment()
    started = time.monotonic()
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from diary.models import Episode

    print(f"migrated and collected static in {time.monotonic() - started:.0f} s", file=sys.stderr)
    started = time.monotonic()
    sessions = create_users(args.users, args.weeks)
    before = Episode.objects.count()
    print(
        f"{args.users} users with {before} episodes of history ready in "
        f"{time.monotonic() - started:.0f} s",
        file=sys.stderr,
    )

    with tempfile.TemporaryDirectory(prefix="twitchlog-load-") as tmp, ExitStack() as stack:
        tmpdir = Path(tmp)
        ports = [int(p) for p in args.ports.split(",") if p] or [
            serve.free_port() for _ in range(args.servers)
        ]
        for i, port in enumerate(ports):
            log = tmpdir / f"gunicorn-{i}.log"
            server = serve.gunicorn(
                port, log=log, workers=args.workers, threads=2, extra_args=["--log-level=warning"]
            )
            stack.enter_context(server)
        (tmpdir / "sessions.json").write_text(json.dumps(sessions))
        env = {
            **os.environ,
            "LOADTEST_HOSTS": ",".join(f"http://{LOOPBACK}:{port}" for port in ports),
            "LOADTEST_SESSIONS": str(tmpdir / "sessions.json"),
            "LOADTEST_RESULTS": str(tmpdir / "results.json"),
        }
        started = time.monotonic()
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "scripts" / "loadtest_locustfile.py"),
                "--headless",
                f"--users={args.users}",
                f"--spawn-rate={args.spawn_rate}",
                f"--run-time={args.duration}",
                # Let every user finish the request it is in, so none is cut off after the
                # server has written its row (the count check below would be off by one).
                "--stop-timeout=30",
                f"--host=http://{LOOPBACK}:{ports[0]}",
                "--only-summary",
                "--loglevel=WARNING",
            ],
            cwd=ROOT,
            env=env,
            check=False,  # locust exits 1 on failures; the report below says which
        )
        seconds = time.monotonic() - started
        written = Episode.objects.count() - before
        results = json.loads((tmpdir / "results.json").read_text())
        ok = report(results, args, seconds, written)
        for i in range(args.servers):
            errors = (tmpdir / f"gunicorn-{i}.log").read_text().strip()
            if errors:
                print(f"\ngunicorn {i} logged:\n{errors[-3000:]}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
