"""
Import files as a stranger could send them, to a real gunicorn worker (DEBUG off, one sync
worker, on this section's SQLite file, 127.0.0.1 only), and three imports of a 20 MB diary.

For each file: POST /import/ (action=upload) as a logged-in person, the wall time of the answer
and the worker's resident memory (RSS, /proc/<pid>/status) before, at its peak while answering
(VmHWM, reset before each request through /proc/<pid>/clear_refs) and after. Targets: any file
up to the size limit answered in <= 5 s, the worker's peak <= 200 MB above where it was, and
the pathological files refused with a message that says why.

The files:
- a valid export whose "episodes" is 100,000 or 200,000 `{}` (0.3 and 0.6 MB), and the same
  up to the size limit, also after one valid episode;
- one episode whose "sites" holds 10^6 objects (3 MB);
- the limit filled with one-element lists, and with entries of 256 KB of `{}` each;
- the biggest valid diary that fits the limit (made here: episodes like the export's, each
  with its own id).

Then three imports of a 20 MB diary (upload, then "Import now"), each into its own account:
the worker's RSS after each. Target: it comes back down (<= 1.2x its RSS after the first
pages, as the PDF target has it), not that it keeps the memory of every import.

Run alone: .venv/bin/python scripts/bench.py -k import (about a minute; the worker answers on a
free port of 127.0.0.1 and is stopped at the end).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path

import serve
from benchlib import Context, Row, check_row
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from flood_client import HOST, Session

from diary.data import export
from diary.data.uploads import import_max_bytes
from diary.demo import generate_episodes

TITLE = "Import: bomb files and 20 MB imports in a gunicorn worker"
PASSWORD = "a-long-bench-passphrase-31"
MAX_SECONDS = 5
MAX_GROWTH_MB = 200
MAX_AFTER_RATIO = 1.2
IMPORT_PATH = "/import/"
# A fixed past: the made-up diary does not depend on today's date.
START = datetime(2025, 12, 31, 20, tzinfo=UTC)


# --- the worker ---


def worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    if len(children) != 1:
        raise RuntimeError(f"expected one gunicorn worker, found {children}")
    return int(children[0])


def status_mb(pid: int, field: str) -> float:
    """A memory figure of a live process in MB; NaN once it has been killed."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except FileNotFoundError:
        return float("nan")
    for line in lines:
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")  # a zombie: gone but not yet reaped


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far (user + system): what a request costs, whatever the load."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")  # VmHWM starts again from VmRSS


# --- the client ---


class Uploader(Session):
    """A logged-in person's browser that can send a file (multipart/form-data)."""

    def token(self, path: str = IMPORT_PATH) -> str:
        html = self.request(path).text
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def upload(self, raw: bytes, name: str = "twitchlog.json") -> tuple[int, str]:
        import http.client

        boundary = uuid.uuid4().hex
        fields = {"csrfmiddlewaretoken": self.token(), "action": "upload"}
        head = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
            for k, v in fields.items()
        )
        head += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/json\r\n\r\n"
        ).encode()
        tail = f"\r\n--{boundary}--\r\n".encode()
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Content-Length": str(len(head) + len(raw) + len(tail)),
        }
        try:
            conn.putrequest("POST", IMPORT_PATH)
            for key, value in headers.items():
                conn.putheader(key, value)
            conn.endheaders()
            for part in (head, raw, tail):
                conn.send(part)
            response = conn.getresponse()
            return response.status, response.read().decode(errors="replace")
        except (ConnectionError, http.client.HTTPException) as error:
            return 0, f"no answer: {type(error).__name__}"
        finally:
            conn.close()

    def confirm(self) -> int:
        data = {"csrfmiddlewaretoken": self.token(), "action": "confirm"}
        return self.request(IMPORT_PATH, data).status


def first_error(status: int, html: str) -> str:
    if status == 302:
        return "accepted (preview)"
    found = re.search(r'<div class="field-errors" id="id_file-errors"><p>(.*?)</p>', html, re.S)
    return unescape(found.group(1))[:70] if found else f"HTTP {status}"


