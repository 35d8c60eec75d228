"""
Locust users for `make loadtest` (scripts/loadtest.py starts the servers and this file).

Each simulated phone user is already logged in (a session made by scripts/loadtest.py) and
alternates between the app servers by user number, so both carry half the users. A user
logs twitches (GET / then POST /), looks at History and Trends and now and then downloads
the doctor summary, with a few seconds between taps.

A request counts as a success only with the expected answer: 200 for pages (a redirect to the
login page would mean the session was lost), a 302 back to / for a log (200 would be the form
again with an error), and a real PDF. scripts/loadtest.py compares the successful logs with
the rows in the database afterwards.

Only ever aimed at 127.0.0.1 (LOADTEST_HOSTS is set by scripts/loadtest.py).
"""

from __future__ import annotations

import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, events, task

HOSTS = os.environ["LOADTEST_HOSTS"].split(",")
SESSIONS = json.loads(Path(os.environ["LOADTEST_SESSIONS"]).read_text())
RESULTS = Path(os.environ["LOADTEST_RESULTS"])
SITES = ["calf-left", "calf-right", "eyelid-left", "thigh-right", "hand-left", "foot-right"]
_numbers = itertools.count()


class PhoneUser(HttpUser):
    # A person reads the page before the next tap; seconds, not milliseconds.
    wait_time = between(2, 8)

    def __init__(self, environment) -> None:
        number = next(_numbers)
        # HttpUser builds its client from self.host, so pick the server before that.
        self.host = HOSTS[number % len(HOSTS)]
        super().__init__(environment)
        self.session_key = SESSIONS[number % len(SESSIONS)]
        self.csrf_token = ""

    def on_start(self) -> None:
        # Cookies are Secure with DEBUG=0 and this is plain HTTP on loopback, so the cookie jar
        # would never send them back: set them as ordinary cookies instead.
        self.client.cookies.set("sessionid", self.session_key)
        response = self._get("/", "/")
        self.csrf_token = response.cookies.get("csrftoken", "")
        self.client.cookies.set("csrftoken", self.csrf_token)

    def _get(self, path: str, name: str, *, pdf: bool = False):
        with self.client.get(path, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code == 0:
                r.failure(f"no answer: {r.error!r}")
            elif r.status_code != 200:
                r.failure(f"status {r.status_code} {r.headers.get('Location', '')}")
            elif pdf and not r.content.startswith(b"%PDF"):
                r.failure("not a PDF")
            else:
                r.success()
        return r

    @task(4)
    def log_twitch(self) -> None:
        self._get("/", "/")
        data = {
            "csrfmiddlewaretoken": self.csrf_token,
            "when": "now",
            "duration_preset": "5",
            "sites": random.sample(SITES, k=random.randint(1, 2)),
        }
        with self.client.post(
            "/", data=data, name="/", allow_redirects=False, catch_response=True
        ) as r:
            if r.status_code == 302 and r.headers.get("Location") == "/":
                r.success()
            elif r.status_code == 0:
                r.failure(f"no answer: {r.error!r}")
            else:
                r.failure(f"not logged: status {r.status_code}")

    @task(3)
    def history(self) -> None:
        self._get("/episodes/", "/episodes/")

    @task(2)
    def trends(self) -> None:
        self._get("/trends/", "/trends/")

    @task(1)
    def report_pdf(self) -> None:
        self._get("/report.pdf", "/report.pdf", pdf=True)


TIMELINE = os.environ.get("LOADTEST_TIMELINE", "")
_timeline: list[tuple[float, str, float]] = []


@events.request.add_listener
def record(request_type, name, response_time, start_time=None, **_kwargs) -> None:
    """With LOADTEST_TIMELINE set: every request's start, page and time, to find a tail."""
    if TIMELINE and start_time is not None:
        _timeline.append((start_time, f"{request_type} {name}", response_time))


@events.quitting.add_listener
def write_timeline(environment, **_kwargs) -> None:
    if TIMELINE:
        Path(TIMELINE).write_text(json.dumps(_timeline))


@events.quitting.add_listener
def write_results(environment, **_kwargs) -> None:
    """
    The final figures for scripts/loadtest.py, written once every user has stopped (the CSV
    files are written on a timer and can miss the last requests, which the count check needs).
    """
    stats = environment.stats

    def figures(entry) -> dict:
        return {
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "p50": entry.get_response_time_percentile(0.5),
            "p95": entry.get_response_time_percentile(0.95),
            "p99": entry.get_response_time_percentile(0.99),
            "rps": entry.total_rps,
        }

    pages = {f"{e.method} {e.name}": figures(e) for e in stats.entries.values()}
    errors = [f"{e.method} {e.name}: {e.error} ({e.occurrences}x)" for e in stats.errors.values()]
    results = {"pages": pages, "total": figures(stats.total), "errors": errors}
    RESULTS.write_text(json.dumps(results))
