"""
The trends page: charts over weeks in the user's zone, all numbers from diary.insights.

One view, one template: presets and the custom range are plain links and a GET form (so the
page works without JavaScript and every range is a bookmarkable URL); htmx swaps the
`trends-results` partial and pushes the URL.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from diary import comparisons, insights
from diary.forms import html_date
from diary.insights import PRESET_WEEKS, Overview, Period, PeriodError
from diary.models import SYMPTOMS, Region
from diary.timeutil import iso_week_start
from diary.views.base import AuthenticatedHttpRequest, is_partial

CHARTJS_LOCAL = "vendor/chartjs-4.5.1/chart.umd.min.js"
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def week_label(monday: date, period: Period) -> str:
    """'6 Jan', with the year when the range spans more than one."""
    if period.first.year == period.last.year:
        return f"{monday.day} {monday:%b}"
    return f"{monday.day} {monday:%b %Y}"


def share(count: int, episodes: int) -> int:
    """Per cent of the range's episodes, rounded."""
    return round(100 * count / episodes) if episodes else 0


def chart_data(overview: Overview) -> dict:
    """What static/js/trends.js draws: plain lists, labels already in words."""
    weeks, period = overview.weeks, overview.period
    episodes = overview.summary.episodes
    return {
        "weeks": [week_label(w.start, period) for w in weeks],
        "regions": [
            {"label": region.label, "data": [w.by_region[region.value] for w in weeks]}
            for region in Region
        ],
        "days": [w.days for w in weeks],
        "minutes": [w.minutes for w in weeks],
        "areas": [w.areas for w in weeks],
        "region_counts": [w.regions for w in weeks],
        "heatmap": {"days": WEEKDAYS, "counts": overview.heatmap},
        "trigger_share": {
            "labels": [t.name for t in overview.triggers],
            "counts": [t.count for t in overview.triggers],
            "percent": [share(t.count, episodes) for t in overview.triggers],
        },
        "trigger_weeks": [
            {"label": t.name, "data": [w.triggers.get(t.slug, 0) for w in weeks]}
            for t in overview.triggers
        ],
        "symptoms": [
            {"label": label, "data": [w.symptoms[name] for w in weeks]}
            for name, label in SYMPTOMS.items()
        ],
        "intensity": [w.median_intensity for w in weeks],
    }


def trends_context(user, period: Period, today: date) -> dict:
    """The page's numbers: one insights.overview() and the tables under each chart."""
    overview = insights.overview(user, period)
    episodes = overview.summary.episodes
    weeks = [(week_label(w.start, period), w) for w in overview.weeks]
    regions = Region.values
    return {
        "period": period,
        "summary": overview.summary,
        "is_current": period.last == today,
        "last_week_start": iso_week_start(period.last),
        "sites": overview.sites,
        "facts": overview.facts,
        "triggers": overview.triggers,
        "heads": {
            "regions": [*Region.labels, "All episodes"],
            "weekdays": WEEKDAYS,
            "triggers": [t.name for t in overview.triggers],
            "symptoms": list(SYMPTOMS.values()),
        },
        # Each table: (row heading, [cells]).
        "rows": {
            "regions": [
                (label, [*(w.by_region[r] for r in regions), w.episodes]) for label, w in weeks
            ],
            "days": [(label, [w.days, w.minutes]) for label, w in weeks],
            "spread": [(label, [w.areas, w.regions]) for label, w in weeks],
            "heatmap": [
                (f"{hour:02d}:00", [overview.heatmap[day][hour] for day in range(7)])
                for hour in range(24)
            ],
            "trigger_share": [
                (t.name, [t.count, f"{share(t.count, episodes)}%"]) for t in overview.triggers
            ],
            "trigger_weeks": [
                (label, [w.triggers.get(t.slug, 0) for t in overview.triggers])
                for label, w in weeks
            ],
            "symptoms": [(label, [w.symptoms[s] for s in SYMPTOMS]) for label, w in weeks],
            "intensity": [(label, [w.median_intensity]) for label, w in weeks],
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


@require_GET
def trends(request: AuthenticatedHttpRequest) -> HttpResponse:
    zone = request.user.profile.zone
    today = timezone.now().astimezone(zone).date()
    custom = bool(request.GET.get("from") or request.GET.get("to"))
    context = {
        "presets": PRESET_WEEKS,
        "chartjs": chartjs_sources(),
        "custom": custom,
        "weeks": None if custom else request.GET.get("weeks") or "12",
        "from_value": html_date(request.GET.get("from", "")),
        "to_value": html_date(request.GET.get("to", "")),
    }
    try:
        period = insights.parse_period(request.GET, today=today, zone=zone)
    except PeriodError as error:
        context["error"] = str(error)
    else:
        context |= trends_context(request.user, period, today)
        # "What goes with more twitching?" (diary/comparisons.py, its own include).
        context["comparisons"] = comparisons.exposure_comparisons(request.user, period)
        context |= {"from_value": period.first.isoformat(), "to_value": period.last.isoformat()}
    # hx-history="false" keeps health data out of htmx's localStorage snapshots; the back
    # button then asks for the whole page again (a history-restore request: not partial).
    template = "diary/trends.html#trends-results" if is_partial(request) else "diary/trends.html"
    return TemplateResponse(request, template, context)
