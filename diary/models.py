"""
Twitchlog's data: the body-site catalogue, triggers, episodes and the user's profile.

Times: an episode keeps the aware instant (stored UTC), the IANA zone in force when it was
logged and the calendar date and hour in that zone, so "a twitch at 23:30 on Sunday" stays on
Sunday at 23:00 wherever the server runs and whatever zone the user moves to later. Every count
groups by those stored values ("one clock"); no query converts zones per row.

DaySummary is derived data: one row per user and local date, written only by
diary.changes.data_changed (in the same transaction as the episode write).
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import slugify

from diary.dateranges import within_dates

MIN_DURATION = timedelta(seconds=1)
MAX_DURATION = timedelta(hours=24)
NOTES_MAX_LENGTH = 2000
APPOINTMENT_NOTE_MAX_LENGTH = 2000


@cache
def available_timezones() -> frozenset[str]:
    # Debian's zoneinfo has "localtime", a link to the server's /etc/localtime: not an IANA
    # zone, and a diary in it would move (or stop loading) with the server's configuration.
    return frozenset(zoneinfo.available_timezones() - {"localtime"})


def validate_timezone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(
            "“%(value)s” is not a time zone we know. Pick one from the list, e.g. Europe/London.",
            params={"value": value},
            code="invalid_timezone",
        )


def validate_no_nul(value: str) -> None:
    if "\x00" in value:
        raise ValidationError("The text contains a NUL character; please remove it.", code="nul")


APPOINTMENT_NOTE_VALIDATORS = [MaxLengthValidator(APPOINTMENT_NOTE_MAX_LENGTH), validate_no_nul]


class Region(models.TextChoices):
    """Body regions: plain names for users, the clinical term for the report."""

    BULBAR = "bulbar", "Head & face"
    CERVICAL = "cervical", "Neck & arms"
    THORACIC = "thoracic", "Trunk"
    LUMBOSACRAL = "lumbosacral", "Legs & feet"

    @property
    def clinical_label(self) -> str:
        """'Neck & arms (cervical)': only for the PDF's body-sites table, for the clinician."""
        return f"{self.label} ({self.value})"


class Side(models.TextChoices):
    LEFT = "left", "Left"
    RIGHT = "right", "Right"
    MIDLINE = "midline", "Midline"


class BodySite(models.Model):
    """A fixed catalogue seeded by a data migration; `code` is stable and used in exports."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=60)
    area = models.SlugField(max_length=40)
    side = models.CharField(max_length=7, choices=Side)
    region = models.CharField(max_length=12, choices=Region)
    sort_order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.name


_catalogue_by_region: dict[str, list] = {}


def catalogue_by_region() -> list[tuple[str, list[tuple[str, str]]]]:
    """
    The body-site catalogue as (region label, [(code, name), ...]) in catalogue order.

    Read once per process: the catalogue is fixed by a migration, and every Log page lists it.
    """
    if "regions" not in _catalogue_by_region:
        grouped: dict[str, list[tuple[str, str]]] = {}
        for code, name, region in BodySite.objects.values_list("code", "name", "region"):
            grouped.setdefault(Region(region).label, []).append((code, name))
        if grouped:  # Not before the catalogue migration has run.
            # One assignment: two threads filling it at once each store a whole list.
            _catalogue_by_region["regions"] = list(grouped.items())
        return list(grouped.items())
    return _catalogue_by_region["regions"]


def trigger_slug(name: str) -> str:
    """
    A trigger's slug: ASCII when that keeps every letter ("Café" -> "cafe"), else in the name's
    own script. ASCII alone turns "Кофе" into "" (refused) and "Кофе 2" into "2", which "Чай 2"
    would then be taken for.
    """
    ascii_slug, own_slug = slugify(name), slugify(name, allow_unicode=True)
    if sum(c.isalnum() for c in ascii_slug) < sum(c.isalnum() for c in own_slug):
        return own_slug[:50]
    return ascii_slug[:50]


class TriggerQuerySet(models.QuerySet["Trigger"]):
    def for_user(self, user) -> TriggerQuerySet:
        """The built-in triggers plus the user's own."""
        return self.filter(Q(user__isnull=True) | Q(user=user))

    def offered_to(self, user, episode: Episode | None = None) -> TriggerQuerySet:
        """
        The triggers the Log page offers: for_user minus the built-ins the user hid, except
        those already on `episode` (an answer once given stays editable).
        """
        hidden = Q(hidden_by__user=user)
        if episode is not None and episode.pk:
            hidden &= ~Q(pk__in=episode.triggers.values("pk"))
        return self.for_user(user).exclude(hidden)


