"""
Twitchlog's URL map and error handlers, plus three URLs that fail on purpose: for the tests of
the 400, 403 and 500 pages (`@pytest.mark.urls("tests.urls_errors")`).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.urls import path

from twitchlog.urls import handler400, handler403, handler404, handler500, urlpatterns


@login_not_required
def bad_request(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a request no browser sends")


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


@login_not_required
def broken(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("a bug")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/500/", broken),
    *urlpatterns,
]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
