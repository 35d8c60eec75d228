"""
The doctor summary PDF: what a person waits for, GET /report.pdf as a whole request, for a
document Typst has never seen.

Typst keeps what it compiled, so the same document a second time costs a fraction of the
first (a cache hit). A person asks for their own PDF, which no renderer has made before, so
every figure with a target here is of a document new to its renderer:

- 12 weeks of the demo data (episodes and daily check-ins, so with the "Daily exposures"
  table) of a different person each run (their own seed), from a renderer that made the
  other people's PDFs before it, as a busy renderer does: target <= 120 ms. The same from a
  renderer started for it (after a recycle) is shown for context.
- A 5,000-episode year with the full episode log, capped at its latest LOG_LIMIT (2,000)
  episodes, from a renderer started for it (a renderer is retired after two full logs, so
  this is what a full log mostly gets): target <= 0.8 s on a quiet machine (the load
  average is printed with the bench).

A renderer started for a run is warmed with a one-page document of its own first (untimed:
the fonts and the template are read). The floor is a one-page document, different each run,
made in the same renderer right before; each run times the floor and then the page, so both
see the same machine load.
- For context, not held to a target: the parts of the year's PDF (the queries, building the
  document's data, the renderer), starting a renderer, and the cache hit of a repeat.

The PDFs are made by the real renderer pool (diary/report/renderers.py), in spawned processes.
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pypdf
from benchlib import Context, Row, check_row, time_row

from diary import insights, report
from diary.demo import fill_about, generate_check_ins, generate_episodes
from diary.report import blocks
from diary.report.renderers import pool
from diary.report.summary import TITLE as SUMMARY_TITLE

TITLE = "Doctor summary PDF, fresh documents (renderer processes)"
TARGET_12_WEEKS = 0.120
TARGET_YEAR = 0.8
YEAR_EPISODES = 5_000
YEAR_RUNS = 5
PEOPLE = 12


def one_page_document(text: str) -> dict:
    """A one-page document with a heading and `text`, in the same engine, fonts and standards."""
    return {
        "meta": {
            "title": "Floor",
            "author": "bench",
            "subject": "floor",
            "footer": "floor",
            "lang": "en",
            "region": None,
            "words": {"page": "Page {page} of {pages}", "not_logging": "not logging yet"},
        },
        "blocks": [blocks.heading(str(SUMMARY_TITLE), level=1), blocks.para(text)],
    }


def new_renderer(run: int) -> None:
    """A renderer that has compiled nothing but a one-page document of its own."""
    pool.shutdown()
    report.render(one_page_document(f"Warm-up {run}."))


def fresh_medians(measured: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median seconds of the floor and of `measured`, each run in a new renderer."""
    floors, times = [], []
    for run in range(runs):
        new_renderer(run)
        start = time.perf_counter()
        report.render(one_page_document(f"One paragraph, run {run}."))
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        measured()
        times.append(time.perf_counter() - start)
    return statistics.median(floors), statistics.median(times)


