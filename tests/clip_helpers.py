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
