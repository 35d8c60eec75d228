"""
The doctor summary's data, gathered once: every number comes from diary.insights (the same
functions as the trends page), the with/without comparisons from diary.insights.exposures (the same
function as the trends page, called once per report), the episode lists from three plain
queries. The PDF and the HTML preview on /report/ both read a Report, so they never disagree.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from diary import insights
from diary.insights.exposures import Comparison, exposure_comparisons
from diary.models import SYMPTOMS, Episode, FunctionCheck, Profile, Region

APPOINTMENT_NOTES = {
    "medicines": "Medicines and supplements",
    "tests_done": "Tests already done",
    "questions": "Questions to ask",
}
# The full log prints at most this many episodes, the latest ones: a year of heavy logging
# would otherwise be over a thousand pages, and the CSV export holds every episode.
LOG_LIMIT = 2_000


def clinical_region(value: str) -> str:
    """A region as the clinician's table names it: "Legs & feet (lumbosacral)"."""
    return f"{Region(value).label} ({value})"


@dataclass(frozen=True)
class Entry:
    """One episode as the report's lists print it (read with values(), not model instances)."""

    started_at: datetime
    duration: timedelta
    intensity: int | None
    notes: str
    symptoms: list[str]
    sites: list[str]
    triggers: list[str]


@dataclass(frozen=True)
class Report:
    """Everything the summary shows, gathered once; the PDF and the HTML preview read it."""

    name: str
    period: insights.Period
    generated_on: date
    summary: insights.Summary
    weekly: list[insights.Week]
    sites: list[insights.SiteRow]
    symptoms: list[tuple[str, int]]
    triggers: list[insights.TriggerCount]
    facts: list[insights.Fact]
    check: FunctionCheck | None
    notes: dict[str, str]
    episodes_with_notes: list[Entry]
    log: list[Entry] | None
    # How many episodes the period has in all; more than len(log) when the log is capped.
    log_total: int = 0
    # The "Daily exposures" comparisons; empty when not gathered (the page-1 preview).
    exposures: list[Comparison] = dataclasses.field(default_factory=list)
    # A share link printed on page 1 as a QR code: {"url": …, "expires_on": date}.
    share: dict | None = None

    @property
    def is_empty(self) -> bool:
        return self.summary.episodes == 0

    @property
    def regions(self) -> list[str]:
        """The body regions involved, plain names, in head-to-feet order (terms: sites table)."""
        involved = {row.region for row in self.sites}
        return [Region(value).label for value in Region.values if value in involved]

    @property
    def changes(self) -> list[tuple[str, str]]:
        return self.check.changes if self.check else []

    @property
    def has_check_ins(self) -> bool:
        """Whether any check-in in the period answered a question about a day that is over."""
        return any(c.exposed.days or c.unexposed.days for c in self.exposures)

    @property
    def log_left_out(self) -> int:
        return self.log_total - len(self.log) if self.log is not None else 0


def entries(
    user, period: insights.Period, *, with_notes_only: bool = False, latest: int | None = None
) -> list[Entry]:
    """
    The period's episodes, oldest first, with their sites and triggers: three queries.
    `latest=N` keeps the N latest episodes (still printed oldest first).

    Plain rows instead of prefetch_related: for a 5,000-episode year, model instances with
    prefetched many-to-many managers cost more than laying out the pages.
    """
    # By each episode's own local date, as every number in the report counts them.
    episodes = Episode.objects.for_user(user).on_local_dates(period.first, period.last)
    if with_notes_only:
        episodes = episodes.exclude(notes="")
    columns = ("id", "started_at", "duration", "intensity", "notes", *SYMPTOMS)
    if latest is None:
        rows = list(episodes.order_by("started_at", "id").values_list(*columns))
    else:
        rows = list(episodes.order_by("-started_at", "-id").values_list(*columns)[:latest])
        rows.reverse()
        episodes = Episode.objects.filter(id__in=[row[0] for row in rows])
    sites: dict[int, list[str]] = defaultdict(list)
    for episode_id, name in (
        Episode.sites.through.objects.filter(episode__in=episodes)
        .order_by("bodysite__sort_order")
        .values_list("episode_id", "bodysite__name")
    ):
        sites[episode_id].append(name)
    triggers: dict[int, list[str]] = defaultdict(list)
    for episode_id, name in (
        Episode.triggers.through.objects.filter(episode__in=episodes)
        .order_by("trigger__name")
        .values_list("episode_id", "trigger__name")
    ):
        triggers[episode_id].append(name)
    labels = list(SYMPTOMS.values())
    return [
        Entry(
            started_at=started_at,
            duration=duration,
            intensity=intensity,
            notes=notes,
            symptoms=[label for label, on in zip(labels, flags, strict=True) if on],
            sites=sites[pk],
            triggers=triggers[pk],
        )
        for pk, started_at, duration, intensity, notes, *flags in rows
    ]


def collect(
    user, period: insights.Period, *, today: date, full_log: bool = False, appendix: bool = True
) -> Report:
    """
    Gather the report's data for `user` over `period` (local dates in the profile's zone).
    `appendix=False` leaves out the episode lists and the comparisons (the HTML preview shows
    page 1 only); the comparisons are also skipped when the period has no episode, since
    the pages after page 1 are left out then.
    """
    profile: Profile = user.profile
    overview = insights.overview(user, period)
    log = None
    if full_log and appendix:
        log = entries(user, period, latest=LOG_LIMIT)
    if log is not None and len(log) == overview.summary.episodes:
        noted = [e for e in log if e.notes]  # the whole period is in the log: no second query
    else:
        noted = entries(user, period, with_notes_only=True) if appendix else []
    return Report(
        name=profile.display_name or user.get_username(),
        period=period,
        generated_on=today,
        summary=overview.summary,
        weekly=overview.weeks,
        sites=overview.sites,
        symptoms=[(label, overview.symptoms.get(field, 0)) for field, label in SYMPTOMS.items()],
        triggers=overview.triggers,
        facts=overview.facts,
        check=FunctionCheck.objects.for_user(user).latest_in(period.first, period.last),
        notes={field: getattr(profile, field) for field in APPOINTMENT_NOTES},
        episodes_with_notes=noted,
        log=log,
        log_total=overview.summary.episodes,
        exposures=(
            exposure_comparisons(user, period) if appendix and overview.summary.episodes else []
        ),
    )
