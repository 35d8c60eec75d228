"""
Clips: preparing a phone's video, a 50 MB upload to a real gunicorn worker, and the Log page
and History with 1,000 clips.

1. A 30 s 1080p video as a phone records it (FFmpeg's moving testsrc2 pattern, H.264 at about
   13 Mbit/s, AAC, a phone's GPS, make, model, owner and date tags): probed and prepared as the
   task queue does (diary/clips/), wall and CPU time. Targets: <= 2x its length (60 s), kept
   in <= 5 MB (MP4, poster and thumbnail together), and none of its tags read back from the
   kept file. Also the sizes before and after for a portrait video and a 12-megapixel photo.
   The videos are made once and kept in the system temp dir (twitchlog-bench-clips/), since
   encoding them costs more than the rest of the section.
2. The 50 MB video uploaded to an episode (POST /episodes/<uuid>/clips/, as the page's script
   sends it) to one gunicorn sync worker (DEBUG off, this section's SQLite file, 127.0.0.1):
   the worker's peak resident memory above where it was (VmHWM, reset before the request).
   Target: <= 50 MB, the upload streamed to a temporary file, never held in memory. Measured
   twice: with the task queue settings.TASKS names (with Django's default, ImmediateBackend,
   the preparing runs inside the request and counts too: no target then), and with a queue
   that keeps the task for a worker elsewhere (scripts/clips_bench_settings.py), the upload alone.
3. GET / and GET /episodes/ for two people with the same 2,000 episodes, one of them with a
   ready clip on 1,000 of them, measured in turns. Targets: with clips <= 1.25x without (on a
   busy machine the runs of one page differ by that much), and the same SQL query count.

Run alone: .venv/bin/python scripts/bench.py -k clips
"""

from __future__ import annotations

import os
import re
import resource
import tempfile
import time
import uuid
from pathlib import Path

import serve
from bench_import import PeakSampler, reset_peak, status_mb, worker_pid
from benchlib import Context, Request, Row, check_row, time_row
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from flood_client import HOST, Session

from diary.clips.probe import probe
from diary.clips.processing import prepare
from diary.demo import generate_episodes
from diary.models import Clip, Episode
from tests.clip_media import PHONE_TAGS, TELLTALE, make_photo, make_video, tags_of

TITLE = "Clips: a 30 s 1080p video prepared, a 50 MB upload in a gunicorn worker, 1,000 clips"
CACHE = Path(tempfile.gettempdir()) / "twitchlog-bench-clips"
SECONDS = 30
MAX_RATIO_OF_LENGTH = 2
MAX_KEPT_MB = 5
MAX_UPLOAD_GROWTH_MB = 50
MAX_PAGE_RATIO = 1.25
PASSWORD = "a-long-bench-passphrase-31"
MB = 1024 * 1024


def cached(name: str, make) -> Path:
    CACHE.mkdir(exist_ok=True)
    path = CACHE / name
    if not path.exists():
        print(f"  making {name} (once; kept in {CACHE})", flush=True)
        partial = path.with_suffix(".part" + path.suffix)
        make(partial)
        partial.rename(path)
    return path


def phone_video() -> Path:
    return cached(
        "phone-1080p-30s.mov",
        lambda p: make_video(p, seconds=SECONDS, size=(1920, 1080), bitrate=13_300_000),
    )


def portrait_video() -> Path:
    return cached(
        "portrait-1080p-10s.mov",
        lambda p: make_video(p, seconds=10, size=(1920, 1080), rotation=-90, bitrate=13_300_000),
    )


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def kept_bytes(result) -> tuple[int, int, int]:
    poster = result.poster.stat().st_size if result.poster else 0
    return result.file.stat().st_size, poster, result.thumb.stat().st_size


