"""
A wrong-password flood (the doors): gunicorn with DEBUG off and 3 sync workers on this
section's SQLite file, measured twice: straight to gunicorn, and through nginx with the shipped
configuration (deploy/nginx/, started by scripts/serve.py) in front of the same gunicorn.
127.0.0.1 only.

Measures how many wrong passwords for one account are answered before logging in pauses
(target: the configured limit, 5), and the median time of an unrelated page (a logged-in
person's Log page) while 6 threads post wrong passwords as fast as they are answered, against
the same page quiet. Straight to gunicorn the flooders keep the three workers busy, paused or
not. Through nginx the login POSTs beyond its limit are refused at the proxy, and the reader
(on 127.0.0.1 too, but reading, not posting) is not limited: that ratio has the target, within
2x. The flooders run in their own process at the lowest CPU priority (scripts/flood_client.py
says why). Every loop is bounded in count and time.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import serve
from benchlib import Context, Row, check_row, time_row
from django.conf import settings
from django.db import connection
from flood_client import LOGIN, Session

TITLE = "Wrong-password flood (doors)"
SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
PAGE_RUNS = 30
FLOOD_THREADS = 6
FLOOD_SECONDS = 8  # at least; it lasts until the page has been read (checked: "still going")
# Per thread: a bound well above what the flood can reach even when nginx refuses in
# microseconds, so it does not end before the page has been read.
FLOOD_MAX_POSTS = 50_000
PASSWORD = "a-long-bench-passphrase-31"


def page_median(reader: Session, runs: int = PAGE_RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        status = reader.request("/").status
        times.append(time.perf_counter() - start)
        assert status == 200, status
    return statistics.median(times)


def wrong_passwords_until_paused(port: int) -> int:
    """Wrong passwords for one account, one at a time, until logging in pauses (or 50)."""
    attacker = Session(port)
    token = attacker.login_form()
    attempts = 0
    for attempts in range(1, 51):
        data = {"username": "flood-victim", "password": f"no{attempts}"}
        if attacker.request(LOGIN, {**data, "csrfmiddlewaretoken": token}).status == 429:
            break
    return attempts


@dataclass
class Flood:
    quiet: float  # the reader's median, before the flood
    during: float  # ... while it runs
    counts: dict[str, int]  # the flood's answers by kind (flood_client.kind)
    seconds: float
    still_flooding: bool  # when the reader had finished
    login_page_statuses: list[int]  # GETs of the login page during the flood


def flood(reader: Session, port: int) -> Flood:
    """The reader's median quiet, then while FLOOD_THREADS threads post wrong passwords."""
    page_median(reader, runs=5)  # warm every worker (and nginx)
    quiet = page_median(reader)
    command = [
        sys.executable,
        str(SCRIPTS / "flood_client.py"),
        str(port),
        f"--threads={FLOOD_THREADS}",
        f"--max-seconds={FLOOD_SECONDS + 60}",
        f"--max-posts={FLOOD_MAX_POSTS}",
    ]
    flooders = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        started = time.monotonic()
        time.sleep(1)  # let the flood get going
        during = page_median(reader)
        still_flooding = flooders.poll() is None
        visitor = Session(port)  # someone opening the login page meanwhile
        login_page = [visitor.request(LOGIN).status for _ in range(5)]
        time.sleep(max(0.0, FLOOD_SECONDS - (time.monotonic() - started)))
        out, _ = flooders.communicate(timeout=60)  # closes its stdin: the flood stops
    finally:
        if flooders.poll() is None:
            flooders.kill()
            flooders.wait()
    if flooders.returncode != 0:
        raise RuntimeError(f"the flood client failed ({flooders.returncode})")
    result = json.loads(out)
    return Flood(quiet, during, result["counts"], result["seconds"], still_flooding, login_page)


def start_environment(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        **serve.production_env(database_url=database_url),
        # As behind the shipped nginx config: the app takes the address nginx appends.
        # Straight to gunicorn no X-Forwarded-For is sent, and the peer address is used.
        "TRUSTED_PROXIES": "127.0.0.1",
        "EMAIL_HOST": "localhost",
    }
    serve.collect_static(env)
    return env


def run(ctx: Context) -> list[Row]:
    from django.contrib.auth import get_user_model

    User = get_user_model()
    for name in ("flood-reader", "flood-victim"):
        ctx.user(name)
        user = User.objects.get(username=name)
        user.set_password(PASSWORD)
        user.save()
    connection.close()
    env = start_environment(ctx.database_url)
    port = serve.free_port()
    proxied: Flood | None = None
    with ExitStack() as stack:
        stack.enter_context(
            serve.gunicorn(port, log=ctx.tmpdir / "flood-gunicorn.log", workers=3, env=env)
        )
        reader = Session(port)
        assert reader.log_in("flood-reader", PASSWORD) == 302
        attempts = wrong_passwords_until_paused(port)
        direct = flood(reader, port)
        if serve.nginx_binary() is not None:
            proxy_port = stack.enter_context(serve.nginx(app_port=port))
            # The same person, the same session, now through the proxy.
            proxied = flood(Session(proxy_port, reader.cookies), proxy_port)

    limit = settings.AXES_FAILURE_LIMIT
    rows = [
        check_row(
            "wrong passwords until logging in pauses",
            attempts,
            target=f"= {limit} (the limit)",
            ok=attempts == limit,
        ),
        *flood_rows(direct, "straight to gunicorn", target=False),
    ]
    if proxied is not None:
        rows += flood_rows(proxied, "through nginx", target=True)
    else:
        rows.append(
            check_row(
                f"GET / during a flood of {FLOOD_THREADS} threads, through nginx",
                "not measured: nginx is not installed (scripts/install-deps)",
                target="<= 2x quiet",
                ok=False,
            )
        )
    return rows


def flood_rows(result: Flood, how: str, *, target: bool) -> list[Row]:
    """The rows of one flood; only the one through nginx is held to the 2x target."""
    counts = result.counts
    errors = counts.get("5xx", 0)
    rows = [
        time_row(f"GET / (logged in), quiet, {how}: median", result.quiet),
        time_row(
            f"GET / during a flood of {FLOOD_THREADS} threads, {how}: median",
            result.during,
            floor=result.quiet,
            floor_name="quiet",
            max_ratio=2 if target else None,
        ),
        check_row(
            f"flood posts, {how}: answered / 429 at nginx / 429 paused by the app / 5xx",
            f"{sum(counts.values())} in {result.seconds:.0f} s / {counts.get('429 at nginx', 0)}"
            f" / {counts.get('429 paused by the app', 0)} / {errors}",
            target="no 5xx",
            ok=errors == 0,
        ),
        check_row(
            f"flood still going when the page had been read, {how}",
            "yes" if result.still_flooding else "no",
            target="yes",
            ok=result.still_flooding,
        ),
    ]
    if target:
        statuses = result.login_page_statuses
        rows.append(
            check_row(
                f"GET {LOGIN} during the flood, {how}: statuses",
                " ".join(map(str, statuses)),
                target="all 200 (GETs not limited)",
                ok=all(status == 200 for status in statuses),
            )
        )
    return rows
