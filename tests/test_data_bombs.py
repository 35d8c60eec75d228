"""
Import files built to cost the server: each is refused with a plain message, in memory that
a file of that size cannot blow up. (Time is measured in `make bench`, not here.)

Before the import read entry by entry, 100,000 `{}` as episodes (300 KB) took a worker to 3 GB
and 20 s, and one episode with a million sites to 4 GB: the validator built every error first.
"""

import json
import tracemalloc
from pathlib import Path

import pytest
from django.urls import reverse

from diary.data import jsonstream, validation
from diary.data.uploads import import_max_bytes
from diary.models import Episode
from tests.helpers import field_errors
from tests.test_data_import import sample_file, upload

pytestmark = pytest.mark.django_db

# Python objects the reading may hold at its peak, and the process's resident memory growth
# (the validator's own memory is outside Python's tracing). Reading the file whole would take
# hundreds of MB for the files below, building every error gigabytes.
MAX_TRACED_MB = 16
MAX_RSS_GROWTH_MB = 100
# Entries just under the largest one read at once: each costs the most it can.
ALMOST_MAX = jsonstream.MAX_VALUE_BYTES - 64


@pytest.fixture(autouse=True)
def _staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


def with_episodes(entries: bytes) -> bytes:
    """A valid export's head with `entries` (a JSON list, as bytes) for its episodes."""
    head = json.dumps({**sample_file(), "episodes": []}).encode()
    return head.replace(b'"episodes": []', b'"episodes": ' + entries)


def repeated(entry: bytes, total: int) -> bytes:
    """A JSON list of `entry` as often as fits in `total` bytes."""
    return b"[" + b",".join([entry] * (total // (len(entry) + 1))) + b"]"


def fill() -> int:
    return import_max_bytes() - 8192  # the head takes the rest


BOMBS = {
    "100,000 empty episodes": (
        lambda: with_episodes(repeated(b"{}", 300_000)),
        "Episode 1: misses “uuid”, “started_at”, “timezone”, “local_date” and 12 more.",
    ),
    "200,000 empty episodes": (
        lambda: with_episodes(repeated(b"{}", 600_000)),
        "Episode 1: misses “uuid”",
    ),
    "one episode with a million sites": (
        lambda: with_episodes(b'[{"sites": ' + repeated(b"{}", 3_000_000) + b"}]"),
        "Episode 1: is bigger than anything Twitchlog writes (over 256 KB).",
    ),
    "the size limit of empty episodes": (
        lambda: with_episodes(repeated(b"{}", fill())),
        "Episode 1: misses “uuid”",
    ),
    "the size limit of lists": (
        lambda: with_episodes(repeated(b"[0]", fill())),
        "Episode 1: should be an object, not a list.",
    ),
    "the size limit of episodes of sites, each as big as one may be": (
        lambda: with_episodes(
            repeated(b'{"sites": ' + repeated(b"{}", ALMOST_MAX - 12) + b"}", fill())
        ),
        "Episode 1, sites: has more than 60 entries.",
    ),
    "the size limit of entries nested as deep as they go": (
        lambda: with_episodes(
            repeated(b"[" * (ALMOST_MAX // 2) + b"]" * (ALMOST_MAX // 2), fill())
        ),
        "nested far too deeply",
    ),
}


def rss_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {field} in /proc/self/status")


def refused(raw: bytes) -> validation.BadFile:
    with pytest.raises(validation.BadFile) as bad:
        validation.parse(raw)
    return bad.value


@pytest.mark.parametrize("name", BOMBS)
def test_bomb_is_refused_plainly_in_bounded_memory(name):
    make, expected = BOMBS[name]
    raw = make()
    assert len(raw) <= import_max_bytes()
    refused(raw)  # once before measuring: the catalogues and validators are cached

    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) starts again from here
    before = rss_mb("VmRSS")
    bad = refused(raw)
    rss_growth = rss_mb("VmHWM") - before

    tracemalloc.start()
    try:
        refused(raw)
        traced = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()

    assert traced < MAX_TRACED_MB, f"{traced:.1f} MB of Python objects"
    assert rss_growth < MAX_RSS_GROWTH_MB, f"resident memory grew by {rss_growth:.0f} MB"
    assert expected in bad.problems[0], bad.problems
    assert len(bad.problems) <= validation.MAX_PROBLEMS
    assert all(len(problem) < 400 for problem in bad.problems)


def test_many_bad_entries_say_at_least_how_many_more():
    bad = refused(with_episodes(repeated(b"{}", 300_000)))
    assert bad.at_least
    assert bad.more == validation.STOP_AFTER - validation.MAX_PROBLEMS


def test_bomb_through_the_page_changes_nothing(owner_client, user):
    response = upload(owner_client, with_episodes(repeated(b"{}", 300_000)))
    assert response.status_code == 200
    errors = field_errors(response, "file")
    assert errors[0].startswith("Episode 1: misses “uuid”")
    assert errors[-1] == f"… and at least {validation.STOP_AFTER - validation.MAX_PROBLEMS} more."
    assert not Episode.objects.filter(user=user).exists()
    assert owner_client.get(reverse("import")).status_code == 200


def test_too_many_entries_stop_the_reading(monkeypatch):
    data = sample_file()
    data["episodes"].append({**data["episodes"][0], "uuid": "00000000-0000-4000-8000-000000000000"})
    monkeypatch.setattr(validation, "max_entries", lambda name: 2)
    bad = refused(json.dumps(data).encode())
    assert bad.problems == [
        "The file has more than 2 episodes; Twitchlog imports at most that many."
    ]
