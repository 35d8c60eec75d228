"""
Suspected triggers: the built-in ones (no user; their names in the active language by their
stable slug) and those a person adds (their own words, never translated), their slugs (ASCII
where that keeps every letter, else in the name's own script) and the queryset that says which
triggers a person sees and which the Log page offers them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import pgettext_lazy

# The built-ins' names by slug; the seeded rows keep the English names (exports read them).
BUILTIN_NAMES: dict[str, Promise] = {
    "caffeine": pgettext_lazy("trigger", "Caffeine"),
    "stress": pgettext_lazy("trigger", "Stress"),
    "lack-of-sleep": pgettext_lazy("trigger", "Lack of sleep"),
    "intense-exercise": pgettext_lazy("trigger", "Intense exercise"),
}


def trigger_label(name: str, slug: str, builtin: bool) -> str:
    """A trigger's name as shown: a built-in's in the active language, a person's own as typed."""
    if builtin and slug in BUILTIN_NAMES:
        return str(BUILTIN_NAMES[slug])
    return name


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

    def offered_to(self, user, episode: models.Model | None = None) -> TriggerQuerySet:
        """
        The triggers the Log page offers: for_user minus the built-ins the user hid, except
        those already on `episode` (an Episode: an answer once given stays editable).
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
        return self.label

    def save(self, *args, **kwargs) -> None:
        if not self.slug:
            self.slug = trigger_slug(self.name)
        super().save(*args, **kwargs)

    @property
    def label(self) -> str:
        """The name as shown (a built-in's in the active language)."""
        return trigger_label(self.name, self.slug, self.user_id is None)

    @property
    def is_builtin(self) -> bool:
        return self.user_id is None
