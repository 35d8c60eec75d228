"""
Clips: a short video or a photo of a twitch, attached to one episode.

A row is made when the upload arrives (status "pending", the upload kept in storage under
`original_name`); the task queue turns the upload into what is kept (diary/clips/): a small
H.264/AAC MP4 or a JPEG without metadata, a poster frame and a thumbnail for lists. Then the
upload is removed and the clip is "ready". A file that cannot be read ends "failed", with the
reason, and nothing of it is kept. The files live in the "clips" storage (STORAGES), never
under a public URL: views check the owner, or a live share link that includes clips.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import pgettext_lazy


class ClipQuerySet(models.QuerySet["Clip"]):
    def for_user(self, user) -> ClipQuerySet:
        """The user's clips of episodes not deleted (an episode's Undo brings them back)."""
        return self.filter(user=user, episode__deleted_at__isnull=True)

    def owned_by(self, user) -> ClipQuerySet:
        """Every clip of the user, those of deleted episodes too: what their files take."""
        return self.filter(user=user)

    def bytes_stored(self) -> int:
        return self.aggregate(total=Coalesce(Sum("stored_bytes"), 0))["total"]

    def ready(self) -> ClipQuerySet:
        return self.filter(status=Clip.Status.READY)

    def on_local_dates(self, first, last) -> ClipQuerySet:
        """Clips of episodes whose local date is within [first, last]."""
        return self.filter(episode__local_date__gte=first, episode__local_date__lte=last)

    def in_order(self) -> ClipQuerySet:
        return self.order_by("created_at", "id")


class Clip(models.Model):
    class Kind(models.TextChoices):
        VIDEO = "video", pgettext_lazy("a kind of clip", "Video")
        PHOTO = "photo", pgettext_lazy("a kind of clip", "Photo")

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("a clip", "Preparing")
        READY = "ready", pgettext_lazy("a clip", "Ready")
        FAILED = "failed", pgettext_lazy("a clip", "Could not be prepared")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clips"
    )
    episode = models.ForeignKey("diary.Episode", on_delete=models.CASCADE, related_name="clips")
    kind = models.CharField(max_length=5, choices=Kind)
    status = models.CharField(max_length=7, choices=Status, default=Status.PENDING)
    # Why a clip could not be prepared, in words for the person.
    failure = models.CharField(max_length=300, blank=True)
    # Storage names (in the "clips" storage): the upload until it is processed, then the kept
    # file (MP4 or JPEG), the video's poster frame and a small thumbnail for lists.
    original_name = models.CharField(max_length=200, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    poster_name = models.CharField(max_length=200, blank=True)
    thumb_name = models.CharField(max_length=200, blank=True)
    upload_bytes = models.PositiveBigIntegerField(default=0)
    # Bytes of the kept file, its poster and thumbnail together (what the quota counts).
    stored_bytes = models.PositiveBigIntegerField(default=0)
    file_bytes = models.PositiveBigIntegerField(default=0)
    duration = models.FloatField(null=True, blank=True)  # seconds, videos only
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = ClipQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["episode", "status"], name="clip_episode_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="ready") | Q(file_name=""), name="clip_file_only_when_ready"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid} ({self.status})"

    @property
    def is_video(self) -> bool:
        return self.kind == self.Kind.VIDEO

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def content_type(self) -> str:
        return "video/mp4" if self.is_video else "image/jpeg"

    @property
    def extension(self) -> str:
        return "mp4" if self.is_video else "jpg"

    def storage_names(self) -> list[str]:
        """Every file this clip has in storage."""
        names = [self.original_name, self.file_name, self.poster_name, self.thumb_name]
        return [name for name in names if name]
