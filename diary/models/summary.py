"""
The per-day summary: derived data, one row per user and local date holding that day's episode
count, total duration and sparse counts by region, site, symptom, trigger, hour and strength.
Written only by diary.changes.data_changed, in the same transaction as the episode write; read
by Trends and the PDF.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from diary.lib.dateranges import within_dates


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
