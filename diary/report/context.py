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

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from diary import insights
from diary.insights.details import line as details_line
from diary.insights.exposures import Comparison, exposure_comparisons
from diary.models import SYMPTOMS, Episode, FunctionCheck, Profile, Region, TaskAnswer
from diary.models.sites import site_name
from diary.models.triggers import trigger_label
from diary.report.text import fmt_period, fmt_short

# Medicines and tests already done are answers "About your twitching" (Report.about).
APPOINTMENT_NOTES = {"questions": gettext_lazy("Questions to ask")}
# In each section that would hold typed text, on a copy shared without "Include my notes".
NOTES_LEFT_OUT = gettext_lazy("Notes are not included in this shared copy.")
# The twitch details each episode carries into the full log.
DETAILS = ("pattern", "visible", "stopped_with_movement", "context")
# The full log prints at most this many episodes, the latest ones: a year of heavy logging
# would otherwise be over a thousand pages, and the CSV export holds every episode.
LOG_LIMIT = 2_000


@dataclass(frozen=True)
class Check:
    """
    The latest function check in the period, as the report prints it: every task's answer
    (None: not answered) and note, and the date of the check before it, if any (None: the
    first check, which asked what was new or worse lately, not since a previous check).
    """

    date: date
    previous: date | None
    answers: tuple[TaskAnswer, ...]
    note: str

    @classmethod
    def of(cls, check: FunctionCheck, previous: FunctionCheck | None) -> Check:
        return cls(
            date=check.date,
            previous=previous.date if previous else None,
            answers=tuple(check.task_answers),
            note=check.note,
        )

    @property
    def since(self) -> str:
        """What "new or worse" was compared with."""
        return _("since the previous check") if self.previous else _("lately")

    @property
    def answered(self) -> int:
        return sum(a.answer is not None for a in self.answers)

    @property
    def changes(self) -> list[tuple[str, str]]:
        """(task, note) for each task answered "new or worse", in the checklist's order."""
        return [(a.task, a.note) for a in self.answers if a.answer]

    @property
    def other_notes(self) -> list[TaskAnswer]:
        """Tasks not answered "new or worse" that have a note all the same."""
        return [a for a in self.answers if not a.answer and a.note]

    @property
    def counts(self) -> str:
        """'Marked new or worse since the previous check: 1 of 7 tasks answered (2 not …).'"""
        total, answered, changed = len(self.answers), self.answered, len(self.changes)
        values = {
            "total": total,
            "answered": answered,
            "changed": changed,
            "unanswered": total - answered,
        }
        if not answered:
            return _("None of the %(total)d tasks was answered.") % values
        if not changed:
            if self.previous:
                text = _(
                    "Nothing marked new or worse since the previous check: %(answered)d of "
                    "%(total)d tasks answered."
                )
            else:
                text = _(
                    "Nothing marked new or worse lately: %(answered)d of %(total)d tasks answered."
                )
            return text % values
        some_unanswered = answered < total
        if self.previous and some_unanswered:
            text = _(
                "Marked new or worse since the previous check: %(changed)d of %(answered)d "
                "tasks answered (%(unanswered)d not answered)."
            )
        elif self.previous:
            text = _(
                "Marked new or worse since the previous check: %(changed)d of %(answered)d "
                "tasks answered."
            )
        elif some_unanswered:
            text = _(
                "Marked new or worse lately: %(changed)d of %(answered)d tasks answered "
                "(%(unanswered)d not answered)."
            )
        else:
            text = _("Marked new or worse lately: %(changed)d of %(answered)d tasks answered.")
        return text % values

    def without_notes(self) -> Check:
        return dataclasses.replace(
            self,
            answers=tuple(dataclasses.replace(a, note="") for a in self.answers),
            note="",
        )


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
    # The twitch details as stored ("" / None: not answered).
    pattern: str = ""
    visible: bool | None = None
    stopped_with_movement: str = ""
    context: str = ""


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
    details: insights.Details
    check: Check | None
    notes: dict[str, str]
    episodes_with_notes: list[Entry]
    log: list[Entry] | None
    # How many episodes the period has in all; more than len(log) when the log is capped.
    log_total: int = 0
    # The "Daily exposures" comparisons; empty when not gathered (the page-1 preview).
    exposures: list[Comparison] = dataclasses.field(default_factory=list)
    # A share link printed on page 1 as a QR code: {"url": …, "expires_on": date, …}.
    share: dict | None = None
    # "About your twitching": (label, answer) for each question answered (Profile.answers);
    # `about_chosen` is the same without anything typed, for a share link made without notes.
    about: list[tuple[str, str]] = dataclasses.field(default_factory=list)
    about_chosen: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def notes_left_out(self) -> bool:
        """A copy shared through a link made without "Include my notes": no typed text in it."""
        return self.share is not None and not self.share.get("include_notes")

    @property
    def is_empty(self) -> bool:
        return self.summary.episodes == 0

    @property
    def regions(self) -> list[str]:
        """The body regions involved, plain names, in head-to-feet order."""
        involved = {row.region for row in self.sites}
        return [str(Region(value).label) for value in Region.values if value in involved]

    @property
    def changes(self) -> list[tuple[str, str]]:
        return self.check.changes if self.check else []

    @property
    def details_line(self) -> str:
        """The twitch details in one sentence ("" when none was noted)."""
        return details_line(self.details)

    @property
    def has_check_ins(self) -> bool:
        """Whether any check-in in the period answered a question about a day that is over."""
        return any(c.exposed.days or c.unexposed.days for c in self.exposures)

    @property
    def period_line(self) -> str:
        """
        "21 Sep 2026 – 7 Dec 2026, logging since 5 Dec (3 days)" for a diary younger than the
        period (never "(78 days)" of which 75 were not logged), else "… (78 days)"; a period
        that ends on the day the report was made says that day is counted so far.
        """
        period, summary = self.period, self.summary
        if summary.started_in_period and summary.logging_since is not None:
            days = summary.days_in_period
            values = {
                "period": fmt_period(period),
                "since": fmt_short(summary.logging_since),
                "days": days,
                "today": fmt_short(period.last),
            }
            if period.last >= self.generated_on:
                text = ngettext(
                    "%(period)s, logging since %(since)s (%(days)d day, %(today)s so far)",
                    "%(period)s, logging since %(since)s (%(days)d days, %(today)s so far)",
                    days,
                )
            else:
                text = ngettext(
                    "%(period)s, logging since %(since)s (%(days)d day)",
                    "%(period)s, logging since %(since)s (%(days)d days)",
                    days,
                )
            return text % values
        values = {
            "period": fmt_period(period),
            "days": period.days,
            "today": fmt_short(period.last),
        }
        if period.last >= self.generated_on:
            text = ngettext(
                "%(period)s (%(days)d day, %(today)s so far)",
                "%(period)s (%(days)d days, %(today)s so far)",
                period.days,
            )
        else:
            text = ngettext("%(period)s (%(days)d day)", "%(period)s (%(days)d days)", period.days)
        return text % values

    def week_mark(self, week: insights.Week) -> str:
        """ "so far" for the week still going on, "Mon–Wed" for one cut short, else ""."""
        return week.mark(self.generated_on)

    @property
    def marked_weeks(self) -> list[tuple[insights.Week, str]]:
        """Each week with its mark, for the preview's table."""
        return [(week, self.week_mark(week)) for week in self.weekly]

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
    columns = ("id", "started_at", "duration", "intensity", "notes", *DETAILS, *SYMPTOMS)
    if latest is None:
        rows = list(episodes.order_by("started_at", "id").values_list(*columns))
    else:
        rows = list(episodes.order_by("-started_at", "-id").values_list(*columns)[:latest])
        rows.reverse()
        episodes = Episode.objects.filter(id__in=[row[0] for row in rows])
    sites: dict[int, list[str]] = defaultdict(list)
    names: dict[str, str] = {}  # each site's name translated once (a year has thousands of rows)
    for episode_id, code, name in (
        Episode.sites.through.objects.filter(episode__in=episodes)
        .order_by("bodysite__sort_order")
        .values_list("episode_id", "bodysite__code", "bodysite__name")
    ):
        shown = names.get(code)
        if shown is None:
            shown = names[code] = site_name(code, name)
        sites[episode_id].append(shown)
    triggers: dict[int, list[str]] = defaultdict(list)
    labels: dict[tuple[str, str, bool], str] = {}  # each trigger's label made once
    for episode_id, name, slug, owner in Episode.triggers.through.objects.filter(
        episode__in=episodes
    ).values_list("episode_id", "trigger__name", "trigger__slug", "trigger__user_id"):
        key = (name, slug, owner is None)
        label = labels.get(key)
        if label is None:
            label = labels[key] = trigger_label(*key)
        triggers[episode_id].append(label)
    for names in triggers.values():
        names.sort(key=str.casefold)  # by the names printed, in the report's language
    symptoms = [str(label) for label in SYMPTOMS.values()]
    none: list[str] = []  # shared by the many episodes with no symptom: read, never changed
    return [
        Entry(
            started_at=started_at,
            duration=duration,
            intensity=intensity,
            notes=notes,
            symptoms=[label for label, on in zip(symptoms, ticked, strict=True) if on]
            if any(ticked)
            else none,
            sites=sites[pk],
            triggers=triggers[pk],
            pattern=pattern,
            visible=visible,
            stopped_with_movement=stopped_with_movement,
            context=context,
        )
        for (
            pk,
            started_at,
            duration,
            intensity,
            notes,
            pattern,
            visible,
            stopped_with_movement,
            context,
            *ticked,
        ) in rows
    ]


def latest_check(user, period: insights.Period) -> Check | None:
    """The latest check in the period and the date of the one before it: one query."""
    checks = FunctionCheck.objects.for_user(user).filter(date__lte=period.last)
    latest = list(checks.order_by("-date", "-created_at")[:2])
    if not latest or latest[0].date < period.first:
        return None
    return Check.of(latest[0], latest[1] if len(latest) > 1 else None)


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
        symptoms=[
            (str(label), overview.symptoms.get(field, 0)) for field, label in SYMPTOMS.items()
        ],
        triggers=overview.triggers,
        facts=overview.facts,
        details=overview.details,
        check=latest_check(user, period),
        notes={field: getattr(profile, field) for field in APPOINTMENT_NOTES},
        episodes_with_notes=noted,
        log=log,
        log_total=overview.summary.episodes,
        exposures=(
            exposure_comparisons(user, period) if appendix and overview.summary.episodes else []
        ),
        about=profile.answers(),
        about_chosen=profile.answers(free_text=False),
    )
