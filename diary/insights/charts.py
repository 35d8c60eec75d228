"""
What the Trends page (and a share link's page) draws for a period: the charts' data for
static/js/trends.js and the tables under each chart ("Show the numbers"), in words a person
reads, from one insights.overview(); and where Chart.js comes from.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings

from diary import insights
from diary.insights import details
from diary.insights.periods import Period
from diary.insights.results import Overview, Summary
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


def share(count: int, episodes: int) -> int:
    """Per cent of the range's episodes, rounded."""
    return round(100 * count / episodes) if episodes else 0


def chart_data(overview: Overview) -> dict:
    """
    What static/js/trends.js draws: plain lists, labels already in words. Weeks before the
    first logged day carry `"logging": false` and null values: not logged, not zero.
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


def compared_days(summary: Summary) -> str:
    """'Mon–Wed', 'Mon' or '' (whole weeks): the weekdays "this week so far" compares."""
    if summary.whole_week:
        return ""
    last = WEEKDAYS[summary.compared_days - 1]
    return "Mon" if last == "Mon" else f"Mon–{last}"


def trends_context(user, period: Period, today: date, *, own_trigger_names: bool = True) -> dict:
    """
    The page's numbers: one insights.overview() and the tables under each chart.
    `own_trigger_names=False` (a share link without notes) names own triggers "Own trigger 1", ….
    """
    overview = insights.overview(user, period)
    if not own_trigger_names:
        overview = insights.without_own_trigger_names(overview)
    episodes = overview.summary.episodes
    weeks = [(week_label(w.start, period), w) for w in overview.weeks]
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
        "is_current": period.last == today,
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
        "chart_data": chart_data(overview),
    }


def chartjs_sources() -> dict:
    """The pinned CDN copy (with SRI) and the vendored fallback; CHARTJS_URL=local: only that."""
    cdn = settings.CHARTJS_URL
    return {
        "cdn": "" if cdn == "local" else cdn,
        "integrity": settings.CHARTJS_INTEGRITY,
        "local": CHARTJS_LOCAL,
    }