def processing(ctx: Context) -> list[Row]:
    rows: list[Row] = []
    source = phone_video()
    work = ctx.tmpdir / "clip-work"
    work.mkdir()
    wall, cpu = time.perf_counter(), cpu_now()
    result = prepare(source, probe(source), work)
    wall, cpu = time.perf_counter() - wall, cpu_now() - cpu
    video, poster, thumb = kept_bytes(result)
    kept = video + poster + thumb
    upload_mb = source.stat().st_size / MB
    rows.append(
        time_row(
            f"30 s 1080p phone video ({upload_mb:.1f} MB) prepared (CPU {cpu:.1f} s)",
            wall,
            floor=SECONDS,
            floor_name="its length",
            max_ratio=MAX_RATIO_OF_LENGTH,
        )
    )
    rows.append(
        check_row(
            f"  kept: MP4 {video / MB:.2f} MB + poster {poster / 1024:.0f} KB + "
            f"thumbnail {thumb / 1024:.0f} KB ({result.width}x{result.height}, "
            f"{result.duration:.1f} s)",
            f"{kept / MB:.2f} MB",
            target=f"<= {MAX_KEPT_MB} MB",
            ok=kept <= MAX_KEPT_MB * MB,
        )
    )
    upload_tags, kept_tags = tags_of(source), tags_of(result.file)
    found = [word for word in TELLTALE if word in kept_tags]
    rows.append(
        check_row(
            f"  tags read back: upload has {sum(w in upload_tags for w in TELLTALE)} of "
            f"{len(TELLTALE)} telltales ({len(PHONE_TAGS)} tags), kept file",
            ", ".join(found) or "none",
            target="none",
            ok=not found,
        )
    )
    rows += samples(work)
    return rows


def samples(work: Path) -> list[Row]:
    """Sizes before and after for a portrait video and a 12-megapixel photo."""
    out = []
    portrait = portrait_video()
    folder = work / "portrait"
    folder.mkdir()
    result = prepare(portrait, probe(portrait), folder)
    out.append(
        Row(
            "sample: 10 s portrait 1080p video (rotation tag -90)",
            f"{portrait.stat().st_size / MB:.1f} MB -> {sum(kept_bytes(result)) / MB:.2f} MB "
            f"({result.width}x{result.height})",
        )
    )
    photo = work / "photo.jpg"
    make_photo(photo, size=(4032, 3024))
    folder = work / "photo"
    folder.mkdir()
    result = prepare(photo, probe(photo), folder)
    out.append(
        Row(
            "sample: 12-megapixel photo with EXIF (orientation 6, GPS)",
            f"{photo.stat().st_size / 1024:.0f} KB -> {sum(kept_bytes(result)) / 1024:.0f} KB "
            f"({result.width}x{result.height})",
        )
    )
    return out


# --- the upload ---


class Person(Session):
    def upload(self, path_: str, page: str, data: Path) -> tuple[int, float]:
        import http.client

        html = self.request(page).text
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f'{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            'filename="VID_0001.mov"\r\nContent-Type: video/quicktime\r\n\r\n'
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        size = len(head) + data.stat().st_size + len(tail)
        conn = http.client.HTTPConnection(HOST, self.port, timeout=300)
        start = time.perf_counter()
        try:
            conn.putrequest("POST", path_)
            for key, value in {
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(size),
                "HX-Request": "true",
            }.items():
                conn.putheader(key, value)
            conn.endheaders()
            conn.send(head)
            with data.open("rb") as handle:
                while chunk := handle.read(256 * 1024):
                    conn.send(chunk)
            conn.send(tail)
            response = conn.getresponse()
            response.read()
            return response.status, time.perf_counter() - start
        finally:
            conn.close()


def upload(ctx: Context) -> list[Row]:
    call_command("createcachetable", verbosity=0)
    person = get_user_model().objects.create_user(username="clips-upload", password=PASSWORD)
    person.profile.timezone = "Europe/London"
    person.profile.save()
    generate_episodes(person, weeks=1, per_week=3, seed=23)
    episode = Episode.objects.for_user(person).first()
    database = connection.settings_dict["NAME"]
    connection.close()
    env = {
        **os.environ,
        **serve.production_env(database_url=f"sqlite:///{database}"),
        "MEDIA_ROOT": str(ctx.tmpdir / "media"),
        "LOG_LEVEL": "ERROR",
    }
    serve.collect_static(env)
    backend = settings.TASKS["default"]["BACKEND"].rsplit(".", 1)[-1]
    alone = {
        **env,
        "DJANGO_SETTINGS_MODULE": "clips_bench_settings",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).parent), str(serve.ROOT)]),
    }
    rows = upload_once(
        ctx, env, episode, f"queue: the app's, {backend}", backend != "ImmediateBackend"
    )
    rows += upload_once(ctx, alone, episode, "queue: kept for a worker elsewhere", True)
    return rows


