"""Forms: logging and editing episodes, history filters, profile and sign-up."""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from diary.form_messages import PlainMessagesMixin
from diary.models import (
    APPOINTMENT_NOTE_MAX_LENGTH,
    CHECK_NOTE_MAX_LENGTH,
    FUNCTION_NOTE_MAX_LENGTH,
    FUNCTION_TASKS,
    MAX_DURATION,
    MIN_DURATION,
    NOTES_MAX_LENGTH,
    SYMPTOMS,
    BodySite,
    Episode,
    FunctionCheck,
    Profile,
    Region,
    Trigger,
    available_timezones,
    catalogue_by_region,
    trigger_slug,
    validate_timezone,
)
from diary.timeutil import AmbiguousTimeError, NonexistentTimeError, make_aware_strict

# How far ahead of the server clock a logged time may be (phone clocks drift).
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_DATE = date(1900, 1, 1)

WHEN_CHOICES = [("now", "Now"), ("15", "15 min ago"), ("60", "1 h ago"), ("custom", "Pick a time")]
DURATION_PRESETS = [
    ("5", "A few seconds"),
    ("30", "~30 s"),
    ("60", "~1 min"),
    ("300", "~5 min"),
    ("900", "~15 min"),
    ("3600", "~1 h"),
    ("custom", "Exact"),
]
DURATION_UNITS = [("seconds", "seconds"), ("minutes", "minutes"), ("hours", "hours")]
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600}
# Fields under "More details" on the form.
DETAIL_FIELDS = ["pattern", *SYMPTOMS, "stopped_with_movement", "visible", "context", "notes"]
FOLD_CHOICES = [("0", "The first time (before the clocks went back)"), ("1", "The second time")]


def html_date(value: str) -> str:
    """
    `value` if it is a real date in HTML's yyyy-mm-dd form, else "". A date input cannot hold
    anything else: the browser shows it empty, and the HTML with it is invalid.
    """
    try:
        return date.fromisoformat(value).isoformat() if ISO_DAY.fullmatch(value) else ""
    except ValueError:
        return ""


class DateInput(forms.DateInput):
    """A date input that echoes back only a real date (the error message says what was wrong)."""

    def format_value(self, value):
        formatted = super().format_value(value)
        return html_date(formatted) if isinstance(formatted, str) else formatted


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock time, left naive: the form decides its zone (and refuses DST gaps)."""

    def to_python(self, value):
        # Parse in UTC, where every wall time exists, so Django's own zone conversion never
        # rejects a DST-gap time before the form can say what is wrong with it.
        with timezone.override(UTC):
            result = super().to_python(value)
        return result.replace(tzinfo=None) if result else result


class MultilineField(forms.CharField):
    """
    Text from a <textarea>. Browsers send its line breaks as CRLF but count each as one
    character against `maxlength`; keep them as "\n" so a note the browser let through is not
    then refused as too long.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value


class SiteChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "required": "Choose at least one body site: where did you feel it?",
        "invalid_choice": "“%(value)s” is not a body site we know. Choose one from the list.",
        "invalid_pk_value": "“%(pk)s” is not a body site we know. Choose one from the list.",
    }


