"""
Saving a logged episode once, however often the phone sends it.

A phone that cannot reach the server keeps the entry and sends it later, maybe more than once
(a response lost in a lift looks like a failure). The Log form (LogEpisodeForm in
diary/forms/episodes.py) carries the `client_uuid` made on the phone: a repeated post returns
the episode it already created. Without JavaScript there is none, and the server makes one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext_lazy

from diary.lib.once import save_once
from diary.models import Episode, data_changed

if TYPE_CHECKING:
    from datetime import date

    from diary.forms import EpisodeForm, LogEpisodeForm

UUID_TAKEN = gettext_lazy(
    "This entry could not be saved as it is. Log it again as a new entry, or discard it."
)


class ClientUuidTaken(Exception):
    """The phone's UUID belongs to an episode this user cannot see."""


def own_episode(user, uuid: UUID) -> Episode | None:
    """The user's episode with this UUID, deleted or not (a repeat must not bring it back)."""
    return Episode.objects.for_user(user, include_deleted=True).filter(uuid=uuid).first()


def save_logged(form: LogEpisodeForm) -> tuple[Episode, bool]:
    """
    Save a valid Log form once: (episode, created). A UUID the user already logged returns that
    episode; one that belongs to someone else raises ClientUuidTaken (and reveals nothing).
    """
    uuid = form.cleaned_data.get("client_uuid")

    def winner() -> Episode:
        # The same UUID arrived twice at once and the other request saved it first; or it is
        # someone else's.
        if existing := own_episode(form.user, uuid):
            return existing
        raise ClientUuidTaken

    with transaction.atomic():
        if uuid is None:
            episode = form.save()
        else:
            # Most UUIDs are new: the insert finds out when one is not (it is unique), in a
            # savepoint, and only then is the episode that has it looked up.
            form.instance.uuid = uuid
            episode = save_once(form.save, winner)
            if episode is not form.instance:
                return episode, False
        data_changed(form.user, added=[form.new_episode(episode)])
    return episode, True


def save_edit(form: EpisodeForm, old_date: date) -> Episode:
    """Save a valid edit; the episode may move to another day, so both days are recorded."""
    with transaction.atomic():
        episode = form.save()
        data_changed(form.user, [old_date, episode.local_date])
    return episode
