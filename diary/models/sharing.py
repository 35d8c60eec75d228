"""
Share links: a period of the diary, readable without login at /s/<token>/ until it expires
or is revoked.

Only the sha256 of the token is stored: a copy of the database (a backup, a leaked dump) does
not open anyone's diary. The token itself is shown to its owner once, when it is made.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext


class ShareLinkQuerySet(models.QuerySet["ShareLink"]):
    def for_user(self, user) -> ShareLinkQuerySet:
        return self.filter(user=user)

    def with_openings(self) -> ShareLinkQuerySet:
        """Each link's times opened and last opening, for the owner's list (one query)."""
        return self.annotate(times_opened=Count("openings"), last_opened=Max("openings__at"))


class ShareLink(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links"
    )
    first = models.DateField(_("period from"))
    last = models.DateField(_("period to"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    include_notes = models.BooleanField(_("include my notes"), default=False)
    # The episodes' videos and photos play on the share page only when the owner ticked this.
    include_clips = models.BooleanField(_("include videos and photos"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # The language it was made in: its page, PDF and the FHIR file's texts keep it.
    language = models.CharField(max_length=10, default="en")

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(first__lte=models.F("last")), name="share_period"),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="share_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"Share {self.uuid} of {self.first:%Y-%m-%d}–{self.last:%Y-%m-%d}"

    def is_open(self, now=None) -> bool:
        """Neither revoked nor expired."""
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at

    @property
    def status(self) -> str:
        """Closed (by its owner, with the Close button), open or expired."""
        if self.revoked_at is not None:
            return pgettext("a share link", "Closed")
        return (
            pgettext("a share link", "Open")
            if self.is_open()
            else pgettext("a share link", "Expired")
        )


class ShareOpening(models.Model):
    """One opening of a link: when, and only the browser and system families (no IP kept)."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Page")
        PDF = "pdf", _("PDF")
        FHIR = "fhir", _("FHIR export")

    link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="openings")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=4, choices=Kind, default=Kind.PAGE)
    user_agent = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"Opening of {self.link_id} at {self.at:%Y-%m-%d %H:%M}"
