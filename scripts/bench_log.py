"""
The Log page: GET / and an htmx POST of a new episode, at 10 and 10,000 episodes.

The 10,000 episodes are two years of a heavy logger (about 14 a day, in diary.demo's story).
The Log page lists the last 7 days, so what it renders depends on the density, not the total;
each label says how many rows that list had. Every timed POST's episode is deleted again
(untimed), so each run sees the same data. The floors are measured in turns with the pages,
for each size. Targets at 10,000: GET / <= 3x and the htmx POST <= 5x the bare-base.html
floor; the same query counts at 10 and 10,000. Then the first visit's transfer of `/` (the
HTML and every stylesheet, script and icon it links, gzip-compressed), target <= 80 KB. Below
the figures, the parts of GET / at 10,000 timed on their own, to show where the time goes.
Nothing on the Log page is cached between requests (only the body map's drawing and the site
catalogue, built once per process as in production): every figure is what each visit costs.
"""

from __future__ import annotations

import gzip
import re
from datetime import timedelta
from pathlib import Path

from benchlib import FLOOR_BASE, FLOOR_EMPTY, Context, Request, Row, check_row, time_row
from django.contrib.staticfiles import finders
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import timezone

from diary.demo import generate_episodes
from diary.models import Episode, Trigger

TITLE = "Log page"
SIZES = {10: 1, 10_000: 104}  # episodes -> the weeks they span
MAX_RATIO = {"GET /": 3, "htmx POST /": 5}
MAX_FIRST_VISIT_KB = 80
HTMX = {"HX-Request": "true"}


def run(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    queries: dict[str, list[int]] = {"GET /": [], "htmx POST /": []}
    for size, weeks in SIZES.items():
        user = ctx.user(f"log-{size}")
        generate_episodes(user, weeks=weeks, per_week=size / weeks, seed=size)
        client = ctx.client(user)
        week_ago = timezone.now() - timedelta(days=7)
        recent = Episode.objects.for_user(user).filter(started_at__gte=week_ago).count()
        last_pk = Episode.objects.order_by("-pk").values_list("pk", flat=True).first()

        def forget_new(user=user, last_pk=last_pk) -> None:
            Episode.objects.filter(user=user, pk__gt=last_pk).delete()

        # Floors and pages take turns, so they are measured under the same machine load.
        timings = ctx.time_requests(
            {
                "empty": Request(client, "get", FLOOR_EMPTY),
                "base": Request(client, "get", FLOOR_BASE),
                "GET /": Request(client, "get", "/"),
                "htmx POST /": Request(
                    client, "post", "/", data=post_data(), headers=HTMX, after=forget_new
                ),
            }
        )
        posted = timings["htmx POST /"].content
        if b"Logged" not in posted or b"errorlist" in posted:
            raise AssertionError("the htmx POST did not log the episode")

        base = timings["base"].median
        biggest = size == max(SIZES)
        label = f"{size:,} episodes, {recent} in the 7-day list"
        rows += [
            time_row(f"floor: empty response, logged in ({size:,})", timings["empty"].median,
                     floor=base, floor_name="base"),
            time_row(f"floor: bare base.html, logged in ({size:,})", base, floor=base,
                     floor_name="base"),
        ]  # fmt: skip
        for what in queries:
            rows.append(time_row(f"{what} ({label}), nothing cached", timings[what].median,
                                 floor=base,
                                 floor_name="base",
                                 max_ratio=MAX_RATIO[what] if biggest else None))  # fmt: skip
            queries[what].append(timings[what].queries)

    for what, (small, big) in queries.items():
        rows.append(
            check_row(
                f"{what} SQL queries at {min(SIZES):,} / {max(SIZES):,}",
                f"{small} / {big}",
                target="the same",
                ok=small == big,
            )
        )
    rows += first_visit(timings["GET /"].content)
    return rows + breakdown(ctx, user)  # the last user: the one with 10,000 episodes


def first_visit(html: bytes) -> list[Row]:
    """
    What a first visit of `/` downloads: the page and what it links (stylesheets, scripts,
    icons), each gzip-compressed as WhiteNoise serves static files. The page itself goes out as
    Django renders it unless the proxy (or GZipMiddleware) compresses it: both figures shown.
    """
    urls = re.findall(rb'<(?:link|script)\b[^>]*?(?:href|src)="(/static/[^"]+)"', html)
    sizes = {}
    for url in dict.fromkeys(u.decode() for u in urls):
        path = finders.find(url.removeprefix("/static/").split("?")[0])
        if path is None:
            raise AssertionError(f"{url} is linked from / but not a static file")
        sizes[url] = len(gzip.compress(Path(path).read_bytes(), 9))
    page = len(gzip.compress(html, 9))
    total = page + sum(sizes.values())
    listed = ", ".join(f"{u.rsplit('/', 1)[-1]} {n / 1024:.1f}" for u, n in sizes.items())
    return [
        check_row(
            "first visit of / (gzip: page + CSS + JS + icons)",
            f"{total / 1024:.1f} KB",
            target=f"<= {MAX_FIRST_VISIT_KB} KB",
            ok=total <= MAX_FIRST_VISIT_KB * 1024,
        ),
        Row(f"  of which: page {page / 1024:.1f} KB ({len(html) / 1024:.1f} KB uncompressed)", ""),
        Row(f"  of which: {listed} KB", ""),
    ]


def post_data() -> dict:
    """What the Log form posts for two sites, a trigger and a strength, time now."""
    caffeine = Trigger.objects.get(slug="caffeine", user=None)
    return {
        "when": "now",
        "duration_preset": "5",
        "duration_unit": "seconds",
        "sites": ["calf-left", "calf-right"],
        "triggers": [str(caffeine.pk)],
        "intensity": "2",
    }


def breakdown(ctx: Context, user) -> list[Row]:
    """Where GET / spends its time for `user`: its parts, each timed on its own."""
    try:  # the view's insides: they may change shape, and the figures above still stand
        from diary.forms import EpisodeForm
        from diary.models import recent_and_frequent_sites
        from diary.views.episodes import log_context

        request = RequestFactory().get("/")
        request.user = user
        get_token(request)
        zone = user.profile.zone
        context = log_context(request, EpisodeForm(user=user, zone=zone))
        shown = len(context["today_episodes"]) + len(context["earlier_episodes"])
        form_part = get_template("diary/log.html#log-form")
        list_part = get_template("diary/log.html#episode-list")
        parts = {
            "site chips query (recent_and_frequent_sites)": lambda: recent_and_frequent_sites(user),
            "log_context(): all the page's queries": lambda: log_context(
                request, EpisodeForm(user=user, zone=zone)
            ),
            "render #log-form": lambda: form_part.render(context, request),
            f"render #episode-list ({shown} rows)": lambda: list_part.render(context, request),
        }
        return [time_row(f"  of which: {k}", ctx.median_seconds(fn)) for k, fn in parts.items()]
    except Exception as error:
        return [Row("  breakdown unavailable", f"{type(error).__name__}: {error}")]
