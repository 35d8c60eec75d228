"""Saving the answers "About your twitching", with the change recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from diary.models import Profile, data_changed

if TYPE_CHECKING:
    from diary.forms.about import AboutForm


def save_about(form: AboutForm) -> Profile:
    """Save a valid About form: one row per person, so saving twice is the same as once."""
    with transaction.atomic():
        profile = form.save()
        data_changed(profile.user)
    return profile
