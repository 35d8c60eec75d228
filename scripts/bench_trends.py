"""
The trends page (issue 3): GET /trends/ for 12 and 52 weeks of a 50,000-episode diary.

One user with 50,000 episodes over five years (diary.demo's story, ~27 a day). The floor is
the raw SQL GROUP BY over the same rows: that user's episodes in the range, counted per ISO week
in their zone (SQLite's own date functions, the zone's offsets as a CASE), run through a bare
cursor. Pages and floors are timed in turns. Targets: <= 3x the floor; <= 8 queries, the same
for 12 and 52 weeks and for a 10-episode diary.

For context, two figures without a target: the page's own SQL replayed through a bare cursor
(so the rest of the page time is Django, Python and the template), and the page for a
10-episode diary.
"""

from __future__ import annotations

from datetime import UTC

from benchlib import Context, Row, check_row, time_row
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from diary.demo import generate_episodes
from diary.insights import Period, sqlite_offset_modifier

TITLE = "Trends page (issue 3)"
EPISODES = 50_000
WEEKS_OF_DATA = 260
RANGES = (12, 52)
MAX_RATIO = 3
MAX_QUERIES = 8


def floor_sql(user, period: Period) -> tuple[str, list]:
    """Episodes per local ISO week over the period: the least SQL a weekly chart needs."""
    offset, params = sqlite_offset_modifier("started_at", period.zone, period.start, period.end)
    sql = (
        f"SELECT date(started_at, {offset}, 'weekday 0', '-6 days') AS week, COUNT(*) "
        "FROM diary_episode WHERE user_id = %s AND deleted_at IS NULL "
        "AND started_at >= %s AND started_at < %s GROUP BY week"
    )
    utc = "%Y-%m-%d %H:%M:%S"
    start, end = (t.astimezone(UTC).strftime(utc) for t in (period.start, period.end))
    return sql, [*params, user.pk, start, end]


def run_sql(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def page_sql(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200 or b"trends-data" not in response.content:
        raise AssertionError(f"GET {path} returned {response.status_code} without charts")
    return len(captured), [q["sql"] for q in captured.captured_queries]


def run(ctx: Context) -> list[Row]:
    user = ctx.user("trends")
    written = generate_episodes(
        user, weeks=WEEKS_OF_DATA, per_week=EPISODES / WEEKS_OF_DATA, seed=3
    )
    small = ctx.user("trends-small")
    generate_episodes(small, weeks=4, per_week=2.5, seed=4)
    client, small_client = ctx.client(user), ctx.client(small)
    today = timezone.now().astimezone(user.profile.zone).date()

    fns, queries, replays = {}, {}, {}
    for weeks in RANGES:
        path = f"/trends/?weeks={weeks}"
        period = Period.last_weeks(weeks, today, user.profile.zone)
        sql, params = floor_sql(user, period)
        queries[weeks], captured = page_sql(client, path)
        queries[f"small {weeks}"], _ = page_sql(small_client, path)
        replays[weeks] = captured
        fns[f"floor {weeks}"] = (lambda sql=sql, params=params: run_sql(sql, params), None)
        fns[f"page {weeks}"] = (lambda path=path: client.get(path), None)
    fns["replay 52"] = (lambda: [run_sql(sql) for sql in replays[52]], None)
    fns["small 52"] = (lambda: small_client.get("/trends/?weeks=52"), None)
    medians = ctx.interleaved_medians(fns)

    rows: list[Row] = []
    for weeks in RANGES:
        floor = medians[f"floor {weeks}"]
        rows += [
            time_row(f"floor: raw SQL weekly GROUP BY, {weeks} wk", floor),
            time_row(
                f"GET /trends/?weeks={weeks} ({written:,} episodes)",
                medians[f"page {weeks}"],
                floor=floor,
                floor_name="SQL",
                max_ratio=MAX_RATIO,
            ),
            check_row(
                f"queries, {weeks} wk",
                queries[weeks],
                target=f"<= {MAX_QUERIES}",
                ok=queries[weeks] <= MAX_QUERIES,
            ),
        ]
    counts = sorted(set(queries.values()))
    rows += [
        check_row(
            "queries: 12 wk, 52 wk, 10-episode diary",
            " / ".join(str(queries[k]) for k in (12, 52, "small 12", "small 52")),
            target="all equal",
            ok=len(counts) == 1,
        ),
        time_row(
            "(context) the page's own SQL replayed raw, 52 wk",
            medians["replay 52"],
            floor=medians["floor 52"],
            floor_name="SQL",
        ),
        time_row("(context) GET /trends/?weeks=52, 10 episodes", medians["small 52"]),
    ]
    return rows
