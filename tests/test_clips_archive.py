"""
"Download everything (ZIP)" and taking it back: the JSON export and the clips in one streamed
ZIP; the import takes it all or nothing, and refuses ZIPs Twitchlog did not write (a path out
of its folder, a bomb, a disguised program, a list that does not match its files).
"""

from __future__ import annotations

import io
import json
import uuid
import zipfile
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from diary.clips import storage
from diary.clips.tasks import prepare_clip
from diary.data import staging
from diary.data.archive import iter_zip
from diary.models import Clip, Episode
from tests.clip_helpers import as_bytes, ready_clip, stored
from tests.clip_media import make_photo, make_video
from tests.factories import EpisodeFactory, UserFactory


@pytest.fixture(autouse=True)
def _staging_dir(settings, tmp_path):
    settings.IMPORT_STAGING_DIR = tmp_path / "imports"


@pytest.fixture(scope="module")
def video(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("archive") / "upload.mov"
    return make_video(path, seconds=1, size=(320, 240)).read_bytes()


@pytest.fixture
def diary(user, video):
    """Two episodes with a video and a photo; a deleted episode's clip; a clip being prepared."""
    first = EpisodeFactory(user=user, started_at=datetime(2026, 3, 3, 9, tzinfo=UTC))
    second = EpisodeFactory(user=user, started_at=datetime(2026, 3, 4, 9, tzinfo=UTC))
    gone = EpisodeFactory(user=user, started_at=datetime(2026, 3, 5, 9, tzinfo=UTC))
    clips = [ready_clip(user, first, video, "VID.mov"), ready_clip(user, second)]
    ready_clip(user, gone)
    gone.soft_delete()
    from diary.clips.adding import add_clip

    add_clip(user, second, SimpleUploadedFile("IMG.jpg", make_photo(size=(300, 200))))
    return clips


def download(client) -> bytes:
    response = client.get(reverse("export-zip"), headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "no-store"
    assert "Content-Encoding" not in response
    return as_bytes(response)


def test_zip_holds_the_json_export_and_the_ready_clips(owner_client, user, diary):
    video, photo = diary
    data = download(owner_client)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names == [
            "twitchlog.json",
            "clips.json",
            f"clips/{video.uuid}.mp4",
            f"clips/{photo.uuid}.jpg",
        ]
        export = json.loads(archive.read("twitchlog.json"))
        plain = json.loads(as_bytes(owner_client.get(reverse("export-json"))))
        assert {k: v for k, v in export.items() if k != "exported_at"} == {
            k: v for k, v in plain.items() if k != "exported_at"
        }
        listed = json.loads(archive.read("clips.json"))["clips"]
        assert [(c["uuid"], c["episode"], c["kind"]) for c in listed] == [
            (str(video.uuid), str(video.episode.uuid), "video"),
            (str(photo.uuid), str(photo.episode.uuid), "photo"),
        ]
        kept = b"".join(storage.read_all(video.file_name))
        assert archive.read(f"clips/{video.uuid}.mp4") == kept
        assert archive.getinfo(f"clips/{video.uuid}.mp4").compress_type == zipfile.ZIP_STORED


def test_zip_of_a_diary_without_clips(owner_client, user):
    EpisodeFactory(user=user)
    with zipfile.ZipFile(io.BytesIO(download(owner_client))) as archive:
        assert archive.namelist() == ["twitchlog.json", "clips.json"]
        assert json.loads(archive.read("clips.json"))["clips"] == []


def test_zip_is_written_as_it_is_sent(user, diary):
    """Chunks come out while the archive is written: a first chunk before the media."""
    chunks = iter_zip(user)
    first = next(chunks)
    assert first.startswith(b"PK\x03\x04")
    assert len(first) < 20_000


# --- the import ---


def import_file(client, data: bytes, name: str = "twitchlog.zip"):
    return client.post(
        reverse("import"), {"action": "upload", "file": SimpleUploadedFile(name, data)}
    )


def confirm(client, capture):
    with capture(execute=True):
        return client.post(reverse("import"), {"action": "confirm"}, follow=True)


def test_zip_comes_back_into_another_account(
    owner_client, diary, django_capture_on_commit_callbacks
):
    data = download(owner_client)
    other = UserFactory(timezone="Europe/London")
    client = Client()
    client.force_login(other)
    assert import_file(client, data).status_code == 302
    preview = client.get(reverse("import")).content.decode()
    assert "<strong>Videos and photos:</strong> 2 new." in preview
    before = stored()
    response = confirm(client, django_capture_on_commit_callbacks)
    assert "Imported 2 episodes, 2 videos and photos (being prepared)." in (
        response.content.decode()
    )
    mine = Clip.objects.filter(user=other).select_related("episode").order_by("id")
    assert [c.status for c in mine] == [Clip.Status.READY, Clip.Status.READY]
    assert {c.episode.user_id for c in mine} == {other.pk}
    assert [c.kind for c in mine] == ["video", "photo"]
    # Another account's clip ids are never reused: the copies get their own.
    assert not {c.uuid for c in mine} & {c.uuid for c in diary}
    assert len(stored()) == len(before) + 5  # MP4, poster, thumbnail; JPEG, thumbnail


def test_same_zip_twice_adds_nothing(owner_client, diary, django_capture_on_commit_callbacks):
    data = download(owner_client)
    other = UserFactory(timezone="Europe/London")
    client = Client()
    client.force_login(other)
    import_file(client, data)
    confirm(client, django_capture_on_commit_callbacks)
    import_file(client, data)
    preview = client.get(reverse("import")).content.decode()
    assert "<strong>Videos and photos:</strong> 0 new, 2 already in your diary." in preview
    response = confirm(client, django_capture_on_commit_callbacks)
    assert "nothing was added" in response.content.decode()
    assert Clip.objects.filter(user=other).count() == 2


def test_zip_back_into_the_same_diary_after_deleting_a_clip(
    owner_client, user, diary, django_capture_on_commit_callbacks
):
    data = download(owner_client)
    _video, photo = diary
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("clip-delete", args=[photo.uuid]))
    import_file(owner_client, data)
    assert "1 new, 1 already in your diary" in owner_client.get(reverse("import")).content.decode()
    confirm(owner_client, django_capture_on_commit_callbacks)
    back = Clip.objects.get(uuid=photo.uuid)
    assert back.episode == photo.episode
    assert back.status == Clip.Status.READY


# --- ZIPs that are refused, changing nothing ---


def make_zip(members: dict[str, bytes], *, deflate: bool = True, encrypted=()) -> bytes:
    buffer = io.BytesIO()
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name)
            info.compress_type = method
            archive.writestr(info, data)
        for info in archive.filelist:  # marked in the central directory, as written at close
            if info.filename in encrypted:
                info.flag_bits |= 0x1
    return buffer.getvalue()


