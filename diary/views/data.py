"""
Own your data: the JSON and CSV exports, the two-step import and deleting the account.

The logic lives in diary/data/ (export, importer, account); these views only read the request
and pick a response.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from diary.data import export
from diary.views.base import AuthenticatedHttpRequest
from diary.views.report import local_today


def _download(chunks: Iterator[bytes], content_type: str, name: str) -> StreamingHttpResponse:
    return StreamingHttpResponse(
        chunks,
        content_type=content_type,
        headers={
            "Content-Disposition": content_disposition_header(True, name),
            # A diary is private: no shared cache or browser cache keeps a copy.
            "Cache-Control": "no-store",
        },
    )


@require_GET
def export_json(request: AuthenticatedHttpRequest) -> HttpResponse:
    name = export.filename("json", local_today(request.user))
    return _download(export.iter_json(request.user), "application/json", name)


@require_GET
def export_csv(request: AuthenticatedHttpRequest) -> HttpResponse:
    name = export.filename("csv", local_today(request.user))
    return _download(export.iter_csv(request.user), "text/csv; charset=utf-8", name)
