"""
Every form of the diary, one module per URL area: `episodes.py` (log and edit an episode, the
Log form's phone fields), `history.py` (History filters), `checkins.py` (a day's check-in and
the Log page's card), `report.py` (function check, appointment notes, report period),
`sharing.py` (a share link, and the owner's list of links), `triggers.py` (add, rename, merge,
show triggers), `accounts.py` (sign-up, profile, password asked again, password reset),
`twostep.py` (codes), `data.py` (import) and `fields.py` (the fields and widgets they share).
The common ones are importable from here: `from diary.forms import EpisodeForm`.
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
