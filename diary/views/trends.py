"""
The trends page: charts over weeks, all numbers from diary.insights (what each chart and table
shows: diary/insights/charts.py).

One view, one template: presets and the custom range are plain links and a GET form (so the
page works without JavaScript and every range is a bookmarkable URL); htmx swaps the
`trends-results` partial and pushes the URL.

The rendered results partial is cached, keyed on the user, their data version (bumped by
every write, diary.models.changes), the period, today's date and the zone: a write shows on the next
request, and nothing needs invalidating.
"""

from __future__ import annotations

from datetime import date

from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from diary import insights
from diary.forms import html_date
from diary.insights import PRESET_WEEKS, Period, PeriodError, exposures
from diary.insights.charts import chartjs_sources, trends_context
from diary.lib.clock import local_today
from diary.lib.http import AuthenticatedHttpRequest, is_partial

# Bump when the results partial's markup changes, so a shared cache never serves old HTML.
CACHE_FORMAT = 2
# A day: the key changes with today's date anyway; this only bounds what a cache keeps.
CACHE_SECONDS = 24 * 3600


def results_cache_key(user, period: Period, today: date, weeks: str | None) -> str:
    """Everything the results partial depends on; the data version changes with every write."""
    profile = user.profile
    joined = int(user.date_joined.timestamp())  # a reused id never meets an old entry
    return (
        f"trends:{CACHE_FORMAT}:{user.pk}:{joined}:{profile.data_version}:{profile.timezone}:"
        f"{today.isoformat()}:{period.first.isoformat()}:{period.last.isoformat()}:{weeks}"
    )


@require_GET
def trends(request: AuthenticatedHttpRequest) -> HttpResponse:
    zone, today = request.user.profile.zone, local_today(request.user)
    custom = bool(request.GET.get("from") or request.GET.get("to"))
    context = {
        "presets": PRESET_WEEKS,
        "chartjs": chartjs_sources(),
        "custom": custom,
        "weeks": None if custom else request.GET.get("weeks") or "12",
        "from_value": html_date(request.GET.get("from", "")),
        "to_value": html_date(request.GET.get("to", "")),
    }
    partial = "diary/trends.html#trends-results"
    try:
        period = insights.parse_period(request.GET, today=today, zone=zone)
    except PeriodError as error:
        context["error"] = str(error)
    else:
        context |= {"from_value": period.first.isoformat(), "to_value": period.last.isoformat()}
        key = results_cache_key(request.user, period, today, context["weeks"])
        results = caches["pages"].get(key)
        if results is None:
            context |= trends_context(request.user, period, today)
            # "What goes with more twitching?" (diary/insights/exposures.py, its own include);
            # check-ins bump the data version too, so the cached results never miss a new one.
            context["comparisons"] = exposures.exposure_comparisons(request.user, period)
            results = render_to_string(partial, context, request)
            caches["pages"].set(key, results, CACHE_SECONDS)
        context["results"] = mark_safe(results)  # rendered (and escaped) by us, above
    # hx-history="false" keeps health data out of htmx's localStorage snapshots; the back
    # button then asks for the whole page again (a history-restore request: not partial).
    template = partial if is_partial(request) else "diary/trends.html"
    return TemplateResponse(request, template, context)
