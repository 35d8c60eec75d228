"""
The daily check-in form: every question a row of chips, every answer optional; and the Log
page's card, which asks about yesterday or today.

An untouched question stays unknown (None), never "no". Every question offers "Not sure", on
the Log page's card as on the day's page, chosen while unanswered, so an answer tapped by
mistake can be taken back where it was given. The date comes from the URL, never from the form.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from diary.forms.fields import MultilineField
from diary.lib.clock import local_today
from diary.lib.form_wording import PlainMessagesMixin
from diary.models.checkins import (
    DAYLOG_NOTE_MAX_LENGTH,
    EXPORT_FIELDS,
    MEDICINE_MAX_LENGTH,
    QUESTIONS,
    DayLog,
)

NOT_SURE = ("", gettext_lazy("Not sure"))


class DayLogForm(PlainMessagesMixin, forms.ModelForm):
    prefix = "day"

    medicine = forms.CharField(
        label=gettext_lazy("Which medicine (optional)"),
        required=False,
        max_length=MEDICINE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"maxlength": MEDICINE_MAX_LENGTH, "autocomplete": "off"}),
    )
    note = MultilineField(
        label=gettext_lazy("Note (optional)"),
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
            choices = [(str(value), words) for value, words in question.answers]
            self.fields[name] = forms.TypedChoiceField(
                label=question.card_text if compact else question.text,
                choices=[*choices, NOT_SURE],
                coerce=question.from_form,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={"invalid_choice": gettext_lazy("Pick one of the answers shown.")},
            )
            if getattr(self.instance, name) is None:
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
                "medicine", ValidationError(_("You answered No: clear the name, or answer Yes."))
            )
        return cleaned

    @property
    def values(self) -> dict:
        """The answers to save (after is_valid())."""
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields} | {
            "medicine": self.cleaned_data.get("medicine", ""),
            "note": self.cleaned_data.get("note", ""),
        }


@dataclass(frozen=True)
class CardDay:
    """The day the Log page's card asks about, and that day's check-in (None: none yet)."""

    today: date
    day: date
    log: DayLog | None

    @property
    def is_yesterday(self) -> bool:
        return self.day != self.today

    @property
    def answers(self) -> tuple:
        """Everything of the check-in the card shows (its fields, as exported)."""
        return tuple(getattr(self.log, name) for name in EXPORT_FIELDS) if self.log else ()


def card_day(user) -> CardDay:
    """
    The card asks about yesterday first when neither yesterday nor today has a check-in
    (a day is easiest to remember the morning after); otherwise about today.
    """
    today = local_today(user)
    yesterday = today - timedelta(days=1)
    logs = {d.date: d for d in DayLog.objects.for_user(user).on_dates(yesterday, today)}
    day = yesterday if not logs else today
    return CardDay(today, day, logs.get(day))


def card_context(
    user,
    next_url: str,
    *,
    saved: DayLog | None = None,
    form: DayLogForm | None = None,
    asked: CardDay | None = None,
) -> dict:
    """The card's context: about `asked` (default: card_day), or the day of `form` with errors."""
    asked = asked or card_day(user)
    day = asked.day
    if form is None or form.is_valid():
        form = DayLogForm(instance=asked.log, compact=True)
    else:
        day = form.day
    return {
        "card_form": form,
        "card_day": day,
        "card_is_yesterday": day == asked.today - timedelta(days=1),
        "card_saved": saved,
        "card_today": asked.today,
        "card_next": next_url,
    }
