"""
The diary's forms, one module per concern: `episodes.py` (log and edit an episode),
`history.py` (History filters), `accounts.py` (sign-up, profile), `triggers.py` (add a
trigger), `appointment.py` (function check, appointment notes, report period) and `fields.py`
(the fields and widgets they share). Import them from here: `from diary.forms import EpisodeForm`.
"""

from diary.forms.accounts import (
    PASSWORD_RULES,
    CurrentPasswordForm,
    DeferredPasswordResetForm,
    DeleteAccountForm,
    ProfileForm,
    SignUpForm,
    TimezoneField,
)
from diary.forms.episodes import FUTURE_TOLERANCE, EpisodeForm, LogEpisodeForm
from diary.forms.fields import (
    EARLIEST_DATE,
    DateInput,
    LocalDateTimeField,
    MultilineField,
    html_date,
)
from diary.forms.history import HistoryFilterForm
from diary.forms.report import AppointmentNotesForm, FunctionCheckForm, ReportRangeForm
from diary.forms.triggers import TriggerForm, find_or_create_trigger

__all__ = [
    "EARLIEST_DATE",
    "FUTURE_TOLERANCE",
    "PASSWORD_RULES",
    "AppointmentNotesForm",
    "CurrentPasswordForm",
    "DateInput",
    "DeferredPasswordResetForm",
    "DeleteAccountForm",
    "EpisodeForm",
    "FunctionCheckForm",
    "HistoryFilterForm",
    "LocalDateTimeField",
    "LogEpisodeForm",
    "MultilineField",
    "ProfileForm",
    "ReportRangeForm",
    "SignUpForm",
    "TimezoneField",
    "TriggerForm",
    "find_or_create_trigger",
    "html_date",
]
