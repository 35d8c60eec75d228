"""
The per-day summary: derived data, one row per user and local date holding that day's episode
count, total duration and sparse counts by region, site, symptom, trigger, hour, strength and
the answered twitch details (pattern, seen under the skin, stopped when moved, what the person
was doing).
Written only by diary.models.changes.data_changed, in the same transaction as the episode
write: a day is rebuilt from its episodes (`rebuild_days`), or a newly logged episode is added
to its day's row (`add_to_days`, equal to a rebuild), or an import's days that had no episode
are made from what it inserted (`new_days`, equal to a rebuild); read by Trends and the PDF.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import models

from diary.lib.dateranges import within_dates
from diary.models.choices import SYMPTOMS

# Dates per query: far below SQLite's bound-parameter limit.
CHUNK_DATES = 400


class DaySummaryQuerySet(models.QuerySet["DaySummary"]):
    def for_user(self, user) -> DaySummaryQuerySet:
        return self.filter(user=user)

    def on_dates(self, first: date | None, last: date | None) -> DaySummaryQuerySet:
        """Summaries of local dates within [first, last], either end open."""
        return within_dates(self, "date", first, last)

    def first_date(self) -> date | None:
        """The earliest local date with an episode (None: nothing logged)."""
        return self.order_by("date").values_list("date", flat=True).first()


class DaySummary(models.Model):
    """
    Derived: one user's (not deleted) episodes on one local date, what Trends and the PDF read.

    Written only by diary.models.changes (delete and recompute the dates a write touched); a day
    without episodes has no row. `counts` holds sparse {key: episodes} maps: "regions" (an
    episode counts once per region it touches), "sites" (site code), "symptoms" (SYMPTOMS
    field), "triggers" (trigger id), "hours" (local hour), "intensities" (1-5), and the twitch
    details, each counting only the episodes where that question was answered: "patterns"
    (Pattern value), "visible" ("yes"/"no"), "movement" (Movement value), "contexts" (Context
    value).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="day_summaries"
    )
    date = models.DateField()
    episodes = models.PositiveIntegerField()
    seconds = models.FloatField()  # total duration
    counts = models.JSONField(default=dict)
    # Raised each time the row is written back in place (add_to_days); a rebuilt day is a new
    # row with a new id. A row's (id, revision) therefore names what it holds: Trends keeps a
    # whole week's sums under its days' (id, revision) pairs (diary/insights/weeks.py).
    revision = models.PositiveIntegerField(default=0)

    objects = DaySummaryQuerySet.as_manager()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "date"], name="day_summary_one_per_user_date"),
        ]

    def __str__(self) -> str:
        return f"Summary of {self.date:%Y-%m-%d}"


def rebuild_days(user_id: int, dates: list[date] | None, *, summary_model=None) -> int:
    """
    Delete and recompute the user's summaries of `dates` (None: every date). Returns the number
    of summary rows written. A data migration passes its historical DaySummary; the episodes
    are then read from the same (historical) registry. Looking Episode up in the registry,
    rather than importing it, keeps this module below diary/models/episodes.py, whose writes
    record themselves through diary/models/changes.py.
    """
    summary_model = summary_model or DaySummary
    episode_model = summary_model._meta.apps.get_model("diary", "Episode")
    if dates is None:
        summary_model.objects.filter(user_id=user_id).delete()
        summaries = summarize(user_id, None, episode_model, summary_model)
        summary_model.objects.bulk_create(summaries, batch_size=500)
        return len(summaries)
    written = 0
    for i in range(0, len(dates), CHUNK_DATES):
        chunk = dates[i : i + CHUNK_DATES]
        summary_model.objects.filter(user_id=user_id, date__in=chunk).delete()
        summaries = summarize(user_id, chunk, episode_model, summary_model)
        summary_model.objects.bulk_create(summaries, batch_size=500)
        written += len(summaries)
    return written


# The twitch details: (Episode field, counts group). An unanswered question ("", None) is left
# out, so each group's total is the number of episodes that answered it.
DETAILS = (
    ("pattern", "patterns"),
    ("visible", "visible"),
    ("stopped_with_movement", "movement"),
    ("context", "contexts"),
)


def _add(counts: dict, group: str, key, n: int = 1) -> None:
    bucket = counts.setdefault(group, {})
    bucket[str(key)] = bucket.get(str(key), 0) + n


def _count(counts: dict, hour, intensity, answers, sites, trigger_ids) -> None:
    """
    Add one episode to a day's `counts`: `answers` are its DETAILS fields then its SYMPTOMS
    flags, `sites` its (code, region) pairs, `trigger_ids` its triggers' ids.
    """
    _add(counts, "hours", hour)
    if intensity is not None:
        _add(counts, "intensities", intensity)
    details, flags = answers[: len(DETAILS)], answers[len(DETAILS) :]
    for (_field, group), answer in zip(DETAILS, details, strict=True):
        if answer is True or answer is False:
            _add(counts, group, "yes" if answer else "no")
        elif answer:
            _add(counts, group, answer)
    for name, on in zip(SYMPTOMS, flags, strict=True):
        if on:
            _add(counts, "symptoms", name)
    for code, _region in sites:
        _add(counts, "sites", code)
    # An episode in both calves touches one region once.
    for region in {region for _code, region in sites}:
        _add(counts, "regions", region)
    for trigger_id in set(trigger_ids):
        _add(counts, "triggers", trigger_id)


