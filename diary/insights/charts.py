"""
What the Trends page (and a share link's page) draws for a period: the charts' data for
static/js/trends.js and the tables under each chart ("Show the numbers"), in words a person
reads (the active language's), from one insights.overview(); and where Chart.js comes from.

The Trends page sends the tables' numbers only inside the charts' data, and
static/js/numbers.js writes a table when its "Show the numbers" is first opened: a year of
weekly tables rendered into every response cost more than the year's numbers. `tables=True`
(a share link's page, and Trends asked with ?numbers=1, its link for a browser without
JavaScript) renders them on the server as before.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from diary import insights
from diary.insights import details
from diary.insights.periods import Period
from diary.insights.results import Overview, Summary, Week, weekdays
from diary.lib.clock import iso_week_start
from diary.lib.formats import (
    day_month,
    day_month_year,
    hour,
    percent,
    short_number,
    weekday_abbr,
)
from diary.models import SYMPTOMS, Region

CHARTJS_LOCAL = "vendor/chartjs-4.5.1/chart.umd.min.js"


def weekday_names() -> list[str]:
    """'Mon' … 'Sun' in the active language."""
    return [weekday_abbr(i) for i in range(7)]


def not_logging() -> str:
    return pgettext("a week before the first entry", "not logging yet")


def week_label(monday: date, period: Period) -> str:
    """'6 Jan', with the year when the range spans more than one."""
    if period.first.year == period.last.year:
        return day_month(monday)
    return day_month_year(monday)


def row_label(week: Week, period: Period, today: date) -> str:
    """A table row's heading: "6 Jan", or "6 Jan (so far)" for a week that is not over."""
    mark = week.mark(today)
    label = week_label(week.start, period)
    return _("%(week)s (%(mark)s)") % {"week": label, "mark": mark} if mark else label


def share(count: int, episodes: int) -> int:
    """Per cent of the range's episodes, rounded."""
    return round(100 * count / episodes) if episodes else 0


