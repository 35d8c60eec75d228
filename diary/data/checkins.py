"""
The daily check-ins in the JSON export and back: plain JSON values, unanswered questions as
null (never false), and the same checks the model makes when a file is read.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from diary.models import DayLog
from diary.models.checkins import EXPORT_FIELDS, QUESTIONS


def daylog_to_dict(day_log: DayLog) -> dict:
    """A check-in as plain JSON values; unanswered questions are null, never false."""
    return {
        "date": day_log.date.isoformat(),
        **{name: getattr(day_log, name) for name in QUESTIONS},
        "medicine": day_log.medicine,
        "note": day_log.note,
    }


def daylog_from_dict(user, data: dict) -> DayLog:
    """
    An unsaved check-in for `user` from a daylog_to_dict() dict, validated against the model's
    choices and limits. Raises ValidationError with a message per field; missing answers are
    unknown (null).
    """
    if not isinstance(data, dict):
        raise ValidationError(_("A check-in must be an object."))
    unknown = set(data) - set(EXPORT_FIELDS)
    if unknown:
        raise ValidationError(
            _("Unknown check-in fields: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    errors: dict[str, str] = {}
    try:
        day = date.fromisoformat(data["date"])
    except (KeyError, TypeError, ValueError):
        errors["date"] = _("Give the date as YYYY-MM-DD.")
        day = None
    values: dict = {}
    for name in QUESTIONS:
        value = data.get(name)
        if value is not None and not QUESTIONS[name].is_answer(value):
            errors[name] = _("%(value)s is not an answer to “%(question)s”.") % {
                "value": repr(value),
                "question": QUESTIONS[name].text,
            }
        values[name] = value
    for name in ("medicine", "note"):
        value = data.get(name, "")
        if not isinstance(value, str):
            errors[name] = _("Must be text.")
        values[name] = value
    if errors:
        raise ValidationError(errors)
    day_log = DayLog(user=user, date=day, **values)
    day_log.full_clean(exclude=["user"], validate_unique=False, validate_constraints=False)
    return day_log
