"""
Twitchlog's data: the body-site catalogue, triggers, episodes, the user's profile (with the
answers "About your twitching"), the per-day summary, function checks, daily check-ins, share
links, clips (videos and photos of a twitch) and reminders. One module per concern; this
package is the one entry point (`from diary.models import Episode`), and importing it
registers every model with the diary app.

Times: an episode keeps the aware instant (stored UTC), the IANA zone in force when it was
logged and the calendar date and hour in that zone, so "a twitch at 23:30 on Sunday" stays on
Sunday at 23:00 wherever the server runs and whatever zone the user moves to later. Every count
groups by those stored values ("one clock"); no query converts zones per row.

DaySummary is derived data: one row per user and local date, written only by
`data_changed` (diary/models/changes.py), in the same transaction as the write it records.
Every write records itself: the model method or domain function that writes calls it.
"""

from diary.models.about import (
    ABOUT_TEXT_MAX_LENGTH,
    AboutTwitching,
    OnsetContext,
    WeightChange,
    YesNoNotSure,
)
from diary.models.changes import data_changed
from diary.models.checkins import DayLog
from diary.models.choices import SYMPTOMS, Context, Intensity, Movement, Pattern
from diary.models.clips import Clip, ClipQuerySet
from diary.models.episodes import (
    CHIP_EPISODES,
    MAX_DURATION,
    MIN_DURATION,
    NOTES_MAX_LENGTH,
    Episode,
    EpisodeQuerySet,
    recent_and_frequent_sites,
)
from diary.models.function_checks import (
    CHECK_INTERVAL_DAYS,
    CHECK_NOTE_MAX_LENGTH,
    FUNCTION_NOTE_MAX_LENGTH,
    FUNCTION_TASKS,
    FunctionCheck,
    FunctionCheckQuerySet,
    TaskAnswer,
)
from diary.models.profile import (
    APPOINTMENT_NOTE_MAX_LENGTH,
    APPOINTMENT_NOTE_VALIDATORS,
    Profile,
)
from diary.models.reminders import (
    APPOINTMENT_CHECK_DAYS,
    MAX_DEVICES,
    WEEKDAYS,
    DeliveryStatus,
    PushDevice,
    PushKey,
    ReminderDelivery,
    ReminderKind,
    ReminderSettings,
)
from diary.models.sharing import ShareLink, ShareOpening
from diary.models.sites import BodySite, Region, Side, catalogue_by_region
from diary.models.summary import DETAILS, DaySummary, DaySummaryQuerySet, DayTally, NewEpisode
from diary.models.triggers import Trigger, TriggerQuerySet, trigger_slug
from diary.models.validators import available_timezones, validate_no_nul, validate_timezone

__all__ = [
    "ABOUT_TEXT_MAX_LENGTH",
    "APPOINTMENT_CHECK_DAYS",
    "APPOINTMENT_NOTE_MAX_LENGTH",
    "APPOINTMENT_NOTE_VALIDATORS",
    "CHECK_INTERVAL_DAYS",
    "CHECK_NOTE_MAX_LENGTH",
    "CHIP_EPISODES",
    "DETAILS",
    "FUNCTION_NOTE_MAX_LENGTH",
    "FUNCTION_TASKS",
    "MAX_DEVICES",
    "MAX_DURATION",
    "MIN_DURATION",
    "NOTES_MAX_LENGTH",
    "SYMPTOMS",
    "WEEKDAYS",
    "AboutTwitching",
    "BodySite",
    "Clip",
    "ClipQuerySet",
    "Context",
    "DayLog",
    "DaySummary",
    "DaySummaryQuerySet",
    "DayTally",
    "DeliveryStatus",
    "Episode",
    "EpisodeQuerySet",
    "FunctionCheck",
    "FunctionCheckQuerySet",
    "Intensity",
    "Movement",
    "NewEpisode",
    "OnsetContext",
    "Pattern",
    "Profile",
    "PushDevice",
    "PushKey",
    "Region",
    "ReminderDelivery",
    "ReminderKind",
    "ReminderSettings",
    "ShareLink",
    "ShareOpening",
    "Side",
    "TaskAnswer",
    "Trigger",
    "TriggerQuerySet",
    "WeightChange",
    "YesNoNotSure",
    "available_timezones",
    "catalogue_by_region",
    "data_changed",
    "recent_and_frequent_sites",
    "trigger_slug",
    "validate_no_nul",
    "validate_timezone",
]
