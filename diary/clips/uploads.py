"""
How a clip upload arrives: streamed to a temporary file on disk (never held in memory), and
stopped as soon as it is bigger than the limit, before anything else reads the request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.files.uploadhandler import (
    FileUploadHandler,
    StopUpload,
    TemporaryFileUploadHandler,
)
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from diary.clips.limits import max_upload_bytes

# Room for the form's other fields around the file.
FORM_ROOM = 64 * 1024


class ClipSizeLimitHandler(FileUploadHandler):
    """
    Runs before Django's temporary-file handler: past the limit it stops the upload (nothing
    more is written) and marks the request (`clip_too_large`), so the view can say why.
    """

    def __init__(self, request=None) -> None:
        super().__init__(request)
        self.received = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.content_length = content_length

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if (getattr(self, "content_length", 0) or 0) > max_upload_bytes() + FORM_ROOM:
            self._stop()

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            self._stop()
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None

    def _stop(self) -> None:
        self.request.clip_too_large = True
        raise StopUpload(connection_reset=False)


def streamed_upload(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """
    A view that takes a clip: its upload goes through the size limit to a temporary file. The
    handlers must be in place before anything reads the body, and the CSRF check reads it: so
    they go in first and CSRF is checked right after (Django's documented way).
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.upload_handlers = [
            ClipSizeLimitHandler(request),
            TemporaryFileUploadHandler(request),
        ]
        return protected(request, *args, **kwargs)

    return wrapper
