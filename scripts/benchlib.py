"""
Helpers for `make bench` sections (scripts/bench_*.py); see scripts/bench.py for the framework.

What is here:
- `Row` and the row builders `time_row` / `check_row`: one line of the printed table, with the
  figure, its ratio to a floor measured in the same run, the target and PASS/MISS;
- `median_seconds(fn)`: the median wall time of a callable over N runs after a warm-up, and
  `interleaved_medians({...})`: the same for several callables taking turns (use it to
  measure a floor and what is compared with it under the same machine load);
- `time_requests({name: Request(client, "get", path)})` (or `time_request(client, "get",
  path)` for one; `before=` and `after=` run untimed around each request): the server-side
  time of Django test `Client` requests (`perf_counter` around `client.get/post`; the client
  calls the WSGI handler in-process, so this is the whole middleware + view + template cost
  without a network), interleaved, and their SQL queries (`CaptureQueriesContext`, in one
  extra untimed request each);
- `Context`: what `run(ctx)` receives: the run count, a temp dir, users and logged-in clients;
- floor views for request timings, served by this module acting as the bench's URLconf
  (`settings.ROOT_URLCONF = "benchlib"`): everything in twitchlog.urls plus
  `FLOOR_EMPTY` (an authenticated view returning an empty response) and `FLOOR_BASE` (one that
  renders the bare `base.html`). Both go through the full middleware stack.

`bench.py --cpu` times with this process's CPU time (`time.process_time`) instead of the wall
clock: steadier on a machine other work shares, and on SQLite still all the work of a request
(the database runs in this process); on PostgreSQL it leaves out the server's own time.

The test client keeps one database connection open across requests. A production SQLite
deployment (CONN_MAX_AGE=0) also opens a connection and runs the PRAGMAs on each request; that
cost falls on floors and pages alike, so it is left out of both.

Import this module only after django.setup() (bench.py does that before loading sections).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

# What timings are read from: wall time, or with `bench.py --cpu` this process's CPU time.
clock = time.perf_counter

FLOOR_EMPTY = "/__bench__/empty/"
FLOOR_BASE = "/__bench__/base/"


def floor_empty(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"")


def floor_base(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, "base.html", {})


urlpatterns = [
    path(FLOOR_EMPTY.strip("/") + "/", floor_empty),
    path(FLOOR_BASE.strip("/") + "/", floor_base),
    path("", include("twitchlog.urls")),
]


# --- the table ---


@dataclass
class Row:
    """One printed line. `ok` is None for figures without a target (floors, context)."""

    label: str
    figure: str
    ratio: str = ""
    target: str = ""
    ok: bool | None = None
    section: str = ""  # filled in by bench.py

    @property
    def result(self) -> str:
        return {True: "PASS", False: "MISS", None: ""}[self.ok]


def fmt_seconds(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.3g} ms" if seconds >= 0.001 else f"{seconds * 1000:.2f} ms"
    return f"{seconds:.3g} s"


def time_row(
    label: str,
    seconds: float,
    *,
    floor: float | None = None,
    floor_name: str = "",
    max_ratio: float | None = None,
    max_seconds: float | None = None,
) -> Row:
    """A timing, with its ratio to `floor` and a target: a ratio, an absolute time, or both."""
    ratio = f"{seconds / floor:.1f}x {floor_name}".strip() if floor else ""
    targets, ok = [], None
    if max_ratio is not None and floor:
        targets.append(f"<= {max_ratio:g}x {floor_name}".strip())
        ok = seconds <= max_ratio * floor
    if max_seconds is not None:
        targets.append(f"<= {fmt_seconds(max_seconds)}")
        ok = (ok is not False) and seconds <= max_seconds
    return Row(label, fmt_seconds(seconds), ratio, ", ".join(targets), ok)


def check_row(label: str, figure: object, *, target: str, ok: bool) -> Row:
    """A non-timing figure with a target, e.g. query counts: `check_row("q", "9 / 9", ...)`."""
    return Row(label, str(figure), "", target, ok)


def print_table(rows: list[Row], *, header: bool = True) -> None:
    columns = ["section", "measurement", "figure", "ratio to floor", "target", "result"]
    cells = [[r.section, r.label, r.figure, r.ratio, r.target, r.result] for r in rows]
    widths = [max([len(c)] + [len(row[i]) for row in cells]) for i, c in enumerate(columns)]
    right = {2, 3}  # numbers line up on the right

    def line(values: list[str]) -> str:
        return "  ".join(
            v.rjust(w) if i in right else v.ljust(w)
            for i, (v, w) in enumerate(zip(values, widths, strict=True))
        ).rstrip()

    if header:
        print(line(columns))
        print(line(["-" * w for w in widths]))
    for row in cells:
        print(line(row))


# --- measuring ---


def median_seconds(
    fn: Callable[[], object],
    *,
    runs: int = 20,
    warmup: int = 3,
    after: Callable[[], object] | None = None,
) -> float:
    """Median wall time of fn() over `runs` calls after `warmup` untimed ones.

    `after` runs untimed after every call (e.g. delete what a POST created, so every run sees
    the same data).
    """
    return interleaved_medians({"fn": (fn, after)}, runs=runs, warmup=warmup)["fn"]


def interleaved_medians(
    fns: dict[str, tuple[Callable[[], object], Callable[[], object] | None]],
    *,
    runs: int = 20,
    warmup: int = 3,
) -> dict[str, float]:
    """Median wall time of each fn, measured round-robin: {name: (fn, after or None)}, or
    {name: (fn, after or None, before or None)} for something to do untimed before each call.

    Taking turns means a floor and the thing compared with it see the same machine: a burst
    of load from another process slows both, so their ratio stays honest.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for i in range(warmup + runs):
        for name, (fn, after, *before) in fns.items():
            if before and before[0]:
                before[0]()
            start = clock()
            fn()
            elapsed = clock() - start
            if after:
                after()
            if i >= warmup:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


