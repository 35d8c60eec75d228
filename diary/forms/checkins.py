"""
The daily check-in form: every question a row of chips, every answer optional; and the Log
page's card, which asks about yesterday or today.

An untouched question stays unknown (None), never "no". The edit page adds a "Not sure" chip
to each question, so an answer can be taken back; the Log page's card leaves it out to stay
short. The date comes from the URL, never from the form.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError

from diary.forms.fields import MultilineField
from diary.lib.clock import local_today
from diary.lib.form_wording import PlainMessagesMixin
from diary.models.checkins import (
    DAYLOG_NOTE_MAX_LENGTH,
    MEDICINE_MAX_LENGTH,
    QUESTIONS,
    DayLog,
    Drinks3,
    Drinks4,
    Sleep,
    Stress,
)

YES_NO = [("True", "Yes"), ("False", "No")]
NOT_SURE = ("", "Not sure")
CHOICES: dict[str, list[tuple[str, str]]] = {
    "sleep": [(str(value), label) for value, label in Sleep.choices],
    "caffeine": [(str(value), label) for value, label in Drinks4.choices],
    "stress": list(Stress.choices),
    "hard_exercise": YES_NO,
    "alcohol": [(str(value), label) for value, label in Drinks3.choices],
    "unwell": YES_NO,
    "new_medicine": YES_NO,
}
COERCE = {
    "sleep": int,
    "caffeine": int,
    "stress": str,
    "hard_exercise": lambda v: v == "True",
    "alcohol": int,
    "unwell": lambda v: v == "True",
    "new_medicine": lambda v: v == "True",
}
# Short questions for the card; the edit page uses the full ones (QUESTIONS).
CARD_LABELS = {
    "sleep": "Sleep last night",
    "caffeine": "Caffeine drinks",
    "stress": "Stress",
    "hard_exercise": "Hard exercise",
    "alcohol": "Alcohol",
    "unwell": "Felt unwell",
    "new_medicine": "New or changed medicine",
}


class DayLogForm(PlainMessagesMixin, forms.ModelForm):
    prefix = "day"

    medicine = forms.CharField(
        label="Which medicine (optional)",
        required=False,
        max_length=MEDICINE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": MEDICINE_MAX_LENGTH, "autocomplete": "off"}),
    )
    note = MultilineField(
        label="Note (optional)",
        required=False,
        max_length=DAYLOG_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": DAYLOG_NOTE_MAX_LENGTH}),
    )

    class Meta:
        model = DayLog
        fields = [*QUESTIONS, "medicine", "note"]

    def __init__(self, *args, compact: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.compact = compact
        for name, question in QUESTIONS.items():
            choices = CHOICES[name] if compact else [*CHOICES[name], NOT_SURE]
            self.fields[name] = forms.TypedChoiceField(
                label=CARD_LABELS[name] if compact else question,
                choices=choices,
                coerce=COERCE[name],
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": "Pick one of the answers shown."},
            )
            if not compact and getattr(self.instance, name) is None:
                self.initial[name] = ""  # "Not sure" shows as chosen

    @property
    def questions(self) -> list[forms.BoundField]:
        return [self[name] for name in QUESTIONS]

    def clean(self) -> dict:
        cleaned = super().clean()
        medicine = cleaned.get("medicine", "")
        if medicine and cleaned.get("new_medicine") is None:
            cleaned["new_medicine"] = True  # naming one answers the question
        elif medicine and cleaned.get("new_medicine") is False:
            self.add_error(
                "medicine", ValidationError("You answered No: clear the name, or answer Yes.")
            )
        return cleaned

    @property
    def values(self) -> dict:
        """The answers to save (after is_valid())."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields} | {
            "medicine": self.cleaned_data.get("medicine", ""),
            "note": self.cleaned_data.get("note", ""),
        }


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