def export_members(owner_client) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(download(owner_client))) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def refused(client, data: bytes) -> str:
    before = (Episode.objects.count(), Clip.objects.count(), stored())
    response = import_file(client, data)
    assert response.status_code == 200
    assert (Episode.objects.count(), Clip.objects.count(), stored()) == before
    assert not staging.staging_dir().exists() or not any(staging.staging_dir().iterdir())
    return response.content.decode()


@pytest.fixture
def importer_client(db):
    """Another person's browser (owner_client is pytest-django's `client`)."""
    client = Client()
    client.force_login(UserFactory(timezone="Europe/London"))
    return client


def test_path_out_of_the_folder_refused(owner_client, importer_client, diary):
    members = export_members(owner_client)
    members["../../etc/cron.d/evil"] = b"* * * * * root rm -rf /"
    assert "holds a file Twitchlog does not write (“../../etc/cron.d/evil”)" in refused(
        importer_client, make_zip(members)
    )
    members.pop("../../etc/cron.d/evil")
    members["/tmp/absolute.txt"] = b"x"
    assert "does not write (“/tmp/absolute.txt”)" in refused(importer_client, make_zip(members))


def test_zip_bomb_refused(owner_client, importer_client, diary):
    members = export_members(owner_client)
    name = f"clips/{uuid.uuid4()}.mp4"
    members[name] = bytes(150 * 1024 * 1024)  # 150 MB of zeros: about 150 KB packed
    data = make_zip(members)
    assert len(data) < 1_000_000
    assert "unpacks to far more than it takes packed" in refused(importer_client, data)


