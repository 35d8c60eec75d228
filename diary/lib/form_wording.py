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
from django.utils.functional import Promise

REQUIRED = "Please fill this in."
CHOOSE = "Please choose one of the options."
NOT_ON_THE_LIST = "That is not one of the options here. Please pick one from the list."
NUL = "The text contains a NUL character; please remove it."

# Error code -> message, for every kind of field.
COMMON = {
    "required": REQUIRED,
    "invalid_choice": NOT_ON_THE_LIST,
    "invalid_pk_value": NOT_ON_THE_LIST,
    "invalid_list": NOT_ON_THE_LIST,
    "null_characters_not_allowed": NUL,
    "max_length": "That is too long: at most %(limit_value)d characters (it has %(show_value)d).",
    "min_length": "That is too short: at least %(limit_value)d characters.",
    "min_value": "That is too small: the lowest allowed is %(limit_value)s.",
    "max_value": "That is too big: the highest allowed is %(limit_value)s.",
    "step_size": "Please use whole steps of %(limit_value)s.",
    "unique": "That one is already taken. Please choose another.",
    "max_digits": "That number has too many digits.",
    "max_decimal_places": "That number has too many decimal places.",
    "max_whole_digits": "That number has too many digits.",
}
# "invalid" depends on what the field holds.
INVALID = [
    (forms.DateTimeField, "Enter a real date and time, e.g. 2026-03-01 14:30."),
    (forms.DateField, "Enter a real date, e.g. 2026-03-01."),
    (forms.TimeField, "Enter a real time, e.g. 14:30."),
    (forms.DurationField, "Enter a length of time, e.g. 00:05:00."),
    (forms.IntegerField, "Type a whole number, e.g. 5."),
    (forms.DecimalField, "Type a number, e.g. 2.5."),
    (forms.FloatField, "Type a number, e.g. 2.5."),
    (forms.EmailField, "That does not look like an e-mail address (e.g. sam@example.com)."),
    (forms.UUIDField, "That is not a valid reference."),
    (forms.JSONField, "That is not valid JSON."),
    (forms.Field, "That value does not fit here. Please check it."),
]


def _stock(field: forms.Field) -> dict[str, str]:
    """The messages Django's own field classes give this field, code by code (not ours)."""
    messages: dict[str, str] = {}
    for cls in reversed(type(field).__mro__):
        if cls.__module__.startswith("django."):
            messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def _django_messages() -> frozenset[str]:
    """Every message Django's validators and model fields say on their own."""
    found = {
        str(cls.message)
        for cls in vars(validators).values()
        if isinstance(cls, type) and isinstance(getattr(cls, "message", None), str | Promise)
    }
    for cls in vars(model_fields).values():
        if isinstance(cls, type) and issubclass(cls, model_fields.Field):
            found |= {str(m) for m in getattr(cls, "default_error_messages", {}).values()}
    return frozenset(found - {""})


DJANGO_MESSAGES = _django_messages()


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
                if str(item.message) in DJANGO_MESSAGES:
                    item.message = COMMON.get(item.code, INVALID[-1][1])
        super().add_error(field, error)