def summarize(user_id: int, dates: list[date] | None, episode_model, summary_model) -> list:
    """Unsaved summary rows for the user's episodes on `dates` (None: all): three queries."""
    episodes = episode_model.objects.filter(user_id=user_id, deleted_at__isnull=True)
    if dates is not None:
        episodes = episodes.filter(local_date__in=dates)
    rows = list(
        episodes.order_by().values_list(
            "id",
            "local_date",
            "local_hour",
            "duration",
            "intensity",
            *(field for field, _group in DETAILS),
            *SYMPTOMS,
        )
    )
    if not rows:
        return []
    ids = episodes.values("id")
    sites: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for episode_id, code, region in (
        episode_model.sites.through.objects.filter(episode_id__in=ids)
        .order_by()
        .values_list("episode_id", "bodysite__code", "bodysite__region")
    ):
        sites[episode_id].append((code, region))
    triggers: dict[int, list[int]] = defaultdict(list)
    for episode_id, trigger_id in (
        episode_model.triggers.through.objects.filter(episode_id__in=ids)
        .order_by()
        .values_list("episode_id", "trigger_id")
    ):
        triggers[episode_id].append(trigger_id)

    days: dict[date, dict] = {}
    totals: Counter = Counter()
    seconds: Counter = Counter()
    for pk, day, hour, duration, intensity, *answers in rows:
        totals[day] += 1
        seconds[day] += duration.total_seconds()
        _count(days.setdefault(day, {}), hour, intensity, answers, sites[pk], triggers[pk])
    return [
        summary_model(
            user_id=user_id, date=day, episodes=totals[day], seconds=seconds[day], counts=counts
        )
        for day, counts in sorted(days.items())
    ]


class DayTally:
    """
    Inserted episodes counted by day as their writer inserts them, in the order of their ids,
    from the values it holds: an import of 50,000 has them at hand, and reading them back to
    count them costs more. Only the days' sums are kept, not the episodes.
    """

    def __init__(self) -> None:
        self.days: dict[date, list] = {}  # date -> [episodes, seconds, counts]

    def add(self, day: date, hour: int, seconds: float, intensity, answers, sites, trigger_ids):
        """One episode: `answers` its DETAILS fields then its SYMPTOMS flags, `sites` its
        (code, region) pairs, `trigger_ids` its triggers' ids."""
        sums = self.days.get(day)
        if sums is None:
            sums = self.days[day] = [0, 0, {}]
        sums[0] += 1
        sums[1] += seconds
        _count(sums[2], hour, intensity, answers, sites, trigger_ids)


def new_days(user_id: int, tally: DayTally) -> list[date]:
    """
    The summaries of the tallied days that had none, made from the tally alone: that equals a
    rebuild, as no episode of theirs was counted before. Returns the other days (they also
    count earlier episodes), for a rebuild.
    """
    days = sorted(tally.days)
    summarized: set[date] = set()
    for i in range(0, len(days), CHUNK_DATES):
        found = DaySummary.objects.filter(user_id=user_id, date__in=days[i : i + CHUNK_DATES])
        summarized.update(found.values_list("date", flat=True))
    DaySummary.objects.bulk_create(
        [
            DaySummary(user_id=user_id, date=day, episodes=n, seconds=seconds, counts=counts)
            for day in days
            if day not in summarized
            for n, seconds, counts in [tally.days[day]]
        ],
        batch_size=500,
    )
    return sorted(summarized)


@dataclass(frozen=True)
class NewEpisode:
    """
    An episode its write has just inserted, with what its day's summary needs of its links:
    its sites as (code, region) pairs and its triggers' ids (known to the writer, not read
    back).
    """

    episode: models.Model  # an Episode (not imported: see rebuild_days)
    sites: tuple[tuple[str, str], ...]
    trigger_ids: tuple[int, ...]


def add_to_days(user_id: int, new: list[NewEpisode]) -> None:
    """
    Add newly inserted episodes to their days' summaries: the day's row, read and written
    back, equals a rebuild of that day (tests/test_summary_incremental.py checks this over
    random writes) for two queries a day instead of five. Only for episodes that are the
    write's one change to their day. The caller holds the person's profile row locked
    (data_changed's UPDATE comes first), so the person's writes take turns here and no
    concurrent write is lost between the read and the write.
    """
    by_day: dict[date, list[NewEpisode]] = defaultdict(list)
    for item in new:
        by_day[item.episode.local_date].append(item)
    for day, items in sorted(by_day.items()):
        row = DaySummary.objects.filter(user_id=user_id, date=day).first() or DaySummary(
            user_id=user_id, date=day, episodes=0, seconds=0.0, counts={}
        )
        for item in items:
            episode = item.episode
            row.episodes += 1
            row.revision += 1
            row.seconds += episode.duration.total_seconds()
            answers = [getattr(episode, field) for field, _group in DETAILS]
            answers += [getattr(episode, name) for name in SYMPTOMS]
            _count(
                row.counts,
                episode.local_hour,
                episode.intensity,
                answers,
                item.sites,
                item.trigger_ids,
            )
        row.save()
