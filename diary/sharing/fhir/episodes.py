"""
Episodes as Observations: SNOMED CT "Muscle fasciculation", self-reported, at the local time
the twitch began (with its offset), with the details the person gave as components and the
note when notes may leave.

Body sites: the first (head to feet) is Observation.bodySite, each further site a "Body site"
component, since R4 allows one bodySite per Observation. Each names its SNOMED CT body
structure and points (R4's bodySite extension) at a BodyStructure of the person that carries
the side as a location qualifier: one BodyStructure per site the person has used.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from diary.models import SYMPTOMS, BodySite, Episode
from diary.models.episodes import Context, Movement, Pattern
from diary.sharing.fhir.builder import Builder
from diary.sharing.fhir.codes import (
    AREAS,
    BODY_SITE,
    BODY_SITE_EXTENSION,
    EPISODE_DETAILS,
    FASCICULATION,
    SIDES,
    SNOMED,
    UCUM,
)

CHOICES = {"pattern": Pattern, "stopped_with_movement": Movement, "context": Context}


def area(site: BodySite) -> dict:
    code, display = AREAS[site.area]
    return {"system": SNOMED, "code": code, "display": display}


def body_structure(builder: Builder, site: BodySite) -> dict:
    resource = {
        "resourceType": "BodyStructure",
        "active": True,
        "location": {"coding": [area(site)], "text": site.label},
        "description": site.label,
        "patient": builder.subject(),
    }
    if site.side in SIDES:
        side = SIDES[site.side]
        resource["locationQualifier"] = [{"coding": [side], "text": str(site.get_side_display())}]
    return resource


def site_concept(site: BodySite, structures: dict[str, str]) -> dict:
    return {
        "extension": [
            {"url": BODY_SITE_EXTENSION, "valueReference": {"reference": structures[site.code]}}
        ],
        "coding": [area(site)],
        "text": site.label,
    }


def detail(builder: Builder, name: str, **value) -> dict:
    return {"code": builder.local("episode", name, EPISODE_DETAILS[name]), **value}


def details(builder: Builder, episode: Episode) -> list[dict]:
    """What the person said about the twitch; an unanswered question is left out, not "no"."""
    seconds = int(episode.duration.total_seconds())
    components = [
        detail(
            builder,
            "duration",
            valueQuantity={"value": seconds, "unit": "s", "system": UCUM, "code": "s"},
        )
    ]
    if episode.intensity is not None:
        components.append(detail(builder, "intensity", valueInteger=episode.intensity))
    for name, choices in CHOICES.items():
        if answer := getattr(episode, name):
            value = builder.local(name.replace("_", "-"), answer, choices(answer).label)
            components.append(detail(builder, name, valueCodeableConcept=value))
    # Yes or no as answered; not answered (None) is left out, never sent as "no".
    if episode.visible is not None:
        components.append(detail(builder, "visible", valueBoolean=episode.visible))
    components += [
        detail(builder, "symptom", valueCodeableConcept=builder.local("symptom", name, label))
        for name, label in SYMPTOMS.items()
        if getattr(episode, name)
    ]
    return components


def observation(builder: Builder, episode: Episode, structures: dict[str, str]) -> dict:
    sites = list(episode.sites.all())
    components = details(builder, episode) + [
        {"code": {"coding": [BODY_SITE], "text": _("Also at")}, "valueCodeableConcept": concept}
        for concept in (site_concept(site, structures) for site in sites[1:])
    ]
    resource = builder.survey(
        {"coding": [FASCICULATION], "text": _("Muscle twitching")},
        episode.local_started_at.isoformat(),
        components,
    )
    if sites:
        resource["bodySite"] = site_concept(sites[0], structures)
    if note := builder.free_text(episode.notes):
        resource["note"] = [{"text": note}]
    return resource


def add_episodes(builder: Builder) -> None:
    episodes = list(
        Episode.objects.for_user(builder.user)
        .on_local_dates(builder.period.first, builder.period.last)
        .order_by("started_at", "id")
        .prefetch_related(Prefetch("sites", BodySite.objects.order_by("sort_order")))
    )
    used = {site.code: site for episode in episodes for site in episode.sites.all()}
    structures = {
        code: builder.add(
            body_structure(builder, site), "body-structure", f"{builder.person}/{code}"
        )
        for code, site in sorted(used.items(), key=lambda item: item[1].sort_order)
    }
    for episode in episodes:
        builder.add(observation(builder, episode, structures), "episode", str(episode.uuid))
