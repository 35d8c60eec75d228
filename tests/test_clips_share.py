"""
Sharing clips with the clinician: only when the person ticks "Include videos and photos"; the
share page then plays them, and the PDF says how many there are next to the link's QR code.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse
from pypdf import PdfReader

from diary.clips.tasks import prepare_clip
from diary.models import Clip, ShareLink
from diary.sharing import links
from tests.clip_helpers import as_bytes, upload
from tests.clip_media import make_photo, make_video
from tests.factories import EpisodeFactory

FIRST, LAST = date(2026, 3, 2), date(2026, 3, 29)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("share") / "upload.mov"
    return make_video(path, seconds=1, size=(320, 240)).read_bytes()


@pytest.fixture
def clips(owner_client, user, video) -> list[Clip]:
    """A video and a photo in the period, and a video after it."""
    inside = EpisodeFactory(
        user=user, started_at=datetime(2026, 3, 3, 9, tzinfo=UTC), sites=["calf-left"]
    )
    later = EpisodeFactory(user=user, started_at=datetime(2026, 4, 10, 9, tzinfo=UTC))
    upload(owner_client, inside, video, partial=True)
    upload(owner_client, inside, make_photo(size=(300, 200)), "IMG.jpg", partial=True)
    upload(owner_client, later, video, partial=True)
    for clip in Clip.objects.all():
        prepare_clip(clip.pk)
    return list(Clip.objects.order_by("id"))


def make(user, **kwargs):
    return links.create(user, first=FIRST, last=LAST, days=7, **kwargs)


def test_share_form_offers_clips_off_by_default(owner_client, user):
    page = owner_client.get(reverse("report")).content.decode()
    box = re.search(r'<input type="checkbox" name="include_clips"[^>]*>', page).group(0)
    assert "checked" not in box
    assert "Include videos and photos" in page
    owner_client.post(
        reverse("share-create"), {"from": FIRST.isoformat(), "to": LAST.isoformat(), "days": "7"}
    )
    owner_client.post(
        reverse("share-create"),
        {"from": FIRST.isoformat(), "to": LAST.isoformat(), "days": "7", "include_clips": "on"},
    )
    assert list(ShareLink.objects.order_by("id").values_list("include_clips", flat=True)) == [
        False,
        True,
    ]
    assert "· with videos and photos" in owner_client.get(reverse("settings")).content.decode()


def test_share_page_plays_the_periods_clips_when_included(
    client, user, clips, django_assert_max_num_queries
):
    video, photo, later = clips
    _, token = make(user, include_clips=True)
    with django_assert_max_num_queries(28):
        page = client.get(reverse("share-page", args=[token])).content.decode()
    assert "Videos and photos" in page
    assert f'<source src="/s/{token}/clips/{video.uuid}/file" type="video/mp4">' in page
    assert f'poster="/s/{token}/clips/{video.uuid}/poster.jpg"' in page
    assert f'src="/s/{token}/clips/{photo.uuid}/file"' in page
    assert str(later.uuid) not in page  # after the period
    assert "Tue, 3 Mar 2026, 09:00 · Left calf" in page  # British English, as the pages
    assert "/clips/" not in page.replace(f"/s/{token}/clips/", "")  # never the owner's URLs


def test_share_page_without_clips_shows_none(client, user, clips):
    _, token = make(user)
    page = client.get(reverse("share-page", args=[token])).content.decode()
    assert "Videos and photos" not in page
    assert "/clips/" not in page


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_says_how_many_clips_the_link_plays(client, user, clips):
    _, token = make(user, include_clips=True)
    text = pdf_text(as_bytes(client.get(reverse("share-pdf", args=[token]))))
    assert "2 clips — open the link to watch" in text
    _, token = make(user)
    text = pdf_text(as_bytes(client.get(reverse("share-pdf", args=[token]))))
    assert "open the link to watch" not in text


def test_pdf_with_a_new_link_for_the_doctor(owner_client, user, clips):
    response = owner_client.post(
        reverse("share-create"),
        {
            "from": FIRST.isoformat(),
            "to": LAST.isoformat(),
            "days": "30",
            "pdf": "1",
            "include_clips": "on",
        },
    )
    assert "2 clips — open the link to watch" in pdf_text(response.content)
