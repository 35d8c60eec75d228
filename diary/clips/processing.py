"""
Turning an upload into what Twitchlog keeps: small, widely playable, and without metadata.

- A video becomes an H.264 (High profile, CRF 28, at most ~1 Mbit/s) and AAC (64 kbit/s)
  MP4 of at most 1280×720 (either way up) and 30 frames a second, with its index at the
  front ("faststart") so a phone starts playing before the whole file has arrived. The phone's
  rotation is applied to the pictures, since the rotation tag goes with the rest of the
  metadata. A poster frame (JPEG, from half a second in) and a thumbnail go with it.
- A photo becomes a JPEG of at most 2048 pixels on its long side, turned the way the camera's
  orientation tag says first, converted to sRGB, and a thumbnail.

The files are written fresh (a new MP4 container, a new JPEG): no GPS position, device make or
model, owner, date or any other tag of the upload is carried over. Decoding stops at the length
limit whatever the container claimed, and a file that ends early is refused as damaged.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import av.filter
from PIL import Image, ImageCms, ImageOps

from diary.clips.limits import SECONDS_TOLERANCE, Refused, max_seconds, too_long_message
from diary.clips.probe import DAMAGED, NO_PICTURE, TOO_MANY_PIXELS, Probe

VIDEO_LONG_SIDE, VIDEO_SHORT_SIDE = 1280, 720
MAX_FPS = 30
X264_OPTIONS = {"crf": "28", "preset": "veryfast", "maxrate": "1000k", "bufsize": "2000k"}
KEYFRAME_EVERY = 60  # frames: a phone seeks to a key frame, so one every two seconds
AUDIO_RATE, AUDIO_BITRATE = 48000, 64_000
# The encoder's clock: fine enough for any frame rate a phone records.
TIME_BASE = Fraction(1, 90000)
POSTER_AT = 0.5  # seconds in: past a first frame that is often dark or blurred
PHOTO_LONG_SIDE = 2048
THUMB_SIDE = 160
JPEG_QUALITY = 82
# A decoder gives up past this many packets (31 s of 240 fps video with its audio).
MAX_PACKETS = 20_000


@dataclass(frozen=True)
class Prepared:
    """The files made for a clip, in a work folder, and what the page needs to show them."""

    file: Path
    thumb: Path
    poster: Path | None
    width: int
    height: int
    duration: float | None = None


def prepare(source: Path, probe: Probe, workdir: Path) -> Prepared:
    if probe.kind == "video":
        return prepare_video(source, probe, workdir)
    return prepare_photo(source, probe, workdir)


# --- video ---


def fit(width: int, height: int) -> tuple[int, int]:
    """The size within 1280×720 (or 720×1280), same shape, never larger, even numbers."""
    long_side, short_side = max(width, height), min(width, height)
    scale = min(1.0, VIDEO_LONG_SIDE / long_side, VIDEO_SHORT_SIDE / short_side)
    return (max(2, round(width * scale / 2) * 2), max(2, round(height * scale / 2) * 2))


def turn(rotation: float) -> int:
    """Clockwise degrees (0, 90, 180, 270) that show a frame upright, from its rotation tag."""
    return round(-rotation / 90) * 90 % 360


class _Video:
    """The picture's way through: rotation, scaling and frame dropping, then the encoder."""

    def __init__(self, output, in_stream, first_frame) -> None:
        clockwise = turn(first_frame.rotation or 0)
        width, height = first_frame.width, first_frame.height
        if clockwise in (90, 270):
            width, height = height, width
        self.width, self.height = fit(width, height)
        self.graph = av.filter.Graph()
        nodes = [
            self.graph.add_buffer(
                width=first_frame.width,
                height=first_frame.height,
                format=first_frame.format.name,
                time_base=in_stream.time_base or Fraction(1, 90000),
            )
        ]
        if clockwise == 90:
            nodes.append(self.graph.add("transpose", "clock"))
        elif clockwise == 270:
            nodes.append(self.graph.add("transpose", "cclock"))
        elif clockwise == 180:
            nodes += [self.graph.add("hflip"), self.graph.add("vflip")]
        nodes.append(self.graph.add("scale", f"{self.width}:{self.height}:flags=bicubic"))
        nodes.append(self.graph.add("format", "yuv420p"))
        nodes.append(self.graph.add("buffersink"))
        self.graph.link_nodes(*nodes).configure()

        self.stream = output.add_stream("libx264", rate=MAX_FPS)
        context = self.stream.codec_context
        context.width, context.height, context.pix_fmt = self.width, self.height, "yuv420p"
        context.time_base = TIME_BASE
        context.gop_size = KEYFRAME_EVERY
        context.profile = "High"
        context.options = dict(X264_OPTIONS)
        self.output = output
        self.last_kept: float | None = None
        self.poster = None

    def add(self, frame, seconds: float) -> None:
        # A phone's 60 fps video is kept at 30: drop a frame that comes too soon after the last.
        if self.last_kept is not None and seconds - self.last_kept < 1 / MAX_FPS - 0.002:
            return
        self.last_kept = seconds
        self.graph.push(frame)
        while True:
            try:
                shaped = self.graph.pull()
            except (av.error.BlockingIOError, av.error.EOFError):
                break
            if self.poster is None or seconds <= POSTER_AT:
                self.poster = shaped.to_image()
            shaped.pts = round(seconds / TIME_BASE)
            shaped.time_base = TIME_BASE
            for packet in self.stream.encode(shaped):
                self.output.mux(packet)

    def finish(self) -> None:
        for packet in self.stream.encode():
            self.output.mux(packet)