def test_json_bigger_than_the_import_limit_refused(owner_client, importer_client, diary, settings):
    settings.IMPORT_MAX_BYTES = 200
    settings.IMPORT_MAX_ZIP_BYTES = 10 * 1024 * 1024
    assert "“twitchlog.json” in this ZIP is bigger than Twitchlog takes" in refused(
        importer_client, make_zip(export_members(owner_client))
    )


def test_disguised_program_among_the_clips_refused(owner_client, importer_client, diary):
    video, _ = diary
    members = export_members(owner_client)
    members[f"clips/{video.uuid}.mp4"] = b"\x7fELF\x02\x01\x01" + bytes(4000)
    html = refused(importer_client, make_zip(members))
    assert f"Clip 1 (clips/{video.uuid}.mp4): Twitchlog cannot read this file" in html


def test_clip_list_must_match_the_files(owner_client, importer_client, diary):
    _video, photo = diary
    members = export_members(owner_client)
    unlisted = dict(members)
    unlisted[f"clips/{uuid.uuid4()}.jpg"] = members[f"clips/{photo.uuid}.jpg"]
    assert "is not in its list of clips" in refused(importer_client, make_zip(unlisted))
    missing = dict(members)
    missing.pop(f"clips/{photo.uuid}.jpg")
    assert "Clip 2 in clips.json names a file the ZIP does not have" in refused(
        importer_client, make_zip(missing)
    )
    orphan = dict(members)
    listed = json.loads(members["clips.json"])
    listed["clips"][0]["episode"] = str(uuid.uuid4())
    orphan["clips.json"] = json.dumps(listed).encode()
    assert "Clip 1 in clips.json belongs to an episode not in the file" in refused(
        importer_client, make_zip(orphan)
    )


def test_encrypted_or_damaged_zip_refused(owner_client, importer_client, diary):
    members = export_members(owner_client)
    assert "encrypted" in refused(importer_client, make_zip(members, encrypted={"clips.json"}))
    data = make_zip(members)
    assert "damaged or incomplete" in refused(importer_client, data[: len(data) // 2])


def test_import_is_all_or_nothing(
    owner_client, importer_client, diary, monkeypatch, django_capture_on_commit_callbacks
):
    """A failure while writing leaves neither the episodes nor any stored file behind."""
    import_file(importer_client, download(owner_client))
    before = (Episode.objects.count(), stored())

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("diary.data.zipimport.Clip.objects.bulk_create", broken)
    importer_client.raise_request_exception = False
    response = importer_client.post(reverse("import"), {"action": "confirm"})
    assert response.status_code == 500
    assert (Episode.objects.count(), stored()) == before


def test_pending_and_deleted_clips_are_not_exported(owner_client, user, diary):
    with zipfile.ZipFile(io.BytesIO(download(owner_client))) as archive:
        listed = {c["uuid"] for c in json.loads(archive.read("clips.json"))["clips"]}
    live = {str(c.uuid) for c in Clip.objects.for_user(user).ready()}
    assert listed == live
    assert Clip.objects.filter(user=user).count() == 4


def test_prepare_imported_clip_again(owner_client, importer_client, diary):
    """Imported files are prepared again: what is kept is always what Twitchlog wrote."""
    import_file(importer_client, download(owner_client))
    importer_client.post(reverse("import"), {"action": "confirm"})
    clip = Clip.objects.filter(original_name__endswith="original").first()
    assert clip is not None
    assert clip.status == Clip.Status.PENDING
    assert prepare_clip(clip.pk) == Clip.Status.READY
