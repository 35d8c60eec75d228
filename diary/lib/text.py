"""Short words for values people read at a glance in lists and the PDF."""

from __future__ import annotations

from datetime import timedelta


def duration_words(value: timedelta | None) -> str:
    """'5 s', '2 min', '1 h 30 min' — compact, for lists on a phone."""
    if value is None:
        return ""
    seconds = round(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"
