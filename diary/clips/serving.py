"""
A clip's file as an HTTP answer: the whole file, or one byte range of it (RFC 9110), so a
phone's player can start at once and seek; never kept by a cache (`no-store`).

Django's FileResponse answers ranges with the whole file, and the Safari on every iPhone will
not play a video from a server that does that. So:
- no Range header, or one in another unit: 200 and the whole file;
- `bytes=first-last`, `bytes=first-`, `bytes=-suffix`: 206 and that part, with Content-Range;
- several ranges at once (no phone asks for them): the whole file, as RFC 9110 allows;
- a range that is malformed, ends before it starts, or starts past the end: 416 with
  `Content-Range: bytes */size`, and no body;
- If-Range with another validator than this file's ETag: the whole file.
Files never change once a clip is ready, so the ETag (clip, file, size) is strong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from diary.clips import storage
from diary.models import Clip

RANGE_SPEC = re.compile(r"\s*(\d{0,19})\s*-\s*(\d{0,19})\s*")


class Unsatisfiable(Exception):
    """The Range header asks for bytes this file does not have, or makes no sense."""


@dataclass(frozen=True)
class ByteRange:
    start: int
    length: int

    @property
    def end(self) -> int:
        return self.start + self.length - 1


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one range `header` asks for in a file of `size` bytes; None for the whole file."""
    if not header:
        return None
    unit, equals, spec = header.partition("=")
    if not equals or unit.strip().lower() != "bytes":
        return None  # a unit we do not serve: ignored, as RFC 9110 says
    if "," in spec:
        return None
    match = RANGE_SPEC.fullmatch(spec)
    if match is None or match.group(1) == match.group(2) == "":
        raise Unsatisfiable
    first, last = match.groups()
    if first == "":
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        start = max(0, size - suffix)
        return ByteRange(start, size - start)
    start = int(first)
    end = size - 1 if last == "" else int(last)
    if end < start or start >= size:
        raise Unsatisfiable
    end = min(end, size - 1)
    return ByteRange(start, end - start + 1)


def etag(clip: Clip, which: str, size: int) -> str:
    return f'"{clip.uuid.hex}-{which}-{size}"'


def download_name(clip: Clip, which: str = "clip") -> str:
    day = clip.episode.local_date
    extension = clip.extension if which == "clip" else "jpg"
    return f"twitchlog-{day:%Y-%m-%d}-{which}-{clip.uuid.hex[:8]}.{extension}"


def file_response(request: HttpRequest, clip: Clip) -> HttpResponse:
    """A ready clip's kept file (MP4 or JPEG), whole or the range asked for."""
    name, size = clip.file_name, clip.file_bytes
    tag = etag(clip, "file", size)
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if header and if_range is not None and if_range.strip() != tag:
        header = None  # the client's copy is of another file: send all of it
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return _private(response, tag)
    part = wanted or ByteRange(0, size)
    body = [] if request.method == "HEAD" else storage.read_range(name, part.start, part.length)
    status = 206 if wanted else 200
    response = StreamingHttpResponse(body, content_type=clip.content_type, status=status)
    if wanted:
        response["Content-Range"] = f"bytes {part.start}-{part.end}/{size}"
    response["Content-Length"] = str(part.length)
    response["Content-Disposition"] = content_disposition_header(False, download_name(clip))
    return _private(response, tag)


IMAGES = {"poster": "poster_name", "thumb": "thumb_name"}


def whole_image(request: HttpRequest, clip: Clip, which: str) -> HttpResponse:
    """A clip's poster frame or thumbnail (small JPEGs: always whole); 404 if it has none."""
    name = getattr(clip, IMAGES[which], "") if which in IMAGES and clip.is_ready else ""
    if not name:
        return HttpResponse(status=404)
    body = [] if request.method == "HEAD" else storage.read_all(name)
    response = StreamingHttpResponse(body, content_type="image/jpeg")
    response["Content-Disposition"] = content_disposition_header(False, download_name(clip, which))
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def _private(response: HttpResponse, tag: str) -> HttpResponse:
    response["Accept-Ranges"] = "bytes"
    response["ETag"] = tag
    response["Cache-Control"] = "private, no-store"
    # Only this site's pages may show it (a page elsewhere cannot embed a share link's video).
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
