"""
The weekly bar chart on page 1 as data for the layout: one bar per ISO week (zero weeks
included), a round integer axis, at most ~13 date labels, and muted "not logging yet" bands
for weeks before the first logged day (no bar there: nothing was being recorded); a week
that is not over yet is an outlined, hatched bar labelled "so far".

The layout draws it as vector shapes and text inside a figure whose alternative text says
the same numbers in words.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from diary import insights
from diary.report.text import fmt_short

MAX_LABELS = 13


def nice_step(top: int) -> int:
    """A round axis step giving at most about five gridlines."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return 10 ** len(str(top // 5))


def is_logging(week: insights.Week) -> bool:
    """
    Whether the person was logging in that week. Weeks before the first logged day carry
    `logging=False`; a Week without the field counts as logging.
    """
    return getattr(week, "logging", True)


def not_logging() -> str:
    return pgettext("a week before the first entry", "not logging yet")


def mark(week: insights.Week, today: date | None) -> str:
    """ "so far" / "Mon–Wed" for a week that is not over or cut short (see Week.mark)."""
    if today is None or not hasattr(week, "mark"):
        return ""
    return week.mark(today)


def weekly_chart(weeks: list[insights.Week], today: date | None = None) -> dict:
    """
    The chart's bars, ticks and bands; with `today` (the day the report is made), a week that
    is not over is marked: drawn as an outline with hatching and labelled "so far".
    """
    counts = [week.episodes for week in weeks]
    top = max(counts, default=0)
    step = nice_step(top)
    axis_max = max(step, -(-top // step) * step)
    every = max(1, -(-len(weeks) // MAX_LABELS))  # labels never collide
    bars = [
        {
            "count": week.episodes,
            "height": week.episodes / axis_max,
            "label": fmt_short(week.start) if i % every == 0 else "",
            "logging": is_logging(week),
            "mark": mark(week, today),
        }
        for i, week in enumerate(weeks)
    ]
    return {
        "bars": bars,
        "ticks": [{"value": v, "at": v / axis_max} for v in range(0, axis_max + 1, step)],
        "bands": _bands(bars),
        "alt": alt_text(weeks, today),
    }


def _bands(bars: list[dict]) -> list[dict]:
    """Runs of weeks that were not logging yet: {start, length} in bar positions."""
    bands: list[dict] = []
    for i, bar in enumerate(bars):
        if bar["logging"]:
            continue
        if bands and bands[-1]["start"] + bands[-1]["length"] == i:
            bands[-1]["length"] += 1
        else:
            bands.append({"start": i, "length": 1})
    return bands


def alt_text(weeks: list[insights.Week], today: date | None = None) -> str:
    """The chart in words, for a screen reader: each logging week's count."""
    if not weeks:
        return _("Bar chart of episodes per week: no weeks in the period.")
    parts = []
    for w in weeks:
        if not is_logging(w):
            continue
        values = {"week": fmt_short(w.start), "count": w.episodes, "mark": mark(w, today)}
        if values["mark"]:
            parts.append(_("week of %(week)s (%(mark)s): %(count)d") % values)
        else:
            parts.append(_("week of %(week)s: %(count)d") % values)
    waiting = sum(not is_logging(w) for w in weeks)
    text = ngettext(
        "Bar chart of episodes per week over %(weeks)d week",
        "Bar chart of episodes per week over %(weeks)d weeks",
        len(weeks),
    ) % {"weeks": len(weeks)}
    if waiting:
        text = ngettext(
            "%(chart)s, the first week not logging yet",
            "%(chart)s, the first %(waiting)d weeks not logging yet",
            waiting,
        ) % {"chart": text, "waiting": waiting}
    if not parts:
        return _("%(sentence)s.") % {"sentence": text}
    listed = _("; ").join(parts)
    return _("%(sentence)s. %(weeks)s.") % {
        "sentence": text,
        "weeks": f"{listed[0].upper()}{listed[1:]}",
    }
