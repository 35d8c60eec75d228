"""
Preparing clips, read back with PyAV and Pillow: what is kept (codec, size, length, shape) and
what is not (any place, device, owner or date tag), and files that are refused before anything
is decoded (disguised, truncated, too long, too big).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import av
import pytest
from PIL import Image

from diary.clips.limits import Refused
from diary.clips.probe import DAMAGED, HEIC, NOT_READABLE, TOO_MANY_PIXELS, Probe, probe
from diary.clips.processing import fit, prepare, turn
from tests.clip_media import (
    TELLTALE,
    make_photo,
    make_sparse_video,
    make_video,
    tags_of,
)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    """The test videos, made once for this module."""
    folder = tmp_path_factory.mktemp("media")
    make_video(folder / "landscape.mov", seconds=2, size=(1920, 1080))
    make_video(folder / "portrait.mov", seconds=1, size=(640, 360), rotation=-90)
    make_video(folder / "sixty.mov", seconds=1, size=(320, 240), fps=60, audio=False)
    make_video(folder / "phone.webm", seconds=1, size=(320, 240), fmt="webm")
    return folder


def prepared(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return prepare(source, probe(source), out)


def test_video_kept_as_small_h264_aac_mp4_without_tags(media, tmp_path):
    assert any(word in tags_of(media / "landscape.mov") for word in TELLTALE)  # the upload has them
    result = prepared(media / "landscape.mov", tmp_path)
    with av.open(str(result.file)) as kept:
        assert kept.format.name.startswith("mov,mp4")
        video, sound = kept.streams.video[0], kept.streams.audio[0]
        assert video.codec_context.name == "h264"
        assert (video.codec_context.width, video.codec_context.height) == (1280, 720)
        assert sound.codec_context.name == "aac"
        assert kept.duration / av.time_base == pytest.approx(2, abs=0.15)
    tags = tags_of(result.file)
    assert not [word for word in TELLTALE if word in tags], tags
    assert "location" not in tags
    assert "make" not in tags
    assert "model" not in tags
    assert (result.width, result.height, result.duration) == (1280, 720, pytest.approx(2, abs=0.1))
    assert result.file.stat().st_size < (media / "landscape.mov").stat().st_size / 2


def test_video_index_at_the_front(media, tmp_path):
    """faststart: the "moov" box comes before the pictures, so a phone plays while loading."""
    data = prepared(media / "landscape.mov", tmp_path).file.read_bytes()
    assert data.index(b"moov") < data.index(b"mdat")


def test_video_poster_and_thumbnail_are_plain_jpegs(media, tmp_path):
    result = prepared(media / "landscape.mov", tmp_path)
    with Image.open(result.poster) as poster:
        assert poster.format == "JPEG"
        assert poster.size == (1280, 720)
        assert not poster.getexif()
        assert "icc_profile" not in poster.info
    with Image.open(result.thumb) as thumb:
        assert max(thumb.size) == 160
        assert not thumb.getexif()


def test_portrait_video_is_turned_upright(media, tmp_path):
    """The rotation tag goes with the metadata, so the pictures themselves are turned."""
    result = prepared(media / "portrait.mov", tmp_path)
    assert (result.width, result.height) == (360, 640)
    with av.open(str(result.file)) as kept:
        frame = next(kept.decode(video=0))
        assert (frame.width, frame.height) == (360, 640)
        assert not frame.rotation


def test_sixty_frames_a_second_kept_at_thirty(media, tmp_path):
    result = prepared(media / "sixty.mov", tmp_path)
    with av.open(str(result.file)) as kept:
        frames = sum(1 for _ in kept.decode(video=0))
        assert not kept.streams.audio
    assert 28 <= frames <= 31


def test_webm_video_taken(media, tmp_path):
    result = prepared(media / "phone.webm", tmp_path)
    with av.open(str(result.file)) as kept:
        assert kept.streams.video[0].codec_context.name == "h264"
        assert kept.streams.audio[0].codec_context.name == "aac"


def test_photo_turned_by_its_orientation_then_stripped(tmp_path):
    source = tmp_path / "photo.jpg"
    make_photo(source, size=(1200, 800), orientation=6)
    with Image.open(source) as upload:
        assert upload.getexif()[0x010F] == "Apple"
        assert upload.getexif().get_ifd(0x8825)
    result = prepared(source, tmp_path)
    with Image.open(result.file) as kept:
        assert kept.format == "JPEG"
        # Orientation 6: turned a quarter clockwise, so the red left half is now on top.
        assert kept.size == (800, 1200)
        assert kept.getpixel((400, 100))[0] > 200
        assert kept.getpixel((400, 1100))[2] > 200
        assert not kept.getexif()
        assert "exif" not in kept.info
        assert "xmp" not in kept.info
    assert not result.poster
    assert result.thumb.exists()


def test_big_photo_made_smaller(tmp_path):
    source = tmp_path / "big.jpg"
    make_photo(source, size=(4032, 3024), orientation=None)
    result = prepared(source, tmp_path)
    assert max(result.width, result.height) == 2048
    with Image.open(result.file) as kept:
        assert kept.size == (2048, 1536)


def test_transparent_png_on_white(tmp_path):
    source = tmp_path / "shot.png"
    make_photo(source, fmt="PNG", mode="RGBA", orientation=None)
    result = prepared(source, tmp_path)
    with Image.open(result.file) as kept:
        red, green, blue = kept.getpixel((1000, 400))  # half-transparent blue over white
        assert blue > 200
        assert red > 100
        assert green > 100


# --- refused, before decoding ---


def test_what_a_file_is_comes_from_its_bytes(tmp_path):
    executable = tmp_path / "twitch.mp4"
    executable.write_bytes(b"\x7fELF\x02\x01\x01" + bytes(200))
    with pytest.raises(Refused) as refused:
        probe(executable)
    assert refused.value.message == NOT_READABLE

    archive = tmp_path / "clip.mp4"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bomb:
        bomb.writestr("a.bin", bytes(10_000_000))  # 10 MB of zeros in a few KB
    with pytest.raises(Refused, match="cannot read this file"):
        probe(archive)


def test_heic_photo_refused_with_a_way_out(tmp_path):
    heic = tmp_path / "IMG_0001.HEIC"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(100))
    with pytest.raises(Refused) as refused:
        probe(heic)
    assert refused.value.message == HEIC


def test_video_cut_short_refused(media, tmp_path):
    """An upload cut off half way: its index (at the end, as phones write it) is missing."""
    whole = (media / "landscape.mov").read_bytes()
    cut = tmp_path / "cut.mov"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(Refused) as refused:
        probe(cut)
    assert refused.value.message == DAMAGED


def test_faststart_video_cut_short_refused_while_preparing(media, tmp_path):
    """With the index at the front, a cut file opens; it ends far before its stated length."""
    front = prepared(media / "landscape.mov", tmp_path).file.read_bytes()
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(front[: len(front) // 3])
    found = probe(cut)
    assert found.duration == pytest.approx(2, abs=0.15)
    with pytest.raises(Refused) as refused:
        prepare(cut, found, tmp_path)
    assert refused.value.message == DAMAGED


def test_ten_hour_video_refused_from_its_header(tmp_path):
    long = make_sparse_video(tmp_path / "long.mov", times=[0, 1, 36_000])
    assert long.stat().st_size < 100_000
    with pytest.raises(
        Refused, match=r"This video is 3600[01] seconds long; Twitchlog keeps videos"
    ):
        probe(long)


def test_length_limit_holds_whatever_the_header_says(tmp_path):
    """A header that claims 5 s does not buy more: preparing stops at the limit."""
    long = make_sparse_video(tmp_path / "long.mov", times=[0, 10, 20, 40])
    lying = Probe("video", "mov", 320, 240, duration=5)
    with pytest.raises(Refused, match="Twitchlog keeps videos of up to 30 seconds"):
        prepare(long, lying, tmp_path)


def test_video_at_the_limit_taken_and_one_second_more_refused(tmp_path, settings):
    settings.CLIP_MAX_SECONDS = 3
    clip = make_video(tmp_path / "three.mov", seconds=3, size=(320, 240), audio=False)
    assert prepare(clip, probe(clip), tmp_path).duration == pytest.approx(3, abs=0.1)
    longer = make_video(tmp_path / "four.mov", seconds=4, size=(320, 240), audio=False)
    with pytest.raises(Refused, match=r"This video is 4 seconds long; .* up to 3 seconds"):
        probe(longer)


def test_picture_bomb_refused(tmp_path):
    """A small PNG that would decode to 100 megapixels."""
    bomb = tmp_path / "bomb.png"
    Image.new("1", (10_000, 10_000)).save(bomb)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(Refused) as refused:
        probe(bomb)
    assert refused.value.message == TOO_MANY_PIXELS


def test_garbage_after_a_jpeg_header_refused(tmp_path):
    fake = tmp_path / "fake.jpg"
    fake.write_bytes(b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10)
    with pytest.raises(Refused) as refused:
        probe(fake)
    assert refused.value.message == DAMAGED


@pytest.mark.parametrize(
    ("size", "fitted"),
    [
        ((1920, 1080), (1280, 720)),
        ((1080, 1920), (720, 1280)),
        ((3840, 2160), (1280, 720)),
        ((640, 480), (640, 480)),
        ((1440, 1080), (960, 720)),
        ((333, 201), (332, 200)),
    ],
)
def test_fit(size, fitted):
    assert fit(*size) == fitted


@pytest.mark.parametrize(("rotation", "clockwise"), [(0, 0), (-90, 90), (90, 270), (180, 180)])
def test_turn(rotation, clockwise):
    assert turn(rotation) == clockwise
