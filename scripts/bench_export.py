"""
Own your data: the JSON export and the import of a 50,000-episode diary.

- GET /export/twitchlog.json for 50,000 episodes (diary.demo over five years): median time of
  reading the whole streamed body, and the peak memory it allocates on the way (tracemalloc,
  one extra run: tracing slows Python, so that run is not timed). Targets: <= 1 s, < 50 MB.
- Queries of the export for 10 and for 50,000 episodes: the same number (target: flat).
- Importing that file into a new account as a person does: POST /import/ with the file (read,
  checked entry by entry, planned, kept for the confirmation) and then "Import now" (read
  again, planned again against the diary as it is then, written in one transaction).
  Target: <= 4 s for both. Its size is shown against the upload limit: a person's own export
  must import.
For context: a floor that reads the same episode rows through a bare cursor, and the CPU time
of the export and the import (time.process_time): on a shared machine the wall times include
waiting for a core, the CPU times do not.
"""

from __future__ import annotations

import time
import tracemalloc
from statistics import median

from benchlib import Context, Row, check_row, fmt_seconds, time_row
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from diary.data.uploads import import_max_bytes
from diary.demo import generate_episodes
from diary.models import Episode

TITLE = "Export and import of 50,000 episodes"
EPISODES = 50_000
WEEKS = 260
PATH = "/export/twitchlog.json"
IMPORT = "/import/"
MAX_EXPORT_SECONDS = 1
MAX_EXPORT_MB = 50
MAX_IMPORT_SECONDS = 4


def download(client) -> bytes:
    response = client.get(PATH)
    if response.status_code != 200:
        raise AssertionError(f"GET {PATH} returned {response.status_code}")
    return b"".join(response.streaming_content)


def drain(client) -> int:
    """Read the body chunk by chunk without keeping it, as a client on the network does."""
    return sum(len(chunk) for chunk in client.get(PATH).streaming_content)


def queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        drain(client)
    return len(captured)


def floor(user) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM diary_episode WHERE user_id = %s AND deleted_at IS NULL "
            "ORDER BY started_at, id",
            [user.pk],
        )
        while cursor.fetchmany(2000):
            pass


def through_the_page(person, raw: bytes) -> None:
    """Upload (check and preview), then Import now: what a person's two taps cost."""
    file = SimpleUploadedFile("twitchlog.json", raw, content_type="application/json")
    response = person.post(IMPORT, {"action": "upload", "file": file})
    if response.status_code != 302:
        raise AssertionError(f"the upload was refused ({response.status_code})")
    response = person.post(IMPORT, {"action": "confirm"})
    if response.status_code != 302 or response.url != "/episodes/":
        raise AssertionError(f"Import now did not import ({response.status_code})")


def peak_mb(client) -> float:
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        drain(client)
        return (tracemalloc.get_traced_memory()[1] - before) / 1_000_000
    finally:
        tracemalloc.stop()


def run(ctx: Context) -> list[Row]:
    user = ctx.user("export")
    written = generate_episodes(user, weeks=WEEKS, per_week=EPISODES / WEEKS, seed=9)
    small = ctx.user("export-small")
    generate_episodes(small, weeks=4, per_week=2.5, seed=10)
    client, small_client = ctx.client(user), ctx.client(small)

    runs = max(3, min(ctx.runs, 7))
    medians = ctx.interleaved_medians(
        {"export": (lambda: drain(client), None), "floor": (lambda: floor(user), None)},
        runs=runs,
        warmup=1,
    )
    memory = peak_mb(client)
    cpu_start = time.process_time()
    drain(client)
    export_cpu = time.process_time() - cpu_start
    many, few = queries(client), queries(small_client)

    raw = download(client)
    size_mb = len(raw) / 1_000_000
    import_times, import_cpu = [], []
    for i in range(2):
        target = ctx.user(f"import-{i}")
        person = ctx.client(target)
        start, cpu_start = time.perf_counter(), time.process_time()
        through_the_page(person, raw)
        import_times.append(time.perf_counter() - start)
        import_cpu.append(time.process_time() - cpu_start)
        imported = Episode.objects.filter(user=target).count()
        if imported != written:
            raise AssertionError(f"imported {imported} of {written} episodes")
    imported = median(import_times)
    limit = import_max_bytes()

    return [
        time_row("floor: the episode rows, bare cursor", medians["floor"]),
        time_row(
            f"GET {PATH} ({written:,} episodes)",
            medians["export"],
            floor=medians["floor"],
            floor_name="rows",
            max_seconds=MAX_EXPORT_SECONDS,
        ),
        Row("export: CPU time of this process (one run)", fmt_seconds(export_cpu)),
        check_row(
            "export: peak memory allocated",
            f"{memory:.1f} MB",
            target=f"< {MAX_EXPORT_MB} MB",
            ok=memory < MAX_EXPORT_MB,
        ),
        check_row(
            "export: queries, 10 vs 50,000 episodes",
            f"{few} / {many}",
            target="the same",
            ok=few == many,
        ),
        check_row(
            "export: file size, against the import limit",
            f"{size_mb:.1f} MB / {limit / 2**20:g} MB",
            target="fits: a person's export imports",
            ok=len(raw) <= limit,
        ),
        check_row(
            f"import through the page, upload + Import now ({written:,} episodes, median of 2)",
            fmt_seconds(imported),
            target=f"<= {MAX_IMPORT_SECONDS} s",
            ok=imported <= MAX_IMPORT_SECONDS,
        ),
        Row("import: CPU time of this process (median)", fmt_seconds(median(import_cpu))),
    ]
