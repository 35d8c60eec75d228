"""Saving a function check: once however often it is sent, with the change recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction

from diary.lib.once import save_once
from diary.models import FunctionCheck, data_changed

if TYPE_CHECKING:
    from diary.forms import FunctionCheckForm


def save_check(form: FunctionCheckForm, *, adding: bool) -> FunctionCheck | None:
    """
    Save a valid check form. A new check sent twice at once is answered with the one saved; an
    edit that lost its date to a concurrent check gets the usual "already have one" message on
    the form and returns None.
    """
    with transaction.atomic():
        saved = save_once(form.save, form.twin if adding else form.date_taken)
        data_changed(form.user)
    return saved