def median_of(fn: Callable[[], object], runs: int, before: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def period_ending_today(user, weeks: int) -> insights.Period:
    today = datetime.now(UTC).astimezone(user.profile.zone).date()
    return insights.Period.last_weeks(weeks, today, user.profile.zone)


def get_pdf(client, path: str) -> bytes:
    response = client.get(path)
    if response.status_code != 200 or not response.content.startswith(b"%PDF-"):
        raise AssertionError(f"GET {path} answered {response.status_code}")
    return response.content


def distinct_medians(clients: list, path: str) -> tuple[float, float]:
    """Median seconds of the floor and of each client's own PDF, all in one warm renderer."""
    floors, times = [], []
    for run, client in enumerate(clients):
        start = time.perf_counter()
        report.render(one_page_document(f"One paragraph, person {run}."))
        floors.append(time.perf_counter() - start)
        start = time.perf_counter()
        get_pdf(client, path)
        times.append(time.perf_counter() - start)
    return statistics.median(floors), statistics.median(times)


def run(ctx: Context) -> list[Row]:
    people = []
    for seed in range(PEOPLE + 1):
        person = ctx.user(f"pdf-demo-{seed}", display_name=f"Person {seed} (demo)")
        fill_about(person)  # page 1 with every section: About your twitching answered
        generate_episodes(person, weeks=12, seed=1729 + seed)
        generate_check_ins(person, weeks=12, seed=1729 + seed)
        people.append(person)
    demo, others = people[0], people[1:]
    twelve = period_ending_today(demo, 12)
    today = twelve.last
    demo_size = demo.episodes.count()
    demo_client = ctx.client(demo)
    twelve_path = f"/report.pdf?from={twelve.first}&to={twelve.last}"

    year_user = ctx.user("pdf-year")
    end = datetime.now(UTC) - timedelta(days=1)
    generate_episodes(year_user, weeks=52, per_week=YEAR_EPISODES / 52, seed=7, end=end)
    year = period_ending_today(year_user, 53)
    year_client = ctx.client(year_user)
    year_path = f"/report.pdf?from={year.first}&to={year.last}&full=1"

    # Warms this process too (templates, the site catalogue, the fonts' character maps).
    queries = ctx.time_request(demo_client, "get", twelve_path, runs=1, warmup=1).queries

    new_renderer(0)
    get_pdf(demo_client, twelve_path)  # the renderer has made someone else's PDF
    floor, small = distinct_medians([ctx.client(person) for person in others], twelve_path)
    fresh_floor, small_fresh = fresh_medians(lambda: get_pdf(demo_client, twelve_path), ctx.runs)
    year_floor, big = fresh_medians(lambda: get_pdf(year_client, year_path), YEAR_RUNS)
    year_pdf = get_pdf(year_client, year_path)
    year_pages = len(pypdf.PdfReader(io.BytesIO(year_pdf)).pages)

    # Where the year's time goes: the queries, the document's data, the renderer (fresh).
    collect = ctx.median_seconds(
        lambda: report.collect(year_user, year, today=today, full_log=True),
        runs=YEAR_RUNS,
        warmup=1,
    )
    data = report.collect(year_user, year, today=today, full_log=True)
    build = ctx.median_seconds(lambda: report.document(data), runs=YEAR_RUNS, warmup=1)
    layout = report.document(data)
    render = median_of(
        lambda: report.render(layout), YEAR_RUNS, lambda: new_renderer(len(layout["blocks"]))
    )
    start_renderer = median_of(lambda: new_renderer(0), 5, pool.shutdown)
    repeat = ctx.median_seconds(lambda: get_pdf(demo_client, twelve_path))

    name = "one-page doc"
    return [
        time_row("floor: a one-page document, different each run", floor),
        time_row(
            f"GET /report.pdf, 12 weeks of demo data (~{demo_size} episodes), a new person "
            f"each run, warm renderer, {PEOPLE} people",
            small,
            floor=floor,
            floor_name=name,
            max_seconds=TARGET_12_WEEKS,
        ),
        time_row(
            "(context) the same, each from a renderer started for it",
            small_fresh,
            floor=fresh_floor,
            floor_name=name,
        ),
        # 12 for the summary, 2 for the daily exposures table (episodes per day, check-ins).
        check_row("  its SQL queries", queries, target="<= 14", ok=queries <= 14),
        time_row(
            f"GET /report.pdf, {YEAR_EPISODES:,}-episode year + full log of the latest "
            f"{report.LOG_LIMIT:,} ({year_pages} pages, {len(year_pdf) // 1024} KB), fresh, "
            f"{YEAR_RUNS} runs",
            big,
            floor=year_floor,
            floor_name=name,
            max_seconds=TARGET_YEAR,
        ),
        time_row("  of which: collect() (the queries)", collect),
        time_row("  of which: document() (the layout's data, the text made printable)", build),
        time_row("  of which: render() (to the renderer and back, compiled fresh)", render),
        time_row("(context) starting a renderer and its first one-page document", start_renderer),
        time_row("(context) GET /report.pdf, 12 weeks, the same PDF again: a cache hit", repeat),
    ]
