"""
The clips on S3-compatible object storage (django-storages), as with CLIPS_S3_BUCKET: against
moto's S3 server on 127.0.0.1, a real HTTP server, so boto3 and django-storages run as they do
in production. Storage is listed from the bucket itself after every delete.
"""

from __future__ import annotations

import socket
from datetime import timedelta

import boto3
import pytest
from django.urls import reverse
from django.utils import timezone

from diary.clips import storage
from diary.clips.removal import ORPHAN_AGE, sweep_orphans
from diary.data.account import delete_account
from diary.data.maintenance import purge_deleted
from diary.models import Clip
from tests.clip_helpers import as_bytes, upload
from tests.clip_media import make_video
from tests.factories import EpisodeFactory

BUCKET = "twitchlog-clips-test"
PREFIX = "clips"
PORTS = range(8131, 8140)


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"No free port in {PORTS.start}-{PORTS.stop - 1} for the S3 server")


@pytest.fixture(scope="module")
def s3_server(monkeypatch_module_env):
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1").create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture(scope="module")
def monkeypatch_module_env():
    """Test credentials for boto3, for this module only (never real ones)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AWS_ACCESS_KEY_ID", "testing")
        patch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        patch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield


@pytest.fixture(autouse=True)
def s3_storage(settings, s3_server):
    settings.STORAGES = {
        **settings.STORAGES,
        "clips": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "location": PREFIX,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "addressing_style": "path",
                "default_acl": None,
                "file_overwrite": True,
            },
        },
    }
    bucket = boto3.resource("s3", endpoint_url=s3_server, region_name="us-east-1").Bucket(BUCKET)
    bucket.objects.all().delete()
    yield bucket
    bucket.objects.all().delete()


def in_bucket(bucket) -> list[str]:
    return sorted(item.key for item in bucket.objects.all())


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("s3") / "upload.mov"
    return make_video(path, seconds=1, size=(320, 240)).read_bytes()


def add_ready(client, episode, video, capture) -> Clip:
    with capture(execute=True):
        response = upload(client, episode, video)
    assert response.status_code == 302
    clip = Clip.objects.filter(episode=episode).latest("id")
    assert clip.status == Clip.Status.READY, clip.failure
    return clip


def test_clip_stored_in_the_bucket_and_served_by_range(
    owner_client, user, video, s3_storage, django_capture_on_commit_callbacks
):
    assert storage.is_s3(storage.clip_storage())
    episode = EpisodeFactory(user=user)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        upload(owner_client, episode, video)
    clip = Clip.objects.get()
    assert in_bucket(s3_storage) == [f"{PREFIX}/{clip.uuid}/original"]
    with django_capture_on_commit_callbacks(execute=True):
        for callback in waiting:
            callback()  # the task worker: it fetches the upload from the bucket
    clip.refresh_from_db()
    assert clip.status == Clip.Status.READY
    assert in_bucket(s3_storage) == [
        f"{PREFIX}/{clip.uuid}/clip.mp4",
        f"{PREFIX}/{clip.uuid}/poster.jpg",
        f"{PREFIX}/{clip.uuid}/thumb.jpg",
    ]
    whole = s3_storage.Object(f"{PREFIX}/{clip.uuid}/clip.mp4").get()["Body"].read()
    response = owner_client.get(
        reverse("clip-file", args=[clip.uuid]), headers={"Range": "bytes=100-1099"}
    )
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-1099/{len(whole)}"
    assert as_bytes(response) == whole[100:1100]
    suffix = owner_client.get(
        reverse("clip-file", args=[clip.uuid]), headers={"Range": "bytes=-10"}
    )
    assert as_bytes(suffix) == whole[-10:]
    poster = owner_client.get(reverse("clip-poster", args=[clip.uuid]))
    assert as_bytes(poster).startswith(b"\xff\xd8")


def test_deleting_a_clip_empties_its_place_in_the_bucket(
    owner_client, user, video, s3_storage, django_capture_on_commit_callbacks
):
    episode = EpisodeFactory(user=user)
    clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    other = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("clip-delete", args=[clip.uuid]))
    assert in_bucket(s3_storage) == [f"{PREFIX}/{name}" for name in sorted(other.storage_names())]


def test_purge_and_account_deletion_empty_the_bucket(
    owner_client, user, video, s3_storage, django_capture_on_commit_callbacks
):
    gone = EpisodeFactory(user=user)
    add_ready(owner_client, gone, video, django_capture_on_commit_callbacks)
    kept = add_ready(
        owner_client, EpisodeFactory(user=user), video, django_capture_on_commit_callbacks
    )
    gone.soft_delete()
    with django_capture_on_commit_callbacks(execute=True):
        purge_deleted(now=timezone.now() + timedelta(days=31))
    assert in_bucket(s3_storage) == [f"{PREFIX}/{name}" for name in sorted(kept.storage_names())]
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user)
    assert in_bucket(s3_storage) == []


def test_files_no_clip_owns_swept_from_the_bucket(s3_storage, db):
    s3_storage.put_object(Key=f"{PREFIX}/7d0c0b9e-0000-4000-8000-000000000000/original", Body=b"x")
    assert storage.top_folders() == ["7d0c0b9e-0000-4000-8000-000000000000"]
    assert sweep_orphans(now=timezone.now() + ORPHAN_AGE + timedelta(minutes=1)) == 1
    assert in_bucket(s3_storage) == []
