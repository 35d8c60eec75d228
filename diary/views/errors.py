"""
The pages Twitchlog answers with when something goes wrong (DEBUG off): 400, 403, 404, 500 and
the CSRF failure. Each says in a plain sentence what happened, whether anything was saved, and
links the way back.

404, 403 and the CSRF page use the app's own layout (its tab bar when logged in). The 400 and
500 pages use a lean frame that needs nothing from the request, the session or the database:
whatever failed may be one of them. A 500 whose own page cannot be drawn still answers with a
small page of fixed text (in English: nothing else can be relied on then).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
)
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render, resolve_url
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.csrf import requires_csrf_token

# The 500 page if even its template fails (a missing static file, a broken template engine):
# fixed text, the same calm words, readable on a phone and in dark mode without a stylesheet.
SERVER_ERROR_FALLBACK = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Something went wrong · Twitchlog</title></head>
<body><main><h1>Something went wrong on our side</h1>
<p>It was not something you did. If you were saving something, it may not have been saved:
look at your Log page before entering it again.</p>
<p><a href="/">Back to the Log page</a></p></main></body></html>
"""


def referer_path(request: HttpRequest) -> str:
    """The path (and query) of the page of this site the request came from, or ""."""
    referer = request.headers.get("referer", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, {request.get_host()}, request.is_secure()
    ):
        return ""
    parts = urlsplit(referer)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def page_before(request: HttpRequest) -> str:
    """The page the person came from, if not this one: a way back that needs no JavaScript."""
    path = referer_path(request)
    return "" if urlsplit(path).path == request.path else path


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {"before": page_before(request)}
    return render(request, "errors/404.html", context, status=404)


@requires_csrf_token
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    context = {"before": page_before(request)}
    return render(request, "errors/403.html", context, status=403)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """
    A form sent with a security token that no longer matches: open for long while the person
    logged in again elsewhere, cookies cleared, or cookies blocked. Nothing was saved. Going
    back finds the form as it was, and sending it again goes through: rendering this page
    sets a fresh token cookie, and app.js sends the cookie's token with every form.
    """
    match = request.resolver_match  # the CSRF check runs once the URL has been resolved
    public = match is not None and getattr(match.func, "login_required", True) is False
    logged_out = not request.user.is_authenticated and not public
    login = resolve_url(settings.LOGIN_URL)
    form_page = referer_path(request)
    if form_page and logged_out:
        login += "?" + urlencode({REDIRECT_FIELD_NAME: form_page})
    context = {
        "logged_out": logged_out,
        "login_url": login,
        "no_cookie": reason == REASON_NO_CSRF_COOKIE,
    }
    return render(request, "errors/403_csrf.html", context, status=403)


def lean_context() -> dict[str, str]:
    """Links for the lean pages and their language, without touching the request."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        return {"home": reverse("log"), "language": language}
    except Exception:  # the URL map itself may be what failed
        return {"home": "/", "language": language}


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponseBadRequest(render_to_string("errors/400.html", lean_context()))


def server_error(request: HttpRequest) -> HttpResponse:
    try:
        body = render_to_string("errors/500.html", lean_context())
    except Exception:
        body = SERVER_ERROR_FALLBACK
    return HttpResponseServerError(body)
