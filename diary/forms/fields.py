"""
Form fields and widgets the diary's forms share: date and time inputs that only echo back a
real date or time, a wall-clock time left naive for the form to place in a zone, text from a
<textarea> with its line breaks counted as the browser counts them, the earliest date any form
accepts, the choice fields of table rows that refuse an id no row can have (before it reaches
the database), the body-site and trigger pickers with messages a person can act on, a yes /
no / not sure question, and a choice of language.
"""

from __future__ import annotations

import re
from datetime import UTC, date, time

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from diary.lib import languages
from diary.models import Trigger

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
HOUR_MINUTE = re.compile(r"\d{2}:\d{2}(:\d{2})?")
EARLIEST_DATE = date(1900, 1, 1)


def html_date(value: str) -> str:
    """
    `value` if it is a real date in HTML's yyyy-mm-dd form, else "". A date input cannot hold
    anything else: the browser shows it empty, and the HTML with it is invalid.
    """
    try:
        return date.fromisoformat(value).isoformat() if ISO_DAY.fullmatch(value) else ""
    except ValueError:
        return ""


class YesNoField(forms.TypedChoiceField):
    """
    A yes / no question with a "Not sure" answer, as chips: None (not answered, "not sure") is
    unknown and never "no". True, False or None once cleaned.
    """

    ANSWERS = [("True", _("Yes")), ("False", _("No")), ("", _("Not sure"))]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("error_messages", {"invalid_choice": _("Answer yes, no or not sure.")})
        super().__init__(
            choices=self.ANSWERS,
            coerce=lambda value: value == "True",
            empty_value=None,
            required=False,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def to_python(self, value):
        # "Seen under the skin" was a tick box: a Log form kept on a phone from before (the
        # offline queue) still sends its "on". It meant yes.
        return "True" if value == "on" else super().to_python(value)


class DateInput(forms.DateInput):
    """A date input that echoes back only a real date (the error message says what was wrong)."""

    def format_value(self, value):
        formatted = super().format_value(value)
        return html_date(formatted) if isinstance(formatted, str) else formatted


def html_time(value: str) -> str:
    """`value` as HTML's hh:mm if it is a real time of day, else "" (see html_date)."""
    try:
        return time.fromisoformat(value).strftime("%H:%M") if HOUR_MINUTE.fullmatch(value) else ""
    except ValueError:
        return ""


class TimeInput(forms.TimeInput):
    """A time input that echoes back only a real time (the error message says what was wrong)."""

    input_type = "time"

    def __init__(self, attrs=None) -> None:
        super().__init__(attrs, format="%H:%M")

    def format_value(self, value):
        formatted = super().format_value(value)
        return html_time(formatted) if isinstance(formatted, str) else formatted


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time, left naive: the form decides its zone (and refuses DST gaps)."""

    def to_python(self, value):
        # Parse in UTC, where every wall time exists, so Django's own zone conversion never
        # rejects a DST-gap time before the form can say what is wrong with it.
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


class MultilineField(forms.CharField):
    """
    Text from a <textarea>. Browsers send its line breaks as CRLF but count each as one
    character against `maxlength`; keep them as "\n" so a note the browser let through is not
    then refused as too long.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


# The largest id a 64-bit integer column holds. SQLite cannot even bind a bigger integer
# (OverflowError) and PostgreSQL refuses it: such an id is refused as no row's, unqueried.
MAX_ID = 2**63 - 1


def is_plausible_id(value: object, field: forms.ModelChoiceField) -> bool:
    """Whether `value` can name a row: any text for a text key, else a whole number in range."""
    key = field.to_field_name or field.queryset.model._meta.pk.attname
    model_field = field.queryset.model._meta.get_field(key)
    if not isinstance(model_field, models.IntegerField | models.AutoField):
        return True
    text = str(value).strip()
    return text.isascii() and text.isdigit() and int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses an id no row can have with its "choose one" message."""

    def to_python(self, value):
        if value not in self.empty_values and not is_plausible_id(value, self):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids no row can have, as IdChoiceField does."""

    def _check_values(self, value):
        for pk in value:
            if not is_plausible_id(pk, self):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SiteChoiceField(IdMultipleChoiceField):
    default_error_messages = {
        "required": _("Choose at least one body site: where did you feel it?"),
        "invalid_choice": _("“%(value)s” is not a body site we know. Choose one from the list."),
        "invalid_pk_value": _("“%(pk)s” is not a body site we know. Choose one from the list."),
    }


class TriggerChoiceField(IdMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": _("That trigger is not one of yours. Choose one from the list."),
        "invalid_pk_value": _("That trigger is not one of yours. Choose one from the list."),
    }

    def label_from_instance(self, obj: Trigger) -> str:
        return obj.label


class LanguageChoiceField(forms.ChoiceField):
    """One of the languages this site speaks, each named in its own language."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("choices", languages.choices)
        super().__init__(**kwargs)