@dataclass
class Request:
    """A request to time: `client.<method>(path, data=..., headers=...)`, then `after()`."""

    client: Client
    method: str
    path: str
    data: dict | None = None
    headers: dict | None = None
    after: Callable[[], object] | None = None  # untimed clean-up after each request
    expect_status: int = 200
    # Untimed, before each request: e.g. a write, so that the request finds no cached page.
    before: Callable[[], object] | None = None

    def send(self):
        kwargs: dict = {"headers": self.headers or {}}
        if self.data is not None:
            kwargs["data"] = self.data
        return getattr(self.client, self.method.lower())(self.path, **kwargs)

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path}"


@dataclass
class RequestTiming:
    median: float  # seconds
    queries: int
    status: int
    content: bytes
    sql: list[str] = field(default_factory=list)


def time_requests(
    requests: dict[str, Request], *, runs: int = 20, warmup: int = 3, profile: bool = False
) -> dict[str, RequestTiming]:
    """Server-side median times (interleaved) and SQL query counts of several requests.

    The client calls the WSGI handler in-process, so perf_counter around it measures the whole
    middleware + view + template cost with no network. The queries are counted in one extra,
    untimed request each, which also checks the status code; it follows a first untimed one, so
    the count is that of a warm server (per-process caches such as the site catalogue filled).
    """
    checked = {}
    for name, request in requests.items():
        if request.before:
            request.before()
        request.send()
        if request.after:
            request.after()
        if request.before:
            request.before()
        with CaptureQueriesContext(connection) as captured:
            response = request.send()
        # Read them now: the next request's request_started signal clears the log they live in.
        sql = [q["sql"] for q in captured.captured_queries]
        if request.after:
            request.after()
        if response.status_code != request.expect_status:
            raise AssertionError(
                f"{request} returned {response.status_code}, expected {request.expect_status}"
            )
        if profile:
            if request.before:
                request.before()
            print_profile(request.send, title=str(request))
            if request.after:
                request.after()
        checked[name] = (response, sql)
    medians = interleaved_medians(
        {name: (r.send, r.after, r.before) for name, r in requests.items()},
        runs=runs,
        warmup=warmup,
    )
    return {
        name: RequestTiming(medians[name], len(sql), response.status_code, response.content, sql)
        for name, (response, sql) in checked.items()
    }


def time_request(client: Client, method: str, path: str, **kwargs) -> RequestTiming:
    """One request's server-side median time and query count (see time_requests)."""
    options = {k: kwargs.pop(k) for k in ("runs", "warmup", "profile") if k in kwargs}
    return time_requests({"r": Request(client, method, path, **kwargs)}, **options)["r"]


def print_profile(fn: Callable[[], object], *, title: str, limit: int = 25) -> None:
    """cProfile one call of fn; print the top functions by own time and by cumulative time."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(limit)
    stats.sort_stats("cumulative").print_stats(limit)
    print(f"\n--- profile: {title} ---\n{out.getvalue()}")


# --- what a section gets ---


@dataclass
class Context:
    """Passed to every section's run(ctx). Each section gets a freshly migrated database."""

    tmpdir: Path
    runs: int = 20  # timed runs per measurement (after `warmup` untimed ones)
    warmup: int = 3
    verbose: bool = False  # print the SQL of measured requests
    profile: bool = False  # print a cProfile of one request per measurement
    # This section's database as a DATABASE_URL, for a server the section starts (serve.py).
    database_url: str = ""

    def user(self, username: str, *, timezone: str = "Europe/London", display_name: str = ""):
        """A user with a profile in `timezone` (no usable password: log in with client())."""
        from django.contrib.auth import get_user_model

        from diary.models import Profile

        user = get_user_model().objects.create_user(username=username)
        # Not user.profile: with DEBUG off the post_save receiver that should have made it can
        # already be garbage-collected (diary/apps.py connects a nested function weakly).
        profile, _ = Profile.objects.get_or_create(user=user)
        profile.timezone, profile.display_name = timezone, display_name
        profile.save()
        user.profile = profile
        return user

    def analyze(self) -> None:
        """
        After bulk-loading a section's data: on PostgreSQL, the planner statistics autovacuum
        keeps in production (without them it may scan a person's whole table). SQLite is left
        as a deployment has it: Django never runs ANALYZE there.
        """
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def client(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    def time_requests(self, requests: dict[str, Request], **kwargs) -> dict[str, RequestTiming]:
        """time_requests() with this run's settings; prints the SQL when verbose."""
        kwargs = {"runs": self.runs, "warmup": self.warmup, "profile": self.profile, **kwargs}
        timings = time_requests(requests, **kwargs)
        if self.verbose:
            for name, timing in timings.items():
                print(f"\n{requests[name]}: {timing.queries} queries")
                for sql in timing.sql:
                    print(f"  {sql}")
        return timings

    def time_request(self, client: Client, method: str, path: str, **kwargs) -> RequestTiming:
        options = {k: kwargs.pop(k) for k in ("runs", "warmup", "profile") if k in kwargs}
        request = Request(client, method, path, **kwargs)
        return self.time_requests({"r": request}, **options)["r"]

    def median_seconds(self, fn: Callable[[], object], **kwargs) -> float:
        kwargs = {"runs": self.runs, "warmup": self.warmup, **kwargs}
        return median_seconds(fn, **kwargs)

    def interleaved_medians(self, fns: dict, **kwargs) -> dict[str, float]:
        kwargs = {"runs": self.runs, "warmup": self.warmup, **kwargs}
        return interleaved_medians(fns, **kwargs)
