"""
The body-site catalogue: the four body regions (plain names for people, the clinical term for
the report), sides, the BodySite rows seeded by a data migration, and the catalogue grouped by
region as the Log page's picker lists it (read once per process).
"""

from __future__ import annotations

from django.db import models


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
