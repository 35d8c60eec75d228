"""
The body-site catalogue: the four body regions (plain names for people and clinicians alike),
sides, the BodySite rows seeded by a data migration, each site's name in the active language
(by its stable code: the rows keep the English names and never change with a language), and
the catalogue grouped by region as the Log page's picker lists it (read once per process).
"""

from __future__ import annotations

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.TextChoices):
    """Body regions by their plain names; the stored codes keep the clinical terms."""

    BULBAR = "bulbar", pgettext_lazy("body region", "Head & face")
    CERVICAL = "cervical", pgettext_lazy("body region", "Neck & arms")
    THORACIC = "thoracic", pgettext_lazy("body region", "Trunk")
    LUMBOSACRAL = "lumbosacral", pgettext_lazy("body region", "Legs & feet")


class Side(models.TextChoices):
    LEFT = "left", _("Left")
    RIGHT = "right", _("Right")
    MIDLINE = "midline", _("Midline")


# Each site's name by its code, in the active language. The seeded rows hold the English names
# (exports and the admin read them); every page, the PDF and FHIR's display texts use these.
SITE_NAMES: dict[str, Promise] = {
    "eyelid-left": pgettext_lazy("body site", "Left eyelid"),
    "eyelid-right": pgettext_lazy("body site", "Right eyelid"),
    "face-left": pgettext_lazy("body site", "Left side of face"),
    "face-right": pgettext_lazy("body site", "Right side of face"),
    "lips": pgettext_lazy("body site", "Lips"),
    "tongue": pgettext_lazy("body site", "Tongue"),
    "jaw-left": pgettext_lazy("body site", "Left jaw"),
    "jaw-right": pgettext_lazy("body site", "Right jaw"),
    "throat": pgettext_lazy("body site", "Throat"),
    "neck": pgettext_lazy("body site", "Neck"),
    "shoulder-left": pgettext_lazy("body site", "Left shoulder"),
    "shoulder-right": pgettext_lazy("body site", "Right shoulder"),
    "upper-arm-left": pgettext_lazy("body site", "Left upper arm"),
    "upper-arm-right": pgettext_lazy("body site", "Right upper arm"),
    "forearm-left": pgettext_lazy("body site", "Left forearm"),
    "forearm-right": pgettext_lazy("body site", "Right forearm"),
    "hand-left": pgettext_lazy("body site", "Left hand"),
    "hand-right": pgettext_lazy("body site", "Right hand"),
    "thumb-left": pgettext_lazy("body site", "Left thumb"),
    "thumb-right": pgettext_lazy("body site", "Right thumb"),
    "fingers-left": pgettext_lazy("body site", "Left fingers"),
    "fingers-right": pgettext_lazy("body site", "Right fingers"),
    "chest-left": pgettext_lazy("body site", "Left chest"),
    "chest-right": pgettext_lazy("body site", "Right chest"),
    "abdomen-left": pgettext_lazy("body site", "Left abdomen"),
    "abdomen-right": pgettext_lazy("body site", "Right abdomen"),
    "upper-back-left": pgettext_lazy("body site", "Left upper back"),
    "upper-back-right": pgettext_lazy("body site", "Right upper back"),
    "lower-back-left": pgettext_lazy("body site", "Left lower back"),
    "lower-back-right": pgettext_lazy("body site", "Right lower back"),
    "buttock-left": pgettext_lazy("body site", "Left buttock"),
    "buttock-right": pgettext_lazy("body site", "Right buttock"),
    "thigh-left": pgettext_lazy("body site", "Left thigh"),
    "thigh-right": pgettext_lazy("body site", "Right thigh"),
    "shin-left": pgettext_lazy("body site", "Left shin"),
    "shin-right": pgettext_lazy("body site", "Right shin"),
    "calf-left": pgettext_lazy("body site", "Left calf"),
    "calf-right": pgettext_lazy("body site", "Right calf"),
    "foot-left": pgettext_lazy("body site", "Left foot"),
    "foot-right": pgettext_lazy("body site", "Right foot"),
    "toes-left": pgettext_lazy("body site", "Left toes"),
    "toes-right": pgettext_lazy("body site", "Right toes"),
}


def site_name(code: str, fallback: str = "") -> str:
    """The site's name in the active language; `fallback` (the row's name) for an unknown code."""
    name = SITE_NAMES.get(code)
    return str(name) if name is not None else fallback or code


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
        return self.label

    @property
    def label(self) -> str:
        """The site's name in the active language."""
        return site_name(self.code, self.name)

    @property
    def region_label(self) -> str:
        return str(Region(self.region).label)


_catalogue: dict[str, list] = {}
_catalogue_by_region: dict[str, list] = {}


def catalogue_codes() -> list[tuple[str, list[tuple[str, str]]]]:
    """
    The catalogue as (region code, [(site code, English name), ...]) in catalogue order.

    Read once per process: the catalogue is fixed by a migration, and every Log page lists it.
    """
    if "regions" not in _catalogue:
        _read_catalogue()
    return _catalogue.get("regions", [])


def catalogue_sites() -> dict[int, BodySite]:
    """The catalogue's BodySite rows by id, in catalogue order (read once per process)."""
    if "sites" not in _catalogue:
        _read_catalogue()
    return _catalogue.get("sites", {})


def _read_catalogue() -> None:
    """Both forms of the catalogue from one query."""
    sites = {site.pk: site for site in BodySite.objects.all()}
    if not sites:  # Not before the catalogue migration has run.
        return
    grouped: dict[str, list[tuple[str, str]]] = {}
    for site in sites.values():
        grouped.setdefault(site.region, []).append((site.code, site.name))
    # One assignment each: two threads filling them at once each store a whole value.
    _catalogue["sites"] = sites
    _catalogue["regions"] = list(grouped.items())


def catalogue_by_region() -> list[tuple[str, list[tuple[str, str]]]]:
    """
    The body-site catalogue as (region label, [(code, name), ...]) in catalogue order, in the
    active language (made once per process and language).
    """
    language = translation.get_language() or ""
    if language not in _catalogue_by_region:
        regions = [
            (str(Region(region).label), [(code, site_name(code, name)) for code, name in sites])
            for region, sites in catalogue_codes()
        ]
        if not regions:
            return []
        _catalogue_by_region[language] = regions
    return _catalogue_by_region[language]
