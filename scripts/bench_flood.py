"""
A wrong-password flood (the doors): gunicorn with DEBUG off and 3 workers, on this section's
SQLite file, on 127.0.0.1 only.

Measures how many wrong passwords for one account are answered before logging in pauses
(target: the configured limit, 5), and the median time of an unrelated page (a logged-in
person's Log page) while 6 threads post wrong passwords as fast as the server answers, against
the same page quiet (target: within 2x). Every loop is bounded in count and time.
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import serve
from benchlib import Context, Row, check_row, time_row
from django.conf import settings
from django.core.management import call_command
from django.db import connection

TITLE = "Wrong-password flood (doors)"
ROOT = Path(__file__).resolve().parents[1]
HOST = serve.LOOPBACK
PAGE_RUNS = 30
FLOOD_THREADS = 6
FLOOD_SECONDS = 8
FLOOD_MAX_POSTS = 400  # per thread
PASSWORD = "a-long-bench-passphrase-31"


class Session:
    """One client: cookies kept, redirects not followed."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            conn.request("POST" if data is not None else "GET", path, body, headers)
            response = conn.getresponse()
            text = response.read().decode(errors="replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";")[0]
            return response.status, text
        finally:
            conn.close()

    def login_form(self) -> str:
        _, html = self.request("/accounts/login/")
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, username: str, password: str) -> int:
        token = self.login_form()
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request("/accounts/login/", data)[0]


def page_median(reader: Session, runs: int = PAGE_RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        status, _ = reader.request("/")
        times.append(time.perf_counter() - start)
        assert status == 200, status
    return statistics.median(times)


def start_environment(database: str) -> dict[str, str]:
    env = {
        **os.environ,
        **serve.production_env(database_url=f"sqlite:///{database}"),
        "EMAIL_HOST": "localhost",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def run(ctx: Context) -> list[Row]:
    from django.contrib.auth import get_user_model

    call_command("createcachetable", verbosity=0)
    User = get_user_model()
    for name in ("flood-reader", "flood-victim"):
        ctx.user(name)
        user = User.objects.get(username=name)
        user.set_password(PASSWORD)
        user.save()
    database = connection.settings_dict["NAME"]
    connection.close()
    env = start_environment(database)
    port = serve.free_port()
    with serve.gunicorn(port, log=ctx.tmpdir / "flood-gunicorn.log", workers=3, env=env):
        reader = Session(port)
        assert reader.log_in("flood-reader", PASSWORD) == 302
        page_median(reader, runs=5)  # warm every worker
        quiet = page_median(reader)

        # Wrong passwords for one account, one at a time, until logging in pauses.
        attacker = Session(port)
        token = attacker.login_form()
        attempts = 0
        for attempts in range(1, 51):
            data = {"username": "flood-victim", "password": f"no{attempts}"}
            status, _ = attacker.request("/accounts/login/", {**data, "csrfmiddlewaretoken": token})
            if status == 429:
                break

        # The flood: threads posting wrong passwords while the reader reads.
        stop = threading.Event()
        statuses: list[int] = []

        def flood() -> None:
            session = Session(port)
            csrf = session.login_form()
            for n in range(FLOOD_MAX_POSTS):
                if stop.is_set():
                    return
                data = {"username": f"guess{n % 7}", "password": f"x{n}"}
                statuses.append(
                    session.request("/accounts/login/", {**data, "csrfmiddlewaretoken": csrf})[0]
                )

        threads = [threading.Thread(target=flood) for _ in range(FLOOD_THREADS)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(1)  # let the flood get going
        during = page_median(reader)
        time.sleep(max(0.0, FLOOD_SECONDS - (time.monotonic() - started)))
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        elapsed = time.monotonic() - started

    locked = sum(s == 429 for s in statuses)
    limit = settings.AXES_FAILURE_LIMIT
    return [
        check_row(
            "wrong passwords until logging in pauses",
            attempts,
            target=f"= {limit} (the limit)",
            ok=attempts == limit,
        ),
        time_row("GET / (logged in), quiet: median", quiet),
        time_row(
            f"GET / during a flood of {FLOOD_THREADS} threads: median",
            during,
            floor=quiet,
            floor_name="quiet",
            max_ratio=2,
        ),
        check_row(
            "flood posts answered / paused (429) / errors",
            f"{len(statuses)} in {elapsed:.0f} s / {locked} / {sum(s >= 500 for s in statuses)}",
            target="no 5xx",
            ok=not any(s >= 500 for s in statuses),
        ),
    ]
