"""
The comparisons on /trends/: "What goes with more twitching?" on a 2-year diary.

One user with 50,000 episodes over two years (diary.demo's story) and the demo's check-ins for
those days (diary.demo.checkins: nine days in ten, a few questions unanswered). Timed in turns:
- the floor: the raw SQL GROUP BY the comparisons need, episodes per stored local date over the
  range, through a bare cursor;
- `exposure_comparisons(user, period)`: that GROUP BY, the check-ins, the join in Python and a
  bootstrap interval per exposure;
- GET /trends/ with the section and without it (the comparisons replaced by an empty list for
  that request), for 12 and 52 weeks.
Target: the section adds <= 30% to the Trends page. Every page is a cache miss (the cache of
rendered results is emptied after each request); no row measures a hit. The bootstrap
intervals are kept by the days they were computed from (diary/insights/exposures.py): a miss
after logging today finds them (no finished day changed); a context row gives what the
section adds when every interval is computed again (a check-in or an earlier day changed).
"""

from __future__ import annotations

from benchlib import Context, Row, check_row, time_row
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from diary.demo import generate_check_ins, generate_episodes
from diary.insights import Period, exposures

TITLE = "Comparisons on the trends page"
EPISODES = 50_000
WEEKS_OF_DATA = 104
RANGES = (12, 52)
MAX_ADDED = 0.30


def floor_sql(user, period: Period) -> tuple[str, list]:
    sql = (
        "SELECT local_date, COUNT(*) FROM diary_episode WHERE user_id = %s "
        "AND deleted_at IS NULL AND local_date >= %s AND local_date <= %s GROUP BY local_date"
    )
    last = exposures.last_complete_day(period)
    return sql, [user.pk, period.first.isoformat(), last.isoformat()]


def run_sql(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.fetchall()


def without_section(client, path: str):
    """The page with the comparisons replaced by nothing, for this one request."""

    def get():
        real = exposures.exposure_comparisons
        exposures.exposure_comparisons = lambda user, period: []
        try:
            return client.get(path)
        finally:
            exposures.exposure_comparisons = real

    return get


def forget_all() -> None:
    """Before a request: the cached pages and the kept intervals gone, as after a changed
    check-in (the request keeps them again, so the rows timed after it find them)."""
    caches["pages"].clear()
    exposures._interval.cache_clear()


def run(ctx: Context) -> list[Row]:
    user = ctx.user("comparisons")
    written = generate_episodes(
        user, weeks=WEEKS_OF_DATA, per_week=EPISODES / WEEKS_OF_DATA, seed=7
    )
    check_ins = generate_check_ins(user, weeks=WEEKS_OF_DATA, seed=7)
    client = ctx.client(user)
    today = timezone.now().astimezone(user.profile.zone).date()

    fns, sections = {}, {}
    for weeks in RANGES:
        path = f"/trends/?weeks={weeks}"
        period = Period.last_weeks(weeks, today, user.profile.zone)
        sql, params = floor_sql(user, period)
        page = client.get(path).content.decode()
        if "you logged on average" not in page or "trends-data" not in page:
            raise AssertionError(f"GET {path} did not show the comparisons")
        sections[weeks] = sum(c.enough for c in exposures.exposure_comparisons(user, period))
        # First in each turn: what it forgets, it keeps again for the rows after it.
        fns[f"recomputed {weeks}"] = (
            lambda path=path: client.get(path),
            caches["pages"].clear,
            forget_all,
        )
        fns[f"floor {weeks}"] = (lambda sql=sql, params=params: run_sql(sql, params), None)
        fns[f"call {weeks}"] = (
            lambda period=period: exposures.exposure_comparisons(user, period),
            None,
        )
        # Cache misses both: the rendered results are cached per data version otherwise.
        fns[f"with {weeks}"] = (lambda path=path: client.get(path), caches["pages"].clear)
        fns[f"without {weeks}"] = (without_section(client, path), caches["pages"].clear)
    medians = ctx.interleaved_medians(fns)

    rows: list[Row] = [Row("(context) diary", f"{written:,} episodes, {check_ins} check-ins")]
    for weeks in RANGES:
        floor = medians[f"floor {weeks}"]
        with_, without = medians[f"with {weeks}"], medians[f"without {weeks}"]
        added = (with_ - without) / without
        rows += [
            time_row(f"floor: raw SQL GROUP BY local_date, {weeks} wk", floor),
            time_row(
                f"exposure_comparisons(), {weeks} wk ({sections[weeks]} with a ratio)",
                medians[f"call {weeks}"],
                floor=floor,
                floor_name="SQL",
            ),
            time_row(
                f"GET /trends/?weeks={weeks} without the section, cache miss",
                without,
                floor=floor,
                floor_name="SQL",
            ),
            time_row(
                f"GET /trends/?weeks={weeks} with the section, cache miss",
                with_,
                floor=floor,
                floor_name="SQL",
            ),
            check_row(
                f"the section adds, {weeks} wk, cache miss",
                f"{100 * added:.0f}%",
                target=f"<= {100 * MAX_ADDED:.0f}%",
                ok=added <= MAX_ADDED,
            ),
            Row(
                f"(context) the section adds, {weeks} wk, every interval computed again",
                f"{100 * (medians[f'recomputed {weeks}'] - without) / without:.0f}%",
            ),
        ]
    return rows
