"""Deleting an account and everything in it."""

from __future__ import annotations

from django.db import transaction

from diary.clips.removal import files_go_with
from diary.lib.sessions import end_all_sessions
from diary.models import Clip, Episode, data_changed


def delete_account(user) -> None:
    """
    Remove the user and every row of theirs: profile, episodes (deleted ones too), own
    triggers, function checks, clips and their files, and their sessions on every device. The
    database cascades from the user row; the files (removed once this commits) and the
    sessions are not linked to it, so they are ended here.
    """
    with transaction.atomic():
        episodes = Episode.objects.for_user(user, include_deleted=True)
        dates = set(episodes.values_list("local_date", flat=True))
        data_changed(user, sorted(dates))
        end_all_sessions(user)
        files_go_with(Clip.objects.owned_by(user))
        user.delete()
