"""
Reminder forms: Settings → Reminders (what, when, quiet hours, e-mail) and the appointment
date with its two reminders on the Report page.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from diary.forms.fields import DateInput, TimeInput
from diary.lib import formats
from diary.lib.form_wording import PlainMessagesMixin
from diary.models import ReminderSettings


class ReminderSettingsForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = ReminderSettings
        fields = [
            "checkin",
            "function_check",
            "function_check_weekday",
            "appointment",
            "appointment_check",
            "remind_at",
            "quiet_from",
            "quiet_until",
            "by_email",
        ]
        labels = {
            "checkin": gettext_lazy("Daily check-in"),
            "function_check": gettext_lazy("Weekly function check"),
            "function_check_weekday": pgettext_lazy("a weekday", "On"),
            "appointment": gettext_lazy("The day before my appointment"),
            "appointment_check": gettext_lazy("A function check three days before my appointment"),
            "remind_at": gettext_lazy("Reminders come at"),
            "quiet_from": gettext_lazy("Quiet from"),
            "quiet_until": gettext_lazy("Quiet until"),
        }
        help_texts = {
            "checkin": gettext_lazy("Only on days you have not checked in yet."),
            "appointment": gettext_lazy("“Your summary for tomorrow is ready to look over.”"),
        }
        widgets = {"remind_at": TimeInput(), "quiet_from": TimeInput(), "quiet_until": TimeInput()}

    def __init__(self, *args, email: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email
        if email:
            self.fields["by_email"].label = _("Also by e-mail to %(address)s") % {"address": email}
        self.fields["remind_at"].error_messages["required"] = _("Choose a time, e.g. 21:00.")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if (start is None) != (end is None) and not self.has_error_on_quiet_hours():
            field = "quiet_until" if end is None else "quiet_from"
            self.add_error(field, _("Give both ends of the quiet hours, or leave both empty."))
        elif start is not None and start == end:
            self.add_error("quiet_until", _("The quiet hours need to end at another time."))
        at = data.get("remind_at")
        if at is not None and start is not None and end is not None and start != end:
            probe = ReminderSettings(quiet_from=start, quiet_until=end)
            if probe.is_quiet(at):
                self.add_error(
                    "remind_at",
                    _(
                        "%(time)s is inside your quiet hours (%(start)s–%(end)s). Choose a "
                        "time outside them."
                    )
                    % {
                        "time": formats.clock_time(at),
                        "start": formats.clock_time(start),
                        "end": formats.clock_time(end),
                    },
                )
        return data

    def has_error_on_quiet_hours(self) -> bool:
        return "quiet_from" in self.errors or "quiet_until" in self.errors


class AppointmentForm(PlainMessagesMixin, forms.ModelForm):
    """The next appointment's date on the Report page, and the two reminders that go with it."""

    appointment_date = forms.DateField(
        label=gettext_lazy("Date of your next appointment"),
        required=False,
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Enter a real date, e.g. 2026-03-01.")},
    )

    class Meta:
        model = ReminderSettings
        fields = ["appointment_date", "appointment", "appointment_check"]
        labels = {
            "appointment": gettext_lazy("Remind me the day before that my summary is ready"),
            "appointment_check": gettext_lazy("Remind me three days before to do a function check"),
        }

    def __init__(self, *args, today: date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_appointment_date(self) -> date | None:
        day = self.cleaned_data.get("appointment_date")
        if day is not None and day < self.today and day != self.instance.appointment_date:
            raise ValidationError(
                _("That date has passed. Enter the date of your next appointment.")
            )
        return day
