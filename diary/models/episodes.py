"""
Episodes: one bout of twitching with its instant, zone, local date and hour, duration, sites,
triggers and the optional details (strength, pattern, other symptoms, context, notes); their
vocabularies and bounds, the queryset every list and count starts from, and the Log page's
recent and frequent site chips, drawn from the latest episodes.
"""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from diary.lib.dateranges import within_dates
from diary.models.changes import data_changed
from diary.models.choices import SYMPTOMS, Context, Intensity, Movement, Pattern
from diary.models.sites import BodySite, catalogue_sites
from diary.models.triggers import Trigger
from diary.models.validators import validate_no_nul, validate_timezone

MIN_DURATION = timedelta(seconds=1)
MAX_DURATION = timedelta(hours=24)
NOTES_MAX_LENGTH = 2000


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
    # Yes, no, or not answered (NULL): a question like the others, never "no" by default.
    visible = models.BooleanField("seen under the skin", null=True, blank=True)
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
        self.local_date, self.local_hour = self.local_date_and_hour(self.started_at, self.zone)

    @staticmethod
    def local_date_and_hour(started_at: datetime, zone: zoneinfo.ZoneInfo) -> tuple[date, int]:
        """
        The calendar date and hour at which a twitch was felt, in the zone it was logged in:
        what every count groups by. The one place they are derived (writers that build rows
        without saving an Episode, the importer among them, call this).
        """
        local = started_at.astimezone(zone)
        return local.date(), local.hour

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
        with transaction.atomic():
            self.deleted_at = timezone.now()
            self.save(update_fields=["deleted_at", "updated_at"])
            data_changed(self.user, [self.local_date])

    def restore(self) -> None:
        with transaction.atomic():
            self.deleted_at = None
            self.save(update_fields=["deleted_at", "updated_at"])
            data_changed(self.user, [self.local_date])


# How many of the latest episodes the site chips on the Log page are drawn from: enough to
# know someone's usual places, and a cost that does not grow with years of history.
CHIP_EPISODES = 200


def recent_and_frequent_sites(user, *, limit: int = 6) -> list[BodySite]:
    """The sites of the user's latest episodes: most recent first, then most frequent."""
    catalogue = catalogue_sites()
    order = {pk: i for i, pk in enumerate(catalogue)}
    # In catalogue order first, so that sites last used at the same moment (of one episode)
    # always come in the same order.
    used = sorted(site_uses(user), key=lambda row: order[row[0]])
    by_recency = [pk for pk, _, _ in sorted(used, key=lambda row: row[2], reverse=True)]
    by_frequency = [pk for pk, _, _ in sorted(used, key=lambda row: -row[1])]
    chosen = list(dict.fromkeys([*by_recency[: limit // 2], *by_frequency]))
    return [catalogue[pk] for pk in chosen[:limit]]


def site_uses(user) -> list[tuple[int, int, object]]:
    """
    (site id, uses, last use) of each site of the user's latest CHIP_EPISODES episodes, in
    plain SQL: built after every write, and the ORM's building of it cost more than its
    running. Each episode's sites are read by its id (an index), whatever the planner would
    make of a join (PostgreSQL read every episode's sites to join them). The last use is only
    compared: the database's own form of the instant (text on SQLite) orders alike.
    """
    quote = connection.ops.quote_name
    sites = quote(Episode.sites.through._meta.db_table)
    episodes = quote(Episode._meta.db_table)
    join = "STRING_AGG" if connection.vendor == "postgresql" else "GROUP_CONCAT"
    sql = (
        f"SELECT l.started_at, (SELECT {join}(CAST(es.bodysite_id AS TEXT), ',') FROM {sites} es "
        "WHERE es.episode_id = l.id) "
        f"FROM (SELECT id, started_at FROM {episodes} WHERE user_id = %s AND deleted_at IS NULL "
        "ORDER BY started_at DESC, id DESC LIMIT %s) l"
    )
    uses: dict[int, int] = {}
    last: dict[int, object] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, CHIP_EPISODES])
        for started_at, ids in cursor.fetchall():
            for pk in map(int, ids.split(",") if ids else ()):
                uses[pk] = uses.get(pk, 0) + 1
                if pk not in last or started_at > last[pk]:
                    last[pk] = started_at
    return [(pk, n, last[pk]) for pk, n in uses.items()]
