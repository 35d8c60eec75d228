"""
Adding, preparing, showing and deleting a clip through the owner's pages: who may do what,
refused files that change nothing, the limits, and storage listed after every delete.
"""

from __future__ import annotations

import io
import os
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from diary.clips import storage
from diary.clips.adding import add_clip
from diary.clips.limits import RESERVED_BYTES
from diary.clips.probe import NOT_READABLE
from diary.clips.removal import ORPHAN_AGE, sweep_orphans
from diary.clips.tasks import GIVE_UP, STALLED, UNEXPECTED, prepare_clip, retry_stalled_clips
from diary.data.account import delete_account
from diary.data.maintenance import purge_deleted
from diary.models import Clip, Episode
from tests.clip_helpers import as_bytes, stored, upload
from tests.clip_media import make_photo, make_video
from tests.factories import EpisodeFactory
from tests.helpers import HTMX, episode_data, field_errors, records_change


@pytest.fixture(scope="session")
def video(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("clip-video") / "upload.mov"
    return make_video(path, seconds=1, size=(320, 240)).read_bytes()


@pytest.fixture(scope="session")
def photo() -> bytes:
    return make_photo(size=(600, 400))


@pytest.fixture
def episode(user):
    return EpisodeFactory(user=user)


def add_ready(client, episode, data, django_capture_on_commit_callbacks, name="VID.mov"):
    """Upload and let the (immediate) task queue prepare it at commit."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, episode, data, name)
    assert response.status_code == 302, response.content[:500]
    return Clip.objects.get(episode=episode, created_at__gte=timezone.now() - timedelta(minutes=1))


# --- adding ---


def test_anonymous_upload_goes_to_login(client, episode, video):
    response = upload(client, episode, video)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Clip.objects.exists()
    assert stored() == []


def test_upload_to_another_persons_episode_is_404(owner_client, other_user, video):
    theirs = EpisodeFactory(user=other_user)
    assert upload(owner_client, theirs, video).status_code == 404
    assert not Clip.objects.exists()
    assert stored() == []


def test_upload_is_prepared_on_the_queue_and_shown(
    owner_client, user, episode, video, django_capture_on_commit_callbacks
):
    with records_change(user):
        clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    clip.refresh_from_db()
    assert clip.status == Clip.Status.READY
    assert clip.kind == "video"
    assert clip.original_name == ""  # the upload is gone once prepared
    names = {f"{clip.uuid}/clip.mp4", f"{clip.uuid}/poster.jpg", f"{clip.uuid}/thumb.jpg"}
    assert set(stored()) == names
    assert clip.file_bytes == storage.clip_storage().size(clip.file_name)
    page = owner_client.get(reverse("episode-edit", args=[episode.uuid])).content.decode()
    assert f'<source src="/clips/{clip.uuid}/file" type="video/mp4">' in page
    assert f'poster="/clips/{clip.uuid}/poster.jpg"' in page
    assert "playsinline" in page
    assert 'preload="metadata"' in page


def test_upload_without_the_queue_waits_as_pending(owner_client, episode, video):
    """The page answers before anything is prepared; htmx then polls the card."""
    response = upload(owner_client, episode, video, partial=True)
    assert response.status_code == 201
    clip = Clip.objects.get()
    assert clip.status == Clip.Status.PENDING
    assert stored() == [f"{clip.uuid}/original"]
    html = response.content.decode()
    assert "Preparing your video…" in html
    assert "<html" not in html
    assert f'data-hx-get="/clips/{clip.uuid}/"' in html
    assert "load delay:2s" in html
    card = owner_client.get(reverse("clip-card", args=[clip.uuid]), headers=HTMX)
    assert "Preparing your video…" in card.content.decode()
    prepare_clip(clip.pk)
    card = owner_client.get(reverse("clip-card", args=[clip.uuid]), headers=HTMX).content.decode()
    assert "Preparing" not in card
    assert "data-hx-get" not in card
    assert "<video" in card


def test_a_clip_a_stopped_worker_left_pending_is_queued_again_then_given_up(
    user, episode, photo, django_capture_on_commit_callbacks
):
    young, stalled, stuck = (
        add_clip(user, episode, SimpleUploadedFile("IMG.jpg", photo)) for _ in range(3)
    )
    minute = timedelta(minutes=1)
    Clip.objects.filter(pk=stalled.pk).update(created_at=timezone.now() - STALLED - minute)
    Clip.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - GIVE_UP - minute)
    user.profile.language = "de"  # the message is kept in the person's language
    user.profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert retry_stalled_clips.call() == {"queued": 1, "failed": 1}
    status = dict(Clip.objects.values_list("pk", "status"))
    assert status == {
        young.pk: Clip.Status.PENDING,
        stalled.pk: Clip.Status.READY,
        stuck.pk: Clip.Status.FAILED,
    }
    stuck.refresh_from_db()
    with translation.override("en"):
        english = str(UNEXPECTED)
    with translation.override("de"):
        assert stuck.failure == str(UNEXPECTED) != english
    assert f"{stuck.uuid}/original" not in stored()
    assert f"{young.uuid}/original" in stored()


def test_photo_upload(owner_client, episode, photo, django_capture_on_commit_callbacks):
    clip = add_ready(owner_client, episode, photo, django_capture_on_commit_callbacks, "IMG.jpg")
    clip.refresh_from_db()
    assert clip.kind == "photo"
    assert clip.file_name.endswith("photo.jpg")
    assert not clip.poster_name
    assert (clip.width, clip.height) == (400, 600)  # turned upright by its orientation tag
    page = owner_client.get(reverse("episode-edit", args=[episode.uuid])).content.decode()
    assert f'<img class="clip-media" src="/clips/{clip.uuid}/file"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00" + bytes(5000), NOT_READABLE),  # a Windows program named .mp4
        (b"", "The file is empty."),
    ],
)
def test_refused_file_changes_nothing(owner_client, user, episode, data, message):
    response = owner_client.post(
        reverse("clip-add", args=[episode.uuid]),
        {"file": SimpleUploadedFile("a.mp4", data)},
    )
    assert response.status_code == 200
    assert message in field_errors(response, "clip_file")
    assert not Clip.objects.exists()
    assert stored() == []


def test_refused_file_with_htmx_shows_the_form_with_the_message(owner_client, episode):
    response = upload(owner_client, episode, b"PK\x03\x04" + bytes(100), partial=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_clip_file-errors"' in html
    assert "cannot read this file" in html
    assert 'aria-describedby="id_clip_file-hint id_clip_file-errors"' in html
    assert not Clip.objects.exists()
    assert stored() == []


def test_upload_over_the_size_limit_stopped_while_it_arrives(
    owner_client, episode, video, settings
):
    settings.CLIP_MAX_UPLOAD_BYTES = len(video) - 1
    response = upload(owner_client, episode, video, partial=True)
    assert "bigger than" in response.content.decode()
    # Stopped by the upload handler as the bytes came in, not read whole and then refused.
    assert response.wsgi_request.clip_too_large is True
    assert not Clip.objects.exists()
    assert stored() == []


def test_episode_holds_so_many_clips(owner_client, episode, photo, settings):
    settings.CLIPS_PER_EPISODE = 2
    for _ in range(2):
        assert upload(owner_client, episode, photo, partial=True).status_code == 201
    response = upload(owner_client, episode, photo, partial=True)
    assert "This episode has 2 videos and photos, the most one episode keeps" in (
        response.content.decode()
    )
    assert Clip.objects.count() == 2
    assert len(stored()) == 2


def test_quota_per_person(owner_client, user, episode, photo, settings):
    settings.CLIP_QUOTA_BYTES = RESERVED_BYTES * 2
    assert upload(owner_client, episode, photo, partial=True).status_code == 201
    Clip.objects.update(status=Clip.Status.READY, stored_bytes=RESERVED_BYTES + 1)
    response = upload(owner_client, episode, photo, partial=True)
    assert "Your videos and photos take 5.0 MB of the 10 MB Twitchlog keeps" in (
        response.content.decode()
    )
    assert Clip.objects.count() == 1


def test_clip_that_cannot_be_prepared_says_why_and_keeps_nothing(
    owner_client, episode, video, monkeypatch, django_capture_on_commit_callbacks
):
    upload(owner_client, episode, video, partial=True)
    clip = Clip.objects.get()
    monkeypatch.setattr("diary.clips.tasks.prepare", lambda *args: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert prepare_clip(clip.pk) == Clip.Status.FAILED
    clip.refresh_from_db()
    assert clip.failure == UNEXPECTED
    assert stored() == []
    card = owner_client.get(reverse("clip-card", args=[clip.uuid]), headers=HTMX).content.decode()
    assert "could not be prepared" in card
    assert "Remove it" in card


def test_task_for_a_deleted_clip_keeps_nothing(owner_client, episode, video):
    upload(owner_client, episode, video, partial=True)
    clip = Clip.objects.get()
    Clip.objects.filter(pk=clip.pk).delete()  # deleted while it waited
    assert prepare_clip(clip.pk) == "gone"


# --- the lists show it ---


@pytest.mark.parametrize("page", ["log", "history"])
def test_a_row_with_a_clip_shows_its_thumbnail_and_one_delete_icon(
    owner_client, episode, photo, django_capture_on_commit_callbacks, page
):
    clip = add_ready(owner_client, episode, photo, django_capture_on_commit_callbacks, "IMG.jpg")
    assert clip.status == Clip.Status.READY
    plain = EpisodeFactory(user=episode.user, started_at=episode.started_at - timedelta(hours=1))
    html = owner_client.get(reverse(page)).content.decode()

    row = html[html.index(f'id="episode-{episode.uuid}"') :]
    row = row[: row.index("</li>")]
    link = row[: row.index("</a>")]
    thumb = reverse("clip-thumb", args=[clip.uuid])
    assert f'<img class="episode-thumb" src="{thumb}" alt=""' in link
    assert "<svg" not in link, "the edit link holds no delete icon"
    assert row.count("<svg") == 1, "one delete icon, on the delete button"

    row = html[html.index(f'id="episode-{plain.uuid}"') :]
    row = row[: row.index("</li>")]
    assert "episode-thumb" not in row
    assert "<svg" not in row[: row.index("</a>")]


# --- the clip's files ---


def test_clip_files_only_for_their_owner(
    client, owner_client, other_user, episode, video, django_capture_on_commit_callbacks
):
    clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    urls = [
        reverse("clip-file", args=[clip.uuid]),
        reverse("clip-poster", args=[clip.uuid]),
        reverse("clip-thumb", args=[clip.uuid]),
        reverse("clip-card", args=[clip.uuid]),
        reverse("clip-delete", args=[clip.uuid]),
    ]
    for url in urls[:3]:
        response = owner_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, no-store"
    client.force_login(other_user)
    for url in urls:
        assert client.get(url, headers=HTMX).status_code == 404, url
    assert client.post(urls[-1]).status_code == 404
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_clips_of_a_deleted_episode_are_hidden_until_undo(
    owner_client, episode, video, django_capture_on_commit_callbacks
):
    clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    episode.soft_delete()
    assert owner_client.get(reverse("clip-file", args=[clip.uuid])).status_code == 404
    episode.restore()
    assert owner_client.get(reverse("clip-file", args=[clip.uuid])).status_code == 200


def test_thumbnail_is_a_jpeg(owner_client, episode, video, django_capture_on_commit_callbacks):
    clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    response = owner_client.get(reverse("clip-thumb", args=[clip.uuid]))
    assert response["Content-Type"] == "image/jpeg"
    assert as_bytes(response).startswith(b"\xff\xd8\xff")


# --- deleting removes the files ---


def test_delete_asks_first_then_removes_the_files(
    owner_client, user, episode, video, django_capture_on_commit_callbacks
):
    clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    page = owner_client.get(reverse("clip-delete", args=[clip.uuid])).content.decode()
    assert "Delete this video?" in page
    assert "cannot be brought back" in page
    assert Clip.objects.exists()
    assert len(stored()) == 3
    with django_capture_on_commit_callbacks(execute=True), records_change(user):
        response = owner_client.post(reverse("clip-delete", args=[clip.uuid]))
    assert response["Location"] == reverse("episode-edit", args=[episode.uuid]) + "#clips"
    assert not Clip.objects.exists()
    assert stored() == []


def test_purged_episode_takes_its_clip_files(
    owner_client, episode, video, django_capture_on_commit_callbacks
):
    add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    kept = add_ready(
        owner_client, EpisodeFactory(user=episode.user), video, django_capture_on_commit_callbacks
    )
    episode.soft_delete()
    with django_capture_on_commit_callbacks(execute=True):
        counts = purge_deleted(now=timezone.now() + timedelta(days=31))
    assert counts["episodes"] == 1
    assert counts["clip files"] == 3
    assert stored() == sorted(kept.storage_names())


def test_deleted_account_takes_its_clip_files(
    owner_client, user, other_user, episode, video, django_capture_on_commit_callbacks, client
):
    add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    upload(owner_client, episode, video, partial=True)  # one still waiting for the queue
    client.force_login(other_user)
    theirs = add_ready(
        client, EpisodeFactory(user=other_user), video, django_capture_on_commit_callbacks
    )
    assert len(stored()) == 7
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user)
    assert stored() == sorted(theirs.storage_names())


def test_files_no_clip_owns_are_swept(
    owner_client, episode, video, django_capture_on_commit_callbacks
):
    clip = add_ready(owner_client, episode, video, django_capture_on_commit_callbacks)
    stray = storage.clip_storage().save(
        "0f0f0f0f-0000-4000-8000-000000000000/original", io.BytesIO(b"x")
    )
    # Written "now" by the test's clock, whatever instant the run is pinned to (the file
    # system's own clock is not).
    moment = timezone.now().timestamp()
    os.utime(storage.clip_storage().path(stray), (moment, moment))
    assert sweep_orphans() == 0  # too young: it may be an upload whose row is being written
    assert sweep_orphans(now=timezone.now() + ORPHAN_AGE + timedelta(minutes=1)) == 1
    assert stray not in stored()
    assert stored() == sorted(clip.storage_names())


# --- the Log form without JavaScript ---


def test_log_with_a_video_saves_the_episode_and_adds_the_clip(owner_client, user, video):
    data = episode_data(clip=SimpleUploadedFile("VID.mov", video))
    response = owner_client.post(reverse("log"), data, follow=True)
    episode = Episode.objects.for_user(user).get()
    clip = Clip.objects.get()
    assert clip.episode == episode
    assert clip.status == Clip.Status.PENDING
    assert "Your video is being prepared; it shows on the entry in a moment." in (
        response.content.decode()
    )


def test_log_with_a_bad_file_still_saves_the_episode(owner_client, user):
    data = episode_data(clip=SimpleUploadedFile("VID.mp4", b"\x7fELF" + bytes(500)))
    response = owner_client.post(reverse("log"), data, follow=True)
    assert Episode.objects.for_user(user).count() == 1
    assert not Clip.objects.exists()
    assert stored() == []
    assert "was not added: Twitchlog cannot read this file" in response.content.decode()


def test_log_with_a_clip_too_big_still_saves_the_episode(owner_client, user, video, settings):
    settings.CLIP_MAX_UPLOAD_BYTES = 1000
    data = episode_data(clip=SimpleUploadedFile("VID.mov", video))
    response = owner_client.post(reverse("log"), data, follow=True)
    assert Episode.objects.for_user(user).count() == 1
    assert not Clip.objects.exists()
    assert "bigger than 1000 bytes" in response.content.decode()


def test_log_page_offers_a_video_or_photo(owner_client):
    html = owner_client.get(reverse("log")).content.decode()
    assert 'class="button button-primary log-button" formenctype="multipart/form-data"' in html
    assert 'id="log-form" class="episode-form" method="post" action="/" data-' in html
    assert (
        'name="clip" id="id_log_clip_camera" accept="video/*,image/*" capture="environment"' in html
    )
    assert 'name="clip" id="id_log_clip" accept="video/*,image/*">' in html


def test_deploy_check_refuses_clips_among_static_files(settings, tmp_path):
    from diary.checks import check_clips_private

    assert check_clips_private(None) == []
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STORAGES = {
        **settings.STORAGES,
        "clips": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "staticfiles" / "media" / "clips"},
        },
    }
    [error] = check_clips_private(None)
    assert error.id == "twitchlog.E006"
    assert "inside a folder served as static files" in error.msg