def upload_once(ctx: Context, env: dict, episode, label: str, targeted: bool) -> list[Row]:
    data = phone_video()
    port = serve.free_port()
    log = ctx.tmpdir / f"clips-gunicorn-{port}.log"
    with serve.gunicorn(port, log=log, workers=1, env=env, extra_args=["--timeout=300"]) as g:
        browser = Person(port)
        assert browser.log_in("clips-upload", PASSWORD) == 302
        page = f"/episodes/{episode.uuid}/"
        for _ in range(3):
            browser.request(page)  # the worker has served its first pages
        pid = worker_pid(g.pid)
        before = status_mb(pid, "VmRSS")
        reset_peak(pid)
        sampler = PeakSampler(pid)
        sampler.start()
        status, seconds = browser.upload(f"{page}clips/", page, data)
        sampler.done.set()
        sampler.join()
        peak = status_mb(pid, "VmHWM")
    clip = Clip.objects.filter(episode=episode).order_by("-id").first()
    growth = peak - before
    what = (
        f"upload of a {data.stat().st_size / MB:.1f} MB video ({label}): worker's peak growth "
        f"(RSS {before:.0f} MB before; HTTP {status}, {seconds:.1f} s; the clip: "
        f"{clip.status if clip else 'not saved'})"
    )
    if not targeted:
        return [Row(what, f"+{growth:.0f} MB")]
    return [
        check_row(
            what,
            f"+{growth:.0f} MB",
            target=f"<= {MAX_UPLOAD_GROWTH_MB} MB",
            ok=growth <= MAX_UPLOAD_GROWTH_MB and status == 201,
        )
    ]


# --- pages with 1,000 clips ---


def pages(ctx: Context) -> list[Row]:
    plain, filmed = ctx.user("clips-none"), ctx.user("clips-1000")
    for user in (plain, filmed):
        generate_episodes(user, weeks=26, per_week=2000 / 26, seed=41)
    episodes = list(Episode.objects.for_user(filmed).values_list("pk", flat=True)[:1000])
    Clip.objects.bulk_create(
        Clip(
            user=filmed,
            episode_id=pk,
            kind=Clip.Kind.VIDEO if i % 3 else Clip.Kind.PHOTO,
            status=Clip.Status.READY,
            file_name=f"{pk}/clip.mp4",
            thumb_name=f"{pk}/thumb.jpg",
            stored_bytes=3 * MB,
            duration=12,
        )
        for i, pk in enumerate(episodes)
    )
    counts = (Episode.objects.for_user(plain).count(), Episode.objects.for_user(filmed).count())
    without, with_clips = ctx.client(plain), ctx.client(filmed)
    timings = ctx.time_requests(
        {
            "GET / without": Request(without, "get", "/"),
            "GET / with": Request(with_clips, "get", "/"),
            "GET /episodes/ without": Request(without, "get", "/episodes/"),
            "GET /episodes/ with": Request(with_clips, "get", "/episodes/"),
        }
    )
    shown = timings["GET /episodes/ with"].content.count(b'class="episode-thumb"')
    rows = [Row(f"episodes: {counts[0]:,} each; clips on 1,000 of one diary's", "")]
    for page in ("GET /", "GET /episodes/"):
        base, clipped = timings[f"{page} without"], timings[f"{page} with"]
        rows.append(time_row(f"{page}, no clips", base.median))
        rows.append(
            time_row(
                f"{page}, 1,000 clips"
                + (f" ({shown} thumbnails on the page)" if page == "GET /episodes/" else ""),
                clipped.median,
                floor=base.median,
                floor_name="no clips",
                max_ratio=MAX_PAGE_RATIO,
            )
        )
        rows.append(
            check_row(
                f"{page} SQL queries, no clips / 1,000 clips",
                f"{base.queries} / {clipped.queries}",
                target="the same",
                ok=base.queries == clipped.queries,
            )
        )
    return rows


def run(ctx: Context) -> list[Row]:
    return processing(ctx) + pages(ctx) + upload(ctx)
