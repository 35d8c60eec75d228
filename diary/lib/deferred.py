"""
Work that must wait until the response has gone out: `after_response(task)` runs `task` when
Django signals `request_finished`, which the WSGI server sends once it has written the whole
response (and the test client sends when a request completes).

Used for password-reset mail: looking the account up, rendering and sending the mail after
the response means the reply is the same, in content and in time, whether an account has that
address or not, and a slow mail server never holds up the page. A task runs in the language
that was active when it was queued (a mail speaks the language of the page that sent it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from django.core.signals import request_finished, request_started
from django.dispatch import receiver
from django.utils import translation

logger = logging.getLogger(__name__)
# Per thread: a server thread handles one request at a time, from request_started to
# request_finished.
_pending = threading.local()


def after_response(task: Callable[[], None]) -> None:
    """Run `task` once the current response has been sent; errors are logged, not raised."""
    language = translation.get_language()

    def in_language() -> None:
        with translation.override(language):
            task()

    _pending.__dict__.setdefault("tasks", []).append(in_language)


@receiver(request_finished, dispatch_uid="diary_deferred_run")
def run_pending(**kwargs) -> None:
    for task in _pending.__dict__.pop("tasks", []):
        try:
            task()
        except Exception:
            logger.exception("A task run after the response failed")


@receiver(request_started, dispatch_uid="diary_deferred_drop")
def drop_stale(**kwargs) -> None:
    """A request that died before finishing must not hand its tasks to the next one."""
    _pending.__dict__.pop("tasks", None)