class TriggerChoiceField(forms.ModelMultipleChoiceField):
    default_error_messages = {
        "invalid_choice": "That trigger is not one of yours. Choose one from the list.",
        "invalid_pk_value": "That trigger is not one of yours. Choose one from the list.",
    }

    def label_from_instance(self, obj: Trigger) -> str:
        return obj.name

    def _check_values(self, value):
        # Django binds the ids as posted, and SQLite cannot bind an integer past 64 bits
        # (OverflowError): refuse anything that is not a plausible id before querying.
        for pk in value:
            if not re.fullmatch(r"[0-9]{1,18}", str(pk)):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class EpisodeForm(PlainMessagesMixin, forms.ModelForm):
    """
    Log or edit an episode. Defaults make the common case three taps: site, site, Log
    (time = now, duration = a few seconds).

    `zone` interprets the wall-clock time the person picks; the view passes the profile zone
    for a new episode and the episode's own zone when editing.
    """

    when = forms.ChoiceField(choices=WHEN_CHOICES, initial="now", widget=forms.RadioSelect)
    started_at_local = LocalDateTimeField(
        label="Date and time",
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
    )
    fold = forms.TypedChoiceField(
        label="Which one?",
        choices=FOLD_CHOICES,
        coerce=int,
        # None, not "": an unanswered "which one?" must not silently pick the first time.
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    duration_preset = forms.ChoiceField(
        label="How long", choices=DURATION_PRESETS, initial="5", widget=forms.RadioSelect
    )
    duration_amount = forms.DecimalField(
        label="Exact duration",
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any", "min": "0"}),
    )
    duration_unit = forms.ChoiceField(
        label="Unit", choices=DURATION_UNITS, initial="seconds", required=False
    )
    sites = SiteChoiceField(
        queryset=BodySite.objects.all(),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        label="Where",
    )
    triggers = TriggerChoiceField(
        queryset=Trigger.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Suspected triggers",
    )
    new_trigger = forms.CharField(
        label="Add your own trigger",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"placeholder": "e.g. alcohol", "autocomplete": "off"}),
    )
    # Form CharFields refuse NUL characters already ("Null characters are not allowed.");
    # adding validate_no_nul too would show two messages for one problem.
    notes = MultilineField(
        required=False,
        max_length=NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTES_MAX_LENGTH}),
        error_messages={
            "max_length": (
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
            field.choices = [("", "Not said"), *answers] if self.instance.pk else answers
        self.fields["intensity"].error_messages["invalid_choice"] = (
            "Choose a strength from 1 (barely noticeable) to 5 (very strong)."
        )
        if self.instance.pk and not self.is_bound:
            self._initial_from_instance()

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
        return any(bool(self[name].value()) for name in DETAIL_FIELDS) and bool(self.instance.pk)

    @property
    def needs_fold(self) -> bool:
        """The chosen time happens twice; the form shows the 'which one?' choice."""
        return "fold" in self.errors or bool(self.data.get("fold"))

    def clean_new_trigger(self) -> str:
        name = " ".join(self.cleaned_data["new_trigger"].split())
        if name and not trigger_slug(name):
            raise ValidationError("Use letters or numbers in the trigger's name.")
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
                    self.add_error("started_at_local", "Enter the date and time it started.")
                return
            if local.date() < EARLIEST_DATE:
                self.add_error("started_at_local", "That date is before 1900. Check the year.")
                return
            if local.date() > now.date() + timedelta(days=2):
                # Later than today anywhere on Earth; checked before converting, because a
                # wall time near year 9999 overflows on its way to UTC.
                self.add_error("started_at_local", "That time is in the future. Check the date.")
                return
            try:
                started_at = self._unchanged_started_at(
                    local, cleaned.get("fold")
                ) or make_aware_strict(local, self.zone, cleaned.get("fold"))
            except NonexistentTimeError:
                self.add_error(
                    "started_at_local",
                    f"{local:%H:%M} did not exist on {local:%d %b %Y} in {self.zone.key}: "
                    "the clocks went forward. Pick a time just before or after.",
                )
                return
            except AmbiguousTimeError:
                self.add_error(
                    "fold",
                    f"{local:%H:%M} happened twice on {local:%d %b %Y} (the clocks went back). "
                    "Which one was it?",
                )
                return
        else:
            return
        if started_at > now + FUTURE_TOLERANCE:
            self.add_error("started_at_local", "That time is in the future. Check the date.")
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
                    self.add_error("duration_amount", "Enter how long it lasted.")
                return
            duration = timedelta(seconds=float(amount) * UNIT_SECONDS[unit])
        if duration < MIN_DURATION:
            self.add_error("duration_amount", "The duration must be at least 1 second.")
        elif duration > MAX_DURATION:
            self.add_error(
                "duration_amount",
                "The duration can be at most 24 hours. For longer, log one episode a day.",
            )
        else:
            self.instance.duration = timedelta(seconds=round(duration.total_seconds()))

    def save(self, commit: bool = True) -> Episode:
        self.instance.user = self.user
        episode = super().save(commit=commit)
        if commit and self.cleaned_data.get("new_trigger"):
            trigger = find_or_create_trigger(self.user, self.cleaned_data["new_trigger"])
            episode.triggers.add(trigger)
        return episode


def find_or_create_trigger(user, name: str) -> Trigger:
    """The built-in or own trigger with this name's slug, or a new own trigger."""
    slug = trigger_slug(name)
    same = Trigger.objects.for_user(user).filter(Q(slug=slug) | Q(name__iexact=name))
    if existing := same.first():
        return existing
    try:
        with transaction.atomic():
            return Trigger.objects.create(user=user, name=name, slug=slug)
    except IntegrityError:
        # The same name arrived twice at once (a double tap): use the one that won.
        return same.get()


class HistoryFilterForm(PlainMessagesMixin, forms.Form):
    """History filters; every field optional, every bad value a message, never a 500."""

    start = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, e.g. 2026-03-01."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Enter a real date, e.g. 2026-03-31."},
    )
    site = forms.ChoiceField(label="Body site", required=False)
    trigger = forms.ChoiceField(label="Trigger", required=False)
    symptom = forms.ChoiceField(
        label="Also noticed",
        required=False,
        choices=[("", "Any"), *SYMPTOMS.items()],
        error_messages={"invalid_choice": "Choose a symptom from the list."},
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        regions = [
            (f"region:{value}", f"All of {label.lower()}") for value, label in Region.choices
        ]
        sites_by_region: dict[str, list[tuple[str, str]]] = {}
        for site in BodySite.objects.all():
            sites_by_region.setdefault(Region(site.region).label, []).append((site.code, site.name))
        self.fields["site"].choices = [
            ("", "Any body site"),
            ("Regions", regions),
            *sites_by_region.items(),
        ]
        self.fields["trigger"].choices = [("", "Any trigger")] + [
            (t.slug, t.name) for t in Trigger.objects.for_user(user)
        ]

    def add_prefix(self, field_name: str) -> str:
        # URLs say ?from=…&to=… (bookmarkable, as in DESIGN.md); `from` is a Python keyword.
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "“To” is before “From”. Swap the dates?")
        for name in ("start", "end"):
            day = cleaned.get(name)
            if day and day < EARLIEST_DATE:
                self.add_error(name, "That date is before 1900. Check the year.")
        return cleaned

    def filter(self, episodes):
        """Apply the valid filters to an episode queryset."""
        data = self.cleaned_data
        episodes = episodes.on_local_dates(data.get("start"), data.get("end"))
        site = data.get("site")
        if site and site.startswith("region:"):
            episodes = episodes.filter(sites__region=site.removeprefix("region:"))
        elif site:
            episodes = episodes.filter(sites__code=site)
        if data.get("trigger"):
            episodes = episodes.filter(triggers__slug=data["trigger"])
        if data.get("symptom"):
            episodes = episodes.filter(**{data["symptom"]: True})
        # Filtering across a many-to-many can repeat an episode; distinct keeps one row each.
        return episodes.distinct() if site or data.get("trigger") else episodes


