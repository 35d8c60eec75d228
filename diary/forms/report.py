"""
Appointment prep on the report page: the function check (one "new or worse?" per concrete
task, unanswered until answered, "Not sure" to leave one open, one check a day), the
appointment notes kept on the profile, and the report's period (a preset, "since a date" or
from/to), resolved to the parameters the trends page and the PDF understand.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from diary.forms.fields import EARLIEST_DATE, DateInput, MultilineField, YesNoField
from diary.insights.periods import young_start
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.formats import day_month_year
from diary.models import (
    APPOINTMENT_NOTE_MAX_LENGTH,
    CHECK_NOTE_MAX_LENGTH,
    FUNCTION_NOTE_MAX_LENGTH,
    FUNCTION_TASKS,
    FunctionCheck,
    Profile,
)


class FunctionCheckForm(PlainMessagesMixin, forms.ModelForm):
    """
    The function check: one "new or worse?" per concrete task (since the previous check, or
    lately on the first: `previous`), each with an optional short note. Every task starts
    unanswered ("Not sure" chosen, as on a day's check-in); only answered tasks count.
    """

    date = forms.DateField(
        label=gettext_lazy("Date of the check"),
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a real date, e.g. 2026-03-01.")},
    )
    note = MultilineField(
        label=gettext_lazy("Anything else you noticed"),
        required=False,
        max_length=CHECK_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": CHECK_NOTE_MAX_LENGTH}),
    )

    class Meta:
        model = FunctionCheck
        fields = [
            "date",
            *[f for name in FUNCTION_TASKS for f in (name, f"{name}_note")],
            "note",
        ]

    def __init__(self, *args, user, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.today = today
        self.existing: FunctionCheck | None = None  # the other check on the chosen date, if any
        if not self.instance.pk:
            self.initial["date"] = self.initial.get("date") or today
        # What "new or worse" compares with: the check before this one (None: the first).
        self.previous = FunctionCheck.objects.for_user(user).latest_before(
            self.instance.date if self.instance.pk else today
        )
        for name, task in FUNCTION_TASKS.items():
            self.fields[name] = YesNoField(label=task)
            if getattr(self.instance, name) is None:
                self.initial[name] = ""  # "Not sure" shows as chosen
            self.fields[f"{name}_note"] = forms.CharField(
                label=_("Note on “%(task)s” (optional)") % {"task": task},
                required=False,
                max_length=FUNCTION_NOTE_MAX_LENGTH,
                widget=forms.TextInput(
                    attrs={
                        "maxlength": FUNCTION_NOTE_MAX_LENGTH,
                        "placeholder": _("What changed? (optional)"),
                        "autocomplete": "off",
                    }
                ),
            )

    @property
    def tasks(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(answer, note) bound fields per task, in the checklist's order."""
        return [(self[name], self[f"{name}_note"]) for name in FUNCTION_TASKS]

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError(_("That date is in the future. Check the date."))
        if day < EARLIEST_DATE:
            raise ValidationError(_("That date is before 1900. Check the year."))
        taken = FunctionCheck.objects.for_user(self.user).filter(date=day)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.existing = taken.first()
        if self.existing is not None:
            raise ValidationError(
                _("You already have a check for %(day)s. Edit that one instead."),
                params={"day": day_month_year(day)},
                code="duplicate_date",
            )
        return day

    def save(self, commit: bool = True) -> FunctionCheck:
        self.instance.user = self.user
        return super().save(commit=commit)

    def twin(self) -> FunctionCheck:
        """The check a concurrent identical request saved for this date (see diary/lib/once.py)."""
        return FunctionCheck.objects.for_user(self.user).get(date=self.cleaned_data["date"])

    def date_taken(self) -> None:
        """Another check took this date between validation and saving: say so on the field."""
        day = self.cleaned_data["date"]
        self.existing = self.twin()
        self.add_error(
            "date",
            ValidationError(
                _("You already have a check for %(day)s. Edit that one instead."),
                params={"day": day_month_year(day)},
                code="duplicate_date",
            ),
        )


class AppointmentNotesForm(PlainMessagesMixin, forms.ModelForm):
    """
    The questions for the doctor, kept on the profile and printed on the report. (Medicines
    and tests already done are answers "About your twitching": diary/forms/about.py.)
    """

    class Meta:
        model = Profile
        fields = ["questions"]
        labels = {"questions": gettext_lazy("Questions to ask your doctor")}
        help_texts = {"questions": gettext_lazy("One per line.")}
        widgets = {
            "questions": forms.Textarea(attrs={"rows": 3, "maxlength": APPOINTMENT_NOTE_MAX_LENGTH})
        }
        field_classes = {"questions": MultilineField}


DEFAULT_WEEKS = 12
RANGE_PRESETS = (4, 12)


def range_choices() -> list[tuple[str, str]]:
    return [
        *((str(weeks), last_weeks(weeks)) for weeks in RANGE_PRESETS),
        ("since", _("Since a date")),
        ("custom", _("From … to …")),
    ]


def last_weeks(weeks: int) -> str:
    return ngettext("Last %(weeks)d week", "Last %(weeks)d weeks", weeks) % {"weeks": weeks}


class ReportRangeForm(PlainMessagesMixin, forms.Form):
    """
    The report's period: a preset, "since a date" (to today) or from/to. Resolves to the
    `?weeks=N` / `?from=…&to=…` parameters insights.parse_period understands. Also accepts those
    parameters directly (links from the trends page and the PDF), ticking the matching choice.
    Asked for nothing, it is the last 12 weeks, or "since" the first entry of a younger diary.
    """

    range = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=range_choices, widget=forms.RadioSelect, initial="12"
    )
    start = forms.DateField(
        label=pgettext_lazy("a date range", "From"),
        required=False,
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a real date, e.g. 2026-03-01.")},
    )
    end = forms.DateField(
        label=pgettext_lazy("a date range", "To"),
        required=False,
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a real date, e.g. 2026-03-31.")},
    )

    def __init__(
        self, data=None, *, today: date, first_logged: date | None = None, **kwargs
    ) -> None:
        self.today = today
        data = data.copy() if data is not None else {}
        if not data.get("range"):
            if data.get("weeks"):
                data["range"] = data["weeks"]
            elif data.get("from"):
                data["range"] = "custom" if data.get("to") else "since"
            elif since := young_start(today, DEFAULT_WEEKS, first_logged):
                # A diary younger than the default: since its first entry, not 12 weeks of
                # which most were not being logged.
                data["range"], data["from"] = "since", since.isoformat()
            else:
                data["range"] = str(DEFAULT_WEEKS)
        super().__init__(data, **kwargs)
        weeks = data["range"]
        choices = range_choices()
        if weeks not in dict(choices) and re.fullmatch(r"[0-9]{1,3}", weeks):
            # Another preset, e.g. ?weeks=26 from the trends page. ASCII digits only: "²" is
            # a digit to str.isdigit() but not to int().
            self.fields["range"].choices = [*choices, (weeks, last_weeks(int(weeks)))]

    def add_prefix(self, field_name: str) -> str:
        # ?from=…&to=… like the trends page and the PDF (`from` is a Python keyword).
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        choice, start, end = cleaned.get("range"), cleaned.get("start"), cleaned.get("end")
        if choice in ("since", "custom") and start is None and "start" not in self.errors:
            self.add_error("start", _("Enter the first day of the period."))
        if choice == "custom" and end is None and "end" not in self.errors:
            self.add_error("end", _("Enter the last day of the period."))
        return cleaned

    def period_params(self) -> dict[str, str]:
        """The cleaned choice as parse_period parameters."""
        data = self.cleaned_data
        if data["range"] == "since":
            return {"from": data["start"].isoformat(), "to": self.today.isoformat()}
        if data["range"] == "custom":
            return {"from": data["start"].isoformat(), "to": data["end"].isoformat()}
        return {"weeks": data["range"]}
