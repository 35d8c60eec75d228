"""Ending a user's sessions, on every device (used when the account is deleted)."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone


def end_all_sessions(user) -> int:
    """
    Delete every stored session logged in as `user`; returns how many.

    The database session store keeps the user id only inside the encoded data, so each live
    session is decoded; expired ones log nobody in and are left to `clearsessions`.
    """
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator(chunk_size=500):
        if str(session.get_decoded().get(SESSION_KEY)) == str(user.pk):
            ended.append(session.pk)
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)
