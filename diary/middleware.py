"""Middleware of Twitchlog's own."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware as DjangoGZipMiddleware
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from diary.lib import languages

# Content types that are compressed already (see GZipMiddleware below).
INCOMPRESSIBLE = ("video/", "image/", "audio/", "application/zip")


class HtmxLoginRedirectMiddleware:
    """
    Turn a login redirect for an htmx request into `HX-Redirect`.

    Without this, htmx follows the 302 itself and swaps the login page into a fragment of the
    page (a login form inside today's list). Sits above LoginRequiredMiddleware to see its
    redirects.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            getattr(request, "htmx", False)
            and response.status_code == 302
            and response["Location"].startswith(resolve_url(settings.LOGIN_URL))
        ):
            location = response["Location"]
            page = request.htmx.current_url_abs_path
            if page:
                # Come back to the page the person was on, not to the fragment or POST-only
                # URL htmx called (a GET of /episodes/<uuid>/delete/ after login is a 405).
                location = redirect_to_login(page, settings.LOGIN_URL).url
            return HttpResponseClientRedirect(location)
        return response


class UserTimezoneMiddleware:
    """
    Show dates and times in the logged-in person's zone (their profile), not the server's.

    Also makes sure the profile exists: accounts made outside sign-up (fixtures, raw saves)
    get one on their first request instead of a 500 on every page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        from diary.models import Profile

        try:
            profile = request.user.profile
        except Profile.DoesNotExist:
            profile, _ = Profile.objects.get_or_create(user=request.user)
            request.user.profile = profile
        with timezone.override(profile.zone):
            return self.get_response(request)


class UserLanguageMiddleware:
    """
    Speak the logged-in person's language (their profile), whatever the browser asks for.

    Below UserTimezoneMiddleware, which makes sure the profile exists. The language cookie is
    set to it too, so the login page after logging out speaks the same language. A profile
    without a language (accounts from before languages) keeps the browser's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        language = request.user.profile.language
        if not languages.supported(language):
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            set_language_cookie(response, language)
        return response


def set_language_cookie(response: HttpResponse, language: str) -> None:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class ReportingEndpointsMiddleware:
    """
    Name the endpoint that the CSP's `report-to csp` sends violation reports to.

    The Reporting API wants an absolute URL; it is built from the request, so it follows
    whichever host the app is served on.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" in response:
            endpoint = request.build_absolute_uri(settings.CSP_REPORT_PATH)
            response.headers.setdefault("Reporting-Endpoints", f'csp="{endpoint}"')
        return response


class PrivacyHeadersMiddleware:
    """
    Headers that keep a person's diary out of caches and search engines.

    - `Cache-Control: no-store` (with `private`) on every response to a logged-in person: every
      page, fragment, export and PDF carries their health data, and neither a shared proxy nor
      the browser's disk should keep a copy. A response that says no-store already is left
      as it is.
    - `Vary: HX-Request`: an htmx request to a URL gets a fragment, a plain one the whole page;
      a cache must never hand one out for the other.
    - `X-Robots-Tag: noindex, nofollow` on everything but the login page (the one page a search
      engine may show); see also /robots.txt.

    Static files never reach this (WhiteNoise answers them further up, with long caching).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        patch_vary_headers(response, ["HX-Request"])
        if request.path != reverse("login"):
            response.headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        return response


class GZipMiddleware(DjangoGZipMiddleware):
    """
    Django's GZipMiddleware (with its BREACH padding) for pages, but not for what is compressed
    already: videos, photos and ZIP files gain nothing, and a compressed answer to a Range
    request (a phone seeking in a video) would no longer be the bytes it asked for.
    """

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        content_type = response.get("Content-Type", "")
        if content_type.startswith(INCOMPRESSIBLE) or response.has_header("Content-Range"):
            return response
        return super().process_response(request, response)
