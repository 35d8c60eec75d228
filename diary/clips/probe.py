"""
What an upload is, read from its first bytes and its container's header, before anything is
decoded: a video (MP4/MOV from a phone's camera, or WebM) or a photo (JPEG, PNG, WebP, AVIF).

The name and the browser's Content-Type are never trusted: an executable named .mp4 or a ZIP
file is refused by its bytes. A video's demuxer is chosen here from those bytes and named to
FFmpeg, so FFmpeg never guesses a format of its own (a playlist or a concat list that would
open other files is never read). The length comes from the container: a 10-hour video is
refused without decoding a frame (processing also stops at the limit whatever the header said).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path

import av
from django.utils.translation import gettext_lazy
from PIL import Image

from diary.clips.limits import (
    MAX_JPEG_PIXELS,
    MAX_PHOTO_PIXELS,
    MAX_VIDEO_PIXELS,
    SECONDS_TOLERANCE,
    Refused,
    max_seconds,
    too_long_message,
)

NOT_READABLE = gettext_lazy(
    "Twitchlog cannot read this file as a video or a photo. Choose a video (MP4, MOV or WebM) "
    "or a photo (JPEG, PNG, WebP) from your phone's camera."
)
DAMAGED = gettext_lazy(
    "This file looks damaged or incomplete (perhaps it was not fully copied). Add it again "
    "from your phone's camera roll."
)
NO_PICTURE = gettext_lazy("This video has no picture in it. Choose a video with a picture.")
HEIC = gettext_lazy(
    "Twitchlog cannot read HEIC photos. On an iPhone, choose the photo from the library (it "
    "is then sent as JPEG), or set Camera → Formats to Most Compatible."
)
TOO_MANY_PIXELS = gettext_lazy(
    "This picture is too large to read. Choose a smaller photo or video."
)

# Brands of an ISO-BMFF "ftyp" box that hold still images (HEIF, AVIF), not a video.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}
AVIF_BRANDS = {b"avif", b"avis"}
# The top-level boxes a QuickTime or MP4 file can start with.
MOV_BOXES = {b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
PHOTO_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "AVIF": "AVIF"}


@dataclass(frozen=True)
class Probe:
    """What an upload is: `kind` "video" or "photo", and what its header says."""

    kind: str
    format: str  # the demuxer (mov, matroska) or Pillow's format name
    width: int
    height: int
    duration: float | None = None  # seconds, from the container; None when it does not say
    has_audio: bool = False


def sniff(head: bytes) -> tuple[str, str]:
    """(kind, format) from the first bytes of a file; Refused when it is neither."""
    if head.startswith(b"\xff\xd8\xff"):
        return "photo", "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "photo", "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "photo", "WEBP"
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "video", "matroska"
    if head[4:8] in MOV_BOXES:
        brand = head[8:12] if head[4:8] == b"ftyp" else b""
        if brand in HEIF_BRANDS:
            raise Refused(HEIC)
        if brand in AVIF_BRANDS:
            return "photo", "AVIF"
        return "video", "mov"
    raise Refused(NOT_READABLE)


def probe(path: Path) -> Probe:
    """Read what `path` is and check it against the limits, without decoding it."""
    with path.open("rb") as handle:
        head = handle.read(64)
    kind, fmt = sniff(head)
    return probe_photo(path, fmt) if kind == "photo" else probe_video(path, fmt)


def probe_video(path: Path, demuxer: str) -> Probe:
    try:
        container = av.open(str(path), format=demuxer)
    except (av.error.FFmpegError, OSError, ValueError) as error:
        raise Refused(DAMAGED) from error
    with container:
        if not container.streams.video:
            raise Refused(NO_PICTURE)
        stream = container.streams.video[0]
        width, height = stream.codec_context.width, stream.codec_context.height
        if not width or not height:
            raise Refused(DAMAGED)
        if width * height > MAX_VIDEO_PIXELS:
            raise Refused(TOO_MANY_PIXELS)
        duration = container_seconds(container, stream)
        if duration is not None and duration > max_seconds() + SECONDS_TOLERANCE:
            raise Refused(too_long_message(duration))
        return Probe(
            "video",
            demuxer,
            width,
            height,
            duration=duration,
            has_audio=bool(container.streams.audio),
        )


def container_seconds(container, stream) -> float | None:
    """The length the container states (the longer of its own and the video stream's)."""
    found = []
    if container.duration is not None and container.duration > 0:
        found.append(container.duration / av.time_base)
    if stream.duration is not None and stream.duration > 0 and stream.time_base:
        found.append(float(stream.duration * stream.time_base))
    return max(found) if found else None


def probe_photo(path: Path, fmt: str) -> Probe:
    with warnings.catch_warnings():
        # Pillow warns about, then refuses, pictures of very many pixels; either is a refusal.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path, formats=[fmt, "MPO"] if fmt == "JPEG" else [fmt]) as image:
                width, height = image.size
                found = PHOTO_FORMATS.get(image.format or "")
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise Refused(TOO_MANY_PIXELS) from error
        except (OSError, ValueError, SyntaxError) as error:
            raise Refused(DAMAGED) from error
    if found is None:
        raise Refused(NOT_READABLE)
    limit = MAX_JPEG_PIXELS if found == "JPEG" else MAX_PHOTO_PIXELS
    if width * height > limit:
        raise Refused(TOO_MANY_PIXELS)
    return Probe("photo", found, width, height)
