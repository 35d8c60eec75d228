"""Ending a user's sessions on every device (account deleted, two-step login turned on)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_all_sessions(user, *, keep: str | None = None) -> int:
    """
    Delete every stored session logged in as `user`, but the one whose key is `keep` (this
    device's); returns how many.

    The database session store keeps the user id only inside the encoded data, so each live
    session is decoded; expired ones log nobody in and are left to `clearsessions`.
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if session.pk != keep and str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
