"""
Test videos and photos made on the spot, as a phone would send them: moving pictures (FFmpeg's
testsrc2 pattern through PyAV), a tone, and the metadata a phone writes (GPS position, make,
model, owner, date), so the tests can check that none of it survives.
"""

from __future__ import annotations

import io
from fractions import Fraction
from pathlib import Path

import av
from PIL import Image

# What a phone writes into a video: place, device, owner, date (QuickTime keys and plain ones).
PHONE_TAGS = {
    "location": "+48.8584+002.2945/",
    "com.apple.quicktime.location.ISO6709": "+48.8584+002.2945+035.000/",
    "make": "Apple",
    "model": "iPhone 15",
    "com.apple.quicktime.make": "Apple",
    "com.apple.quicktime.model": "iPhone 15",
    "artist": "Jane Doe",
    "creation_time": "2026-11-30T10:00:00Z",
}
# Words that must not appear in any tag of a kept file.
TELLTALE = ("48.8584", "Apple", "iPhone", "Jane", "2026-11-30")


def make_video(
    path: Path,
    *,
    seconds: float = 2,
    size: tuple[int, int] = (640, 360),
    fps: int = 30,
    rotation: int = 0,
    audio: bool = True,
    tags: dict | None = None,
    fmt: str = "mov",
    bitrate: int = 4_000_000,
) -> Path:
    """A moving test pattern with a tone, tagged like a phone's (QuickTime keys kept)."""
    width, height = size
    tags = PHONE_TAGS if tags is None else tags
    options = {"movflags": "use_metadata_tags"} if fmt in ("mov", "mp4") else {}
    with av.open(str(path), "w", format=fmt, options=options) as out:
        out.metadata.update(tags)
        video = out.add_stream("libx264" if fmt != "webm" else "libvpx", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.bit_rate = bitrate
        video.options = {"preset": "ultrafast"} if fmt != "webm" else {"deadline": "realtime"}
        if rotation:
            video.set_display_rotation(rotation)
        if audio:
            sound = out.add_stream("aac" if fmt != "webm" else "libopus", rate=48000)
        pattern = f"testsrc2=size={width}x{height}:rate={fps}:duration={seconds}"
        with av.open(pattern, format="lavfi") as source:
            for frame in source.decode(video=0):
                frame.pts = None
                for packet in video.encode(frame):
                    out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
        if audio:
            with av.open(f"sine=frequency=440:duration={seconds}", format="lavfi") as tone:
                for frame in tone.decode(audio=0):
                    frame.pts = None
                    for packet in sound.encode(frame):
                        out.mux(packet)
            for packet in sound.encode():
                out.mux(packet)
    return path


def make_sparse_video(path: Path, *, times: list[float], size=(320, 240)) -> Path:
    """A video of a few frames at the given times (seconds): a long one costs nothing."""
    with av.open(str(path), "w", format="mov") as out:
        video = out.add_stream("libx264", rate=1)
        video.width, video.height, video.pix_fmt = size[0], size[1], "yuv420p"
        video.codec_context.time_base = Fraction(1, 1000)
        with av.open(f"testsrc2=size={size[0]}x{size[1]}:rate=1", format="lavfi") as source:
            frames = source.decode(video=0)
            for at in times:
                frame = next(frames)
                frame.pts = round(at * 1000)
                frame.time_base = Fraction(1, 1000)
                for packet in video.encode(frame):
                    out.mux(packet)
        for packet in video.encode():
            out.mux(packet)
    return path


def make_photo(
    path: Path | None = None,
    *,
    size: tuple[int, int] = (1200, 800),
    orientation: int | None = 6,
    fmt: str = "JPEG",
    mode: str = "RGB",
) -> bytes:
    """
    A photo with EXIF as a phone writes it: GPS position, make, model, owner, date, and an
    orientation tag (6: the camera was held upright, the pixels are on their side). The left
    half is red and the right half blue, so a test can tell which way it was turned.
    """
    width, height = size
    image = Image.new(mode, size, "red" if mode != "RGBA" else (255, 0, 0, 255))
    image.paste("blue" if mode != "RGBA" else (0, 0, 255, 128), (width // 2, 0, width, height))
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = "iPhone 15"  # Model
    exif[0x013B] = "Jane Doe"  # Artist
    exif[0x0132] = "2026:11:30 10:00:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (48.0, 51.0, 30.0), 3: "E", 4: (2.0, 17.0, 40.0)})
    buffer = io.BytesIO()
    image.save(buffer, fmt, exif=exif.tobytes())
    data = buffer.getvalue()
    if path is not None:
        path.write_bytes(data)
    return data


def tags_of(path: Path) -> str:
    """Every tag of a kept video (container and streams) as one text, to search for telltales."""
    with av.open(str(path)) as container:
        parts = [repr(dict(container.metadata))]
        parts += [repr(dict(stream.metadata)) for stream in container.streams]
    return " ".join(parts)
