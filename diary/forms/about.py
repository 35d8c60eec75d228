"""
"About your twitching" (/report/about/): what a neurologist asks first, answered once and
changed whenever something changes. Every question is optional; an untouched one stays
unanswered, never "no", and "Not sure" is an answer of its own.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from diary.forms.fields import MultilineField
from diary.lib.form_wording import PlainMessagesMixin
from diary.models import ABOUT_TEXT_MAX_LENGTH, OnsetContext, Profile, WeightChange, YesNoNotSure
from diary.models.about import EARLIEST_YEAR, MONTHS

TEXTS = {
    "onset_note": ("Anything else going on then?", "E.g. a move, a new job, a fever."),
    "better_with": (
        "What makes it better?",
        "As you noticed it: rest, moving the muscle, sleep, less coffee …",
    ),
    "relatives_note": ("Who, and which condition, if you know", ""),
    "medicines": (
        "Medicines and supplements",
        "Names and doses, and when you started or stopped them.",
    ),
    "tests_emg": ("EMG (a test of nerves and muscles)", "When, and what you were told."),
    "tests_blood": ("Blood tests", "When, which ones if you know, and what you were told."),
    "tests_done": ("Other tests or scans", "When, and what you were told."),
}


def _text_field(label: str, hint: str) -> MultilineField:
    return MultilineField(
        label=label,
        help_text=hint,
        required=False,
        max_length=ABOUT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": ABOUT_TEXT_MAX_LENGTH}),
    )


def _chips(label: str, choices) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        required=False,
        empty_value="",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Pick one of the answers shown."},
    )


class AboutForm(PlainMessagesMixin, forms.ModelForm):
    started_month = forms.TypedChoiceField(
        label="Month",
        choices=[("", "Month not sure"), *((str(i), m) for i, m in enumerate(MONTHS, 1))],
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Pick a month from the list."},
    )
    started_year = forms.IntegerField(
        label="Year",
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "e.g. 2026"}),
        error_messages={"invalid": "Enter the year as a number, e.g. 2026."},
    )
    started_not_sure = forms.BooleanField(label="Not sure when it began", required=False)
    onset_context = forms.MultipleChoiceField(
        label="What was going on then?",
        choices=OnsetContext.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Pick from the answers shown."},
    )
    weight_change = _chips("Has your weight changed since it began?", WeightChange.choices)
    relatives = _chips(
        "Does a close relative (a parent, brother or sister, or child) have a nerve or "
        "muscle condition?",
        YesNoNotSure.choices,
    )

    class Meta:
        model = Profile
        fields = [
            "started_month",
            "started_year",
            "started_not_sure",
            "onset_context",
            "onset_note",
            "better_with",
            "weight_change",
            "relatives",
            "relatives_note",
            "medicines",
            "tests_emg",
            "tests_blood",
            "tests_done",
        ]

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        for name, (label, hint) in TEXTS.items():
            self.fields[name] = _text_field(label, hint)
        self.fields["started_year"].widget.attrs |= {"min": EARLIEST_YEAR, "max": today.year}

    def clean_onset_context(self) -> list[str]:
        chosen = set(self.cleaned_data.get("onset_context") or [])
        return [value for value in OnsetContext.values if value in chosen]  # the list's order

    def clean_started_year(self) -> int | None:
        year = self.cleaned_data.get("started_year")
        if year is not None and year > self.today.year:
            raise ValidationError("That year is still to come. Check the year.")
        if year is not None and year < EARLIEST_YEAR:
            raise ValidationError(f"Enter a year from {EARLIEST_YEAR} on.")
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        year, month = cleaned.get("started_year"), cleaned.get("started_month")
        if month is not None and year is None and "started_year" not in self.errors:
            self.add_error("started_year", "Add the year too, or leave the month empty.")
        if (
            year == self.today.year
            and month is not None
            and month > self.today.month
            and "started_year" not in self.errors
        ):
            self.add_error("started_month", "That month is still to come. Check the month.")
        if cleaned.get("started_not_sure") and (year is not None or month is not None):
            self.add_error(
                "started_not_sure",
                "You gave a month or year: untick “Not sure”, or clear them.",
            )
        return cleaned

    @property
    def texts(self) -> dict[str, forms.BoundField]:
        return {name: self[name] for name in TEXTS}
