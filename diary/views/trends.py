"""
The trends page: charts over weeks, all numbers from diary.insights (what each chart and table
shows: diary/insights/charts.py).

One view, one template: presets and the custom range are plain links and a GET form (so the
page works without JavaScript and every range is a bookmarkable URL); htmx swaps the
`trends-results` partial and pushes the URL.

The rendered results partial is cached, keyed on the user, their data version (bumped by
every write, diary.models.changes), the period, today's date, the hour while the period ends
today ("this week so far" is compared up to it), the zone and the language: a write shows on
the next request, and nothing needs invalidating.

Without a range asked for, a diary younger than 12 weeks opens on the days since its first
entry (insights.default_period), not on weeks that were not being logged.

The tables under "Show the numbers" are written in the browser from the charts' data when
opened (static/js/numbers.js); `?numbers=1`, linked for a browser without JavaScript, renders
every table on the server.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

from django.core.cache import caches
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from diary import insights
from diary.forms import html_date
from diary.insights import PRESET_WEEKS, Period, PeriodError, exposures
from diary.insights.charts import chartjs_sources, trends_context
from diary.lib.clock import local_now
from diary.lib.http import AuthenticatedHttpRequest, is_partial

# Bump when the results partial's markup changes, so a shared cache never serves old HTML.
CACHE_FORMAT = 4
# A day: the key changes with today's date anyway; this only bounds what a cache keeps.
CACHE_SECONDS = 24 * 3600


def results_cache_key(
    user, period: Period, now: datetime, weeks: str | None, *, tables: bool = False
) -> str:
    """Everything the results partial depends on; the data version changes with every write."""
    profile = user.profile
    joined = int(user.date_joined.timestamp())  # a reused id never meets an old entry
    today = now.date()
    hour = now.hour if period.last == today else ""  # an unfinished week: compared up to it
    return (
        f"trends:{CACHE_FORMAT}:{user.pk}:{joined}:{profile.data_version}:{profile.timezone}:"
        f"{translation.get_language()}:{today.isoformat()}:{hour}:{period.first.isoformat()}:"
        f"{period.last.isoformat()}:{weeks}:{int(tables)}"
    )


@require_GET
def trends(request: AuthenticatedHttpRequest) -> HttpResponse:
    zone, now = request.user.profile.zone, local_now(request.user)
    today = now.date()
    custom = bool(request.GET.get("from") or request.GET.get("to"))
    chosen = request.GET.get("weeks")
    tables = request.GET.get("numbers") == "1"  # every table rendered here: no JavaScript
    context = {
        "presets": PRESET_WEEKS,
        "chartjs": chartjs_sources(),
        "custom": custom,
        "weeks": None if custom else chosen or "12",
        "from_value": html_date(request.GET.get("from", "")),
        "to_value": html_date(request.GET.get("to", "")),
    }
    partial = "diary/trends.html#trends-results"
    # The default period depends on the first logged day: asked only when it is needed.
    first = None if custom or chosen else insights.first_logged(request.user)
    try:
        period = insights.parse_period(request.GET, today=today, zone=zone, first_logged=first)
    except PeriodError as error:
        context["error"] = str(error)
    else:
        if not custom and not chosen and period.first == first:
            context["weeks"] = "since"  # younger than 12 weeks: no preset is the one shown
        context |= {"from_value": period.first.isoformat(), "to_value": period.last.isoformat()}
        key = results_cache_key(request.user, period, now, context["weeks"], tables=tables)
        results = caches["pages"].get(key)
        if results is None:
            context |= trends_context(request.user, period, today, now, tables=tables)
            if not tables:
                query = {"from": period.first.isoformat(), "to": period.last.isoformat()}
                context["numbers_url"] = f"{request.path}?{urlencode(query | {'numbers': 1})}"
            # "What goes with more twitching?" (diary/insights/exposures.py, its own include);
            # check-ins bump the data version too, so the cached results never miss a new one.
            # A diary under a week old shows one plain panel instead (trends_young.html).
            if not context["young"]:
                context["comparisons"] = exposures.exposure_comparisons(request.user, period)
            results = render_to_string(partial, context, request)
            caches["pages"].set(key, results, CACHE_SECONDS)
        context["results"] = mark_safe(results)  # rendered (and escaped) by us, above
    # hx-history="false" keeps health data out of htmx's localStorage snapshots; the back
    # button then asks for the whole page again (a history-restore request: not partial).
    template = partial if is_partial(request) else "diary/trends.html"
    return TemplateResponse(request, template, context)
