"""
The half-done login between the right password and the second step, kept in the (not yet
logged-in) session: whose it is, which backend checked the password, where to go after, and
since when. It lasts a few minutes; logging in replaces the session, so it cannot be reused.

A code sent twice at once (a double tap) can reach the server after its twin has logged in
and replaced the session both requests name. That twin's login is noted in the shared cache
for a minute, under a hash of the old session's key, so the late request is answered with the
same redirect, and leaves the browser's new (logged-in) session cookie alone.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.http import HttpRequest

KEY = "twostep_pending"
LASTS_SECONDS = 5 * 60
TWIN_SECONDS = 60


def begin(request: HttpRequest, user, next_url: str) -> None:
    request.session[KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "since": time.time(),
    }


def get(request: HttpRequest) -> dict | None:
    """The pending login, if there is one and it is recent; an old one is dropped."""
    state = request.session.get(KEY)
    if not isinstance(state, dict):
        return None
    if time.time() - state.get("since", 0) > LASTS_SECONDS:
        clear(request)
        return None
    return state


def user_of(state: dict):
    return get_user_model().objects.filter(pk=state["user"], is_active=True).first()


def clear(request: HttpRequest) -> None:
    request.session.pop(KEY, None)


def _finished_key(session_key: str) -> str:
    return "twostep-finished:" + hashlib.sha256(session_key.encode()).hexdigest()


def finish(request: HttpRequest, next_url: str) -> None:
    """Note that this half-done login ends in a login going to `next_url` (call before login())."""
    if request.session.session_key:
        caches["default"].set(_finished_key(request.session.session_key), next_url, TWIN_SECONDS)


def finished_by_twin(request: HttpRequest) -> str | None:
    """Where the login that replaced this request's session went, if it ended a minute ago."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if not session_key or len(session_key) > 64:
        return None
    return caches["default"].get(_finished_key(session_key))
