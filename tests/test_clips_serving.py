"""
Serving a clip's file: byte ranges as a phone's player asks for them, never cached, never
compressed again; to its owner, and through a live share link that includes clips, only.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diary.clips import storage
from diary.clips.serving import ByteRange, Unsatisfiable, parse_range
from diary.clips.tasks import prepare_clip
from diary.models import Clip
from diary.sharing import links
from tests.clip_helpers import as_bytes, upload
from tests.clip_media import make_video
from tests.factories import EpisodeFactory


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("serving") / "upload.mov"
    return make_video(path, seconds=1, size=(320, 240)).read_bytes()


@pytest.fixture
def clip(owner_client, user, video) -> Clip:
    episode = EpisodeFactory(user=user, started_at=timezone.now() - timedelta(hours=1))
    upload(owner_client, episode, video, partial=True)
    clip = Clip.objects.get()
    prepare_clip(clip.pk)
    clip.refresh_from_db()
    assert clip.file_bytes > 1000
    return clip


def whole(clip: Clip) -> bytes:
    return b"".join(storage.read_range(clip.file_name, 0, clip.file_bytes))


def get(client, url, range_header=None, headers=None):
    headers = dict(headers or {})
    if range_header is not None:
        headers["Range"] = range_header
    return client.get(url, headers=headers)


# --- the Range header ---


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("", None),
        ("bytes=0-", ByteRange(0, 1000)),
        ("bytes=100-199", ByteRange(100, 100)),
        ("bytes=900-5000", ByteRange(900, 100)),
        ("bytes=-100", ByteRange(900, 100)),
        ("bytes=-5000", ByteRange(0, 1000)),
        ("bytes=999-999", ByteRange(999, 1)),
        ("BYTES = 0 - 0", ByteRange(0, 1)),
        ("items=0-10", None),  # a unit this server does not serve: ignored
        ("bytes=0-10,20-30", None),  # several ranges: the whole file
    ],
)
def test_range_header(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    [
        "bytes=1000-",
        "bytes=5000-6000",
        "bytes=200-100",
        "bytes=-0",
        "bytes=-",
        "bytes=abc",
        "bytes=1-2-3",
        "bytes=" + "9" * 30 + "-",
    ],
)
def test_range_header_unsatisfiable(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


# --- the owner's file ---


def test_whole_file(owner_client, clip):
    response = get(
        owner_client, reverse("clip-file", args=[clip.uuid]), headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == str(clip.file_bytes)
    assert response["Accept-Ranges"] == "bytes"
    assert response["Cache-Control"] == "private, no-store"
    assert "Content-Encoding" not in response  # not compressed again
    assert response["Content-Disposition"].startswith('inline; filename="twitchlog-')
    assert as_bytes(response) == whole(clip)


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-", 0, None), ("bytes=100-199", 100, 199), ("bytes=-500", -500, None)],
)
def test_partial_content(owner_client, clip, header, first, last):
    data = whole(clip)
    size = len(data)
    start = first if first >= 0 else size + first
    end = size - 1 if last is None else last
    response = get(
        owner_client,
        reverse("clip-file", args=[clip.uuid]),
        header,
        headers={"Accept-Encoding": "gzip"},
    )
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{size}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Cache-Control"] == "private, no-store"
    assert "Content-Encoding" not in response
    assert as_bytes(response) == data[start : end + 1]


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=200-100", "bytes=x-y"])
def test_range_not_satisfiable(owner_client, clip, header):
    response = get(owner_client, reverse("clip-file", args=[clip.uuid]), header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{clip.file_bytes}"
    assert response.content == b""


def test_if_range_of_another_version_gets_the_whole_file(owner_client, clip):
    url = reverse("clip-file", args=[clip.uuid])
    tag = get(owner_client, url)["ETag"]
    same = get(owner_client, url, "bytes=0-9", headers={"If-Range": tag})
    assert same.status_code == 206
    assert len(as_bytes(same)) == 10
    other = get(owner_client, url, "bytes=0-9", headers={"If-Range": '"something-else"'})
    assert other.status_code == 200
    assert len(as_bytes(other)) == clip.file_bytes


def test_head_has_the_headers_and_no_body(owner_client, clip):
    response = owner_client.head(reverse("clip-file", args=[clip.uuid]))
    assert response.status_code == 200
    assert response["Content-Length"] == str(clip.file_bytes)
    assert as_bytes(response) == b""


def test_pending_clip_has_no_file(owner_client, user, video):
    episode = EpisodeFactory(user=user)
    upload(owner_client, episode, video, partial=True)
    pending = Clip.objects.get()
    assert owner_client.get(reverse("clip-file", args=[pending.uuid])).status_code == 404
    assert owner_client.get(reverse("clip-poster", args=[pending.uuid])).status_code == 404


# --- through a share link ---


def share(user, *, clips: bool, first=None, last=None, days=7):
    today = timezone.localdate()
    link, token = links.create(
        user,
        first=first or today - timedelta(days=30),
        last=last or today,
        days=days,
        include_clips=clips,
    )
    return link, token


def share_url(token, clip, name="share-clip-file"):
    return reverse(name, args=[token, clip.uuid])


def test_share_link_with_clips_plays_them(client, user, clip):
    _, token = share(user, clips=True)
    response = get(client, share_url(token, clip), "bytes=100-199")
    assert response.status_code == 206
    assert len(as_bytes(response)) == 100
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    poster = client.get(share_url(token, clip, "share-clip-poster"))
    assert poster.status_code == 200
    assert as_bytes(poster).startswith(b"\xff\xd8")


def test_share_link_without_clips_shows_none(client, user, clip):
    _, token = share(user, clips=False)
    assert client.get(share_url(token, clip)).status_code == 404
    assert client.get(share_url(token, clip, "share-clip-poster")).status_code == 404


def test_closed_or_expired_link_shows_no_clip(client, user, clip):
    link, token = share(user, clips=True)
    links.revoke(link)
    assert client.get(share_url(token, clip)).status_code == 404
    link, token = share(user, clips=True)
    past = timezone.now() - timedelta(days=8)
    type(link).objects.filter(pk=link.pk).update(
        created_at=past, expires_at=past + timedelta(days=7)
    )
    assert client.get(share_url(token, clip)).status_code == 404


def test_share_link_shows_only_clips_of_its_period_and_owner(
    client, owner_client, user, other_user, clip, video
):
    _, token = share(user, clips=True, first=date(2020, 1, 1), last=date(2020, 1, 31))
    assert client.get(share_url(token, clip)).status_code == 404
    _, theirs = share(other_user, clips=True)
    assert client.get(share_url(theirs, clip)).status_code == 404
    assert (
        client.get(reverse("share-clip-file", args=["not-a-token", clip.uuid])).status_code == 404
    )


def test_share_link_hides_clips_of_a_deleted_episode(client, user, clip):
    _, token = share(user, clips=True)
    clip.episode.soft_delete()
    assert client.get(share_url(token, clip)).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        "bytes",
        "bytes=",
        "bytes=--1",
        "bytes=1--2",
        "bytes= , ",
        "bytes=0-0,-1",
        "bytes=\x00-1",
        "bytes=²-5",
        "bytes=-" + "9" * 5000,
        "=0-1",
        "x" * 10_000,
    ],
)
def test_odd_range_headers_never_fail(owner_client, clip, header):
    response = get(owner_client, reverse("clip-file", args=[clip.uuid]), header)
    assert response.status_code in (200, 206, 416)
    if response.status_code == 200:
        assert len(as_bytes(response)) == clip.file_bytes
