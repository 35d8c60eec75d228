"""
Memory of a web worker that serves PDFs: gunicorn as in production (DEBUG off, no --preload,
one worker with two threads, started by scripts/serve.py on 127.0.0.1) on this section's
SQLite file, with a 60-week diary of ~6,000 episodes and its daily check-ins.

1. Pages: the Log page, History, Trends and the Report page, a few rounds each, from two
   client threads; the worker's RSS after them is the baseline.
2. PDFs: BENCH_PDFS (100) distinct full-log PDFs (26 weeks, so the log is capped at its 2,000
   latest episodes) and as many distinct 12-week PDFs, taking turns, from two client threads.
   Every one ends a day earlier than the one before, so none is a repeat: no cache answers.
   The worker's RSS after them, against the baseline: target <= 1.2x.

Meanwhile a sampler reads the RSS of every process under the worker (the PDF renderers) every
0.1 s: their peak, one at a time and all together, how many renderer processes were used in
all (each recycled one is replaced), and what is left when the PDFs are done.

A worker that keeps every PDF's memory would take the machine with it, so the run stops early
once the worker passes BENCH_MEMORY_STOP_MB (4,000 MB), and says after how many PDFs.
gunicorn listens on a free port (BENCH_PORT picks one).
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psutil
import serve
from benchlib import Context, Row, check_row, time_row
from django.db import connection
from flood_client import Session

from diary.demo import generate_check_ins, generate_episodes

TITLE = "Memory of a web worker serving PDFs (gunicorn, 1 worker x 2 threads)"
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-bench-passphrase-31"
PDFS = int(os.environ.get("BENCH_PDFS", "100"))
STOP_MB = int(os.environ.get("BENCH_MEMORY_STOP_MB", "4000"))
MAX_RATIO = 1.2
WEEKS = 60
PER_WEEK = 100
PAGES = ["/", "/episodes/", "/trends/?weeks=12", "/trends/?weeks=52", "/report/"]
PAGE_ROUNDS = 10
MB = 1024 * 1024


def mb(value: float) -> str:
    return f"{value / MB:,.0f} MB"


@dataclass
class Sampler:
    """Polls the RSS of every process under `worker` (its PDF renderers) until stopped."""

    worker: psutil.Process
    interval: float = 0.1
    peak_one: int = 0
    peak_all: int = 0
    pids: set[int] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)

    def children(self) -> list[psutil.Process]:
        try:
            return self.worker.children(recursive=True)
        except psutil.NoSuchProcess:
            return []

    def sample(self) -> int:
        total = 0
        for child in self.children():
            try:
                rss = child.memory_info().rss
                renderer = "resource_tracker" not in " ".join(child.cmdline())
            except psutil.NoSuchProcess:
                continue
            if not renderer:  # multiprocessing's semaphore tracker: a few MB, never a PDF
                continue
            self.pids.add(child.pid)
            self.peak_one = max(self.peak_one, rss)
            total += rss
        self.peak_all = max(self.peak_all, total)
        return total

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def log_in(port: int, username: str) -> Session:
    session = Session(port)
    status = session.log_in(username, PASSWORD)
    assert status == 302, f"log in: {status}"
    return session


def fetch(session: Session, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    reply = session.request(path)
    return time.perf_counter() - start, reply.status


def pdf_paths(end: date, count: int) -> list[tuple[str, str]]:
    """(kind, path) of `count` full logs and `count` 12-week summaries, each ending a day apart."""
    paths = []
    for i in range(count):
        last = end - timedelta(days=i)
        full_first = last - timedelta(weeks=26) + timedelta(days=1)
        twelve_first = last - timedelta(weeks=12) + timedelta(days=1)
        paths.append(("full", f"/report.pdf?from={full_first}&to={last}&full=1"))
        paths.append(("12 weeks", f"/report.pdf?from={twelve_first}&to={last}"))
    return paths


def start_environment(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        **serve.production_env(database_url=database_url),
        "EMAIL_HOST": "localhost",
    }
    serve.collect_static(env)
    return env


def run(ctx: Context) -> list[Row]:
    user = ctx.user("memory")
    user.set_password(PASSWORD)
    user.save()
    end = datetime.now(UTC) - timedelta(days=1)
    episodes = generate_episodes(user, weeks=WEEKS, per_week=PER_WEEK, seed=11, end=end)
    generate_check_ins(user, weeks=WEEKS, seed=11)
    connection.close()
    env = start_environment(ctx.database_url)
    port = int(os.environ.get("BENCH_PORT") or serve.free_port())
    log = ctx.tmpdir / "memory-gunicorn.log"
    with serve.gunicorn(port, log=log, workers=1, threads=2, env=env) as master:
        (worker,) = psutil.Process(master.pid).children()
        sessions = [log_in(port, "memory") for _ in range(2)]
        with ThreadPoolExecutor(2) as clients:
            answers = [
                clients.submit(fetch, sessions[i % 2], path)
                for _ in range(PAGE_ROUNDS)
                for i, path in enumerate(PAGES)
            ]
            page_statuses = {future.result()[1] for future in answers}
        assert page_statuses == {200}, f"pages answered {page_statuses}"
        pages_rss = worker.memory_info().rss
        result = serve_pdfs(worker, sessions, end.date())
        # What the renderers hold once the PDFs are done (they may be recycled or idle).
        time.sleep(1)
        left = result.sampler.sample()
    return rows(result, pages_rss, left, episodes)


@dataclass
class PdfRun:
    sampler: Sampler
    times: dict[str, list[float]]
    statuses: dict[int, int]
    rss: int
    done: int
    stopped: bool


def serve_pdfs(worker: psutil.Process, sessions: list[Session], end: date) -> PdfRun:
    paths = pdf_paths(end, PDFS)
    times: dict[str, list[float]] = {"full": [], "12 weeks": []}
    statuses: dict[int, int] = {}
    done, stopped = 0, False
    with Sampler(worker) as sampler, ThreadPoolExecutor(2) as clients:
        # Two at a time, as two people would: both threads of the worker busy.
        for start in range(0, len(paths), 2):
            pair = paths[start : start + 2]
            futures = [clients.submit(fetch, sessions[i], path) for i, (_, path) in enumerate(pair)]
            for (kind, _), future in zip(pair, futures, strict=True):
                seconds, status = future.result()
                times[kind].append(seconds)
                statuses[status] = statuses.get(status, 0) + 1
            done += len(pair)
            if worker.memory_info().rss > STOP_MB * MB:
                stopped = True
                break
        rss = worker.memory_info().rss
    return PdfRun(sampler, times, statuses, rss, done, stopped)


def rows(result: PdfRun, pages_rss: int, left: int, episodes: int) -> list[Row]:
    ratio = result.rss / pages_rss
    full, twelve = result.times["full"], result.times["12 weeks"]
    label = f"worker RSS after {len(full)} distinct full-log + {len(twelve)} distinct 12-week PDFs"
    if result.stopped:
        label += f" (stopped early: the worker passed {STOP_MB:,} MB)"
    statuses = ", ".join(f"{n} x {status}" for status, n in sorted(result.statuses.items()))
    return [
        Row(
            f"worker RSS after {len(PAGES) * PAGE_ROUNDS} pages ({episodes:,} episodes)",
            mb(pages_rss),
        ),
        check_row(
            label,
            f"{mb(result.rss)} ({ratio:.2f}x)",
            target=f"<= {MAX_RATIO:g}x after pages, {PDFS} + {PDFS}",
            ok=ratio <= MAX_RATIO and not result.stopped,
        ),
        check_row("  PDF answers", statuses, target="all 200", ok=set(result.statuses) == {200}),
        Row(
            "renderer processes: peak RSS of one / of all at once",
            f"{mb(result.sampler.peak_one)} / {mb(result.sampler.peak_all)}",
        ),
        Row(
            "renderer processes used (recycled ones replaced) / RSS left after the PDFs",
            f"{len(result.sampler.pids)} / {mb(left)}",
        ),
        time_row(f"full-log PDF through gunicorn: median of {len(full)}", _median(full)),
        time_row(f"12-week PDF through gunicorn: median of {len(twelve)}", _median(twelve)),
    ]


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
