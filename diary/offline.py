"""
Logging that survives a lost connection.

A phone that cannot reach the server keeps the entry and sends it later, maybe more than once
(a response lost in a lift looks like a failure). So the Log form accepts two extra fields the
page's script adds: `client_uuid`, made on the phone, which makes a repeated post return the
episode it already created; and `tapped_at`, the moment of the tap, which "now", "15 min ago"
and "1 h ago" count back from instead of the moment the entry finally arrives. Without
JavaScript both are absent and the form behaves as before (the server makes the UUID).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

from diary.forms import FUTURE_TOLERANCE, EpisodeForm
from diary.models import Episode, data_changed

# How old a tap may be when its entry arrives. Older, and the phone's clock or the entry is
# suspect: the person picks the time instead.
TAP_WINDOW = timedelta(days=30)
# The "When did it start?" choices that count back from the tap.
MINUTES_BEFORE_TAP = {"now": 0, "15": 15, "60": 60}

UUID_TAKEN = "This entry could not be saved as it is. Log it again as a new entry, or discard it."


class ClientUuidTaken(Exception):
    """The phone's UUID belongs to an episode this user cannot see."""


class LogEpisodeForm(EpisodeForm):
    """The Log page's form: the episode form plus the phone's UUID and tap time."""

    client_uuid = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    tapped_at = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_client_uuid(self) -> UUID | None:
        raw = self.cleaned_data["client_uuid"].strip()
        if not raw:
            return None
        try:
            return UUID(raw)
        except ValueError:
            # A hidden field: say it where the person reads it.
            self.add_error(None, "This entry's id is not one we can read. Log it again.")
            return None

    def clean_tapped_at(self) -> datetime | None:
        raw = self.cleaned_data["tapped_at"].strip()
        if not raw:
            return None
        try:
            tapped = datetime.fromisoformat(raw)
        except ValueError:
            tapped = None
        if tapped is None or tapped.tzinfo is None:
            self.add_error("when", "The time of the tap is not one we can read. Pick the time.")
            return None
        return tapped

    def clean(self) -> dict:
        cleaned = super().clean()
        tapped, when = cleaned.get("tapped_at"), cleaned.get("when")
        if tapped is None or when not in MINUTES_BEFORE_TAP:
            return cleaned
        now = timezone.now()
        if tapped > now + FUTURE_TOLERANCE:
            self.add_error(
                "when", "This phone's clock is ahead of ours. Pick the time it started instead."
            )
        elif tapped < now - TAP_WINDOW:
            self.add_error(
                "when",
                f"This entry was saved on {tapped.astimezone(self.zone):%-d %b %Y}, more than "
                f"{TAP_WINDOW.days} days ago. Pick the time it started.",
            )
        else:
            self.instance.started_at = tapped - timedelta(minutes=MINUTES_BEFORE_TAP[when])
        return cleaned


def own_episode(user, uuid: UUID) -> Episode | None:
    """The user's episode with this UUID, deleted or not (a repeat must not bring it back)."""
    return Episode.objects.for_user(user, include_deleted=True).filter(uuid=uuid).first()


def save_logged(form: LogEpisodeForm) -> tuple[Episode, bool]:
    """
    Save a valid Log form once: (episode, created). A UUID the user already logged returns that
    episode; one that belongs to someone else raises ClientUuidTaken (and reveals nothing).
    """
    uuid = form.cleaned_data.get("client_uuid")
    with transaction.atomic():
        if uuid is None:
            episode = form.save()
        elif existing := own_episode(form.user, uuid):
            return existing, False
        else:
            form.instance.uuid = uuid
            try:
                # A savepoint: the same UUID arriving twice at once loses the race on the
                # unique constraint, and the outer transaction stays usable to find the winner.
                with transaction.atomic():
                    episode = form.save()
            except IntegrityError:
                if existing := own_episode(form.user, uuid):
                    return existing, False
                raise ClientUuidTaken from None
        data_changed(form.user, [episode.local_date])
    return episode, True
