"""Helpers for the clip tests: uploading as a phone's browser does, and what is in storage."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from diary.clips import storage
from tests.helpers import HTMX


def upload(client, episode, data: bytes, name: str = "VID_0001.mp4", *, partial: bool = False):
    """POST a file to the episode's clips, as the page's form (or its script, `partial`) does."""
    url = reverse("clip-add", args=[episode.uuid])
    headers = HTMX if partial else {}
    return client.post(url, {"file": SimpleUploadedFile(name, data)}, headers=headers)


def stored() -> list[str]:
    """Every file in the clips storage."""
    return storage.list_names()


def as_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def ready_clip(user, episode, data: bytes | None = None, name: str = "IMG.jpg"):
    """A clip prepared as the task queue would (a small photo unless `data` is given)."""
    from diary.clips.adding import add_clip
    from diary.clips.tasks import prepare_clip
    from tests.clip_media import make_photo

    clip = add_clip(user, episode, SimpleUploadedFile(name, data or make_photo(size=(300, 200))))
    prepare_clip(clip.pk)
    clip.refresh_from_db()
    return clip


def clips_in_every_state(user, episode, video: bytes):
    """A ready video, a ready photo, one being prepared and one that could not be: every card."""
    from diary.clips.adding import add_clip
    from diary.models import Clip

    ready_clip(user, episode, video, "VID.mov")
    ready_clip(user, episode)
    add_clip(user, episode, SimpleUploadedFile("IMG.jpg", _photo()))
    failed = add_clip(user, episode, SimpleUploadedFile("IMG.jpg", _photo()))
    Clip.objects.filter(pk=failed.pk).update(
        status=Clip.Status.FAILED, failure="This file looks damaged.", original_name=""
    )


def _photo() -> bytes:
    from tests.clip_media import make_photo

    return make_photo(size=(300, 200))
