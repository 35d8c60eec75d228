"""
The trends page: GET /trends/ for 12 and 52 weeks of a 50,000-episode diary, cache miss and hit.

One user with 50,000 episodes over five years (diary.demo's story, ~27 a day). The floor is the
bare base.html page (FLOOR_BASE: the whole middleware stack, the session, the user and one
template), timed in turns with the pages. Targets: a cache miss (every number read from the
per-day summary and the results rendered) <= 4x the floor, a cache hit <= 1.5x; the same number
of queries for 12 and 52 weeks and for a 10-episode diary.

A miss is forced by clearing the cache after each request (untimed), as a write would by
bumping the data version.
"""

from __future__ import annotations

from benchlib import FLOOR_BASE, Context, Request, Row, check_row, time_row
from django.core.cache import cache

from diary.demo import generate_episodes

TITLE = "Trends page (one clock, per-day summary, cache)"
EPISODES = 50_000
WEEKS_OF_DATA = 260
RANGES = (12, 52)
MAX_MISS_RATIO = 4
MAX_HIT_RATIO = 1.5


def run(ctx: Context) -> list[Row]:
    user = ctx.user("trends")
    written = generate_episodes(
        user, weeks=WEEKS_OF_DATA, per_week=EPISODES / WEEKS_OF_DATA, seed=3
    )
    small = ctx.user("trends-small")
    generate_episodes(small, weeks=4, per_week=2.5, seed=4)
    client, small_client = ctx.client(user), ctx.client(small)

    requests = {"floor": Request(client, "get", FLOOR_BASE)}
    for weeks in RANGES:
        path = f"/trends/?weeks={weeks}"
        requests[f"miss {weeks}"] = Request(client, "get", path, after=cache.clear)
        requests[f"hit {weeks}"] = Request(client, "get", path)
        requests[f"small miss {weeks}"] = Request(small_client, "get", path, after=cache.clear)
    timings = ctx.time_requests(requests)
    floor = timings["floor"].median

    rows: list[Row] = [time_row("floor: bare base.html page (same middleware)", floor)]
    for weeks in RANGES:
        miss, hit = timings[f"miss {weeks}"], timings[f"hit {weeks}"]
        rows += [
            time_row(
                f"GET /trends/?weeks={weeks}, cache miss ({written:,} episodes)",
                miss.median,
                floor=floor,
                floor_name="base",
                max_ratio=MAX_MISS_RATIO,
            ),
            time_row(
                f"GET /trends/?weeks={weeks}, cache hit",
                hit.median,
                floor=floor,
                floor_name="base",
                max_ratio=MAX_HIT_RATIO,
            ),
        ]
    misses = [timings[k].queries for k in ("miss 12", "miss 52", "small miss 12", "small miss 52")]
    hits = [timings[f"hit {weeks}"].queries for weeks in RANGES]
    rows += [
        check_row(
            "queries on a miss: 12 wk, 52 wk, 10-episode diary 12 / 52",
            " / ".join(map(str, misses)),
            target="all equal",
            ok=len(set(misses)) == 1,
        ),
        check_row(
            "queries on a hit: 12 wk / 52 wk (floor: " + str(timings["floor"].queries) + ")",
            " / ".join(map(str, hits)),
            target="all equal",
            ok=len(set(hits)) == 1,
        ),
        time_row(
            "(context) GET /trends/?weeks=52, 10 episodes, miss", timings["small miss 52"].median
        ),
    ]
    return rows
