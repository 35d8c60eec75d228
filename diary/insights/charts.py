"""
What the Trends page (and a share link's page) draws for a period: the charts' data for
static/js/trends.js and the tables under each chart ("Show the numbers"), in words a person
reads, from one insights.overview(); and where Chart.js comes from.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings

from diary import insights
from diary.insights import details
from diary.insights.periods import Period
from diary.insights.results import Overview, Summary, Week, weekdays
from diary.lib.clock import iso_week_start
from diary.models import SYMPTOMS, Region

CHARTJS_LOCAL = "vendor/chartjs-4.5.1/chart.umd.min.js"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
NOT_LOGGING = "not logging yet"


def week_label(monday: date, period: Period) -> str:
    """'6 Jan', with the year when the range spans more than one."""
    if period.first.year == period.last.year:
        return f"{monday.day} {monday:%b}"
    return f"{monday.day} {monday:%b %Y}"


def row_label(week: Week, period: Period, today: date) -> str:
    """A table row's heading: "6 Jan", or "6 Jan (so far)" for a week that is not over."""
    mark = week.mark(today)
    label = week_label(week.start, period)
    return f"{label} ({mark})" if mark else label


def share(count: int, episodes: int) -> int:
    """Per cent of the range's episodes, rounded."""
    return round(100 * count / episodes) if episodes else 0


def chart_data(overview: Overview, today: date) -> dict:
    """
    What static/js/trends.js draws: plain lists, labels already in words. Weeks before the
    first logged day carry `"logging": false` and null values: not logged, not zero. A week
    that is not over carries its `mark` ("so far", or "Mon–Wed" for a range that cuts it
    short): drawn outlined and hatched, never like a finished week.
    """
    weeks, period = overview.weeks, overview.period
    episodes = overview.summary.episodes

    def per_week(values) -> list:
        return [v if w.logging else None for w, v in zip(weeks, values, strict=True)]

    return {
        "weeks": [
            {
                "label": week_label(w.start, period),
                "start": w.start.isoformat(),
                "logging": w.logging,
                "mark": w.mark(today),
            }
            for w in weeks
        ],
        "regions": [
            {"label": region.label, "data": per_week(w.by_region[region.value] for w in weeks)}
            for region in Region
        ],
        "days": per_week(w.days for w in weeks),
        "minutes": per_week(w.minutes for w in weeks),
        "areas": per_week(w.areas for w in weeks),
        "region_counts": per_week(w.regions for w in weeks),
        "heatmap": {"days": WEEKDAYS, "counts": overview.heatmap},
        "trigger_share": {
            "labels": [t.name for t in overview.triggers],
            "counts": [t.count for t in overview.triggers],
            "percent": [share(t.count, episodes) for t in overview.triggers],
        },
        "trigger_weeks": [
            {"label": t.name, "data": per_week(w.triggers.get(t.slug, 0) for w in weeks)}
            for t in overview.triggers
        ],
        "symptoms": [
            {"label": label, "data": per_week(w.symptoms[name] for w in weeks)}
            for name, label in SYMPTOMS.items()
        ],
        "intensity": [w.median_intensity for w in weeks],
    }


def _days(count: int) -> str:
    monday = date(2001, 1, 1)  # any Monday
    return weekdays(monday, monday + timedelta(days=count - 1))


def compared_days(summary: Summary) -> str:
    """
    What "this week so far" is compared with in earlier weeks: 'Mon–Wed', 'Mon' or
    'Mon–Wed up to 10:00' (the week is still going on), '' for whole weeks or nothing yet.
    """
    if summary.whole_week or not summary.compared_days:
        return ""
    label = _days(summary.compared_days)
    if summary.compared_hour is not None:
        label += f" up to {summary.compared_hour:02d}:00"
    return label


def week_days(summary: Summary) -> str:
    """The days of the last week that are in the range: 'Mon–Wed'; '' for a whole week."""
    return "" if summary.week_days >= 7 else _days(summary.week_days)


# Days of logging before Trends draws its charts and comparisons: with fewer, every chart is
# one bar and every comparison "not enough days yet".
YOUNG_DAYS = 7


def young_diary(summary: Summary, today: date) -> bool:
    """Nothing logged yet, or less than a week since the first entry."""
    first = summary.first_logged
    return first is None or (today - first).days + 1 < YOUNG_DAYS


def trends_context(
    user,
    period: Period,
    today: date,
    now: datetime | None = None,
    *,
    own_trigger_names: bool = True,
) -> dict:
    """
    The page's numbers: one insights.overview() and the tables under each chart. `now` (in
    the profile's zone) compares an unfinished week with earlier ones up to its hour.
    `own_trigger_names=False` (a share link without notes) names own triggers "Own trigger 1", ….
    """
    overview = insights.overview(user, period, now)
    if not own_trigger_names:
        overview = insights.without_own_trigger_names(overview)
    episodes = overview.summary.episodes
    weeks = [(row_label(w, period, today), w) for w in overview.weeks]
    regions = Region.values

    def rows(cells) -> list:
        # A week before the first entry says so instead of showing zeros.
        return [
            (label, values if w.logging else [NOT_LOGGING, *[None] * (len(values) - 1)])
            for (label, w), values in zip(weeks, (cells(w) for _label, w in weeks), strict=True)
        ]

    return {
        "period": period,
        "summary": overview.summary,
        "compared_days": compared_days(overview.summary),
        "week_days": week_days(overview.summary),
        "is_current": period.last == today,
        # Nothing to draw yet, or under a week of it: one plain panel instead of the charts.
        "young": young_diary(overview.summary, today),
        "last_week_start": iso_week_start(period.last),
        "sites": overview.sites,
        "facts": overview.facts,
        "triggers": overview.triggers,
        "details_line": details.line(overview.details),
        "details_table": details.table(overview.details),
        "heads": {
            "regions": [*Region.labels, "All episodes"],
            "weekdays": WEEKDAYS,
            "triggers": [t.name for t in overview.triggers],
            "symptoms": list(SYMPTOMS.values()),
        },
        # Each table: (row heading, [cells]).
        "rows": {
            "regions": rows(lambda w: [*(w.by_region[r] for r in regions), w.episodes]),
            "days": rows(lambda w: [w.days, w.minutes]),
            "spread": rows(lambda w: [w.areas, w.regions]),
            "heatmap": [
                (f"{hour:02d}:00", [overview.heatmap[day][hour] for day in range(7)])
                for hour in range(24)
            ],
            "trigger_share": [
                (t.name, [t.count, f"{share(t.count, episodes)}%"]) for t in overview.triggers
            ],
            "trigger_weeks": rows(lambda w: [w.triggers.get(t.slug, 0) for t in overview.triggers])
            if overview.triggers
            else [],
            "symptoms": rows(lambda w: [w.symptoms[s] for s in SYMPTOMS]),
            "intensity": rows(lambda w: [w.median_intensity]),
        },
        "chart_data": chart_data(overview, today),
    }


def chartjs_sources() -> dict:
    """The pinned CDN copy (with SRI) and the vendored fallback; CHARTJS_URL=local: only that."""
    cdn = settings.CHARTJS_URL
    return {
        "cdn": "" if cdn == "local" else cdn,
        "integrity": settings.CHARTJS_INTEGRITY,
        "local": CHARTJS_LOCAL,
    }
