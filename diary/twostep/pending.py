"""
The half-done login between the right password and the second step, kept in the (not yet
logged-in) session: whose it is, which backend checked the password, where to go after, and
since when. It lasts a few minutes; logging in replaces the session, so it cannot be reused.
"""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django.http import HttpRequest

KEY = "twostep_pending"
LASTS_SECONDS = 5 * 60


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
