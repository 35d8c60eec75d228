"""
Our own wording for the errors Django's form fields and validators would otherwise show.

Django's stock messages ("Ensure this value is greater than or equal to 0", "Select a valid
choice. x is not one of the available choices.") read like a machine talking; every form a
person sees uses `PlainMessagesMixin`, which swaps them for plain ones. A message a form sets
for a field itself always wins.
"""

from __future__ import annotations

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db.models import fields as model_fields
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

REQUIRED = _("Please fill this in.")
CHOOSE = _("Please choose one of the options.")
NOT_ON_THE_LIST = _("That is not one of the options here. Please pick one from the list.")
NUL = _("The text contains a NUL character; please remove it.")

# Error code -> message, for every kind of field.
COMMON = {
    "required": REQUIRED,
    "invalid_choice": NOT_ON_THE_LIST,
    "invalid_pk_value": NOT_ON_THE_LIST,
    "invalid_list": NOT_ON_THE_LIST,
    "null_characters_not_allowed": NUL,
    "max_length": ngettext_lazy(
        "That is too long: at most %(limit_value)d character (it has %(show_value)d).",
        "That is too long: at most %(limit_value)d characters (it has %(show_value)d).",
        "limit_value",
    ),
    "min_length": ngettext_lazy(
        "That is too short: at least %(limit_value)d character.",
        "That is too short: at least %(limit_value)d characters.",
        "limit_value",
    ),
    "min_value": _("That is too small: the lowest allowed is %(limit_value)s."),
    "max_value": _("That is too big: the highest allowed is %(limit_value)s."),
    "step_size": _("Please use whole steps of %(limit_value)s."),
    "unique": _("That one is already taken. Please choose another."),
    "max_digits": _("That number has too many digits."),
    "max_decimal_places": _("That number has too many decimal places."),
    "max_whole_digits": _("That number has too many digits."),
}
# "invalid" depends on what the field holds.
INVALID = [
    (forms.DateTimeField, _("Enter a real date and time, e.g. 2026-03-01 14:30.")),
    (forms.DateField, _("Enter a real date, e.g. 2026-03-01.")),
    (forms.TimeField, _("Enter a real time, e.g. 14:30.")),
    (forms.DurationField, _("Enter a length of time, e.g. 00:05:00.")),
    (forms.IntegerField, _("Type a whole number, e.g. 5.")),
    (forms.DecimalField, _("Type a number, e.g. 2.5.")),
    (forms.FloatField, _("Type a number, e.g. 2.5.")),
    (forms.EmailField, _("That does not look like an e-mail address (e.g. sam@example.com).")),
    (forms.UUIDField, _("That is not a valid reference.")),
    (forms.JSONField, _("That is not valid JSON.")),
    (forms.Field, _("That value does not fit here. Please check it.")),
]


def _stock(field: forms.Field) -> dict[str, str]:
    """The messages Django's own field classes give this field, code by code (not ours)."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django."):
            messages.update(getattr(cls, "default_error_messages", {}))
    return messages


_django_messages_by_language: dict[str, frozenset[str]] = {}


def django_messages() -> frozenset[str]:
    """
    Every message Django's validators and model fields say on their own, in the active
    language (what a raised error reads as). Gathered once per language.
    """
    language = translation.get_language() or ""
    if language not in _django_messages_by_language:
        _django_messages_by_language[language] = _django_messages()
    return _django_messages_by_language[language]


def _django_messages() -> frozenset[str]:
    found = {
        str(cls.message)
        for cls in vars(validators).values()
        if isinstance(cls, type) and isinstance(getattr(cls, "message", None), str | Promise)
    }
    for cls in vars(model_fields).values():
        if isinstance(cls, type) and issubclass(cls, model_fields.Field):
            found |= {str(m) for m in getattr(cls, "default_error_messages", {}).values()}
    return frozenset(found - {""})


def plain_messages(field: forms.Field) -> None:
    """Replace every stock message of `field` with ours; keep what the form set itself."""
    stock = _stock(field)
    ours = dict(COMMON)
    ours["invalid"] = next(text for cls, text in INVALID if isinstance(field, cls))
    if isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField):
        ours["required"] = CHOOSE
    for code, text in ours.items():
        current = field.error_messages.get(code)
        if current is None or current == stock.get(code):
            field.error_messages[code] = text


class PlainMessagesMixin:
    """For every form a person sees: our wording instead of Django's stock messages."""

    def full_clean(self) -> None:
        # Here rather than in __init__: some forms add fields after their own __init__.
        for field in self.fields.values():
            plain_messages(field)
        super().full_clean()

    def add_error(self, field, error) -> None:
        # Model validation (validators on model fields) and model choice fields' NUL check
        # raise Django's messages without asking the form field: reword those on their way in.
        if isinstance(error, ValidationError) and hasattr(error, "error_list"):
            for item in error.error_list:
                if str(item.message) in django_messages():
                    item.message = COMMON.get(item.code, INVALID[-1][1])
        super().add_error(field, error)
