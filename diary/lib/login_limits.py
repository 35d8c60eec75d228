"""
The slower limits on wrong passwords, on top of django-axes' pause per account and address
(settings, "Doors"), so that a stranger can neither guess for long nor lock a person out.

django-axes pauses one address for one account after a few misses: a stranger on other
addresses does not pause the owner. Rotating addresses would get past that, so misses are
also counted in the shared cache per account (from every address) and per address (for every
account), each in hourly windows. Past either limit, logging in to that account pauses for
browsers that have never logged in to it. A browser that has keeps its way in: it holds a
signed cookie naming the account (by a keyed hash, not the name), set at every login, sign-up
and password reset, and is paused only by its own misses. The cookie lets nobody in: it only
keeps the door open to a password (and code) as before the attack.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core import signing
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

from diary.lib.throttle import client_ip

KNOWN_COOKIE = "twitchlog_known"
KNOWN_SALT = "twitchlog.known-browser"
KNOWN_MAX_AGE = 400 * 24 * 60 * 60  # the longest a browser keeps a cookie
KNOWN_ACCOUNTS = 5  # accounts one browser is remembered for (a shared phone)
WINDOW_SECONDS = 60 * 60


def _account(username: str) -> str:
    return salted_hmac(KNOWN_SALT, username.casefold(), algorithm="sha256").hexdigest()[:32]


def _counter(kind: str, who: str) -> str:
    window = int(time.time() // WINDOW_SECONDS)
    return f"login-misses:{kind}:{hashlib.sha256(who.encode()).hexdigest()[:32]}:{window}"


def _counters(request: HttpRequest, username: str) -> dict[str, tuple[str, int]]:
    return {
        "account": (_counter("account", _account(username)), settings.LOGIN_ACCOUNT_LIMIT),
        "address": (_counter("address", client_ip(request)), settings.LOGIN_ADDRESS_LIMIT),
    }


def known_accounts(request: HttpRequest) -> list[str]:
    try:
        value = request.get_signed_cookie(KNOWN_COOKIE, salt=KNOWN_SALT, max_age=KNOWN_MAX_AGE)
    except (KeyError, signing.BadSignature):
        return []
    return value.split(".")[:KNOWN_ACCOUNTS]


def is_known_browser(request: HttpRequest, username: str) -> bool:
    return _account(username) in known_accounts(request)


def paused_for_new_browsers(request: HttpRequest, username: str) -> bool:
    """Whether this login is paused: too many misses for the account or from the address, and
    this browser has never logged in to the account."""
    if is_known_browser(request, username):
        return False
    cache = caches["default"]
    counts = cache.get_many([key for key, _ in _counters(request, username).values()])
    return any(counts.get(key, 0) >= limit for key, limit in _counters(request, username).values())


def record_miss(sender, credentials: dict, request: HttpRequest | None = None, **kwargs) -> None:
    """A wrong password or code (Django's user_login_failed): one more for both counters."""
    username = (credentials or {}).get("username")
    if request is None or not isinstance(username, str):
        return
    cache = caches["default"]
    for key, _ in _counters(request, username).values():
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, WINDOW_SECONDS)


def remember_browser(request: HttpRequest, response: HttpResponse, username: str) -> None:
    """This browser has logged in to `username`: it keeps its way in through an attack."""
    account = _account(username)
    accounts = [account, *(a for a in known_accounts(request) if a != account)]
    response.set_signed_cookie(
        KNOWN_COOKIE,
        ".".join(accounts[:KNOWN_ACCOUNTS]),
        salt=KNOWN_SALT,
        max_age=KNOWN_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def forget_misses(username: str) -> None:
    """The account's count starts again (a new password from a reset mail)."""
    caches["default"].delete(_counter("account", _account(username)))


user_login_failed.connect(record_miss, dispatch_uid="twitchlog_login_limits")
