"""Helpers shared by Twitchlog's views: the request type, htmx partials, safe `next`, downloads."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def is_partial(request: HttpRequest) -> bool:
    """
    An htmx request that wants a fragment. A boosted request, and htmx restoring a page from
    history after a cache miss (the Back button), want the whole page.
    """
    htmx = request.htmx
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def safe_next(request: HttpRequest, default: str) -> str:
    """
    The `next` page to go back to: a path on this site, else `default`. A bare word is not a
    path: redirect() would look it up as a view name and fail (NoReverseMatch, a 500).
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


def attachment(
    content: bytes | str | Iterable[bytes], *, content_type: str, filename: str
) -> HttpResponse | StreamingHttpResponse:
    """
    A download (the PDF, the exports): saved under `filename`, never kept by a shared or a
    browser cache (a diary is private). An iterable of chunks is streamed.
    """
    headers = {
        "Content-Disposition": content_disposition_header(True, filename),
        "Cache-Control": "no-store",
    }
    if isinstance(content, bytes | str):
        return HttpResponse(content, content_type=content_type, headers=headers)
    return StreamingHttpResponse(content, content_type=content_type, headers=headers)


def pdf_unavailable(request: HttpRequest, *, frame: str, shared: bool = False) -> HttpResponse:
    """The PDF renderer stopped or took too long: a calm page whose link makes the PDF again."""
    context = {"frame": frame, "shared": shared, "retry": request.get_full_path()}
    return TemplateResponse(
        request, "diary/pdf_unavailable.html", context, status=503, headers={"Retry-After": "5"}
    )
