"""
The episode form: log a twitch in three taps or edit one. It turns the quick choices ("now",
"15 min ago", "a few seconds") or an exact time and duration into the stored instant and
duration, refusing times that never happened or happened twice on a clock change until the
person says which, times in the future and durations out of bounds, and adds a new trigger
typed on the way.
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, timedelta
from uuid import UUID

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from diary.forms.fields import (
    EARLIEST_DATE,
    LocalDateTimeField,
    MultilineField,
    SiteChoiceField,
    TriggerChoiceField,
    YesNoField,
)
from diary.forms.triggers import find_or_create_trigger
from diary.lib.clock import AmbiguousTimeError, NonexistentTimeError, make_aware_strict
from diary.lib.form_wording import PlainMessagesMixin
from diary.lib.formats import clock_time, day_month_year
from diary.models import (
    MAX_DURATION,
    MIN_DURATION,
    NOTES_MAX_LENGTH,
    SYMPTOMS,
    BodySite,
    Episode,
    NewEpisode,
    Trigger,
    catalogue_by_region,
    trigger_slug,
)

# How far ahead of the server clock a logged time may be (phone clocks drift).
FUTURE_TOLERANCE = timedelta(minutes=5)

WHEN_CHOICES = [
    ("now", pgettext_lazy("when it started", "Now")),
    ("15", gettext_lazy("15 min ago")),
    ("60", gettext_lazy("1 h ago")),
    ("custom", gettext_lazy("Pick a time")),
]
DURATION_PRESETS = [
    ("5", gettext_lazy("A few seconds")),
    ("30", gettext_lazy("~30 s")),
    ("60", gettext_lazy("~1 min")),
    ("300", gettext_lazy("~5 min")),
    ("900", gettext_lazy("~15 min")),
    ("3600", gettext_lazy("~1 h")),
    ("custom", pgettext_lazy("duration", "Exact")),
]
DURATION_UNITS = [
    ("seconds", gettext_lazy("seconds")),
    ("minutes", gettext_lazy("minutes")),
    ("hours", gettext_lazy("hours")),
]
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600}
# Fields under "More details" on the form.
DETAIL_FIELDS = ["pattern", *SYMPTOMS, "stopped_with_movement", "visible", "context", "notes"]
FOLD_CHOICES = [
    ("0", gettext_lazy("The first time (before the clocks went back)")),
    ("1", gettext_lazy("The second time")),
]


class EpisodeForm(PlainMessagesMixin, forms.ModelForm):
    """
    Log or edit an episode. Defaults make the common case three taps: site, site, Log
    (time = now, duration = a few seconds).

    `zone` interprets the wall-clock time the person picks; the view passes the profile zone
    for a new episode and the episode's own zone when editing.
    """

    when = forms.ChoiceField(choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect)
    started_at_local = LocalDateTimeField(
        label=gettext_lazy("Date and time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    fold = forms.TypedChoiceField(
        label=gettext_lazy("Which one?"),
        choices=FOLD_CHOICES,
        coerce=int,
        # None, not "": an unanswered "which one?" must not silently pick the first time.
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    duration_preset = forms.ChoiceField(
        label=gettext_lazy("How long"),
        choices=DURATION_PRESETS,
        initial="5",
        widget=forms.RadioSelect,
    )
    duration_amount = forms.DecimalField(
        label=gettext_lazy("Exact duration"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )
    duration_unit = forms.ChoiceField(
        label=gettext_lazy("Unit"), choices=DURATION_UNITS, initial="seconds", required=False
    )
    sites = SiteChoiceField(
        queryset=BodySite.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        label=pgettext_lazy("body sites", "Where"),
    )
    triggers = TriggerChoiceField(
        queryset=Trigger.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("Suspected triggers"),
    )
    new_trigger = forms.CharField(
        label=gettext_lazy("Add your own trigger"),
        required=False,
        max_length=40,
        widget=forms.TextInput(
            attrs={"placeholder": gettext_lazy("e.g. alcohol"), "autocomplete": "off"}
        ),
    )
    visible = YesNoField(label=gettext_lazy("Could you see it under the skin?"))
    # Form CharFields refuse NUL characters already ("Null characters are not allowed.");
    # adding validate_no_nul too would show two messages for one problem.
    notes = MultilineField(
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX_LENGTH}),
        error_messages={
            "max_length": gettext_lazy(
                "Notes can be at most %(limit_value)d characters (you have %(show_value)d)."
            )
        },
    )

    class Meta:
        model = Episode
        fields = [
            "sites",
            "intensity",
            "triggers",
            "pattern",
            *SYMPTOMS,
            "stopped_with_movement",
            "visible",
            "context",
            "notes",
        ]
        labels = {
            "intensity": gettext_lazy("How strong?"),
            "pattern": gettext_lazy("Pattern"),
            **SYMPTOMS,
            "stopped_with_movement": gettext_lazy("Did it stop when you moved the muscle?"),
            "context": gettext_lazy("What were you doing?"),
            "notes": gettext_lazy("Notes"),
        }
        widgets = {
            "intensity": forms.RadioSelect,
            "pattern": forms.RadioSelect,
            "stopped_with_movement": forms.RadioSelect,
            "context": forms.RadioSelect,
        }

    def __init__(self, *args, user, zone: zoneinfo.ZoneInfo, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.zone = zone
        self.fields["triggers"].queryset = Trigger.objects.offered_to(user, self.instance)
        for name in ("intensity", "pattern", "stopped_with_movement", "context"):
            # Not picking one means "not said". A new episode needs no chip for that; editing
            # one does, or an answer once given could never be taken back.
            field = self.fields[name]
            answers = [c for c in field.choices if c[0] not in ("", None)]
            field.choices = [("", _("Not said")), *answers] if self.instance.pk else answers
        self.fields["intensity"].error_messages["invalid_choice"] = _(
            "Choose a strength from 1 (barely noticeable) to 5 (very strong)."
        )
        if self.instance.pk and not self.is_bound:
            self._initial_from_instance()
            if self.instance.visible is None:
                self.initial["visible"] = ""  # "Not sure" shows as chosen

    def _initial_from_instance(self) -> None:
        episode = self.instance
        self.initial["when"] = "custom"
        self.initial["started_at_local"] = episode.local_started_at.replace(tzinfo=None)
        seconds = int(episode.duration.total_seconds())
        if str(seconds) in dict(DURATION_PRESETS):
            self.initial["duration_preset"] = str(seconds)
        else:
            self.initial["duration_preset"] = "custom"
            unit = "hours" if seconds % 3600 == 0 else "minutes" if seconds % 60 == 0 else "seconds"
            self.initial["duration_amount"] = seconds // UNIT_SECONDS[unit]
            self.initial["duration_unit"] = unit

    @property
    def selected_site_codes(self) -> set[str]:
        """Codes of the sites ticked in this form (bound data, initial data or the instance)."""
        value = self["sites"].value() or []
        return {getattr(item, "code", item) for item in value}

    @property
    def site_regions(self) -> list[tuple[str, list[tuple[str, str]]]]:
        return catalogue_by_region()

    @property
    def symptom_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SYMPTOMS]

    @property
    def details_open(self) -> bool:
        """Open "More details" when it holds an error or (editing) anything already recorded."""
        if any(name in self.errors for name in DETAIL_FIELDS):
            return True
        given = any(self[name].value() for name in DETAIL_FIELDS if name != "visible")
        seen = self["visible"].value() not in (None, "")  # its "No" is an answer too
        return (given or seen) and bool(self.instance.pk)

    @property
    def needs_fold(self) -> bool:
        """The chosen time happens twice; the form shows the 'which one?' choice."""
        return "fold" in self.errors or bool(self.data.get("fold"))

    def validate_constraints(self) -> None:
        """
        Not asked of the database here: the fields already bound each value Episode's check
        constraints test (the strength's choices, _clean_duration), and Django would run a
        query per constraint for it. The database still enforces them on save.
        """

    def clean_new_trigger(self) -> str:
        name = " ".join(self.cleaned_data["new_trigger"].split())
        if name and not trigger_slug(name):
            raise ValidationError(_("Use letters or numbers in the trigger's name."))
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        self._clean_started_at(cleaned)
        self._clean_duration(cleaned)
        return cleaned

    def _clean_started_at(self, cleaned: dict) -> None:
        now = timezone.now()
        when = cleaned.get("when")
        if when in ("now", "15", "60"):
            started_at = now - timedelta(minutes=0 if when == "now" else int(when))
        elif when == "custom":
            local = cleaned.get("started_at_local")
            if local is None:
                if "started_at_local" not in self.errors:
                    self.add_error("started_at_local", _("Enter the date and time it started."))
                return
            if local.date() < EARLIEST_DATE:
                self.add_error("started_at_local", _("That date is before 1900. Check the year."))
                return
            if local.date() > now.date() + timedelta(days=2):
                # Later than today anywhere on Earth; checked before converting, because a
                # wall time near year 9999 overflows on its way to UTC.
                self.add_error("started_at_local", _("That time is in the future. Check the date."))
                return
            try:
                started_at = self._unchanged_started_at(
                    local, cleaned.get("fold")
                ) or make_aware_strict(local, self.zone, cleaned.get("fold"))
            except NonexistentTimeError:
                self.add_error(
                    "started_at_local",
                    _(
                        "%(time)s did not exist on %(day)s in %(zone)s: the clocks went forward. "
                        "Pick a time just before or after."
                    )
                    % {
                        "time": clock_time(local),
                        "day": day_month_year(local),
                        "zone": self.zone.key,
                    },
                )
                return
            except AmbiguousTimeError:
                self.add_error(
                    "fold",
                    _(
                        "%(time)s happened twice on %(day)s (the clocks went back). "
                        "Which one was it?"
                    )
                    % {"time": clock_time(local), "day": day_month_year(local)},
                )
                return
        else:
            return
        if started_at > now + FUTURE_TOLERANCE:
            self.add_error("started_at_local", _("That time is in the future. Check the date."))
            return
        self.instance.started_at = started_at
        if not self.instance.pk:
            self.instance.timezone = self.zone.key

    def _unchanged_started_at(self, local: datetime, fold: int | None) -> datetime | None:
        """
        Editing, with the time field still showing the episode's own time: keep the stored
        instant. The input has minutes only, so re-deriving it would drop the seconds, and
        the second of two repeated times (clocks went back) would need "which one?" again.
        """
        if not self.instance.pk:
            return None
        own = self.instance.local_started_at
        same_minute = own.replace(tzinfo=None, second=0, microsecond=0) == local.replace(
            second=0, microsecond=0
        )
        if same_minute and fold in (None, own.fold):
            return self.instance.started_at
        return None

    def _clean_duration(self, cleaned: dict) -> None:
        preset = cleaned.get("duration_preset")
        if preset is None:
            return
        if preset != "custom":
            duration = timedelta(seconds=int(preset))
        else:
            amount, unit = cleaned.get("duration_amount"), cleaned.get("duration_unit") or "seconds"
            if amount is None:
                if "duration_amount" not in self.errors:
                    self.add_error("duration_amount", _("Enter how long it lasted."))
                return
            duration = timedelta(seconds=float(amount) * UNIT_SECONDS[unit])
        if duration < MIN_DURATION:
            self.add_error("duration_amount", _("The duration must be at least 1 second."))
        elif duration > MAX_DURATION:
            self.add_error(
                "duration_amount",
                _("The duration can be at most 24 hours. For longer, log one episode a day."),
            )
        else:
            self.instance.duration = timedelta(seconds=round(duration.total_seconds()))

    def save(self, commit: bool = True) -> Episode:
        self.instance.user = self.user
        if commit and self.instance._state.adding:
            return self._insert()
        episode = super().save(commit=commit)
        if commit and self.cleaned_data.get("new_trigger"):
            trigger = find_or_create_trigger(self.user, self.cleaned_data["new_trigger"])
            episode.triggers.add(trigger)
        return episode

    def _insert(self) -> Episode:
        """
        A new episode and its links: the links go straight in (a new episode has none to
        compare with, which is all `set()` would SELECT for). `saved_sites` and
        `saved_triggers` then hold what it was saved with, for its summary and its row.
        """
        episode = super().save(commit=False)
        episode.save()
        sites = list(self.cleaned_data["sites"])
        triggers = list(self.cleaned_data.get("triggers") or [])
        if name := self.cleaned_data.get("new_trigger"):
            trigger = find_or_create_trigger(self.user, name)
            if trigger.pk not in {t.pk for t in triggers}:
                triggers.append(trigger)
        through = Episode.sites.through
        through.objects.bulk_create(through(episode=episode, bodysite=s) for s in sites)
        if triggers:
            through = Episode.triggers.through
            through.objects.bulk_create(through(episode=episode, trigger=t) for t in triggers)
        self.saved_sites, self.saved_triggers = sites, triggers
        return episode

    def new_episode(self, episode: Episode) -> NewEpisode:
        """What the summary needs of the episode this form has just inserted."""
        return NewEpisode(
            episode,
            tuple((s.code, s.region) for s in self.saved_sites),
            tuple(t.pk for t in self.saved_triggers),
        )


# How old a tap may be when its entry arrives. Older, and the phone's clock or the entry is
# suspect: the person picks the time instead.
TAP_WINDOW = timedelta(days=30)
# The "When did it start?" choices that count back from the tap.
MINUTES_BEFORE_TAP = {"now": 0, "15": 15, "60": 60}


class LogEpisodeForm(EpisodeForm):
    """
    The Log page's form: the episode form plus two fields the page's script adds for logging
    that survives a lost connection. `client_uuid`, made on the phone, makes a repeated post
    return the episode it already created (diary/episodes/saving.py); `tapped_at`, the moment
    of the tap, is what "now", "15 min ago" and "1 h ago" count back from, however late the
    entry arrives. Without JavaScript both are absent and the server makes the UUID.
    """

    client_uuid = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)
    tapped_at = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def clean_client_uuid(self) -> UUID | None:
        raw = self.cleaned_data["client_uuid"].strip()
        if not raw:
            return None
        try:
            return UUID(raw)
        except ValueError:
            # A hidden field: say it where the person reads it.
            self.add_error(None, _("This entry's id is not one we can read. Log it again."))
            return None

    def clean_tapped_at(self) -> datetime | None:
        raw = self.cleaned_data["tapped_at"].strip()
        if not raw:
            return None
        try:
            tapped = datetime.fromisoformat(raw)
        except ValueError:
            tapped = None
        if tapped is None or tapped.tzinfo is None:
            self.add_error("when", _("The time of the tap is not one we can read. Pick the time."))
            return None
        return tapped

    def clean(self) -> dict:
        cleaned = super().clean()
        tapped, when = cleaned.get("tapped_at"), cleaned.get("when")
        if tapped is None or when not in MINUTES_BEFORE_TAP:
            return cleaned
        now = timezone.now()
        if tapped > now + FUTURE_TOLERANCE:
            self.add_error(
                "when", _("This phone's clock is ahead of ours. Pick the time it started instead.")
            )
        elif tapped < now - TAP_WINDOW:
            self.add_error(
                "when",
                ngettext(
                    "This entry was saved on %(day)s, more than %(days)d day ago. "
                    "Pick the time it started.",
                    "This entry was saved on %(day)s, more than %(days)d days ago. "
                    "Pick the time it started.",
                    TAP_WINDOW.days,
                )
                % {"day": day_month_year(tapped.astimezone(self.zone)), "days": TAP_WINDOW.days},
            )
        else:
            self.instance.started_at = tapped - timedelta(minutes=MINUTES_BEFORE_TAP[when])
        return cleaned
