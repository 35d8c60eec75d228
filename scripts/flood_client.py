#!/usr/bin/env python
"""
HTTP clients for the wrong-password flood (scripts/bench_flood.py): `Session`, one client
with its cookies, and the flood itself, run as its own process:

    python scripts/flood_client.py PORT --threads 6 --max-seconds 60 --max-posts 50000

THREADS threads each fetch the login form once, then post wrong passwords to it as fast as
they are answered, until this process's stdin is closed (or MAX_SECONDS have passed, or
MAX_POSTS each); then one line of JSON on stdout counts the answers.

It runs as its own process at the lowest CPU priority (nice 19): on this one machine the
attacker's client would otherwise compete with the server for the CPU and, in the bench's own
interpreter, for the lock the timed reader needs. A real attacker's client runs elsewhere; what
the flood costs the server (nginx refusing, gunicorn answering) still runs at normal
priority. Standard library only; only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.parse
from collections import Counter
from typing import NamedTuple

HOST = "127.0.0.1"
LOGIN = "/accounts/login/"


class Reply(NamedTuple):
    status: int
    text: str
    retry_after: str | None  # set by nginx's 429 page, never by the app


class Session:
    """One client: cookies kept, redirects not followed."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None) -> None:
        self.port = port
        self.cookies: dict[str, str] = dict(cookies or {})

    def request(self, path: str, data: dict | None = None) -> Reply:
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
            return Reply(response.status, text, response.headers.get("Retry-After"))
        finally:
            conn.close()

    def login_form(self) -> str:
        html = self.request(LOGIN).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def log_in(self, username: str, password: str) -> int:
        token = self.login_form()
        data = {"username": username, "password": password, "csrfmiddlewaretoken": token}
        return self.request(LOGIN, data).status


def kind(reply: Reply) -> str:
    """'429 at nginx' (its page sends Retry-After), '429 paused by the app', '5xx' or '2xx'…"""
    if reply.status == 429:
        return "429 at nginx" if reply.retry_after is not None else "429 paused by the app"
    return f"{reply.status // 100}xx"


def flood(port: int, *, threads: int, stop: threading.Event, max_posts: int) -> dict:
    counts: Counter[str] = Counter()
    lock = threading.Lock()

    def post_wrong_passwords() -> None:
        session = Session(port)
        csrf = session.login_form()
        mine: Counter[str] = Counter()
        for n in range(max_posts):
            if stop.is_set():
                break
            data = {"username": f"guess{n % 7}", "password": f"x{n}", "csrfmiddlewaretoken": csrf}
            mine[kind(session.request(LOGIN, data))] += 1
        with lock:
            counts.update(mine)

    started = time.monotonic()
    workers = [threading.Thread(target=post_wrong_passwords) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return {"counts": dict(counts), "seconds": time.monotonic() - started}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.strip().split("\n\n")[0])
    parser.add_argument("port", type=int)
    parser.add_argument("--threads", type=int, default=6)
    parser.add_argument("--max-seconds", type=float, default=60)
    parser.add_argument("--max-posts", type=int, default=50_000, help="per thread")
    args = parser.parse_args()
    os.nice(19)
    stop = threading.Event()

    def stop_when_stdin_closes() -> None:
        sys.stdin.read()
        stop.set()

    threading.Thread(target=stop_when_stdin_closes, daemon=True).start()
    threading.Timer(args.max_seconds, stop.set).start()
    result = flood(args.port, threads=args.threads, stop=stop, max_posts=args.max_posts)
    print(json.dumps(result), flush=True)
    os._exit(0)  # the timer thread may still be waiting


if __name__ == "__main__":
    main()