class TimezoneField(forms.ChoiceField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            "choices", lambda: [(z, z.replace("_", " ")) for z in sorted(available_timezones())]
        )
        kwargs.setdefault("validators", [validate_timezone])
        super().__init__(**kwargs)


class ProfileForm(PlainMessagesMixin, forms.ModelForm):
    timezone = TimezoneField(label="Time zone", help_text="Times and days are shown in this zone.")

    class Meta:
        model = Profile
        fields = ["display_name", "timezone"]


PASSWORD_RULES = (
    "At least 8 characters. Not a common password, not only digits, and not close to your "
    "username. A few words strung together are easy to remember and hard to guess."
)


class SignUpForm(PlainMessagesMixin, UserCreationForm):
    """
    A username and password; optional e-mail (for password reset) and name (for the report);
    the time zone comes preset from the browser.
    """

    display_name = forms.CharField(
        label="Your name for the report (optional)",
        required=False,
        max_length=80,
        help_text="Printed on your doctor summary. You can change it later in Settings.",
    )
    timezone = TimezoneField(
        label="Time zone",
        initial="UTC",
        help_text="Preset from this device. Days and weeks in your diary follow this zone.",
        widget=forms.Select(attrs={"data-autodetect-timezone": ""}),
    )

    class Meta(UserCreationForm.Meta):
        fields = ["username", "email"]
        labels = {"email": "E-mail (optional)"}
        help_texts = {
            "username": "You log in with it. Letters, digits and @ . + - _ only.",
            "email": "Only used to reset a forgotten password. Leave it empty if you like.",
        }

        widgets = {"email": forms.EmailInput(attrs={"autocomplete": "email"})}

    field_order = ["username", "password1", "password2", "email", "display_name", "timezone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = PASSWORD_RULES
        self.fields["password2"].help_text = "The same password again, to be sure of it."

    def validate_password_for_user(self, user, **kwargs) -> None:
        # Next to the field the password was typed in, not under the confirmation.
        super().validate_password_for_user(user, password_field_name="password1")

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            # Replace the profile cached on `user` by the post_save signal (still on UTC).
            user.profile, _ = Profile.objects.update_or_create(
                user=user,
                defaults={
                    "timezone": self.cleaned_data["timezone"],
                    "display_name": self.cleaned_data["display_name"].strip(),
                },
            )
        return user

    def save_once(self):
        """The new user, or None if a concurrent request took the username a moment ago."""
        try:
            with transaction.atomic():
                return self.save()
        except IntegrityError:
            return None


class TriggerForm(PlainMessagesMixin, forms.ModelForm):
    class Meta:
        model = Trigger
        fields = ["name"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        slug = trigger_slug(name)
        if not slug:
            raise ValidationError("Use letters or numbers in the trigger's name.")
        if Trigger.objects.for_user(self.user).filter(Q(slug=slug) | Q(name__iexact=name)).exists():
            raise ValidationError("You already have a trigger with that name.")
        return name

    def save(self, commit: bool = True) -> Trigger:
        self.instance.user = self.user
        return super().save(commit=commit)

    def twin(self) -> Trigger:
        """The trigger a concurrent identical request saved (see diary/once.py)."""
        slug = trigger_slug(self.cleaned_data["name"])
        return Trigger.objects.filter(user=self.user).get(slug=slug)


# --- Appointment prep: function check, appointment notes, report range (issue 4) ---

YES_NO = [(False, "No"), (True, "Yes")]


def _yes(value) -> bool:
    return value in (True, "True")


class FunctionCheckForm(PlainMessagesMixin, forms.ModelForm):
    """
    The function check: one "new or worse since your last check?" per concrete task, "No"
    preselected so a person only taps what changed, each with an optional short note.
    """

    date = forms.DateField(
        label="Date of the check",
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, e.g. 2026-03-01."},
    )
    note = MultilineField(
        label="Anything else you noticed",
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
        for name, task in FUNCTION_TASKS.items():
            self.fields[name] = forms.TypedChoiceField(
                label=task,
                choices=YES_NO,
                coerce=_yes,
                initial=False,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Answer yes or no.",
                    "invalid_choice": "Answer yes or no.",
                },
            )
            self.fields[f"{name}_note"] = forms.CharField(
                label=f"Note on {task[0].lower()}{task[1:]} (optional)",
                required=False,
                max_length=FUNCTION_NOTE_MAX_LENGTH,
                widget=forms.TextInput(
                    attrs={
                        "maxlength": FUNCTION_NOTE_MAX_LENGTH,
                        "placeholder": "What changed? (optional)",
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
            raise ValidationError("That date is in the future. Check the date.")
        if day < EARLIEST_DATE:
            raise ValidationError("That date is before 1900. Check the year.")
        taken = FunctionCheck.objects.for_user(self.user).filter(date=day)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        self.existing = taken.first()
        if self.existing is not None:
            raise ValidationError(
                "You already have a check for %(day)s. Edit that one instead.",
                params={"day": f"{day:%-d %b %Y}"},
                code="duplicate_date",
            )
        return day

    def save(self, commit: bool = True) -> FunctionCheck:
        self.instance.user = self.user
        return super().save(commit=commit)

    def twin(self) -> FunctionCheck:
        """The check a concurrent identical request saved for this date (see diary/once.py)."""
        return FunctionCheck.objects.for_user(self.user).get(date=self.cleaned_data["date"])

    def date_taken(self) -> None:
        """Another check took this date between validation and saving: say so on the field."""
        day = self.cleaned_data["date"]
        self.existing = self.twin()
        self.add_error(
            "date",
            ValidationError(
                "You already have a check for %(day)s. Edit that one instead.",
                params={"day": f"{day:%-d %b %Y}"},
                code="duplicate_date",
            ),
        )


class AppointmentNotesForm(PlainMessagesMixin, forms.ModelForm):
    """What the doctor should know, kept on the profile and printed on the report."""

    class Meta:
        model = Profile
        fields = ["medicines", "tests_done", "questions"]
        labels = {
            "medicines": "Medicines and supplements",
            "tests_done": "Tests already done",
            "questions": "Questions to ask your doctor",
        }
        help_texts = {
            "medicines": "Names and doses, and when you started or stopped them.",
            "tests_done": "E.g. blood tests, EMG, scans: when, and what you were told.",
            "questions": "One per line.",
        }
        widgets = {
            name: forms.Textarea(attrs={"rows": 3, "maxlength": APPOINTMENT_NOTE_MAX_LENGTH})
            for name in ["medicines", "tests_done", "questions"]
        }
        field_classes = dict.fromkeys(["medicines", "tests_done", "questions"], MultilineField)


RANGE_PRESETS = {"4": "Last 4 weeks", "12": "Last 12 weeks"}
RANGE_CHOICES = [*RANGE_PRESETS.items(), ("since", "Since a date"), ("custom", "From … to …")]


class ReportRangeForm(PlainMessagesMixin, forms.Form):
    """
    The report's period: a preset, "since a date" (to today) or from/to. Resolves to the
    `?weeks=N` / `?from=…&to=…` parameters insights.parse_period understands. Also accepts those
    parameters directly (links from the trends page and the PDF), ticking the matching choice.
    """

    range = forms.ChoiceField(
        label="Period", choices=RANGE_CHOICES, widget=forms.RadioSelect, initial="12"
    )
    start = forms.DateField(
        label="From",
        required=False,
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, e.g. 2026-03-01."},
    )
    end = forms.DateField(
        label="To",
        required=False,
        widget=DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter a real date, e.g. 2026-03-31."},
    )

    def __init__(self, data=None, *, today: date, **kwargs) -> None:
        self.today = today
        data = data.copy() if data is not None else {}
        if not data.get("range"):
            if data.get("weeks"):
                data["range"] = data["weeks"]
            elif data.get("from"):
                data["range"] = "custom" if data.get("to") else "since"
            else:
                data["range"] = "12"
        super().__init__(data, **kwargs)
        weeks = data["range"]
        if weeks not in dict(RANGE_CHOICES) and re.fullmatch(r"[0-9]{1,3}", weeks):
            # Another preset, e.g. ?weeks=26 from the trends page. ASCII digits only: "²" is
            # a digit to str.isdigit() but not to int().
            self.fields["range"].choices = [*RANGE_CHOICES, (weeks, f"Last {int(weeks)} weeks")]

    def add_prefix(self, field_name: str) -> str:
        # ?from=…&to=… like the trends page and the PDF (`from` is a Python keyword).
        return {"start": "from", "end": "to"}.get(field_name, field_name)

    def clean(self) -> dict:
        cleaned = super().clean()
        choice, start, end = cleaned.get("range"), cleaned.get("start"), cleaned.get("end")
        if choice in ("since", "custom") and start is None and "start" not in self.errors:
            self.add_error("start", "Enter the first day of the period.")
        if choice == "custom" and end is None and "end" not in self.errors:
            self.add_error("end", "Enter the last day of the period.")
        return cleaned

    def period_params(self) -> dict[str, str]:
        """The cleaned choice as parse_period parameters."""
        data = self.cleaned_data
        if data["range"] == "since":
            return {"from": data["start"].isoformat(), "to": self.today.isoformat()}
        if data["range"] == "custom":
            return {"from": data["start"].isoformat(), "to": data["end"].isoformat()}
        return {"weeks": data["range"]}
