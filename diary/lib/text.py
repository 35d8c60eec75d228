"""Short words for values people read at a glance in lists and the PDF."""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import pgettext


def duration_words(value: timedelta | None) -> str:
    """'5 s', '2 min', '1 h 30 min' — compact, for lists on a phone (active language)."""
    if value is None:
        return ""
    seconds = round(value.total_seconds())
    if seconds < 60:
        return pgettext("a short duration", "%(seconds)d s") % {"seconds": seconds}
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        if seconds:
            return pgettext("a short duration", "%(minutes)d min %(seconds)d s") % {
                "minutes": minutes,
                "seconds": seconds,
            }
        return pgettext("a short duration", "%(minutes)d min") % {"minutes": minutes}
    hours, minutes = divmod(minutes, 60)
    if minutes:
        return pgettext("a short duration", "%(hours)d h %(minutes)d min") % {
            "hours": hours,
            "minutes": minutes,
        }
    return pgettext("a short duration", "%(hours)d h") % {"hours": hours}
