"""
The Log page: GET / and an htmx POST of a new episode, at 10 and 10,000 episodes, and at
10,000 on a denser random diary.

The 10,000 episodes are two years of a heavy logger (about 14 a day, in diary.demo's story).
The random diary has as many over the same two years, on uniformly random days and hours, each
at 1-3 of all the body sites, a trigger on 60 % (diary.demo.generate_uniform_episodes).
The Log page lists the last 7 days, so what it renders depends on the density, not the total;
each label says how many rows that list had. GET / is timed twice: the first visit after a
write (an untimed write first, as after logging: whatever is kept per data version is built
again), and again with no write since. Every timed POST's episode is deleted again (untimed,
a write), so each run sees the same data. The floors are measured in turns with the pages,
for each diary. Targets at 10,000, both diaries: GET / <= 3x (either way) and the htmx POST
<= 4x the bare-base.html floor; the same query counts at 10 and 10,000. Then the first visit's
transfer of `/` (the HTML and every stylesheet, script and icon it links, gzip-compressed),
target <= 80 KB. Below the figures, the parts of GET / at 10,000 timed on their own, to show
where the time goes. The body map's drawing and the site catalogue are built once per
process, as in production.
"""

from __future__ import annotations

import gzip
import re
import uuid
from datetime import timedelta
from pathlib import Path

from benchlib import FLOOR_BASE, FLOOR_EMPTY, Context, Request, Row, check_row, time_row
from django.contrib.staticfiles import finders
from django.db import transaction
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import timezone

from diary.demo import generate_episodes, generate_uniform_episodes
from diary.models import Episode, Trigger, data_changed

TITLE = "Log page"
SIZES = {10: 1, 10_000: 104}  # episodes -> the weeks they span
RANDOM = (10_000, 104)  # the random diary: episodes, weeks
MAX_RATIO = {"GET /": 3, "GET / again": 3, "htmx POST /": 4}
MAX_FIRST_VISIT_KB = 80
HTMX = {"HX-Request": "true"}


def diaries(ctx: Context):
    """(label, user, whether its figures have targets) for each diary, data written."""
    for size, weeks in SIZES.items():
        user = ctx.user(f"log-{size}")
        generate_episodes(user, weeks=weeks, per_week=size / weeks, seed=size)
        ctx.analyze()
        yield f"{size:,}", user, size == max(SIZES)
    count, weeks = RANDOM
    user = ctx.user("log-random")
    generate_uniform_episodes(user, count=count, weeks=weeks, seed=count)
    ctx.analyze()
    yield f"{count:,} random", user, True


def run(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    queries: dict[str, list[int]] = {"GET /": [], "htmx POST /": []}
    for size, user, with_targets in diaries(ctx):
        client = ctx.client(user)
        week_ago = timezone.now() - timedelta(days=7)
        recent = Episode.objects.for_user(user).filter(started_at__gte=week_ago).count()
        last_pk = Episode.objects.order_by("-pk").values_list("pk", flat=True).first()

        def forget_new(user=user, last_pk=last_pk) -> None:
            """Remove what the POST added, as a write: the next request finds nothing cached."""
            new = Episode.objects.filter(user=user, pk__gt=last_pk)
            with transaction.atomic():
                dates = set(new.values_list("local_date", flat=True))
                new.delete()
                data_changed(user, dates)

        def a_write(user=user) -> None:
            data_changed(user)  # what every write does to the cached parts of a page

        # Floors and pages take turns, so they are measured under the same machine load.
        timings = ctx.time_requests(
            {
                "empty": Request(client, "get", FLOOR_EMPTY),
                "base": Request(client, "get", FLOOR_BASE),
                "GET /": Request(client, "get", "/", before=a_write),
                "GET / again": Request(client, "get", "/"),
                "htmx POST /": Request(
                    client, "post", "/", data=post_data(), headers=HTMX, after=forget_new
                ),
            }
        )
        posted = timings["htmx POST /"].content
        if b"Logged" not in posted or b"errorlist" in posted:
            raise AssertionError("the htmx POST did not log the episode")

        base = timings["base"].median
        label = f"{size} episodes, {recent} in the 7-day list"
        rows += [
            time_row(f"floor: empty response, logged in ({size})", timings["empty"].median,
                     floor=base, floor_name="base"),
            time_row(f"floor: bare base.html, logged in ({size})", base, floor=base,
                     floor_name="base"),
        ]  # fmt: skip
        for what, words in (
            ("GET /", "the first after a write"),
            ("GET / again", "no write since"),
            ("htmx POST /", "a new episode"),
        ):
            target = MAX_RATIO[what] if with_targets else None
            rows.append(
                time_row(
                    f"{what} ({label}), {words}",
                    timings[what].median,
                    floor=base,
                    floor_name="base",
                    max_ratio=target,
                )
            )
            if what in queries:
                queries[what].append(timings[what].queries)

    for what, counts in queries.items():
        rows.append(
            check_row(
                f"{what} SQL queries at 10 / 10,000 / 10,000 random",
                " / ".join(map(str, counts)),
                target="the same",
                ok=len(set(counts)) == 1,
            )
        )
    rows += first_visit(timings["GET /"].content)
    return rows + breakdown(ctx, user)  # the last user: the random diary of 10,000


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
    """
    What the phone's Log form posts for two sites, a trigger and a strength, time now: with
    the entry's UUID and the moment of the tap, as static/js/offline-queue.js adds them (the
    UUID's episode is deleted after each timed POST, so each one logs it anew).
    """
    caffeine = Trigger.objects.get(slug="caffeine", user=None)
    return {
        "client_uuid": str(uuid.uuid4()),
        "tapped_at": timezone.now().isoformat(),
        "when": "now",
        "duration_preset": "5",
        "duration_unit": "seconds",
        "sites": ["calf-left", "calf-right"],
        "triggers": [str(caffeine.pk)],
        "intensity": "2",
    }


def breakdown(ctx: Context, user) -> list[Row]:
    """
    Where GET / spends its time for `user` when nothing is kept (the first visit after a
    write): the parts it builds and keeps, each timed on its own.
    """
    try:  # the view's insides: they may change shape, and the figures above still stand
        from diary.forms import LogEpisodeForm
        from diary.forms.checkins import card_context, card_day
        from diary.lib.clock import local_today
        from diary.models import recent_and_frequent_sites
        from diary.views.episodes import fresh_fields_key, render_episode_list

        request = RequestFactory().get("/")
        request.user = user
        get_token(request)
        zone, today = user.profile.zone, local_today(user)
        card = get_template("diary/includes/today_card.html")
        parts = {
            "site chips query (recent_and_frequent_sites)": lambda: recent_and_frequent_sites(user),
            "the recent list: query and rows": lambda: render_episode_list(request, today, []),
            "the check-in card: its day (a query) and markup": lambda: card.render(
                card_context(user, "/", asked=card_day(user)), request
            ),
            "the form (made only when its fields are not kept)": lambda: LogEpisodeForm(
                user=user, zone=zone
            ),
            "the fresh form's key (the triggers query)": lambda: fresh_fields_key(user, []),
        }
        return [time_row(f"  of which: {k}", ctx.median_seconds(fn)) for k, fn in parts.items()]
    except Exception as error:
        return [Row("  breakdown unavailable", f"{type(error).__name__}: {error}")]
