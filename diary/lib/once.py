"""
Saving once, and answering once, when a form is sent twice at once (a double tap, a retried
request).

Saving once: two identical POSTs can both pass a form's "already exists?" check and then both
insert; the database's unique constraint lets one win. The loser's insert runs in a savepoint,
so its failure leaves the surrounding transaction usable, and the winner's row is read back and
answered with, as if this request had saved it.

Answering once: a twin that arrives after the first has saved would otherwise be judged on its
own against the new state ("you already have a trigger with that name", a 404 for the trigger
the first just deleted). Forms that change something carry a token, new each time the form is
shown (`{% once_field %}`); the first request with a token claims it in the shared cache, and
every twin with the same token waits for the first's answer and gets the same one: the same
redirect and the same message (shown once). A form shown again (Back, reload) has a new token,
so sending it again on purpose is a new request.
"""

from __future__ import annotations

import re
import secrets
import time
from collections.abc import Callable
from functools import wraps
from importlib import import_module

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect


def save_once[T](save: Callable[[], T], existing: Callable[[], T]) -> T:
    """`save()`, or `existing()` if a concurrent request saved the same row first."""
    try:
        with transaction.atomic():
            return save()
    except IntegrityError:
        return existing()


ONCE_FIELD = "once"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
_PENDING, _NO_REPLAY = "pending", "answer-anew"
# How long a twin waits for the first's answer, and how long that answer is kept for twins.
TWIN_WAIT_SECONDS = 15
REMEMBER_SECONDS = 600


def new_token() -> str:
    return secrets.token_urlsafe(18)


def answered_once[V: Callable[..., HttpResponse]](view: V) -> V:
    """
    A view whose POSTs carrying the same form token are answered alike (see the module's
    docstring). Only a redirect is replayed: a page with errors is computed again for a twin,
    which sees what the first changed.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        token = request.POST.get(ONCE_FIELD, "") if request.method == "POST" else ""
        if not _TOKEN.fullmatch(token) or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        cache = caches["default"]
        key = f"answered-once:{request.user.pk}:{token}"
        if not cache.add(key, _PENDING, REMEMBER_SECONDS):
            answer = _wait_for_first(cache, key)
            if isinstance(answer, dict):
                return _replay(request, answer)
            return view(request, *args, **kwargs)
        before = _messages(request)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if isinstance(response, HttpResponseRedirect):
            added = _messages(request)[len(before) :]
            cache.set(key, {"location": response["Location"], "messages": added}, REMEMBER_SECONDS)
        else:
            cache.set(key, _NO_REPLAY, REMEMBER_SECONDS)
        return response

    return wrapper  # type: ignore[return-value]


def _messages(request: HttpRequest) -> list[tuple[int, str, str]]:
    """The messages waiting to be shown, without using them up (Django's documented way)."""
    storage = messages.get_messages(request)
    waiting = [(m.level, str(m.message), m.extra_tags or "") for m in storage]
    storage.used = False
    return waiting


def _wait_for_first(cache, key: str) -> dict | str | None:
    deadline = time.monotonic() + TWIN_WAIT_SECONDS
    answer = cache.get(key)
    while answer == _PENDING and time.monotonic() < deadline:
        time.sleep(0.05)
        answer = cache.get(key)
    return answer


def _replay(request: HttpRequest, answer: dict) -> HttpResponse:
    """
    The first's redirect and messages. The session is read again first: it was read when this
    request began, before the first saved its messages into it, and saving that old copy back
    would drop them (or, read after, show them twice).
    """
    engine = import_module(settings.SESSION_ENGINE)
    request.session = engine.SessionStore(request.session.session_key)
    shown = {(level, text) for level, text, _ in _messages(request)}
    for level, text, tags in answer["messages"]:
        if (level, text) not in shown:
            messages.add_message(request, level, text, extra_tags=tags)
    return HttpResponseRedirect(answer["location"])
