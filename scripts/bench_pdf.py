"""
The doctor summary PDF (issue 4): the median time to build it for 12 weeks of the demo data
and for a 5,000-episode year with the full episode log, against a one-page ReportLab document
(in the same bundled font) measured in the same run. Targets: 12 weeks <= 300 ms, the full
year <= 2 s. The year is built fewer times (each build takes seconds) to keep the section short.
"""

from __future__ import annotations

import io
import statistics
import time
from datetime import UTC, datetime, timedelta

import pypdf
from benchlib import Context, Row, check_row, time_row
from reportlab.lib.pagesizes import A4
from reportlab.platypus import Paragraph, SimpleDocTemplate

from diary import insights, pdf
from diary.demo import generate_episodes

TITLE = "Doctor summary PDF (issue 4)"
TARGET_12_WEEKS = 0.3
TARGET_YEAR = 2.0
YEAR_EPISODES = 5_000


def one_page_document() -> bytes:
    """The floor: a one-page platypus document in the same bundled TrueType font."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, initialFontName=pdf.FONT, invariant=True)
    doc.build([Paragraph("Muscle twitching diary: summary", pdf.styles()["title"])])
    return buffer.getvalue()


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
    pdf.register_fonts()
    floor = ctx.median_seconds(one_page_document, runs=ctx.runs * 2)

    demo = ctx.user("pdf-demo", display_name="Alex Morgan (demo)")
    generate_episodes(demo, weeks=12, seed=1729)
    twelve = period_ending_today(demo, 12)
    today = twelve.last
    demo_size = demo.episodes.count()

    year_user = ctx.user("pdf-year")
    end = datetime.now(UTC) - timedelta(days=1)
    generate_episodes(year_user, weeks=52, per_week=YEAR_EPISODES / 52, seed=7, end=end)
    year = period_ending_today(year_user, 53)

    def build_12_weeks() -> bytes:
        return pdf.build_pdf(demo, twelve, today=today)

    def build_year() -> bytes:
        return pdf.build_pdf(year_user, year, today=today, full_log=True)

    small = ctx.median_seconds(build_12_weeks)
    request = ctx.time_request(
        ctx.client(demo), "get", f"/report.pdf?from={twelve.first}&to={twelve.last}"
    )
    year_runs = max(3, ctx.runs // 6)
    big = ctx.median_seconds(build_year, runs=year_runs, warmup=1)
    big_cpu = cpu_median(build_year, year_runs)
    year_pages = len(pypdf.PdfReader(io.BytesIO(build_year())).pages)
    report = pdf.collect(year_user, year, today=today, full_log=True)
    collect = ctx.median_seconds(
        lambda: pdf.collect(year_user, year, today=today, full_log=True),
        runs=year_runs,
        warmup=1,
    )
    render = ctx.median_seconds(lambda: pdf.render(report), runs=year_runs, warmup=1)

    name = "one-page doc"
    return [
        time_row("floor: one-page ReportLab document (DejaVu Sans)", floor),
        time_row(
            f"build_pdf: 12 weeks of demo data ({demo_size} episodes)",
            small,
            floor=floor,
            floor_name=name,
            max_seconds=TARGET_12_WEEKS,
        ),
        time_row(
            "GET /report.pdf for those 12 weeks (whole request)",
            request.median,
            floor=floor,
            floor_name=name,
            max_seconds=TARGET_12_WEEKS,
        ),
        check_row("  its SQL queries", request.queries, target="<= 12", ok=request.queries <= 12),
        time_row(
            f"build_pdf: {YEAR_EPISODES:,}-episode year + full log ({year_pages} pages, "
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
