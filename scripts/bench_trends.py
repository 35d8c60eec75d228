"""
The trends page: GET /trends/ for 12 and 52 weeks of a 50,000-episode diary, cache miss and hit.

One user with 50,000 episodes over five years (diary.demo's story, ~27 a day); the same figures
for a denser random diary are in bench_trends_random.py. The floor is the bare base.html page
(FLOOR_BASE: the whole middleware stack, the session, the user and one template), timed in
turns with the pages. Targets: a cache miss (every number read from the per-day summary and
the results rendered) <= 4x the floor, a cache hit <= 1.5x; the same number of queries for 12
and 52 weeks and for a 10-episode diary.

A miss asks for the same period as `?weeks=N` by its dates (another cache key): after each
miss the cache is emptied and the hits' entries filled again, untimed, so every miss finds
nothing cached (as after a write, which bumps the data version) and every hit finds its page.
The weeks kept summed (diary/insights/weeks.py) are what a write leaves of them: a write
today changes no whole earlier week, so a miss finds them. A context row times the 52-week
miss in a process that has kept nothing (after a restart, or the first view after an import).
"""

from __future__ import annotations

from benchlib import FLOOR_BASE, Context, Request, Row, check_row, time_row
from django.core.cache import caches
from django.utils import timezone

from diary.demo import generate_episodes
from diary.insights import Period
from diary.insights import weeks as kept_weeks

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
    return measure(ctx, user, f"{written:,} episodes")


def measure(ctx: Context, user, diary: str) -> list[Row]:
    """The rows for `user`'s diary (`diary` says what it is), with a 10-episode diary's."""
    small = ctx.user(f"{user.username}-small")
    generate_episodes(small, weeks=4, per_week=2.5, seed=4)
    ctx.analyze()
    client, small_client = ctx.client(user), ctx.client(small)

    paths = [f"/trends/?weeks={weeks}" for weeks in RANGES]

    def forget() -> None:
        """Empty the cache for the next miss, and fill it again for the hits that follow."""
        caches["pages"].clear()
        for path in paths:
            client.get(path)

    def nothing_kept() -> None:
        """Before a request: no page cached and no week kept (a process just started)."""
        caches["pages"].clear()
        kept_weeks.forget()

    today = timezone.now().astimezone(user.profile.zone).date()
    requests = {"floor": Request(client, "get", FLOOR_BASE)}
    for weeks, path in zip(RANGES, paths, strict=True):
        # The same period as ?weeks=N under another cache key, which forget() leaves empty.
        first = Period.last_weeks(weeks, today, user.profile.zone).first
        same = f"/trends/?from={first}&to={today}"
        requests[f"miss {weeks}"] = Request(client, "get", same, after=forget)
        requests[f"hit {weeks}"] = Request(client, "get", path)
        requests[f"small miss {weeks}"] = Request(small_client, "get", same, after=forget)
    requests["cold 52"] = Request(client, "get", same, before=nothing_kept, after=forget)
    timings = ctx.time_requests(requests)
    floor = timings["floor"].median

    rows: list[Row] = [time_row("floor: bare base.html page (same middleware)", floor)]
    for weeks in RANGES:
        miss, hit = timings[f"miss {weeks}"], timings[f"hit {weeks}"]
        rows += [
            time_row(
                f"GET /trends/?weeks={weeks}, cache miss ({diary})",
                miss.median,
                floor=floor,
                floor_name="base",
                max_ratio=MAX_MISS_RATIO,
            ),
            time_row(
                f"GET /trends/?weeks={weeks}, cache hit ({diary})",
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
        time_row(
            f"(context) GET /trends/?weeks=52, miss, no week kept ({diary})",
            timings["cold 52"].median,
            floor=floor,
            floor_name="base",
        ),
    ]
    return rows