class _Audio:
    """The sound's way through: resampled to 48 kHz mono or stereo, AAC at 64 kbit/s."""

    def __init__(self, output, in_stream) -> None:
        channels = in_stream.codec_context.channels or 1
        layout = "stereo" if channels >= 2 else "mono"
        self.stream = output.add_stream("aac", rate=AUDIO_RATE, layout=layout)
        self.stream.codec_context.bit_rate = AUDIO_BITRATE
        self.resampler = av.AudioResampler(
            format="fltp", layout=layout, rate=AUDIO_RATE, frame_size=1024
        )
        self.output = output
        self.next_pts: int | None = None

    def add(self, frame, seconds: float) -> None:
        if seconds < 0:
            return  # sound from before the first picture
        frame.pts = None
        for shaped in self.resampler.resample(frame):
            self._encode(shaped, seconds)

    def _encode(self, shaped, seconds: float) -> None:
        if self.next_pts is None:
            self.next_pts = round(seconds * AUDIO_RATE)
        shaped.pts = self.next_pts
        shaped.time_base = Fraction(1, AUDIO_RATE)
        self.next_pts += shaped.samples
        for packet in self.stream.encode(shaped):
            self.output.mux(packet)

    def finish(self) -> None:
        for shaped in self.resampler.resample(None):
            self._encode(shaped, 0)
        for packet in self.stream.encode():
            self.output.mux(packet)


def prepare_video(source: Path, probe: Probe, workdir: Path) -> Prepared:
    target = workdir / "clip.mp4"
    limit = max_seconds() + SECONDS_TOLERANCE
    try:
        container = av.open(str(source), format=probe.format)
    except (av.error.FFmpegError, OSError) as error:
        raise Refused(DAMAGED) from error
    faststart = {"movflags": "+faststart"}
    with container, av.open(str(target), "w", format="mp4", options=faststart) as output:
        if not container.streams.video:
            raise Refused(NO_PICTURE)
        in_video = container.streams.video[0]
        in_video.thread_type = "AUTO"
        in_audio = container.streams.audio[0] if container.streams.audio else None
        video: _Video | None = None
        audio: _Audio | None = None
        start: float | None = None
        last = 0.0
        streams = [in_video] + ([in_audio] if in_audio is not None else [])
        try:
            for count, packet in enumerate(container.demux(*streams)):
                if count > MAX_PACKETS:
                    raise Refused(too_long_message())
                for frame in packet.decode():
                    if frame.time is None:
                        continue
                    if packet.stream is in_video:
                        if video is None:
                            if frame.width * frame.height > probe.width * probe.height * 4:
                                raise Refused(TOO_MANY_PIXELS)
                            start = frame.time
                            video = _Video(output, in_video, frame)
                            if in_audio is not None:
                                audio = _Audio(output, in_audio)
                        seconds = frame.time - start
                        if seconds > limit:
                            raise Refused(too_long_message())
                        last = max(last, seconds)
                        video.add(frame, seconds)
                    elif audio is not None and start is not None and frame.time - start <= limit:
                        audio.add(frame, frame.time - start)
            if video is None:
                raise Refused(DAMAGED)
            video.finish()
            if audio is not None:
                audio.finish()
        except av.error.FFmpegError as error:
            raise Refused(DAMAGED) from error
    # A file that stops well before the length its header gives was cut off on the way.
    if probe.duration and last + 1 < probe.duration * 0.8:
        raise Refused(DAMAGED)
    poster, thumb = workdir / "poster.jpg", workdir / "thumb.jpg"
    save_jpeg(video.poster, poster)
    save_jpeg(thumbnail(video.poster), thumb)
    duration = round(last + (1 / MAX_FPS), 2)
    return Prepared(target, thumb, poster, video.width, video.height, duration=duration)


# --- photo ---


def save_jpeg(image: Image.Image, target: Path, quality: int = JPEG_QUALITY) -> None:
    """A baseline-compatible progressive JPEG with no EXIF, XMP, comment or ICC profile."""
    image.convert("RGB").save(target, "JPEG", quality=quality, optimize=True, progressive=True)


def thumbnail(image: Image.Image) -> Image.Image:
    small = image.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return small


def to_srgb(image: Image.Image) -> Image.Image:
    """Colours as the camera's profile meant them, in sRGB (the profile itself is not kept)."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(image, source, srgb, outputMode=image.mode) or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def flatten(image: Image.Image) -> Image.Image:
    """Transparent parts on white, since JPEG has no transparency."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def prepare_photo(source: Path, probe: Probe, workdir: Path) -> Prepared:
    target, thumb = workdir / "photo.jpg", workdir / "thumb.jpg"
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(source, formats=[probe.format, "MPO"]) as image:
                if image.format in ("JPEG", "MPO"):
                    # Decode at 1/2, 1/4 or 1/8 when that is still big enough: far less memory.
                    image.draft("RGB", (PHOTO_LONG_SIDE, PHOTO_LONG_SIDE))
                image.load()
                upright = ImageOps.exif_transpose(image)
                colours = to_srgb(upright)
                picture = flatten(colours)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
            raise Refused(TOO_MANY_PIXELS) from error
        except (OSError, ValueError, SyntaxError) as error:
            raise Refused(DAMAGED) from error
    picture.thumbnail((PHOTO_LONG_SIDE, PHOTO_LONG_SIDE), Image.Resampling.LANCZOS)
    save_jpeg(picture, target)
    save_jpeg(thumbnail(picture), thumb)
    return Prepared(target, thumb, None, picture.width, picture.height)
