"""
Who is knocking, and how often: the client address behind our proxies, and the rate limits on
the public forms (sign-up, password reset) kept in the shared cache by django-ratelimit.

Login lockout is django-axes (see settings, "Doors"); it takes the address from here too, so
both count the same client.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited


def client_ip(request: HttpRequest) -> str:
    """
    The client's address. Behind TRUSTED_PROXY_COUNT proxies, the one the outermost proxy saw:
    entries further left in X-Forwarded-For are whatever the client chose to send.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def _posted_email(group: str, request: HttpRequest) -> str:
    return request.POST.get("email", "").strip().lower()


def too_many(request: HttpRequest, group: str, rate: str, *, per_email: bool = False) -> bool:
    """Count this POST against `rate` ("10/h") per client address (or per posted e-mail)."""
    return is_ratelimited(
        request,
        group=group,
        key=_posted_email if per_email else "ip",
        rate=rate,
        method="POST",
        increment=True,
    )
