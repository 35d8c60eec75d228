"""
The doctor summary PDF: the median time to build it for 12 weeks of the
demo data (episodes and daily check-ins, so with the "Daily exposures" table) and for a
5,000-episode year with the full episode log (capped at the latest LOG_LIMIT episodes),
against a one-page document from the same engine (Typst, the bundled fonts, PDF/A-3b +
PDF/UA-1) measured in the same run. Targets: 12 weeks <= 300 ms, the capped
full year <= 2 s. The year is built fewer times (each build takes a second) to keep it short.

The previous engine (ReportLab 5.1, untagged, not archival, no CJK, uncapped log), measured in
the same run on the same data before it was removed: 12 weeks 556 ms vs 498 ms here; the
year with its full log 10 s (131 pages, uncapped) vs 19.9 s (44 pages, capped), both on a
box with a load average of 15 on 2 cores (an idle box ran ReportLab's 12 weeks in 45 ms).
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import UTC, datetime, timedelta

import pypdf
from benchlib import Context, Row, check_row, time_row

from diary import insights, report
from diary.demo import fill_about, generate_check_ins, generate_episodes
from diary.insights import exposures
from diary.report import blocks
from diary.report.summary import TITLE as SUMMARY_TITLE

TITLE = "Doctor summary PDF"
TARGET_12_WEEKS = 0.3
TARGET_YEAR = 2.0
YEAR_EPISODES = 5_000


def one_page_document() -> bytes:
    """The floor: a one-page document with a heading, in the same engine, fonts and standards."""
    document = {
        "meta": {"title": "Floor", "author": "bench", "subject": "floor", "footer": "floor"},
        "blocks": [blocks.heading(SUMMARY_TITLE, level=1), blocks.para("One paragraph.")],
    }
    return report.render(document)


def cpu_median(fn, runs: int) -> float:
    """Median CPU time of this process over `runs` calls: steadier than wall time on a busy box."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def period_ending_today(user, weeks: int) -> insights.Period:
    today = datetime.now(UTC).astimezone(user.profile.zone).date()
    return insights.Period.last_weeks(weeks, today, user.profile.zone)


def run(ctx: Context) -> list[Row]:
    floor = ctx.median_seconds(one_page_document, runs=ctx.runs * 2)

    demo = ctx.user("pdf-demo", display_name="Alex Morgan (demo)")
    fill_about(demo)  # page 1 with every section: About your twitching answered
    generate_episodes(demo, weeks=12, seed=1729)
    # Its check-ins too: page 2 opens with the "Daily exposures" table (bootstrap intervals).
    generate_check_ins(demo, weeks=12, seed=1729)
    twelve = period_ending_today(demo, 12)
    today = twelve.last
    demo_size = demo.episodes.count()

    year_user = ctx.user("pdf-year")
    end = datetime.now(UTC) - timedelta(days=1)
    generate_episodes(year_user, weeks=52, per_week=YEAR_EPISODES / 52, seed=7, end=end)
    year = period_ending_today(year_user, 53)

    def build_12_weeks() -> bytes:
        return report.build_pdf(demo, twelve, today=today)

    def build_year() -> bytes:
        return report.build_pdf(year_user, year, today=today, full_log=True)

    small = ctx.median_seconds(build_12_weeks)
    exposures_time = ctx.median_seconds(lambda: exposures.exposure_comparisons(demo, twelve))
    request = ctx.time_request(
        ctx.client(demo), "get", f"/report.pdf?from={twelve.first}&to={twelve.last}"
    )
    year_runs = max(3, ctx.runs // 6)
    big = ctx.median_seconds(build_year, runs=year_runs, warmup=1)
    big_cpu = cpu_median(build_year, year_runs)
    year_pdf = build_year()
    year_pages = len(pypdf.PdfReader(io.BytesIO(year_pdf)).pages)
    data = report.collect(year_user, year, today=today, full_log=True)
    collect = ctx.median_seconds(
        lambda: report.collect(year_user, year, today=today, full_log=True),
        runs=year_runs,
        warmup=1,
    )
    layout = report.document(data)
    render = ctx.median_seconds(lambda: report.render(layout), runs=year_runs, warmup=1)

    name = "one-page doc"
    return [
        time_row("floor: one-page Typst document (bundled fonts, PDF/A-3b + UA-1)", floor),
        time_row(
            f"build_pdf: 12 weeks of demo data ({demo_size} episodes)",
            small,
            floor=floor,
            floor_name=name,
            max_seconds=TARGET_12_WEEKS,
        ),
        time_row(
            "  of which: the daily exposures comparisons (2 queries, bootstrap)", exposures_time
        ),
        time_row(
            "GET /report.pdf for those 12 weeks (whole request)",
            request.median,
            floor=floor,
            floor_name=name,
            max_seconds=TARGET_12_WEEKS,
        ),
        # 12 for the summary, 2 for the daily exposures table (episodes per day, check-ins).
        check_row("  its SQL queries", request.queries, target="<= 14", ok=request.queries <= 14),
        time_row(
            f"build_pdf: {YEAR_EPISODES:,}-episode year + full log of the latest "
            f"{report.LOG_LIMIT:,} ({year_pages} pages, {len(year_pdf) // 1024} KB, "
            f"{year_runs} runs)",
            big,
            floor=floor,
            floor_name=name,
            max_seconds=TARGET_YEAR,
        ),
        time_row("  the same, CPU time of this process (not wall time)", big_cpu),
        time_row("  of which: collect() (the queries)", collect),
        time_row("  of which: render() (the layout)", render),
    ]