# --- the files ---


def made_up_diary(base: dict, size: int) -> bytes:
    """A valid export of as many episodes like base's as fit in `size` bytes."""
    template = base["episodes"][0]
    head = {key: value for key, value in base.items() if key != "episodes"}
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2] + ',\n "episodes": [\n'
    parts, total, i = [text], len(text.encode()) + 6, 0
    while True:
        moment = (START - timedelta(minutes=47 * i)).isoformat()
        episode = {
            **template,
            "uuid": str(uuid.UUID(int=i + 1, version=4)),
            "started_at": moment,
            "local_date": moment[:10],
            "created_at": moment,
            "updated_at": moment,
        }
        line = json.dumps(episode, ensure_ascii=False, separators=(",", ":"))
        if total + len(line) + 2 > size:
            break
        parts.append(("" if i == 0 else ",\n") + line)
        total += len(line) + 2
        i += 1
    parts.append("\n ]\n}\n")
    return "".join(parts).encode()


def with_episodes(base: dict, episodes_json: str) -> bytes:
    head = json.dumps({**base, "episodes": []})
    return head.replace('"episodes": []', f'"episodes": {episodes_json}').encode()


def bomb_files(base: dict, limit: int) -> dict[str, bytes]:
    one = json.dumps(base["episodes"][0])
    sites_bomb = json.dumps({**base["episodes"][0], "sites": []}).replace(
        '"sites": []', '"sites": [' + ",".join(["{}"] * 1_000_000) + "]"
    )
    fill = limit - 4096
    big_item = "{" + '"sites":[' + ",".join(["{}"] * (256 * 1024 // 3)) + "]}"
    return {
        "100,000 empty episodes": with_episodes(base, "[" + ",".join(["{}"] * 100_000) + "]"),
        "200,000 empty episodes": with_episodes(base, "[" + ",".join(["{}"] * 200_000) + "]"),
        "one episode, 10^6 sites": with_episodes(base, f"[{sites_bomb}]"),
        "the limit of empty episodes": with_episodes(
            base, "[" + ",".join(["{}"] * (fill // 3)) + "]"
        ),
        "the limit of [0] episodes": with_episodes(
            base, "[" + ",".join(["[0]"] * (fill // 4)) + "]"
        ),
        "the limit of 256 KB episodes": with_episodes(
            base, "[" + ",".join([big_item] * (fill // len(big_item))) + "]"
        ),
        "a valid episode, then the limit of {}": with_episodes(
            base, "[" + one + "," + ",".join(["{}"] * ((fill - len(one)) // 3)) + "]"
        ),
    }


@dataclass
class Answer:
    name: str
    size: int
    seconds: float
    cpu: float  # the worker's CPU seconds for the answer
    before: float
    peak: float
    after: float
    said: str


class PeakSampler(threading.Thread):
    """VmRSS every 50 ms: the peak of a worker that gets killed, whose VmHWM goes with it."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.05):
            rss = status_mb(self.pid, "VmRSS")
            if rss == rss:
                self.peak = max(self.peak, rss)


def send(person: Uploader, pid: int, name: str, raw: bytes) -> Answer:
    before = status_mb(pid, "VmRSS")
    reset_peak(pid)
    sampler = PeakSampler(pid)
    sampler.start()
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    status, html = person.upload(raw)
    seconds = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu
    sampler.done.set()
    sampler.join()
    peak, after = status_mb(pid, "VmHWM"), status_mb(pid, "VmRSS")
    if peak != peak:  # killed: what the sampler saw last
        peak = sampler.peak
    answer = Answer(name, len(raw), seconds, cpu, before, peak, after, first_error(status, html))
    print(f"  {answer}", flush=True)
    return answer


def make_account(name: str) -> None:
    user = get_user_model().objects.create_user(username=name, password=PASSWORD)
    user.profile.timezone = "Europe/London"
    user.profile.save()


def run(ctx: Context) -> list[Row]:
    call_command("createcachetable", verbosity=0)
    source = ctx.user("import-source")
    generate_episodes(source, weeks=2, per_week=3, seed=19)
    base = json.loads(b"".join(export.iter_json(source)))
    limit = import_max_bytes()
    bombs = bomb_files(base, limit)
    valid = made_up_diary(base, limit - 1024)
    twenty = made_up_diary(base, 20_000_000)
    accounts = ["import-bombs", "import-limit", "import-20a", "import-20b", "import-20c"]
    for name in accounts:
        make_account(name)
    database = connection.settings_dict["NAME"]
    connection.close()
    env = {
        **os.environ,
        **serve.production_env(database_url=f"sqlite:///{database}"),
        "IMPORT_STAGING_DIR": str(ctx.tmpdir / "imports"),
        "LOG_LEVEL": "ERROR",
    }
    # The pages use the manifest's hashed static names: collect them as a deployment does.
    serve.collect_static(env)
    port = serve.free_port()
    answers: list[Answer] = []
    with serve.gunicorn(port, log=ctx.tmpdir / "import-gunicorn.log", workers=1, env=env) as g:
        stranger = Uploader(port)
        assert stranger.log_in("import-bombs", PASSWORD) == 302
        for _ in range(3):
            stranger.request(IMPORT_PATH)  # the worker has served its first pages
        pid = worker_pid(g.pid)
        baseline = status_mb(pid, "VmRSS")
        for name, raw in bombs.items():
            answers.append(send(stranger, pid, name, raw))
            if answers[-1].after != answers[-1].after:  # killed: a new worker answers next
                time.sleep(3)
                stranger = Uploader(port)
                assert stranger.log_in("import-bombs", PASSWORD) == 302
                pid = worker_pid(g.pid)
        person = Uploader(port)
        assert person.log_in("import-limit", PASSWORD) == 302
        answers.append(send(person, pid, "the biggest valid diary under the limit", valid))
        after_imports = []
        for name in accounts[2:]:
            person = Uploader(port)
            assert person.log_in(name, PASSWORD) == 302
            status, _ = person.upload(twenty)
            confirmed = person.confirm() if status == 302 else status
            after_imports.append((status, confirmed, status_mb(pid, "VmRSS")))
    return rows(answers, baseline, after_imports, limit, len(twenty))


def rows(answers: list[Answer], baseline: float, after_imports: list, limit: int, twenty: int):
    out = [Row("worker RSS after its first pages", f"{baseline:.0f} MB")]
    for a in answers:
        growth = a.peak - a.before
        out.append(
            check_row(
                f"{a.name} ({a.size / 1e6:.1f} MB): time (worker CPU), peak growth, RSS after",
                f"{a.seconds:.2f} s ({a.cpu:.2f} s), +{growth:.0f} MB, "
                + (f"{a.after:.0f} MB" if a.after == a.after else "worker killed"),
                target=f"<= {MAX_SECONDS} s, <= {MAX_GROWTH_MB} MB",
                ok=a.seconds <= MAX_SECONDS and growth <= MAX_GROWTH_MB,
            )
        )
        out.append(Row("  … answered", a.said))
    statuses = " ".join(f"{u}/{c}" for u, c, _ in after_imports)
    last = after_imports[-1][2]
    out.append(
        check_row(
            f"3 imports of a {twenty / 1e6:.0f} MB diary: worker RSS after each",
            " / ".join(f"{rss:.0f} MB" for *_, rss in after_imports) + f" (HTTP {statuses})",
            target=f"<= {MAX_AFTER_RATIO}x first pages ({MAX_AFTER_RATIO * baseline:.0f} MB)",
            ok=last <= MAX_AFTER_RATIO * baseline and all(c == 302 for _, c, _ in after_imports),
        )
    )
    out.append(Row("import size limit", f"{limit / 2**20:g} MB ({limit:,} bytes)"))
    return out
