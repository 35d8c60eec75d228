"""Ending a person's sessions on every device, e.g. when their account is deleted."""

from __future__ import annotations

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session


def end_all_sessions(user) -> int:
    """
    Delete every stored session of `user` (database sessions, the default engine); the number
    deleted. Each session's data is decoded to find its owner: sessions are not indexed by user,
    and a personal diary has few enough of them for that.
    """
    mine = [
        session.pk
        for session in Session.objects.iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    deleted, _ = Session.objects.filter(pk__in=mine).delete()
    return deleted