def chart_data(overview: Overview, today: date) -> dict:
    """
    What static/js/trends.js draws and static/js/numbers.js writes as tables: plain lists,
    labels already in words. Weeks before the first logged day carry `"logging": false` and
    null values: not logged, not zero (a table row says `absent`). A week that is not over
    carries its `mark` ("so far", or "Mon–Wed" for a range that cuts it short): drawn outlined
    and hatched, never like a finished week; `row` is its table row's heading.
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
                "row": row_label(w, period, today),
            }
            for w in weeks
        ],
        "absent": not_logging(),
        "episodes": per_week(w.episodes for w in weeks),
        "regions": [
            {
                "label": str(region.label),
                "data": per_week(w.by_region[region.value] for w in weeks),
            }
            for region in Region
        ],
        "days": per_week(w.days for w in weeks),
        "minutes": per_week(w.minutes for w in weeks),
        "areas": per_week(w.areas for w in weeks),
        "region_counts": per_week(w.regions for w in weeks),
        "heatmap": {
            "days": weekday_names(),
            "hours": [hour(h) for h in range(24)],
            "counts": overview.heatmap,
        },
        "trigger_share": {
            "labels": [t.name for t in overview.triggers],
            "counts": [t.count for t in overview.triggers],
            "percent": [share(t.count, episodes) for t in overview.triggers],
            "percent_text": [percent(share(t.count, episodes)) for t in overview.triggers],
        },
        "trigger_weeks": [
            {"label": t.name, "data": per_week(w.triggers.get(t.slug, 0) for w in weeks)}
            for t in overview.triggers
        ],
        "symptoms": [
            {"label": str(label), "data": per_week(w.symptoms[name] for w in weeks)}
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
        return _("%(days)s up to %(hour)s") % {"days": label, "hour": hour(summary.compared_hour)}
    return label


def week_comparison(summary: Summary, compared: str) -> str:
    """
    This week against the previous ones, in words: "More than Mon–Wed of the previous 4 weeks:
    3, 5, 2, 4 (average 3.5); this week up to 10:00: 6." (`compared`: compared_days()). The
    arrow before it is drawn by the template.
    """
    weeks = len(summary.previous_weeks)
    values = {
        "days": compared,
        "weeks": weeks,
        "counts": _(", ").join(str(n) for n in summary.previous_weeks),
        "average": short_number(summary.previous_4_week_average),
    }
    if summary.direction == "up":
        if compared:
            text = ngettext(
                "More than %(days)s of the previous week: %(counts)s",
                "More than %(days)s of the previous %(weeks)d weeks: %(counts)s "
                "(average %(average)s)",
                weeks,
            )
        else:
            text = ngettext(
                "More than the previous week: %(counts)s",
                "More than the previous %(weeks)d weeks: %(counts)s (average %(average)s)",
                weeks,
            )
    elif summary.direction == "down":
        if compared:
            text = ngettext(
                "Fewer than %(days)s of the previous week: %(counts)s",
                "Fewer than %(days)s of the previous %(weeks)d weeks: %(counts)s "
                "(average %(average)s)",
                weeks,
            )
        else:
            text = ngettext(
                "Fewer than the previous week: %(counts)s",
                "Fewer than the previous %(weeks)d weeks: %(counts)s (average %(average)s)",
                weeks,
            )
    elif compared:
        text = ngettext(
            "The same as %(days)s of the previous week: %(counts)s",
            "The same as %(days)s of the previous %(weeks)d weeks: %(counts)s "
            "(average %(average)s)",
            weeks,
        )
    else:
        text = ngettext(
            "The same as the previous week: %(counts)s",
            "The same as the previous %(weeks)d weeks: %(counts)s (average %(average)s)",
            weeks,
        )
    sentence = text % values
    if summary.partly_compared:
        if summary.compared_hour is None:
            return _("%(sentence)s; this week until yesterday: %(count)d.") % {
                "sentence": sentence,
                "count": summary.compared_this_week,
            }
        return _("%(sentence)s; this week up to %(hour)s: %(count)d.") % {
            "sentence": sentence,
            "hour": hour(summary.compared_hour),
            "count": summary.compared_this_week,
        }
    return _("%(sentence)s.") % {"sentence": sentence}


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
    tables: bool = True,
) -> dict:
    """
    The page's numbers: one insights.overview() and, with `tables`, the tables under each
    chart (else `rows` is None: numbers.js writes them from the charts' data). `now` (in the
    profile's zone) compares an unfinished week with earlier ones up to its hour.
    `own_trigger_names=False` (a share link without notes) names own triggers "Own trigger 1", ….
    """
    overview = insights.overview(user, period, now)
    if not own_trigger_names:
        overview = insights.without_own_trigger_names(overview)
    weeks = [(row_label(w, period, today), w) for w in overview.weeks] if tables else []
    return {
        "period": period,
        "summary": overview.summary,
        "compared_days": compared_days(overview.summary),
        "week_comparison": week_comparison(overview.summary, compared_days(overview.summary)),
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
            "regions": [*map(str, Region.labels), _("All episodes")],
            "weekdays": weekday_names(),
            "triggers": [t.name for t in overview.triggers],
            "symptoms": [str(label) for label in SYMPTOMS.values()],
        },
        # Each table: (row heading, [cells]).
        "rows": table_rows(overview, weeks) if tables else None,
        "chart_data": chart_data(overview, today),
    }


def table_rows(overview: Overview, weeks: list[tuple[str, Week]]) -> dict[str, list]:
    """Each table under a chart as (row heading, [cells]); `weeks` as (heading, week)."""
    episodes = overview.summary.episodes
    regions = Region.values
    absent = not_logging()

    def rows(cells) -> list:
        # A week before the first entry says so instead of showing zeros.
        return [
            (label, values if w.logging else [absent, *[None] * (len(values) - 1)])
            for (label, w), values in zip(weeks, (cells(w) for _label, w in weeks), strict=True)
        ]

    return {
        "regions": rows(lambda w: [*(w.by_region[r] for r in regions), w.episodes]),
        "days": rows(lambda w: [w.days, w.minutes]),
        "spread": rows(lambda w: [w.areas, w.regions]),
        "heatmap": [(hour(h), [overview.heatmap[day][h] for day in range(7)]) for h in range(24)],
        "trigger_share": [
            (t.name, [t.count, percent(share(t.count, episodes))]) for t in overview.triggers
        ],
        "trigger_weeks": rows(lambda w: [w.triggers.get(t.slug, 0) for t in overview.triggers])
        if overview.triggers
        else [],
        "symptoms": rows(lambda w: [w.symptoms[s] for s in SYMPTOMS]),
        "intensity": rows(lambda w: [w.median_intensity]),
    }


def chartjs_sources() -> dict:
    """The pinned CDN copy (with SRI) and the vendored fallback; CHARTJS_URL=local: only that."""
    cdn = settings.CHARTJS_URL
    return {
        "cdn": "" if cdn == "local" else cdn,
        "integrity": settings.CHARTJS_INTEGRITY,
        "local": CHARTJS_LOCAL,
    }
