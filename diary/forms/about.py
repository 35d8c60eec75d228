"""
"About your twitching" (/report/about/): what a neurologist asks first, answered once and
changed whenever something changes. Every question is optional; an untouched one stays
unanswered, never "no", and "Not sure" is an answer of its own.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.forms.fields import MultilineField
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.formats import month_name
from diary.models import ABOUT_TEXT_MAX_LENGTH, OnsetContext, Profile, WeightChange, YesNoNotSure
from diary.models.about import EARLIEST_YEAR

TEXTS = {
    "onset_note": (
        gettext_lazy("Anything else going on then?"),
        gettext_lazy("E.g. a move, a new job, a fever."),
    ),
    "better_with": (
        gettext_lazy("What makes it better?"),
        gettext_lazy("As you noticed it: rest, moving the muscle, sleep, less coffee …"),
    ),
    "relatives_note": (gettext_lazy("Who, and which condition, if you know"), ""),
    "medicines": (
        gettext_lazy("Medicines and supplements"),
        gettext_lazy("Names and doses, and when you started or stopped them."),
    ),
    "tests_emg": (
        gettext_lazy("EMG (a test of nerves and muscles)"),
        gettext_lazy("When, and what you were told."),
    ),
    "tests_blood": (
        gettext_lazy("Blood tests"),
        gettext_lazy("When, which ones if you know, and what you were told."),
    ),
    "tests_done": (
        gettext_lazy("Other tests or scans"),
        gettext_lazy("When, and what you were told."),
    ),
}


def month_choices() -> list[tuple[str, str]]:
    """The months in the active language, after "Month not sure"."""
    return [("", _("Month not sure")), *((str(i), month_name(i)) for i in range(1, 13))]


def _text_field(label, hint) -> MultilineField:
    return MultilineField(
        label=label,
        help_text=hint,
        required=False,
        max_length=ABOUT_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": ABOUT_TEXT_MAX_LENGTH}),
    )


def _chips(label, choices) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        required=False,
        empty_value="",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": gettext_lazy("Pick one of the answers shown.")},
    )


class AboutForm(PlainMessagesMixin, forms.ModelForm):
    started_month = forms.TypedChoiceField(
        label=gettext_lazy("Month"),
        choices=month_choices,
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Pick a month from the list.")},
    )
    started_year = forms.IntegerField(
        label=gettext_lazy("Year"),
        required=False,
        widget=forms.NumberInput(
            attrs={"inputmode": "numeric", "placeholder": gettext_lazy("e.g. 2026")}
        ),
        error_messages={"invalid": gettext_lazy("Enter the year as a number, e.g. 2026.")},
    )
    started_not_sure = forms.BooleanField(
        label=gettext_lazy("Not sure when it began"), required=False
    )
    onset_context = forms.MultipleChoiceField(
        label=gettext_lazy("What was going on then?"),
        choices=OnsetContext.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("Pick from the answers shown.")},
    )
    weight_change = _chips(
        gettext_lazy("Has your weight changed since it began?"), WeightChange.choices
    )
    relatives = _chips(
        gettext_lazy(
            "Does a close relative (a parent, brother or sister, or child) have a nerve or "
            "muscle condition?"
        ),
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
            raise ValidationError(_("That year is still to come. Check the year."))
        if year is not None and year < EARLIEST_YEAR:
            raise ValidationError(_("Enter a year from %(year)d on.") % {"year": EARLIEST_YEAR})
        return year

    def clean(self) -> dict:
        cleaned = super().clean()
        year, month = cleaned.get("started_year"), cleaned.get("started_month")
        if month is not None and year is None and "started_year" not in self.errors:
            self.add_error("started_year", _("Add the year too, or leave the month empty."))
        if (
            year == self.today.year
            and month is not None
            and month > self.today.month
            and "started_year" not in self.errors
        ):
            self.add_error("started_month", _("That month is still to come. Check the month."))
        if cleaned.get("started_not_sure") and (year is not None or month is not None):
            self.add_error(
                "started_not_sure",
                _("You gave a month or year: untick “Not sure”, or clear them."),
            )
        return cleaned

    @property
    def texts(self) -> dict[str, forms.BoundField]:
        return {name: self[name] for name in TEXTS}
