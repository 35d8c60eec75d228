"""The Log page's check-in card: which day it asks about, and what it shows."""

from __future__ import annotations

from datetime import timedelta

from diary.forms.checkins import DayLogForm
from diary.lib.clock import local_today
from diary.models import DayLog


def card_context(
    user, next_url: str, *, saved: DayLog | None = None, form: DayLogForm | None = None
) -> dict:
    """
    The card asks about yesterday first when neither yesterday nor today has a check-in
    (a day is easiest to remember the morning after); otherwise about today.
    """
    today = local_today(user)
    yesterday = today - timedelta(days=1)
    logs = {d.date: d for d in DayLog.objects.for_user(user).on_dates(yesterday, today)}
    day = yesterday if not logs else today
    if form is None or form.is_valid():
        form = DayLogForm(instance=logs.get(day), compact=True)
    else:
        day = form.day
    return {
        "card_form": form,
        "card_day": day,
        "card_is_yesterday": day == yesterday,
        "card_saved": saved,
        "card_today": today,
        "card_next": next_url,
    }
