"""
How a clip upload arrives: streamed to a temporary file on disk (never held in memory), and
stopped as soon as it is bigger than the limit, before anything else reads the request.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from diary.clips.limits import max_upload_bytes
from diary.lib.uploads import SizeLimitHandler


class ClipSizeLimitHandler(SizeLimitHandler):
    """
    Goes before Django's temporary-file handler; a clip past the limit sets
    `request.clip_too_large`.
    """

    flag = "clip_too_large"

    def limit(self) -> int:
        return max_upload_bytes()


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