class Trigger(models.Model):
    """A suspected trigger: a built-in (user is null) or one a user added."""

    name = models.CharField(max_length=40)
    slug = models.SlugField(max_length=50, allow_unicode=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="triggers",
    )

    objects = TriggerQuerySet.as_manager()

    class Meta:
        ordering = ["user_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "slug"], name="trigger_unique_slug_per_user"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(user__isnull=True), name="trigger_unique_builtin_slug"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = trigger_slug(self.name)
        super().save(*args, **kwargs)

    @property
    def is_builtin(self) -> bool:
        return self.user_id is None


class Intensity(models.IntegerChoices):
    BARELY = 1, "Barely noticeable"
    MILD = 2, "Mild"
    MODERATE = 3, "Moderate"
    STRONG = 4, "Strong"
    VISIBLE = 5, "Very strong / visible"


class Pattern(models.TextChoices):
    SINGLE = "single", "A single twitch"
    FEW = "few", "A few twitches"
    CONTINUOUS = "continuous", "Continuous"


class Movement(models.TextChoices):
    """Whether moving the muscle stopped it: recorded as a description, never scored."""

    YES = "yes", "Yes, it stopped"
    NO = "no", "No, it went on"
    NOT_TRIED = "not_tried", "Didn't try"


class Context(models.TextChoices):
    REST = "rest", "At rest"
    LYING = "lying", "Lying down or falling asleep"
    ACTIVITY = "activity", "During activity"
    AFTER_EXERCISE = "after_exercise", "After exercise"
    WAKING = "waking", "On waking"


# Associated symptoms: field name -> the word shown to users and clinicians.
SYMPTOMS: dict[str, str] = {
    "weakness": "Weakness",
    "cramps": "Cramps",
    "fatigue": "Fatigue",
    "stiffness": "Stiffness",
    "numbness": "Numbness or tingling",
}


class EpisodeQuerySet(models.QuerySet["Episode"]):
    def for_user(self, user, *, include_deleted: bool = False) -> EpisodeQuerySet:
        """The user's episodes; soft-deleted ones only when asked for (Undo)."""
        qs = self.filter(user=user)
        return qs if include_deleted else qs.filter(deleted_at__isnull=True)

    def in_range(self, start: datetime | None, end: datetime | None) -> EpisodeQuerySet:
        """Episodes that started in [start, end): aware instants, either end open."""
        qs = self
        if start is not None:
            qs = qs.filter(started_at__gte=start)
        if end is not None:
            qs = qs.filter(started_at__lt=end)
        return qs

    def on_local_dates(self, first: date | None, last: date | None) -> EpisodeQuerySet:
        """Episodes whose local calendar date is within [first, last], either end open."""
        return within_dates(self, "local_date", first, last)

    def with_related(self) -> EpisodeQuerySet:
        """Prefetch what episode lists show, so a page costs the same queries at any size."""
        return self.prefetch_related("sites", "triggers")

    def newest_first(self) -> EpisodeQuerySet:
        return self.order_by("-started_at", "-id")


class Episode(models.Model):
    """One bout of twitching."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="episodes"
    )
    started_at = models.DateTimeField()
    timezone = models.CharField(max_length=64, validators=[validate_timezone])
    local_date = models.DateField(editable=False)
    # The local hour (0-23) in the zone it was logged in: what the time-of-day charts group by.
    local_hour = models.PositiveSmallIntegerField(
        editable=False, default=0, validators=[MaxValueValidator(23)]
    )
    duration = models.DurationField(
        validators=[MinValueValidator(MIN_DURATION), MaxValueValidator(MAX_DURATION)]
    )
    sites = models.ManyToManyField(BodySite, related_name="episodes")
    intensity = models.PositiveSmallIntegerField(choices=Intensity, null=True, blank=True)
    pattern = models.CharField(max_length=10, choices=Pattern, blank=True)
    triggers = models.ManyToManyField(Trigger, blank=True, related_name="episodes")
    weakness = models.BooleanField(default=False)
    cramps = models.BooleanField(default=False)
    fatigue = models.BooleanField(default=False)
    stiffness = models.BooleanField(default=False)
    numbness = models.BooleanField("numbness or tingling", default=False)
    stopped_with_movement = models.CharField(
        "stopped when moved", max_length=9, choices=Movement, blank=True
    )
    visible = models.BooleanField("visible under the skin", default=False)
    context = models.CharField(max_length=14, choices=Context, blank=True)
    notes = models.TextField(
        blank=True, validators=[MaxLengthValidator(NOTES_MAX_LENGTH), validate_no_nul]
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["user", "local_date"], name="episode_user_local_date"),
            models.Index(fields=["user", "started_at"], name="episode_user_started_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration__gte=MIN_DURATION) & Q(duration__lte=MAX_DURATION),
                name="episode_duration_1s_to_24h",
            ),
            models.CheckConstraint(
                condition=Q(intensity__isnull=True) | Q(intensity__gte=1, intensity__lte=5),
                name="episode_intensity_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"Episode {self.uuid} at {self.started_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        self.set_local_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"started_at", "timezone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "local_date", "local_hour"}
        super().save(*args, **kwargs)

    def set_local_fields(self) -> None:
        """Derive the local date and hour from the instant and zone (bulk writers call this)."""
        local = self.local_started_at
        self.local_date, self.local_hour = local.date(), local.hour

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    @property
    def local_started_at(self) -> datetime:
        return self.started_at.astimezone(self.zone)

    @property
    def symptoms(self) -> list[str]:
        return [label for field, label in SYMPTOMS.items() if getattr(self, field)]

    def soft_delete(self) -> None:
        from diary.changes import data_changed

        with transaction.atomic():
            self.deleted_at = timezone.now()
            self.save(update_fields=["deleted_at", "updated_at"])
            data_changed(self.user, [self.local_date])

    def restore(self) -> None:
        from diary.changes import data_changed

        with transaction.atomic():
            self.deleted_at = None
            self.save(update_fields=["deleted_at", "updated_at"])
            data_changed(self.user, [self.local_date])


class Profile(models.Model):
    """One per user: the name printed on the report and the time zone pages are shown in."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(
        max_length=80, blank=True, help_text="Printed on your doctor summary."
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Appointment notes (issue 4): printed on the doctor summary.
    medicines = models.TextField(
        "medicines and supplements", blank=True, validators=APPOINTMENT_NOTE_VALIDATORS
    )
    tests_done = models.TextField(
        "tests already done", blank=True, validators=APPOINTMENT_NOTE_VALIDATORS
    )
    questions = models.TextField(
        "questions to ask", blank=True, validators=APPOINTMENT_NOTE_VALIDATORS
    )
    # Bumped (with an F() update) in the same transaction as every write of the user's data;
    # caches of the user's pages and aggregates are keyed on it (diary.changes).
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    # Built-in triggers the person never uses: left off the Log page's chips, never deleted.
    hidden_triggers = models.ManyToManyField(
        Trigger, blank=True, related_name="hidden_by", limit_choices_to={"user__isnull": True}
    )

    def __str__(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class DaySummaryQuerySet(models.QuerySet["DaySummary"]):
    def for_user(self, user) -> DaySummaryQuerySet:
        return self.filter(user=user)

    def on_dates(self, first: date | None, last: date | None) -> DaySummaryQuerySet:
        """Summaries of local dates within [first, last], either end open."""
        return within_dates(self, "date", first, last)


class DaySummary(models.Model):
    """
    Derived: one user's (not deleted) episodes on one local date, what Trends and the PDF read.

    Written only by diary.changes (delete and recompute the dates a write touched); a day
    without episodes has no row. `counts` holds sparse {key: episodes} maps: "regions" (an
    episode counts once per region it touches), "sites" (site code), "symptoms" (SYMPTOMS
    field), "triggers" (trigger id), "hours" (local hour), "intensities" (1-5).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_summaries"
    )
    date = models.DateField()
    episodes = models.PositiveIntegerField()
    seconds = models.FloatField()  # total duration
    counts = models.JSONField(default=dict)

    objects = DaySummaryQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="day_summary_one_per_user_date"),
        ]

    def __str__(self) -> str:
        return f"Summary of {self.date:%Y-%m-%d}"


# How many of the latest episodes the site chips on the Log page are drawn from: enough to
# know someone's usual places, and a cost that does not grow with years of history.
CHIP_EPISODES = 200


def recent_and_frequent_sites(user, *, limit: int = 6) -> list[BodySite]:
    """The sites of the user's latest episodes: most recent first, then most frequent."""
    latest = Episode.objects.for_user(user).newest_first().values("pk")[:CHIP_EPISODES]
    used = (
        BodySite.objects.filter(episodes__in=latest)
        .annotate(uses=Count("episodes"), last_used=Max("episodes__started_at"))
        .order_by()
    )
    by_recency = sorted(used, key=lambda s: s.last_used, reverse=True)
    by_frequency = sorted(used, key=lambda s: (-s.uses, s.sort_order))
    chosen: list[BodySite] = []
    for site in [*by_recency[: limit // 2], *by_frequency]:
        if site not in chosen:
            chosen.append(site)
    return chosen[:limit]


# --- Appointment prep: the function check (issue 4) ---

# Function-check tasks: field name -> the concrete task as asked. Each is answered "new or worse
# since your last check?". CLINICAL.md: ask about tasks, never "do you feel weak?".
FUNCTION_TASKS: dict[str, str] = {
    "walking": "Walking, or tripping over your feet",
    "stairs": "Going up or down stairs",
    "grip": "Grip: opening jars, doing up buttons, turning keys",
    "dropping": "Dropping things",
    "handwriting": "Handwriting",
    "speech": "Speech (slurred or changed)",
    "chewing": "Chewing",
    "swallowing": "Swallowing (choking or coughing on food or drink)",
    "breathing": "Breathing when lying flat",
}
FUNCTION_NOTE_MAX_LENGTH = 200
CHECK_NOTE_MAX_LENGTH = 1000
# A check is suggested once a week, in a quiet line on the report page; never a reminder.
CHECK_INTERVAL_DAYS = 7


def _answer() -> models.BooleanField:
    return models.BooleanField("new or worse", default=False)


def _answer_note() -> models.CharField:
    return models.CharField(
        max_length=FUNCTION_NOTE_MAX_LENGTH, blank=True, validators=[validate_no_nul]
    )


class FunctionCheckQuerySet(models.QuerySet["FunctionCheck"]):
    def for_user(self, user, *, include_deleted: bool = False) -> FunctionCheckQuerySet:
        """The user's checks; soft-deleted ones only when asked for (Undo)."""
        qs = self.filter(user=user)
        return qs if include_deleted else qs.filter(deleted_at__isnull=True)

    def latest_in(self, first: date | None, last: date) -> FunctionCheck | None:
        """The most recent check dated within [first, last] (first=None: any time before)."""
        qs = self.filter(date__lte=last)
        if first is not None:
            qs = qs.filter(date__gte=first)
        return qs.order_by("-date", "-created_at").first()


class FunctionCheck(models.Model):
    """
    A short dated checklist before an appointment: for each concrete task (FUNCTION_TASKS), is
    it new or worse since the last check, with an optional note. A description, never scored.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="function_checks"
    )
    date = models.DateField()
    walking = _answer()
    walking_note = _answer_note()
    stairs = _answer()
    stairs_note = _answer_note()
    grip = _answer()
    grip_note = _answer_note()
    dropping = _answer()
    dropping_note = _answer_note()
    handwriting = _answer()
    handwriting_note = _answer_note()
    speech = _answer()
    speech_note = _answer_note()
    chewing = _answer()
    chewing_note = _answer_note()
    swallowing = _answer()
    swallowing_note = _answer_note()
    breathing = _answer()
    breathing_note = _answer_note()
    note = models.TextField(
        "anything else",
        blank=True,
        validators=[MaxLengthValidator(CHECK_NOTE_MAX_LENGTH), validate_no_nul],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = FunctionCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-created_at"]
        constraints = [
            # One check a day: a second look the same day edits that day's check. A deleted
            # check (kept for Undo) does not block a new one.
            models.UniqueConstraint(
                fields=["user", "date"],
                condition=Q(deleted_at__isnull=True),
                name="function_check_one_per_day",
            ),
        ]

    def __str__(self) -> str:
        return f"Function check on {self.date:%Y-%m-%d}"

    def soft_delete(self) -> None:
        self.deleted_at = timezone.now()
        self.save(update_fields=["deleted_at", "updated_at"])

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at", "updated_at"])

    @property
    def changes(self) -> list[tuple[str, str]]:
        """(task, note) for each task answered "new or worse", in the checklist's order."""
        return [
            (task, getattr(self, f"{name}_note"))
            for name, task in FUNCTION_TASKS.items()
            if getattr(self, name)
        ]

    @property
    def other_notes(self) -> list[tuple[str, str]]:
        """(task, note) for each task not answered "new or worse" that has a note all the same."""
        return [
            (task, note)
            for name, task in FUNCTION_TASKS.items()
            if not getattr(self, name) and (note := getattr(self, f"{name}_note"))
        ]


# --- The daily check-in (issue 11): its own module, part of this app's models ---

from diary.daylog import DayLog  # noqa: E402, F401

# Share links live in their own module (diary/sharing/models.py); imported here so Django
# registers them with the diary app.
from diary.sharing.models import ShareLink, ShareOpening  # noqa: E402, F401
